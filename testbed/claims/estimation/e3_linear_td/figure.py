"""The figure of claim E3: ||theta|| under expected semi-gradient TD against TDC and GTD2 on Baird's star."""
from testbed.plotting import finish

SYMBOLS = {"proj_error": "||Pi V - V||_D, the D-weighted projection error", "gamma_sc": "the discount factor gamma"}


def draw(evidence, fig):
    fig.set_size_inches(10, 4)
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    for m, label in (("td", "semi-gradient TD (alpha = 0.01)"), ("tdc", "TDC"), ("gtd2", "GTD2")):
        ax1.plot(evidence["t"], evidence["theta_norm"][m], label=label)
        ax2.plot(evidence["t"], evidence["pbe"][m], label=label)
    finish(ax1, "Baird's star: ||theta_t|| (expected updates)", "update t", "||theta||", logx=True, logy=True)
    finish(ax2, "sqrt(MSPBE)", "update t", "sqrt(MSPBE)", logx=True, logy=True)
