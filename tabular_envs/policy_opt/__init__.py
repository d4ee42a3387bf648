"""Exact iterations of policy optimisation and planning on tabular instances (the policy-optimisation claims,
P1-P9): softmax policy gradient and natural policy gradient, soft (entropy-regularised) Bellman operators,
occupancy-measure linear programs for constrained and multi-objective MDPs, reward shaping, policy iteration with
iteration counts, and Jacobi / Gauss-Seidel on causal (acyclic) maps. Each function names the paper and equation
it implements; everything is deterministic (float64, no sampling)."""
