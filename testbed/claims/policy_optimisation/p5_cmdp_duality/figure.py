"""The figure of claim P5: the last iterate's cycle and the average's convergence."""
import numpy as np

from testbed.plotting import finish

SYMBOLS: dict[str, str] = {}


def draw(evidence, fig):
    fig.set_size_inches(10, 4)
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    t = np.array(evidence["t"])
    ax1.plot(t, evidence["last_vc"], label="last iterate V_c")
    ax1.axhline(evidence["budget"], color="black", linestyle="--", label="budget b")
    finish(ax1, "Primal-dual: the last iterate keeps oscillating", "iteration t", "V_c(pi_t)", logx=True)
    ax2.plot(t, evidence["avg_error"], label="averaged occupancy, longest run: |V_r - V*| + (V_c - b)+")
    ax2.plot(evidence["run_lengths"], evidence["final_errors"], "o", color="tab:red",
             label="final error of each run (steps 1/sqrt(T))")
    ax2.plot(t, evidence["avg_error"][0] * t ** -0.5, "--", color="black", label="1/sqrt(t) reference")
    finish(ax2, f"The average converges: final error vs T, slope {evidence['avg_slope']:.2f}", "iteration t / run "
           "length T", "error", logx=True, logy=True)
