"""The figure of claim S1: E||Q* - Q_hat*|| against N per instance (with the crude bound), log-log."""
import numpy as np

from testbed.plotting import finish

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "A": "the number of actions",
    "S": "the number of states",
    "N": "the number of next-state samples per (s, a) from the generative model",
    "delta": "the failure probability",
    "gamma": "the discount factor",
}


def legend_label(unit: str) -> str:
    """"garnet" / "azar0.9" in words: the Garnet instance (gamma = 0.9) or Azar et al.'s 2013 hard instance at that
    gamma."""
    if unit.startswith("azar"):
        return f"Azar et al. 2013 instance, gamma = {unit[4:]}"
    return "Garnet, gamma = 0.9" if unit == "garnet" else unit


def draw(evidence, fig):
    fig.set_size_inches(10, 4)
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    for c in evidence["curves"]:
        line, = ax1.loglog(c["N"], c["mean"], "o-", ms=3, label=legend_label(c["unit"]))
        ax2.loglog(c["N"], c["bound"], "--", color=line.get_color())
        ax2.loglog(c["N"], c["mean"], "o-", ms=3, color=line.get_color())
    n = np.array(evidence["curves"][0]["N"], dtype=float)
    ref = evidence["curves"][0]["mean"][0] * np.sqrt(n[0] / n)
    ax1.loglog(n, ref, "k:", label="slope -1/2")
    finish(ax1, "E||Q* - Q_hat*||_inf against N per pair", "N", "error", logx=False)
    finish(ax2, "against the crude bound (dashed, delta = 0.1)", "N", "error", logx=False)
