"""Named symbols with the assumptions the theorems make."""
import sympy as sp

T = sp.Symbol("T", positive=True)                 # horizon (number of rounds)
K = sp.Symbol("K", positive=True, integer=True)   # number of arms
n_sub = sp.Symbol("n", positive=True, integer=True)  # number of suboptimal arms
sigma = sp.Symbol("sigma", positive=True)
gamma = sp.Symbol("gamma", positive=True)         # discount factor, 0 < gamma < 1
epsilon = sp.Symbol("epsilon", positive=True)
k = sp.Symbol("k", nonnegative=True, integer=True)
i = sp.Symbol("i", positive=True, integer=True)   # summation index over arms
Delta = sp.IndexedBase("Delta", positive=True)    # gaps of the suboptimal arms
mu = sp.IndexedBase("mu", positive=True)          # means of the suboptimal arms
mu_star = sp.Symbol("mu_star", positive=True)
residual = sp.Symbol("r_k", nonnegative=True)     # ||V_{k+1} - V_k||_inf
initial_error = sp.Symbol("e_0", nonnegative=True)  # ||V_0 - V*||_inf
