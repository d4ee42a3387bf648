"""The figure of claim P6: the catalogue's three value vectors, the stochastic front and the unsupported point."""
import numpy as np

from testbed.plotting import finish

SYMBOLS: dict[str, str] = {}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(5.5, 4.5)
    p = np.array(evidence["points"])
    ax.plot([1, 0], [0, 1], "-", label="stochastic front (mixtures of (1, 0) and (0, 1))")
    ax.plot(p[:2, 0], p[:2, 1], "o", color="tab:blue", label="deterministic: selected by some weight")
    ax.plot(p[2, 0], p[2, 1], "s", color="tab:red", label="(0.4, 0.4): Pareto among deterministic, no weight")
    finish(ax, "One state, three actions", "objective 1", "objective 2", logx=False)
