"""The figure of claim P4: J*, J_VAS and J(pi_0) against beta on the catalogue tree."""
from testbed.plotting import finish

SYMBOLS: dict[str, str] = {}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    b = evidence["betas"]
    ax.plot(b, evidence["J_star"], "o-", label="J* = beta log E_pi0 exp(r/beta)")
    ax.plot(b, evidence["J_vas"], "s--", label="J(VAS): one soft-improvement step")
    ax.plot(b, evidence["J_ref"], "^:", label="J(pi_0)")
    finish(ax, "Depth-2 tree, leaves ((1, 0), (0.6, 0.6))", "beta", "E[r] - beta KL", logx=True)
