"""The figure of claim B6, drawn from the verdict's evidence."""
from testbed.plotting import finish, grid_axes, slope_text

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "C": "C(mu) = sum over suboptimal arms of Delta_a / kl(mu_a, mu*), the Lai-Robbins constant of the instance",
    "T": "the horizon, the number of pulls",
    "epsilon": "epsilon > 0, the slack of the leading term (the theorem holds for every epsilon; its f(mu)/epsilon^2 "
               "term is not part of the bound shown)",
}


def draw(evidence, fig):
    import numpy as np
    curves = evidence["curves"]
    for ax, c in zip(grid_axes(fig, len(curves), ncols=2), curves, strict=True):
        T = np.array(c["T"], dtype=float)
        keep = T >= 10
        ax.plot(T[keep], np.array(c["mean"])[keep] / np.log(T[keep]), label="Thompson: E[R(T)] / ln T")
        ax.fill_between(T[keep], np.array(c["lower"])[keep] / np.log(T[keep]),
                        np.array(c["upper"])[keep] / np.log(T[keep]), alpha=0.25, linewidth=0)
        ax.axhline(c["C"], color="black", ls="--", label=f"C(mu) = {c['C']:.3f}")
        fitted = slope_text(evidence["slopes"], f"{c['instance']}/thompson")
        finish(ax, f"{c['instance']}: {fitted} over the last decade (claimed < 1/2)", "T", "E[R(T)] / ln T")
