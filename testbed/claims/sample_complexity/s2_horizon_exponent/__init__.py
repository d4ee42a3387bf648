"""S2. Synchronous Q-learning and TD: the horizon exponent."""
