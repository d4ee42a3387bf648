"""S4. UCBVI (Azar, Osband, Munos 2017)."""
