"""D11. Edge-of-reach in offline model-based RL (Sims et al. 2024; abstract, definition reconstructed)."""
