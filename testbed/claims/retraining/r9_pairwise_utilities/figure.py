"""The figure of claim R9, drawn from the verdict's evidence."""
import numpy as np

from testbed.plotting import finish, legend_name, slope_text

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "n": "the number of pairwise comparisons",
}


def draw(evidence, fig):
    fig.set_size_inches(12, 4)
    ax = fig.add_subplot(1, 2, 1)
    for c in evidence["curves"]:
        ax.loglog(evidence["pairs"], c["error"], "o-",
                  label=f"{legend_name(c['model'])}: {slope_text(evidence['slopes'], c['model'] + ': recovery error')}")
    n = np.array(evidence["pairs"], dtype=float)
    ax.loglog(n, evidence["curves"][0]["error"][0] * np.sqrt(n[0] / n), "k--", label="n^(-1/2)")
    threshold = evidence["slopes"][0]["threshold"]
    finish(ax, f"Recovery of 8 utilities where the MLE exists (claimed slope < {threshold:.2g})",
           "comparisons", "RMS utility error (after centring)", logx=False)
    ax = fig.add_subplot(1, 2, 2)
    for c in evidence["curves"]:
        ax.semilogx(evidence["pairs"], c["triads"], "o-", label=legend_name(c["model"]))
    finish(ax, "Measured transitivity violations", "comparisons", "intransitive triads (majority graph)", logx=False)
