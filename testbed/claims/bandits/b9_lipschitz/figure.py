"""The figure of claim B9, drawn from the verdict's evidence."""
from testbed.plotting import finish, slope_text

from .claim import PEAK, L

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "L": "the Lipschitz constant of the mean reward on [0, 1]",
    "T": "the horizon, the number of pulls",
}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4.2)
    rows = evidence["rows"]
    T = [r["T"] for r in rows]
    fitted = slope_text(evidence["slopes"], "ucb1 on the uniform grid (average over the ten optima)")
    ax.plot(T, [r["mean_regret"] for r in rows], "o-", label=f"UCB1 on the uniform grid: {fitted}")
    ax.plot(T, [r["order_curve"] for r in rows], "k--", label="L^(1/3) T^(2/3) (ln T)^(1/3)")
    finish(ax, f"mu(x) = {PEAK} - {L} |x - x*|, ten optima: log-log slope below 5/6?", "T", "E[R(T)]", logy=True)
