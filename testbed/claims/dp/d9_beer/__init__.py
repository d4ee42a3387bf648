"""D9. The representation bound of BEER (He et al. 2024): a Cauchy-Schwarz bound on cos(phi, phibar)."""
