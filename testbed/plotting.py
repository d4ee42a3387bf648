"""Small figure helpers shared by claims."""
from __future__ import annotations

import numpy as np

# The words a legend shows for the codes the evidence stores (algorithms, policies, variants, data models). A code
# missing here is shown as it is; tests/test_figure_legends.py fails when a figure shows one of these codes raw.
NAMES = {
    # bandit algorithms (tabular_envs.bandits.simulate) and the claims' own policies
    "ucb1": "UCB1", "kl_ucb": "KL-UCB", "thompson": "Thompson sampling", "moss": "MOSS", "etc": "explore-then-commit",
    "epsilon_greedy": "epsilon-greedy", "successive_elimination": "successive elimination",
    "ucb_delta": "UCB(delta = 1/T^2)", "blocked_elimination": "blocked successive elimination",
    "fixed_block_elimination": "elimination, fixed blocks of 2M (control)", "naive_ucb1": "UCB1 blind to the tallies",
    # adversarial sequences and Exp3 variants (tabular_envs.bandits.adversarial)
    "bernoulli_linspace": "Bernoulli, means 0.1 to 0.9", "adaptive_hard": "adaptive adversary",
    "hard_gap": "one arm better by sqrt(K/T)/2", "iid": "i.i.d.", "uniform": "i.i.d. Uniform(0, 1)",
    "switching": "best arm switches at T/4",
    "auer2002": "Exp3 of Auer et al. (2002)", "lattimore2020": "loss-based Exp3 of Lattimore & Szepesvari (2020)",
    # robust and regularised DP
    "l1": "L1", "tv": "TV", "kl": "KL", "chi2": "chi^2",
    # preference data and TD
    "bt": "Bradley-Terry data", "thurstone": "Thurstone data", "td": "TD(0)", "q_learning": "Q-learning",
}


def legend_name(code: str) -> str:
    """The words for an evidence code (its first word, for codes like 'etc (catalogue gap)'); others unchanged."""
    head, sep, rest = str(code).partition(" ")
    return NAMES.get(head, head) + sep + rest


def mean_band_vs_bound(ax, x, mean, lower, upper, bound=None, label="empirical mean", bound_label="bound",
                       color=None):
    """Empirical mean with its confidence band, against a bound curve."""
    line, = ax.plot(x, mean, label=label, color=color)
    ax.fill_between(x, lower, upper, alpha=0.25, color=line.get_color(), linewidth=0)
    if bound is not None:
        ax.plot(x, bound, "--", color=line.get_color() if color else "black", label=bound_label)
    return line


def finish(ax, title, xlabel, ylabel, logx=True, logy=False, legend=True):
    """Title, axis labels, log scales, a light grid and (when something is labelled) a small legend: the one
    place where the claims' figures get their common look."""
    ax.set_title(title, fontsize=9)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if logx:
        ax.set_xscale("log")
    if logy is True:
        ax.set_yscale("log")
    elif logy:
        ax.set_yscale(logy)          # e.g. "symlog"
    ax.grid(True, which="both", alpha=0.3)
    if legend and ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7)


def grid_axes(fig, n: int, ncols: int = 3):
    """n axes in rows of ``ncols``, the figure sized to match."""
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    fig.set_size_inches(4.2 * ncols, 3.3 * nrows)
    return [fig.add_subplot(nrows, ncols, i + 1) for i in range(n)]


def slope_text(slopes: list[dict], label: str) -> str:
    """'slope 0.70 [0.69, 0.71]' for the evidence row with this label ('' when absent)."""
    for s in slopes:
        if s["label"] == label:
            return f"log-log slope {s['slope']:.2f} [{s['lower']:.2f}, {s['upper']:.2f}]"
    return ""


def sqrt_rate_panel(ax, x, mean, title: str, xlabel: str) -> None:
    """A hard family's mean regret against its horizons with the slope-1/2 line through the first point: the
    sqrt rate S4's and S6's hard-family parts decide is attained."""
    x = np.asarray(x, dtype=float)
    ax.loglog(x, mean, "o-", color="tab:red", label="mean regret")
    ax.loglog(x, mean[0] * np.sqrt(x / x[0]), "k-.", lw=0.8, label="slope 1/2")
    finish(ax, title, xlabel, "regret", logx=False)
