"""B17. Knapsack allocation of rollouts (Li et al. 2025; third-party code and derivations in the catalogue)."""
