"""B2. Lai-Robbins asymptotic lower bound (Lai & Robbins 1985, Theorem 2)."""
