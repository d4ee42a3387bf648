"""S6. UCRL2, average reward (Jaksch, Ortner, Auer 2010)."""
