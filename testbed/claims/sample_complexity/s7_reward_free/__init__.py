"""S7. Reward-free exploration: RF-Express (Ménard et al. 2021)."""
