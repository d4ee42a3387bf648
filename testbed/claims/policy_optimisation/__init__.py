"""Policy optimisation, regularised and constrained control, planning complexity (P1-P9)."""
