"""The figure of claim B11, drawn from the verdict's evidence."""
from testbed.plotting import finish

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "R": "the row player's realised regret after T rounds",
    "R'": "the column player's realised regret after T rounds",
    "T": "the number of rounds",
}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(7, 4.2)
    rows = evidence["rows"]
    for game in dict.fromkeys(r["game"] for r in rows):
        rs = [r for r in rows if r["game"] == game]
        line, = ax.plot([r["T"] for r in rs], [r["mean_eps"] for r in rs], "o-", label=f"{game}")
        ax.plot([r["T"] for r in rs], [r["hedge_reference"] for r in rs], ":", color=line.get_color())
    finish(ax, "eps_T = (R + R')/T, mean over runs (o); dotted: sum of the Hedge regret bounds / T", "T",
           "eps_T", logy=True)
