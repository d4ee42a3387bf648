"""R8. Sparse regret rewards: records of exchangeable sequences (Maraval et al. 2023; derived)."""
