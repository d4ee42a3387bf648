"""The figure of claim E6: the lower bound T* kl(delta, 1 - delta) against log(1/delta), with uniform allocation's."""
import numpy as np

from testbed.plotting import finish

SYMBOLS: dict[str, str] = {}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    d = np.array([float(x) for x in evidence["lower_bounds"]])
    lb = np.array(list(evidence["lower_bounds"].values()))
    x = np.log(1 / d)
    ax.plot(x, lb / x, "o-", label="T* kl(delta, 1 - delta) / log(1/delta)")
    ax.axhline(evidence["T_star"], color="black", linestyle="--", label=f"T* = {evidence['T_star']:.1f}")
    ax.axhline(evidence["T_uniform"], color="tab:red", linestyle=":", label=f"uniform: {evidence['T_uniform']:.1f}")
    finish(ax, "mu = (1, 0.8, 0.5, 0.2), sigma = 1", "log(1/delta)", "E[tau] / log(1/delta) lower bound", logx=False)
