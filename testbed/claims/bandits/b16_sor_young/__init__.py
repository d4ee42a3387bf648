"""B16. Learning to relax: SOR and Young's theorem (Khodak et al. 2024 choose the SOR parameter by a bandit)."""
