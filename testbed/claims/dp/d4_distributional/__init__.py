"""D4. Distributional Bellman operators (Bellemare et al. 2017; Rowland et al. 2018; Dabney et al. 2018)."""
