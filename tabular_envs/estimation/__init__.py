"""Estimators and samplers whose law or expectation is computed exactly (the estimation claims, E1-E8): speculative
sampling, group-baseline policy-gradient estimators, performative retraining maps, the single and double estimators
of a maximum. Signatures are small and public: they are what ``testbed check`` runs a user's implementation against."""
