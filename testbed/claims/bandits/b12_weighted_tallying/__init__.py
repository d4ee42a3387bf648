"""B12. Weighted tallying bandits (Malik et al. 2023; abstract only, model and algorithm reconstructed)."""
