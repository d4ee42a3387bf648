"""The figure of claim B8, drawn from the verdict's evidence."""
from testbed.plotting import finish

from .claim import _VARIANTS


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(7, 4.2)
    units = evidence["units"]
    for table in dict.fromkeys(u["table"] for u in units):
        for variant in _VARIANTS:
            us = sorted((u for u in units if u["table"] == table and u["variant"] == variant), key=lambda u: u["T"])
            x = [u["T"] for u in us]
            line, = ax.plot(x, [u["ratio"][0] for u in us], "o-", label=f"{table}, {variant}")
            ax.vlines(x, [u["lower"][0] / u["bound"][0] for u in us], [u["upper"][0] / u["bound"][0] for u in us],
                      color=line.get_color(), alpha=0.6)
    ax.axhline(1.0, color="black", ls="--", label="bound")
    finish(ax, f"EXP3 regret / its bound (K={evidence['K']}); bars: simultaneous confidence bounds", "T",
           "regret / bound")
