"""Estimators, samplers and Bayesian exploration (E1-E8)."""
