"""The figure of claim S5: UCB-H's regret against K, and episodes to the first reward on a combination lock."""
import numpy as np

from testbed.plotting import finish


def legend_label(unit: str) -> str:
    """"c1/H2" in words: UCB-H with bonus constant c = 1 at horizon H = 2."""
    c, horizon = unit.split("/")
    return f"UCB-H, bonus constant c = {c.lstrip('c')}, H = {horizon.lstrip('H')}"


def draw(evidence, fig):
    fig.set_size_inches(10, 4)
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    for c in evidence["curves"]:
        ax1.loglog(c["K"], c["mean"], "o-", ms=3, label=legend_label(c["unit"]))
    finish(ax1, "UCB-H: mean pseudo-regret in the rate windows", "episodes K", "regret", logx=False)
    lk = evidence["lock"]
    H = np.array(lk["H"], dtype=float)
    ax2.semilogy(H, lk["eps_mean"], "o-", label="epsilon-greedy (mean)")
    ax2.semilogy(lk.get("ucb_H", H), lk["ucb_first"], "s-", label="UCB-H (c = 0.1)")
    ax2.semilogy(H, 4.0 ** (H / 2) * lk["eps_mean"][0] / 4.0 ** (H[0] / 2), "k:", label="A^{H/2}")
    finish(ax2, "combination lock, A = 4: episodes to the first reward", "H", "episodes", logx=False)
