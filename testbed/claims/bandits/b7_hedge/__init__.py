"""B7. Hedge with full feedback (Slivkins 2019, Theorem 5.16)."""
