"""B14. Last-switch-dependent bandits (Foussoul et al. 2023; abstract only, model reconstructed)."""
