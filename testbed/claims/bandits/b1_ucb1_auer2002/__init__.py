"""B1. UCB1 finite-time regret bound (Auer, Cesa-Bianchi, Fischer 2002, Theorem 1)."""
