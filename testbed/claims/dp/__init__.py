"""Dynamic-programming claims (catalogue: shared/claims/DYNAMIC_PROGRAMMING.md)."""
