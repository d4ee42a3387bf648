"""S8. SQIRL with tabular regression (Laidlaw, Zhu, Russell, Dragan 2024)."""
