"""The figure of claim B14, drawn from the verdict's evidence."""
from testbed.plotting import finish


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6, 3.6)
    ax.hist(evidence["ratios"], bins=30)
    finish(ax, "last-switch-dependent bandits: greedy planner ratio (reported; alpha unconfirmed)",
           "greedy / optimal total payoff", "instances", logx=False, legend=False)
