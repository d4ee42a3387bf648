"""The figure of claim S9: TD(0) errors against T (averaged and decaying steps) and the constant-step floor
against alpha, log-log with slope guides."""
import numpy as np

from testbed.plotting import finish


def draw(evidence, fig):
    fig.set_size_inches(10, 4)
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    for c in evidence["curves"]:
        ax1.loglog(c["x"], c["mean"], "o-", ms=3, label=c["label"])
    x = np.array(evidence["curves"][0]["x"], dtype=float)
    y0 = evidence["curves"][0]["mean"][0]
    ax1.loglog(x, y0 * (x / x[0]) ** -0.5, "k:", lw=0.8, label="slope -1/2")
    ax1.loglog(x, y0 * (x / x[0]) ** -1.0, "k--", lw=0.8, label="slope -1")
    finish(ax1, "E||V - V^pi||_mu^2 against T", "T", "error", logx=False)
    f = evidence["floor"]
    ax2.loglog(f["alpha"], f["mean"], "s-", label="constant step, T = 50000")
    a = np.array(f["alpha"])
    ax2.loglog(a, f["mean"][0] * a / a[0], "k:", lw=0.8, label="proportional to alpha")
    finish(ax2, "the constant-step floor", "alpha", "error", logx=False)
