"""The figure of claim P7: where a non-potential toward-goal bonus makes the chain's optimal policy cycle."""
from testbed.plotting import finish

SYMBOLS: dict[str, str] = {}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    ax.step(evidence["bonuses"], evidence["walks"], where="post", label="optimal policy walks to the goal (1 yes)")
    ax.axvline(evidence["c_star"], color="black", linestyle="--", label=f"c* = {evidence['c_star']:.4f}")
    finish(ax, "5-state chain, gamma = 0.9, +c per step toward the goal", "bonus c", "walks to the goal", logx=False)
