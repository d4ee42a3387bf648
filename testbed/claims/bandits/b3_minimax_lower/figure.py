"""The figure of claim B3, drawn from the verdict's evidence."""
from testbed.plotting import finish, legend_name

from .claim import CLAIM

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "K": "the number of arms",
    "T": "the horizon, the number of pulls",
}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6, 4)
    rows = evidence["cells"]
    for alg in dict.fromkeys(r["algorithm"] for r in rows):
        rs = [r for r in rows if r["algorithm"] == alg]
        line, = ax.plot([r["T"] for r in rs], [r["max_mean"] for r in rs], "o-", label=legend_name(alg))
        ax.vlines([r["T"] for r in rs], [r["max_lower"] for r in rs], [r["max_upper"] for r in rs],
                  color=line.get_color(), alpha=0.5)
    Ts = sorted({r["T"] for r in rows})
    ax.plot(Ts, [CLAIM.bound().evaluate(K=evidence["K"], T=T) for T in Ts], "k--", marker="x",
            label="(1/27) sqrt((K-1) T)")
    finish(ax, f"max over the hard family (K={evidence['K']})", "T", "E[R(T)]", logy=True)
