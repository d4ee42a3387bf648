"""R1. Model collapse: replace vs accumulate (Gerstgrasser et al. 2024; derived, Monte Carlo confirmed)."""
