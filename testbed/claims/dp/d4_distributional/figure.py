"""The figure of claim D4, drawn from the verdict's evidence."""
import numpy as np

from testbed.plotting import finish

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "gamma": "the discount factor",
}


def draw(evidence, fig):
    fig.set_size_inches(12, 4)
    ax = fig.add_subplot(1, 2, 1)
    tie = evidence["tie_family"]
    ax.loglog(tie["eps"], tie["ratio"], "o-", label="control operator, W_1 ratio")
    ax.axhline(tie["gamma"], color="black", ls="--", label="gamma (a contraction would stay below)")
    finish(ax, "The distributional control operator is not a contraction (tie family)",
           "eps (distance between the two inputs ~ 2 eps)", "W_1(T eta1, T eta2) / W_1(eta1, eta2)", logx=False)
    ax = fig.add_subplot(1, 2, 2)
    fp = evidence.get("fixed_point")
    if fp:
        ax.scatter(fp["constant"], fp["ratio"], s=10, label="measured ratio")
        c = np.linspace(min(fp["constant"]), max(fp["constant"]), 50)
        ax.plot(c, c, "k--", label="1/sqrt(1 - gamma)")
    finish(ax, "Categorical fixed-point error (constants unconfirmed)",
           "1/sqrt(1 - gamma)", "l2(eta_C, eta^pi) / l2(Pi_C eta^pi, eta^pi)", logx=False)
