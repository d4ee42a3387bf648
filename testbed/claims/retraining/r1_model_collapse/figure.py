"""The figure of claim R1, drawn from the verdict's evidence."""
import numpy as np

from testbed.plotting import finish, grid_axes

from .claim import N_ITER

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "T": "the number of rows (samples) per generation",
    "d": "the dimension of the regression",
    "n": "the generation, the number of retraining rounds",
    "sigma": "the label noise's standard deviation",
}


def draw(evidence, fig):
    cells = sorted({(r["d"], r["T"]) for r in evidence["rows"]})
    n = np.arange(1, N_ITER + 1)
    for ax, (d, T) in zip(grid_axes(fig, len(cells)), cells, strict=True):
        for r in evidence["rows"]:
            if (r["d"], r["T"]) == (d, T):
                ax.errorbar(n, r["mean"], yerr=4 * np.array(r["se"]), fmt="o", ms=3, label=f"{r['mode']} (MC, 4 SE)")
                ax.plot(n, r["formula"], "k-" if r["mode"] == "replace" else "k--", lw=0.8)
                ceiling = r["ceiling"]
        ax.axhline(ceiling, color="red", ls=":", label="pi^2/6 ceiling (accumulate)")
        finish(ax, f"d = {d}, T = {T}", "iteration n", "test error", logx=False)
