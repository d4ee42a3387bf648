"""The figure of claim B1, drawn from the verdict's evidence."""
import numpy as np

from testbed.plotting import finish, grid_axes, mean_band_vs_bound

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "Delta": "Delta_i = mu* - mu_i, the gap of the i-th suboptimal arm (the sum runs over arms with Delta_i > 0)",
    "T": "the horizon, the number of pulls",
}


def draw(evidence, fig):
    units = evidence["units"]
    auer = [u for u in units if u.get("algorithm", "ucb1") == "ucb1"]
    ls = {u["name"]: u for u in units if u.get("algorithm") == "ucb_delta"}
    for ax, u in zip(grid_axes(fig, len(auer)), auer, strict=True):
        mean_band_vs_bound(ax, u["T"], u["mean"], u["lower"], u["upper"], u["bound"],
                           label="UCB1 mean regret", bound_label="Auer et al. Thm 1 bound")
        if u["name"] in ls:
            v = ls[u["name"]]
            err = [np.subtract(v["mean"], v["lower"]), np.subtract(v["upper"], v["mean"])]
            ax.errorbar(v["T"], v["mean"], yerr=err, fmt="s", ms=4, color="tab:green", label="UCB(1/T^2) at T")
            ax.plot(v["T"], v["bound"], "v", color="tab:green", label="L&S Thm 7.1 bound at T")
        finish(ax, f"{u['name']} (K={len(u['means'])})", "T", "pseudo-regret", logy=True)
