"""D10. Model error and Lipschitz values (Zheng et al. 2023; derived, standard)."""
