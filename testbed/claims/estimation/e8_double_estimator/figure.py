"""The figure of claim E8: e_K, the single estimator's bias at equal values in units of sigma / sqrt(n); and the
frequency of left at A on Sutton and Barto's left-right MDP, Q-learning against double Q-learning."""
import numpy as np

from testbed.plotting import finish

SYMBOLS = {"sigma": "the standard deviation of one sample", "e_K": "E[max of K standard normals]",
           "n": "the samples per action"}


def draw(evidence, fig):
    fig.set_size_inches(11, 4)
    ax = fig.add_subplot(1, 2, 1)
    ax.plot(evidence["K"], evidence["eK"], "o-", label="e_K = E[max_a Qhat_a] - max_a Q_a, in sigma / sqrt(n)")
    ax.axhline(0.0, color="black", linestyle="--", label="the double estimator's bias is <= 0")
    finish(ax, "Maximisation bias at equal values", "K actions", "bias / (sigma / sqrt(n))", logx=False)
    ax = fig.add_subplot(1, 2, 2)
    for name, label in (("q", "Q-learning"), ("double", "double Q-learning")):
        f = np.array(evidence["left_frequency"][name])
        ax.plot(np.arange(1, f.size + 1), f, label=label)
    ax.axhline(0.05, color="black", linestyle="--", label="epsilon/2 (optimal, epsilon-greedy)")
    ax.axhline(0.1, color="tab:gray", linestyle=":", label="epsilon/2 + 0.05 (decided at episodes 200, 300)")
    finish(ax, "Left-right MDP (Sutton & Barto Ex. 6.7)", "episode", "P(left at A)", logx=False)
