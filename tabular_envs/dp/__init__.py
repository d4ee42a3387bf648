"""Dynamic programming beyond the Bellman optimality operator: distributional operators, robust and regularized
robust DP, and the effective horizon (submodules, imported on demand: ``tabular_envs.dp.robust`` ...)."""
