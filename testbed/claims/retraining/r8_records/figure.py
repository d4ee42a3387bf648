"""The figure of claim R8, drawn from the verdict's evidence."""
import numpy as np

from testbed.plotting import finish

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "T": "the number of observations",
}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    for r in evidence["rows"]:
        k = np.arange(len(r["observed"]))
        n = sum(r["observed"])
        line, = ax.plot(k, np.array(r["observed"]) / n, "o", ms=4, label=f"T = {r['T']}: Monte Carlo")
        ax.plot(k, np.array(r["expected"]) / n, "-", color=line.get_color(), lw=0.8)
    finish(ax, "Record counts against c(T, k)/T! (lines)", "number of records k", "probability", logx=False)
