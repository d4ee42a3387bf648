"""The figure of claim S6: UCRL2's mean realised regret on RiverSwim(6) against T, with Thm 2's bound and T rho*."""
import numpy as np

from testbed.plotting import finish, sqrt_rate_panel

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "A": "the number of actions",
    "S": "the number of states",
    "D": "the MDP's diameter",
    "T": "the number of steps",
    "delta": "the failure probability",
}


def draw(evidence, fig):
    family = evidence.get("family_curve")
    fig.set_size_inches(11 if family else 6.5, 4)
    ax = fig.add_subplot(1, 2 if family else 1, 1)
    c = evidence["curve"]
    T = np.array(c["T"], dtype=float)
    ax.loglog(T, c["mean"], "o-", label="UCRL2 mean regret")
    ax.loglog(T, c["bound"], "--", label="Thm 2 bound (vacuous)")
    ax.loglog(T, c["trivial"], ":", label="T rho*")
    ax.loglog(T, c["mean"][0] * np.sqrt(T / T[0]), "k-.", lw=0.8, label="slope 1/2")
    finish(ax, "UCRL2 on RiverSwim(6): realised regret", "steps T", "regret", logx=False)
    if family:
        sqrt_rate_panel(fig.add_subplot(1, 2, 2), family["T"], family["mean"],
                        "UCRL2 on the hard family (gain gap 3 / sqrt(T))", "steps T (each T its own MDP)")

