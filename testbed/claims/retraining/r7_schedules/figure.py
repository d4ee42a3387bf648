"""The figure of claim R7, drawn from the verdict's evidence."""
import numpy as np

from testbed.plotting import finish

from .claim import noise_profile
from .model import SCHEDULES, schedule

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "D": "||x_1 - x*||, the initial distance",
    "eta": "eta_t, the step size at step t",
    "G2": "G2_t >= E||g_t||^2, the bound on the stochastic gradient's second moment at step t",
}


def draw(evidence, fig):
    fig.set_size_inches(12, 4)
    ax = fig.add_subplot(1, 2, 1)
    T = 200
    for kind in SCHEDULES:
        ax.plot(schedule(kind, T, 1.0, np.sqrt(1 + noise_profile(T) ** 2)), label=f"{kind} (G_t steps 1 -> 4)")
    finish(ax, "Schedules (T = 200)", "t", "eta_t", logx=False)
    ax = fig.add_subplot(1, 2, 2)
    for kind in SCHEDULES:
        us = [u for u in evidence["units"] if u["name"].startswith(kind + "/") and "varying" not in u["name"]]
        Ts = [int(u["name"].split("=")[1]) for u in us]
        last = lambda x: x[-1] if isinstance(x, list) else x  # noqa: E731
        ax.plot(Ts, [last(u["bound"]) for u in us], "--", label=f"{kind}: bound")
        ax.errorbar(Ts, [last(u["mean"]) for u in us], yerr=[last(u["mean"]) - last(u["lower"]) for u in us],
                    fmt="o", ms=3, label=f"{kind}: E f(x_T)")
    finish(ax, "Stochastic f = |x|, noise N(0, 1): E f(x_T) against Theorem 1",
           "T", "suboptimality", logx=True, logy=True)
