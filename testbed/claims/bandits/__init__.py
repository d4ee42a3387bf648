"""Bandit claims (catalogue: shared/claims/BANDITS.md)."""
