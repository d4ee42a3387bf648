"""R5. Direct Nash optimisation (Rosset et al. 2024; abstract, iteration derived)."""
