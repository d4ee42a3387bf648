"""D8. Regularized robust DP (R2PVI, tabular case; Tang, Liu, Xu 2025)."""
