"""Iterated retraining, preference and schedule claims (catalogue: shared/claims/RETRAINING_AND_PREFERENCES.md)."""
