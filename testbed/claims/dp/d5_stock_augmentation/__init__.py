"""D5. Return-distribution optimisation with stock augmentation (Pires et al. 2025; abstract only, rest derived)."""
