"""The figure of claim P3: the soft-hard value gap against its bound tau log A / (1 - gamma)."""
import numpy as np

from testbed.plotting import finish

SYMBOLS = {"tau": "the temperature of the entropy regulariser", "A": "the number of actions",
           "gamma": "the discount factor"}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    gap = evidence["gap_by_tau"]
    taus = np.array([float(t) for t in gap])
    ax.plot(taus, [gap[t] for t in gap], "o-", label="largest (V*_tau - V*_hard)(1 - gamma) over the MDPs")
    ax.plot(taus, taus * np.log(4), "--", color="black", label="tau log A at A = 4 (the largest A generated)")
    finish(ax, "Soft value minus hard value, scaled by 1 - gamma", "tau", "(1 - gamma) gap", logx=True, logy=True)
