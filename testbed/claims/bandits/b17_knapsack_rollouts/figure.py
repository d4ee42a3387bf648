"""The figure of claim B17, drawn from the verdict's evidence."""
import numpy as np

from testbed.plotting import finish

from .claim import _N_GRID
from .model import (
    nonzero_gradient_probability,
)

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "N": "the number of binary rollouts of the task",
    "p": "the task's success rate",
}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    rows = evidence["monte_carlo"]
    p = np.linspace(0, 1, 201)
    for N in _N_GRID:
        line, = ax.plot(p, [nonzero_gradient_probability(x, N) for x in p], label=f"N = {N}: 1 - p^N - (1-p)^N")
        pts = [r for r in rows if r["N"] == N]
        ax.plot([r["p"] for r in pts], [r["monte_carlo"] for r in pts], "o", color=line.get_color())
    ax.plot(p, 4 * p * (1 - p) ** 2, "k--", label="4 p (1-p)^2 (max at p = 1/3)")
    finish(ax, "non-zero-gradient probability: formula (lines) vs Monte Carlo (dots)", "success rate p",
           "probability", logx=False)
