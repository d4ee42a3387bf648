"""The figure of claim R4, drawn from the verdict's evidence."""
import numpy as np

from testbed.plotting import finish

from .claim import sigmoid

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "beta": "the KL regularisation strength",
    "pi0": "pi0_k, the reference policy's probability of response k",
    "u": "u_k = log sigmoid(r_k - r_ref,k), the transformed reward of response k",
}


def draw(evidence, fig):
    fig.set_size_inches(12, 4)
    ax = fig.add_subplot(1, 2, 1)
    z = np.linspace(-6, 6, 200)
    ax.plot(z, np.log(sigmoid(z)), label="u = log sigmoid(r - r_ref)")
    ax.plot(z, 1 - sigmoid(z), label="du/dr = 1 - sigmoid(r - r_ref)")
    finish(ax, "Diminishing returns of the transformed reward", "r - r_ref", "", logx=False)
    ax = fig.add_subplot(1, 2, 2)
    b = evidence["both_good"]
    ax.scatter(b["raw"], b["transformed"], s=10)
    ax.plot([0, 1], [0, 1], "k--", lw=0.8)
    finish(
        ax,
        "Transformed rewards favour responses good in every property",
        "P(both good): optimum of the raw sum",
        "P(both good): optimum of the transformed sum",
        logx=False,
        legend=False,
    )
