"""The figure of claim S7: RF-Express's stopping time against 1/eps, log-log, with a slope-2 guide."""
import numpy as np

from testbed.plotting import finish

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "A": "the number of actions",
    "S": "the number of states",
    "H": "the episode length",
    "epsilon": "the target accuracy (absolute, V <= H)",
}


def draw(evidence, fig):
    fig.set_size_inches(6.5, 4)
    ax = fig.add_subplot(1, 1, 1)
    c = evidence["curve"]
    x = 1 / np.array(c["eps"])
    ax.loglog(x, c["mean"], "o-", label="RF-Express: episodes until it stops")
    ax.loglog(x, c["mean"][0] * (x / x[0]) ** 2, "k:", label="slope 2")
    finish(ax, "reward-free exploration: stopping time", "1/eps", "episodes", logx=False)
