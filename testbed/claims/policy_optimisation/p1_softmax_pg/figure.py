"""The figure of claim P1: t * gap against t, with the derived limit (K - 1)/(eta K)."""
from testbed.plotting import finish

SYMBOLS = {"c": "c = min over t <= T of pi_t(a*), the probability of the best arm", "t": "the iteration"}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    for c in evidence["curves"]:
        line, = ax.plot(c["t"], c["t_gap"], label=f"{c['name']}: t (r* - pi_t r)")
        ax.axhline(c["limit"], color=line.get_color(), linestyle="--", label=f"{c['name']}: (K - 1)/(eta K)")
    finish(ax, "Softmax PG, eta = 2/5: t * gap tends to (K - 1)/(eta K)", "iteration t", "t * gap", logx=True)
