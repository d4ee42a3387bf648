"""The figure of claim R2, drawn from the verdict's evidence."""

from testbed.plotting import finish

from .claim import KS


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    for K, c in zip(KS, evidence["curves"], strict=True):
        ax.plot(c, "o-", ms=3, label=f"K = {K}")
    finish(ax, "Curated retraining on a generated support: expected reward rises with t and K",
           "round t", "E_{p_t}[r]", logx=False)
