"""B6. Thompson sampling (Slivkins 2019, Theorems 3.9 and 3.15; Agrawal & Goyal 2012)."""
