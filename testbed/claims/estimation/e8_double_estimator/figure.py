"""The figure of claim E8: e_K, the single estimator's bias at equal values in units of sigma / sqrt(n)."""
from testbed.plotting import finish

SYMBOLS = {"sigma": "the standard deviation of one sample", "e_K": "E[max of K standard normals]",
           "n": "the samples per action"}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    ax.plot(evidence["K"], evidence["eK"], "o-", label="e_K = E[max_a Qhat_a] - max_a Q_a, in sigma / sqrt(n)")
    ax.axhline(0.0, color="black", linestyle="--", label="the double estimator's bias is <= 0")
    finish(ax, "Maximisation bias at equal values", "K actions", "bias / (sigma / sqrt(n))", logx=False)
