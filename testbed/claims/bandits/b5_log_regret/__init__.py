"""B5. Successive elimination and UCB1: logarithmic instance-dependent regret, sqrt(T log T) worst case"""
