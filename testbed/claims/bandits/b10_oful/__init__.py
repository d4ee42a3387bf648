"""B10. Linear bandits: OFUL / LinUCB (Lattimore & Szepesvari 2020, Theorems 19.2, 20.5, Lemma 19.4)."""
