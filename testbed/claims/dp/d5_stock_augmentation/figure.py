"""The figure of claim D5, drawn from the verdict's evidence."""
import numpy as np

from tabular_envs import TabularMDP
from testbed.plotting import finish

from .model import (
    best_markov_value,
    cvar,
    cvar_optimum,
)

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "c": "the stock (threshold) at which the maximum is taken",
    "g": "g_i, the i-th value the return G takes",
    "p": "p_i = P(G = g_i)",
    "tau": "the CVaR level, 0 < tau <= 1",
}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    P = np.zeros((2, 2, 2))
    P[0, 0] = [0.5, 0.5]
    P[0, 1, 0] = 1
    P[1, :, 1] = 1
    mdp = TabularMDP(P, np.array([[0.0, 1.0], [2.0, 0.0]]), horizon=3)
    taus = np.linspace(0.05, 1, 20)
    ax.plot(taus, [cvar_optimum(mdp, t)[0] for t in taus], "o-", ms=3, label="stock-augmented DP (outer search)")
    ax.plot(taus, [best_markov_value(mdp, lambda d, t=t: cvar(d, t)) for t in taus], "x--",
            label="best deterministic Markov policy")
    finish(ax, "CVaR optimisation on a 2-state, 3-step MDP", "tau", "max CVaR_tau(G)", logx=False)
