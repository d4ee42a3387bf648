"""The figure of claim P9: the first exact Jacobi iteration at each position (median over the maps)."""
import numpy as np

from testbed.plotting import finish

SYMBOLS: dict[str, str] = {}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    first = np.array(evidence["first_exact_median"], dtype=float)
    pos = np.arange(1, first.size + 1)
    ax.plot(pos, first, "o", label="Jacobi: first exact iteration (median over maps)")
    ax.plot(pos, pos, "--", color="black", label="the theorem: exact by iteration i (decided: at most i everywhere, "
            "exactly i for i <= 8)")
    ax.text(0.98, 0.05, "later positions become exact earlier: their error rounds away below 1 ulp",
            transform=ax.transAxes, ha="right", fontsize=8)
    ax.axhline(1, color="tab:green", linestyle=":", label="Gauss-Seidel: one sweep")
    finish(ax, "Causal tanh map, L = 32, ||W||_2 > 1", "position i", "first exact iteration", logx=False)
