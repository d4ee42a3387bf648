"""R4. Reward transformation and combination (Wang et al. 2024; abstract, formula recalled)."""
