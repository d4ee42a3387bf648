"""The figure of claim D13, drawn from the verdict's evidence."""
import numpy as np

from testbed.plotting import finish


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    s = np.array(evidence["sizes"])
    ax.scatter(s[:, 1], s[:, 0], s=12)
    lim = [0, s.max() + 1]
    ax.plot(lim, lim, "k--", lw=0.8, label="equal sizes")
    finish(ax, "Factored models pin down more of the value than the Bellman equation",
           "distinct V*(s0): Bellman-consistent (tabular models)", "distinct V*(s0): factored models", logx=False)
