"""B15. Cascading bandits / RL: the BestPerm oracle (Du, Srikant, Chen 2024; statement from reviews)."""
