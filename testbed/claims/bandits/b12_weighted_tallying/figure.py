"""The figure of claim B12, drawn from the verdict's evidence."""
import numpy as np

from testbed.plotting import finish, grid_axes, slope_text

from .claim import _K


def draw(evidence, fig):
    curves = evidence["curves"]
    configs = sorted({c["label"].split("/")[0] for c in curves})
    for ax, cfg in zip(grid_axes(fig, len(configs), ncols=3), configs, strict=True):
        for c in curves:
            if c["label"].startswith(cfg + "/"):
                fitted = slope_text(evidence["slopes"] + evidence.get("control_slopes", []), c["label"])
                ax.plot(c["T"], c["mean"], "o-", label=f"{c['policy']} {fitted}".strip())
        T = np.array(curves[0]["T"])
        ax.plot(T, np.sqrt(_K * T * np.log(T)), "k--", label="sqrt(K T ln T)")
        finish(ax, f"{cfg} (claimed slope < 3/4)", "T", "E[CPR(T)]", logy=True)
