"""The figure of claim S2: E||Q_T - Q*|| against 1/(1 - gamma), log-log, TD and Q-learning, with slope guides."""
import numpy as np

from testbed.plotting import finish, legend_name


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    for c in evidence["curves"]:
        ax.loglog(c["x"], c["mean"], "o-", label=legend_name(c["algorithm"]))
    for c in evidence["curves"]:
        x, m = np.array(c["x"]), np.array(c["mean"])
        exponent = 1.5 if c["algorithm"] == "td" else 2.0
        ax.loglog(x, m[0] * (x / x[0]) ** exponent, "k:", lw=0.8)
    finish(ax, "E||Q_T - Q*|| on the Azar instance (dotted: slopes 3/2 and 2)", "1/(1 - gamma)", "error",
           logx=False)
