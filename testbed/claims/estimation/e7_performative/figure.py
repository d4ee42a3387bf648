"""The figure of claim E7: theta_t under repeated risk minimisation for each epsilon (theta_0 = 3)."""
import numpy as np

from testbed.plotting import finish

SYMBOLS = {"epsilon": "the sensitivity of the distribution map (W1 per unit of theta)",
           "beta": "the loss's smoothness", "gamma_sc": "the loss's strong convexity",
           "t": "the retraining round", "e_0": "||theta_0 - theta_PS||"}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    for e, path in evidence["paths"].items():
        ax.plot(np.arange(len(path)), np.clip(path, -10, 40), "o-", ms=2, label=f"epsilon = {e}")
    finish(ax, "theta_{t+1} = mu + epsilon theta_t (mu = 1), clipped to [-10, 40]", "round t", "theta_t", logx=False)
