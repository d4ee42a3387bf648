"""The figure of claim S4: UCBVI's mean cumulative pseudo-regret against K, with its (vacuous) bound and K V*."""
from testbed.plotting import finish, sqrt_rate_panel

_BONUS = {"ch": "UCBVI-CH (Chernoff-Hoeffding bonus)", "bf": "UCBVI-BF (Bernstein-Freedman bonus)"}


# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "A": "the number of actions",
    "S": "the number of states",
    "H": "the episode length",
    "K": "the number of episodes",
    "delta": "the failure probability",
}


def legend_label(unit: str) -> str:
    """A unit name of the evidence ("ch/H2/events": bonus, horizon H = 2, the run that checks the optimism and
    bound events) in words."""
    bonus, horizon, *rest = unit.split("/")
    text = f"{_BONUS.get(bonus, bonus)}, H = {horizon.lstrip('H')}"
    return text + (", events run (optimism, bound)" if "events" in rest else "") + (
        ", the searched worst-case instance" if "worst_case" in rest else "") + (
        ", one gap of 1 (the CH rate's instance)" if "gap" in rest else "")


def draw(evidence, fig):
    fig.set_size_inches(10, 5.2)
    family = evidence.get("family_curve")
    if family:
        fig.set_size_inches(14, 5.2)
    grid = fig.add_gridspec(2, 3 if family else 2, height_ratios=(4, 1))
    ax1, ax2, key = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1]), fig.add_subplot(grid[1, :])
    if family:
        sqrt_rate_panel(fig.add_subplot(grid[0, 2]), family["K"], family["mean"],
                        "UCBVI-BF on the hard family (gap 1 / sqrt(K), H = 2)", "episodes K (each K its own MDP)")
    for c in evidence["curves"]:
        line, = ax1.loglog(c["K"], c["mean"], "o-", ms=3, label=legend_label(c["unit"]))
        ax2.loglog(c["K"], c["mean"], "o-", ms=3, color=line.get_color(), label=legend_label(c["unit"]))
        ax2.loglog(c["K"], c["bound"], "--", color=line.get_color())
        ax2.loglog(c["K"], c["trivial"], ":", color=line.get_color())
    finish(ax1, "mean pseudo-regret after K episodes", "episodes K", "regret", logx=False, legend=False)
    finish(ax2, "against Thm 1/2 (dashed) and K V* (dotted): vacuous", "episodes K", "regret", logx=False,
           legend=False)
    # six units: one legend in a strip of its own under both panels, where it hides no curve
    key.axis("off")
    key.legend(*ax1.get_legend_handles_labels(), fontsize=7, ncol=2, loc="center", frameon=False)
