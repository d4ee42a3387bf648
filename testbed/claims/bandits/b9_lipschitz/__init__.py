"""B9. Lipschitz bandits on [0, 1] by uniform discretization (Slivkins 2019, Theorems 4.5 and 4.2)."""
