"""The figure of claim D8, drawn from the verdict's evidence."""
import numpy as np

from tabular_envs.dp.robust import (
    REGULARIZERS,
    regularized_chi2_min_alpha,
)
from testbed.plotting import finish, legend_name

from .claim import LAMBDAS

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "lambda": "the regularisation strength",
    "spread": "max V - min V, the spread of the value vector",
}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    p0 = np.array([0.5, 0.3, 0.2])
    V = np.array([0.0, 1.0, 3.0])
    for kind, f in REGULARIZERS.items():
        ax.plot(LAMBDAS, [f(p0, V, x) for x in LAMBDAS], label=legend_name(kind))
    ax.plot(LAMBDAS, [regularized_chi2_min_alpha(p0, V, x) for x in LAMBDAS], "k:", label="chi^2 with min over "
            "alpha (wrong)")
    ax.axhline(p0 @ V, color="grey", ls="--", lw=0.8, label="E_P0 V (lambda -> inf)")
    finish(ax, "Regularized inner problem, P0 = (.5, .3, .2), V = (0, 1, 3)",
           "lambda", "inf_mu E_mu V + lambda D(mu || P0)", logx=True)
