"""The figure of claim D6, drawn from the verdict's evidence."""
from tabular_envs.dp.robust import BALLS
from testbed.plotting import finish, legend_name

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "gamma": "the discount factor",
}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    sw = evidence.get("sweep")
    if sw:
        for kind in BALLS:
            ax.plot(sw["radii"], sw[kind], "o-", ms=3, label=f"{legend_name(kind)} ball")
    states = sw.get("states", 10) if sw else 10
    finish(ax, f"Robust optimal value on a {states}-state slippery chain (gamma = 0.9)", "radius (beta or delta)",
           "V*_rob(s0)", logx=False)
