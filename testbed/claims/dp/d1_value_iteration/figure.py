"""The figure of claim D1, drawn from the verdict's evidence."""
import numpy as np

from testbed.plotting import finish, grid_axes

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "e_0": "||V_0 - V*||_inf, the initial error",
    "gamma": "the discount factor",
    "k": "the number of value-iteration sweeps",
}


def draw(evidence, fig):
    mdps = evidence["mdps"]
    for ax, m in zip(grid_axes(fig, len(mdps), ncols=4), mdps, strict=True):
        k = np.array(m["k"])
        e = np.array(m["errors"])
        ax.semilogy(k, np.maximum(e, 1e-300), label="||V_k - V*||")
        ax.semilogy(k, e[0] * m["gamma"] ** k, "k--", label="gamma^k ||V_0 - V*||")
        ax.axvline(m["vi_iterations"], color="green", lw=0.8, label="sup-norm stop")
        if m["span_rule_sweeps"] > 0:
            ax.axvline(m["span_rule_sweeps"], color="red", lw=0.8, ls=":", label="span-rule stop")
        finish(ax, f"{m['name']} (gamma={m['gamma']})", "sweep k", "", logx=False)
