"""The figure of claim B13, drawn from the verdict's evidence."""
import numpy as np

from testbed.plotting import finish, slope_text

from .model import (
    mussi2023_instance,
    noise_free_rewards,
)

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "T": "the horizon, the number of rounds",
    "d": "the dimension of the action u",
    "rho": "an upper bound on the spectral radius of the state matrix A, rho(A) <= rho < 1",
}


def draw(evidence, fig):
    inst = mussi2023_instance()
    curves = evidence.get("rate_curves", [])
    ax = fig.add_subplot(1, 2 if curves else 1, 1)
    fig.set_size_inches(12 if curves else 6.5, 4)
    constant = noise_free_rewards(inst["A"], inst["B"], inst["omega"], inst["theta"],
                                  np.tile(evidence["u_star"], (30, 1)))
    alternating = noise_free_rewards(inst["A"], inst["B"], inst["omega"], inst["theta"],
                                     [[1, 0.5, 0] if t % 2 else [0.5, 1, 0] for t in range(30)])
    ax.plot(constant, "o-", label="constant u* = (1, 1/2, 0)")
    ax.plot(alternating, "x-", label="alternating (1, 1/2, 0) / (1/2, 1, 0)")
    ax.axhline(evidence["J_star"], color="black", ls="--", label=f"J* = <h, u*> = {evidence['J_star']:.4f}")
    finish(ax, f"authors' instance: h = ({', '.join(evidence['h_exact'])})", "round t", "noise-free reward", logx=False)
    if curves:
        ax = fig.add_subplot(1, 2, 2)
        for c in curves:
            ax.plot(
                c["T"],
                c["mean"],
                "o-",
                label=f"{c['name']}: {slope_text(evidence['slopes'], 'blocked OFUL/' + c['name'])}",
            )
        T = np.array(curves[0]["T"])
        ax.plot(T, np.sqrt(T), "k--", label="sqrt(T)")
        finish(ax, "blocked OFUL regret (claimed O~(sqrt T); slope < 3/4)", "T", "E[R(T)]", logy=True)
