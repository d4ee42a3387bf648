"""The figure of claim D11, drawn from the verdict's evidence."""
import numpy as np

from testbed.plotting import finish


def draw(evidence, fig):
    fig.set_size_inches(12, 4)
    ax = fig.add_subplot(1, 2, 1)
    ax.hist(evidence["overestimation"], bins=30)
    finish(ax, "Overestimation caused by never-updated edge states",
           "max over updated pairs of Q - Q* (optimistic init, true model)", "instances", logx=False, legend=False)
    ax = fig.add_subplot(1, 2, 2)
    sp = np.array(evidence["spreads"])
    if sp.size:
        ax.scatter(sp[:, 1], sp[:, 0], s=10)
        lim = [0, sp.max() * 1.05]
        ax.plot(lim, lim, "k--", lw=0.8)
    finish(ax, "Ensemble disagreement flags the edge (RAVL's signal)",
           "mean ensemble spread on the data", "mean ensemble spread at the edge", logx=False, legend=False)
