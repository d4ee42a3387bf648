"""D13. Model-based generalization (Young et al. 2023; abstract, statement reconstructed)."""
