"""The figure of claim P8: the largest iteration counts of Howard's and simple PI by gamma."""
import numpy as np

from testbed.plotting import finish

SYMBOLS = {"m": "the number of state-action pairs S A", "n": "the number of states S", "gamma": "the discount factor"}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    g = sorted(evidence["by_gamma"], key=float)
    x = np.array([float(v) for v in g])
    ax.plot(1 / (1 - x), [evidence["by_gamma"][v]["howard_max"] for v in g], "o-", label="Howard's PI, most iterations")
    ax.plot(1 / (1 - x), [evidence["by_gamma"][v]["simple_max"] for v in g], "s-", label="simple PI, most iterations")
    finish(ax, "Policy iteration counts on generated MDPs", "1 / (1 - gamma)", "iterations", logx=True)
