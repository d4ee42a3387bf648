"""The figure of claim D3, drawn from the verdict's evidence."""
from testbed.plotting import finish

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "R": "the reward of a correct leaf (rewards are 0 or R)",
    "rho": "the softmax temperature of pi_rho",
    "N": "N_j = N(s_j), the number of zero-valued actions at the j-th key state s_j",
    "Q": "Q_j = max_a Q^{pi_u}(s_j, a), the uniform policy's best action value at s_j",
    "p_reach": "p_reach_j = Pr(reach s_j) under pi_rho",
}


def draw(evidence, fig):
    fig.set_size_inches(12, 4)
    ax = fig.add_subplot(1, 2, 1)
    toy = evidence.get("toy")
    if toy:
        ax.plot(toy["rhos"], toy["values"], "o-", label="toy: V^{pi_rho}(root)")
        ax.plot(toy["rhos"], toy["bounds"], "x--", label="toy: Thm 3.2 bound")
    finish(ax, "ROVER toy: softmax over exact Q^{pi_u} and the Thm 3.2 bound",
           "rho", "success probability (R = 1)", logx=True)
    ax = fig.add_subplot(1, 2, 2)
    q = evidence.get("bound_gap_quantiles")
    if q:
        ax.plot(q["rhos"], q["median"], "o-", label=f"median over {q['n']} generated MDPs")
        ax.plot(q["rhos"], q["max"], "s-", label="max")
        ax.set_yscale("symlog", linthresh=1e-6)
    finish(ax, "Thm 3.2: the bound tends to R as rho -> 0", "rho", "R - bound", logx=True)
