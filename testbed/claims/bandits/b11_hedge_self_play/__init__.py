"""B11. Zero-sum games: Hedge vs Hedge (Slivkins 2019, Theorem 9.5)."""
