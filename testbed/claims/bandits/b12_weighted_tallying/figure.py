"""The figure of claim B12, drawn from the verdict's evidence."""
import numpy as np

from testbed.plotting import finish, grid_axes, legend_name, slope_text

from .claim import _K

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "K": "the number of arms",
    "T": "the horizon, the number of rounds",
    "m": "the tally window: an arm's reward depends on its weighted pulls in the last m rounds",
    "M": "M >= m, the known upper bound on the window that the algorithm uses",
}


def draw(evidence, fig):
    curves = evidence["curves"]
    configs = sorted({c["label"].split("/")[0] for c in curves})
    for ax, cfg in zip(grid_axes(fig, len(configs), ncols=3), configs, strict=True):
        for c in curves:
            if c["label"].startswith(cfg + "/"):
                fitted = slope_text(evidence["slopes"] + evidence.get("control_slopes", []), c["label"])
                ax.plot(c["T"], c["mean"], "o-", label=f"{legend_name(c['policy'])} {fitted}".strip())
        T = np.array(curves[0]["T"])
        ax.plot(T, np.sqrt(_K * T * np.log(T)), "k--", label="sqrt(K T ln T)")
        finish(ax, f"{cfg} (claimed slope < 3/4)", "T", "E[CPR(T)]", logy=True)
