"""The figure of claim B7, drawn from the verdict's evidence."""
from testbed.plotting import finish, legend_name

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "K": "the number of experts (actions)",
    "T": "the number of rounds",
}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(7, 4.2)
    rows = evidence["rows"]
    for seq in dict.fromkeys(x["sequence"] for x in rows):
        for K in sorted({x["K"] for x in rows}):
            rs = sorted((x for x in rows if x["sequence"] == seq and x["K"] == K), key=lambda x: x["T"])
            ax.plot([x["T"] for x in rs], [x["ratio"] for x in rs], "o-", label=f"{legend_name(seq)}, K={K}")
    ax.axhline(1.0, color="black", ls="--", label="bound")
    finish(ax, "Hedge: exact expected regret / (2 sqrt(3) sqrt(T ln K))", "T", "regret / bound")
