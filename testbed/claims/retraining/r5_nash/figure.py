"""The figure of claim R5, drawn from the verdict's evidence."""
import numpy as np

from testbed.plotting import finish

from .claim import HORIZONS

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "T": "the number of iterations",
    "Y": "the number of responses |Y|",
    "eta": "the update's temperature: pi_{t+1} is proportional to pi_t exp(r_t / eta)",
}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    rows = np.array(evidence["gaps"])
    for T in HORIZONS:
        sel = rows[:, 1] == T
        ax.scatter(rows[sel, 3], np.maximum(rows[sel, 2], 1e-16), s=10, label=f"T = {T}")
    lim = [rows[:, 3].min() * 0.5, rows[:, 3].max() * 2]
    ax.plot(lim, lim, "k--", lw=0.8, label="gap = bound")
    finish(ax, "Soft policy iteration on preference games",
           "Hedge bound ln|Y| eta/T + 1/(8 eta)", "duality gap of the mixture", logx=True, logy=True)
