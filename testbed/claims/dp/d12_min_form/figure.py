"""The figure of claim D12, drawn from the verdict's evidence."""
import numpy as np

from testbed.plotting import finish

from .model import argmin_zeroed_values, min_form_values

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "epsilon": "epsilon >= ||rhat - r||_inf, the bound on the reward error",
}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    r = np.array([0.6, 0.2, 0.8, 0.25, 0.9])
    eps = 0.1
    r_hat = r.copy()
    r_hat[3] -= eps
    t = np.arange(r.size)
    ax.plot(t, min_form_values(r), "o-", label="min form, r")
    ax.plot(t, min_form_values(r_hat), "o--", label="min form, r_hat (moves <= eps)")
    ax.plot(t, argmin_zeroed_values(r), "s-", label="argmin-zeroed, r")
    ax.plot(t, argmin_zeroed_values(r_hat), "s--", label="argmin-zeroed, r_hat (jumps)")
    finish(ax, f"Perturbation of size eps = {eps} that moves the argmin", "step t", "V_t", logx=False)
