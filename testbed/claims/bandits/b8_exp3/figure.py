"""The figure of claim B8, drawn from the verdict's evidence."""
from testbed.plotting import finish, legend_name

from .claim import _VARIANTS

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "K": "the number of arms",
    "g": "g >= G_max, the known upper bound on the best arm's total reward that sets Exp3's gamma",
}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(7, 4.2)
    units = evidence["units"]
    for table in dict.fromkeys(u["table"] for u in units):
        for variant in _VARIANTS:
            us = sorted((u for u in units if u["table"] == table and u["variant"] == variant), key=lambda u: u["T"])
            x = [u["T"] for u in us]
            line, = ax.plot(x, [u["ratio"][0] for u in us], "o-", label=f"{legend_name(table)}, {legend_name(variant)}")
            ax.vlines(x, [u["lower"][0] / u["bound"][0] for u in us], [u["upper"][0] / u["bound"][0] for u in us],
                      color=line.get_color(), alpha=0.6)
    ax.axhline(1.0, color="black", ls="--", label="bound")
    finish(ax, f"EXP3 regret / its bound (K={evidence['K']}); bars: simultaneous confidence bounds", "T",
           "regret / bound")
