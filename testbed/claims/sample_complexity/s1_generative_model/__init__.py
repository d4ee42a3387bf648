"""S1. Model-based planning with a generative model."""
