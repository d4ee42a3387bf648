"""The figure of claim D6, drawn from the verdict's evidence."""
from tabular_envs.dp.robust import BALLS
from testbed.plotting import finish


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    sw = evidence.get("sweep")
    if sw:
        for kind in BALLS:
            ax.plot(sw["radii"], sw[kind], "o-", ms=3, label=f"{kind} ball")
    states = sw.get("states", 10) if sw else 10
    finish(ax, f"Robust optimal value on a {states}-state slippery chain (gamma = 0.9)", "radius (beta or delta)",
           "V*_rob(s0)", logx=False)
