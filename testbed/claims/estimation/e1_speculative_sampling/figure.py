"""The figure of claim E1: tokens per iteration against gamma, enumerated and by the formula."""
import numpy as np

from testbed.plotting import finish

SYMBOLS = {"alpha": "the acceptance rate sum_x min(p(x), q(x))", "gamma": "the number of drafted tokens"}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    g = np.array(evidence["gammas"])
    ax.plot(g, evidence["catalogue_tokens"], "o", label="enumerated over one iteration's branches")
    ax.plot(g, evidence["formula"], "--", color="black", label="(1 - alpha^(gamma+1)) / (1 - alpha)")
    finish(ax, f"p = (0.4, 0.3, 0.2, 0.1), q uniform, alpha = {evidence['catalogue_alpha']:.2f}", "gamma",
           "tokens per iteration", logx=False)
