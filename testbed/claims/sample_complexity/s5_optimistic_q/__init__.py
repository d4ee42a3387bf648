"""S5. Q-learning with UCB-Hoeffding (Jin, Allen-Zhu, Bubeck, Jordan 2018)."""
