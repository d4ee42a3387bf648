"""The figure of claim R6, drawn from the verdict's evidence."""
import numpy as np

from testbed.plotting import finish

from .claim import N_GRID

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "N": "the number of rollouts in the group",
    "p": "the success rate",
}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    p = np.linspace(0, 1, 201)
    for N in N_GRID:
        ax.plot(p, p * (1 - p) * (N - 1) / N * (1 - p ** N - (1 - p) ** N) / (1 - p ** N - (1 - p) ** N + 1e-300),
                label=f"N = {N}: E spread / N")
    ax.plot(p, p * (1 - p), "k--", label="p(1 - p)")
    finish(ax, "Group-relative signal is largest for prompts of medium difficulty",
           "success rate p", "gradient signal", logx=False)
