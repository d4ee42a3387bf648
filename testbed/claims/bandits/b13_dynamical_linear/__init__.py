"""B13. Dynamical linear bandits (Mussi, Metelli, Restelli 2023): steady state and the optimal constant action."""
