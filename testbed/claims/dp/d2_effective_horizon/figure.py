"""The figure of claim D2, drawn from the verdict's evidence."""
import numpy as np

from testbed.plotting import finish

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "A": "the number of actions",
    "H": "the horizon",
    "k": "the look-ahead depth: Q^k is the random policy's Q after k - 1 Bellman optimality backups",
    "Delta": "Delta_k(t, s), the gap of Q^k at (t, s) between the best and the next action",
    "sigma2": "sigma2_k(t, s), the k-step look-ahead variance term at (t, s)",
}


def draw(evidence, fig):
    refs = evidence["references"]
    fig.set_size_inches(12, 4)
    ax = fig.add_subplot(1, 2, 1)
    for row in refs:
        ks = np.arange(1, len(row["mine"]["ms"]) + 1)
        line, = ax.plot(ks, row["published"]["ms"], "s", ms=9, mfc="none", label=f"{row['name']}: published m_k")
        ax.plot(ks, row["mine"]["ms"], "x", color=line.get_color(), ms=7, label=f"{row['name']}: ours")
    finish(ax, "Theorem 5.4 rollout counts: ours vs the authors' outputs",
           "k", "Theorem 5.4 m_k", logx=False, logy=True)
    ax = fig.add_subplot(1, 2, 2)
    for row in refs:
        (line,) = ax.plot(
            row["failure_m"], row["failure_curve"], "o-", ms=3, label=f"{row['name']}: exact P[GORP(1, m) fails]"
        )
        ax.axvline(row["m_reference"], color=line.get_color(), ls=":", lw=0.8)
    for p in evidence["proportions"]:
        if "value" in p and p["label"].startswith(tuple(r["name"] for r in refs)):
            row = [r for r in refs if p["label"].startswith(r["name"])][0]
            fail = 1 - p["successes"] / p["trials"]
            ax.errorbar([row["m_exact"]], [fail], yerr=[[fail - (1 - p["upper"])], [(1 - p["lower"]) - fail]],
                        fmt="k^", ms=5)
    ax.axhline(0.5, color="grey", ls="--", lw=0.8)
    finish(ax, "GORP(1, m): exact (lines), simulated (triangles), authors' bound (dotted)",
           "rollouts per action m", "failure probability", logx=False)
