"""B3. Minimax lower bound with an explicit constant (Lattimore & Szepesvari 2020, Theorem 15.2)."""
