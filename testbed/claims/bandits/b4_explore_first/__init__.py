"""B4. Explore-first and epsilon-greedy: T^(2/3) regret (Slivkins 2019, Theorems 1.5 and 1.6)."""
