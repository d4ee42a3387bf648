"""The figure of claim S3: the error of Q-learning against T (kernel and closed form), and the iterations to reach
error 1 against 1/(1 - gamma) under both learning rates."""
import numpy as np

from testbed.plotting import finish

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "T": "the number of Q-learning iterations",
    "V_star": "the optimal value V* = 1/(1 - gamma)",
    "gamma": "the discount factor",
}


def draw(evidence, fig):
    fig.set_size_inches(10, 4)
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    for row in evidence["rows"]:
        line, = ax1.loglog(row["T"], row["err_one_over_t"], lw=1.2, label=f"1/t, gamma={row['gamma']}")
        ax1.loglog(row["T"], row["closed_one_over_t"], ls=":", color="black", lw=0.8)
        ax1.loglog(row["T"], row["err_rescaled"], ls="--", color=line.get_color(), lw=0.8)
    finish(ax1, "V* - Q_T: 1/t (solid, closed form dotted), rescaled (dashed)", "iteration T", "error",
           logx=False)
    x = np.array([1 / (1 - r["gamma"]) for r in evidence["rows"]])
    ax2.semilogy(x, [r["iterations_one_over_t"] for r in evidence["rows"]], "o-", label="eta_t = 1/t (exact)")
    ax2.semilogy(x, [r["iterations_asymptotic"] for r in evidence["rows"]], "k:", label="asymptotic formula")
    ax2.semilogy(x, [r["iterations_rescaled"] for r in evidence["rows"]], "s-", label="eta_t = 1/(1+(1-gamma)t)")
    finish(ax2, "iterations to error 1", "1/(1 - gamma)", "T_eps", logx=False)
