"""The figure of claim R3, drawn from the verdict's evidence."""
import numpy as np

from proofs_check import categorical_kl
from testbed.plotting import finish

from .model import bon_distribution, bon_kl_formula

# the proxy scores best-of-n selects by (model.py; Coste et al. 2024 for the two ensemble rules)
_SELECTORS = {"mean": "ensemble mean", "wco": "worst case over models (WCO)",
              "uwo": "mean - variance over models (UWO, lambda = 1)"}


# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "n": "the number of samples best-of-n chooses from",
}


def draw(evidence, fig):
    fig.set_size_inches(12, 4)
    ax = fig.add_subplot(1, 2, 1)
    n = np.array([1, 2, 4, 8, 16, 32, 64])
    ax.plot(n, [bon_kl_formula(int(k)) for k in n], "k-", label="log n - (n-1)/n")
    for p in ([0.5, 0.3, 0.2], [1 / 3] * 3, [0.2, 0.3, 0.5]):
        ax.plot(
            n,
            [categorical_kl(bon_distribution(p, int(k)), p) for k in n],
            "o--",
            ms=3,
            label=f"3 outcomes {np.round(p, 2).tolist()}",
        )
    finish(ax, "Best-of-n KL: identity (continuous) and bound (ties)", "n", "KL(pi_BoN || pi)", logx=True)
    ax = fig.add_subplot(1, 2, 2)
    for name, c in evidence["curves"].items():
        ax.errorbar(evidence["ns"], c["mean"], yerr=2 * np.array(c["se"]), fmt="o-", ms=3,
                    label=_SELECTORS.get(name, name))
    finish(ax, "Proxy over-optimisation: heavy-tailed reward-model errors",
           "n", "gold reward of the selected response", logx=True)
