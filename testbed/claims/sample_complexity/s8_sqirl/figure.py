"""The figure of claim S8: SQIRL's success rate against m on the reference MDPs; pulls needed on two arms."""
import numpy as np
from matplotlib.ticker import NullFormatter

from testbed.plotting import finish


def draw(evidence, fig):
    fig.set_size_inches(10, 4)
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    for u, sc in evidence["scan"].items():
        line, = ax1.semilogx(sc["m"], sc["success"], "o-", label=u)
        ax1.axvline(sc["budget_m"], color=line.get_color(), ls="--", lw=0.8)
    ax1.axhline(0.5, color="k", ls=":", lw=0.8)
    finish(ax1, "SQIRL success rate (dashed: GORP's budget)", "episodes per step m", "P(optimal)", logx=False)
    ta = evidence["two_arm"]
    x = 1 / np.array(ta["eps"])
    ax2.loglog(x, ta["pulls"], "o-", label="pulls per arm (exact)")
    ax2.loglog(x, ta["pulls"][0] * (x / x[0]) ** 2, "k:", label="slope 2")
    ax2.loglog(x, ta["pulls"][0] * (x / x[0]), "k--", lw=0.8, label="slope 1 (uniform 1/eps)")
    finish(ax2, "two Bernoulli arms: no uniform 1/eps rate", "1/eps", "pulls", logx=False)
    ax2.xaxis.set_minor_formatter(NullFormatter())
