"""R3. Best-of-n (Gao et al. 2023; Coste et al. 2024; derived)."""
