"""Sample-complexity claims: agents that learn from samples (catalogue: shared/claims/SAMPLE_COMPLEXITY.md)."""
