"""The figure of claim B5, drawn from the verdict's evidence."""
import numpy as np

from testbed.plotting import finish, grid_axes, legend_name, mean_band_vs_bound, slope_text

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "Delta": "Delta_i = mu* - mu_i, the gap of the i-th suboptimal arm (the sum runs over arms with Delta_i > 0)",
    "T": "the horizon, the number of pulls",
}


def draw(evidence, fig):
    curves = evidence["curves"]
    axes = grid_axes(fig, len(curves) + 1, ncols=3)
    for ax, c in zip(axes[:-1], curves, strict=True):
        mean_band_vs_bound(ax, c["T"], c["mean"], c["lower"], c["upper"],
                           label=f"{legend_name(c['algorithm'])} mean regret")
        fitted = slope_text(evidence["slopes"], f"{c['instance']}/{c['algorithm']}")
        finish(ax, f"{c['instance']}, last decade: {fitted} (claimed < 1/2)", "T", "E[R(T)]", logy=True)
    ax = axes[-1]
    for w in evidence["worst_case"]:
        family = w.get("family", "gap")
        fitted = slope_text(evidence["slopes"], f"worst-case family/{family}/{w['algorithm']}")
        ax.plot(w["T"], w["mean"], "o-" if family == "gap" else "s--",
                label=f"{family}, {legend_name(w['algorithm'])}: {fitted} (claimed < 3/4)")
    T = np.array(evidence["worst_case"][0]["T"])
    ax.plot(T, np.sqrt(10 * T * np.log(T)), "k:", label="sqrt(K T ln T), K = 10")
    finish(ax, "worst-case families: gap sqrt(K/T) (K = 10); mixed (K = 3, one arm worse by 0.4)", "T", "E[R(T)]",
           logy=True)
