"""The figure of claim E3: ||theta|| under semi-gradient TD against TDC and GTD2 on Baird's star, expected updates
(lines) and the sampled algorithms' means (markers)."""
from testbed.plotting import finish

SYMBOLS = {"proj_error": "||Pi V - V||_D, the D-weighted projection error", "gamma_sc": "the discount factor gamma"}


def draw(evidence, fig):
    fig.set_size_inches(10, 4)
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    for m, label in (("td", "semi-gradient TD (alpha = 0.01)"), ("tdc", "TDC"), ("gtd2", "GTD2")):
        ax1.plot(evidence["t"], evidence["theta_norm"][m], label=f"{label}, expected")
        ax2.plot(evidence["t"], evidence["pbe"][m], label=f"{label}, expected")
    sampled = evidence["sampled"]
    ax1.plot(sampled["t"], sampled["td_norm"], "o", color="tab:blue", label="TD, sampled on the tape (mean)")
    ax2.plot(sampled["t"], sampled["tdc_pbe"], "s", color="tab:orange", label="TDC, sampled (mean)")
    ax2.plot(sampled["t"], sampled["gtd2_pbe"], "^", color="tab:green", label="GTD2, sampled (mean)")
    finish(ax1, "Baird's star: ||theta_t||", "update t", "||theta||", logx=True, logy=True)
    finish(ax2, "sqrt(MSPBE)", "update t", "sqrt(MSPBE)", logx=True, logy=True)
