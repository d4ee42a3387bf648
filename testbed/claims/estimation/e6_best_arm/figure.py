"""The figure of claim E6: Track-and-Stop's E[tau] / log(1/delta) against log(1/delta), with T*, the lower bound
T* kl(delta, 1 - delta) / log(1/delta) and uniform allocation's characteristic time."""
import numpy as np

from testbed.plotting import finish

SYMBOLS = {"T_star": "T*(mu), the characteristic time of mu = (1, 0.8, 0.5, 0.2)",
           "a": "the finite-delta allowance declared with the claim (0.25)"}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    tas = evidence["track_and_stop"]
    x = np.array(tas["log_inv_delta"])
    m, se = np.array(tas["mean_tau"]), np.array(tas["se_tau"])
    ax.errorbar(x, m / x, yerr=2 * se / x, fmt="o-", capsize=3,
                label=f"Track-and-Stop, E[tau] / log(1/delta) ({tas['runs']} runs, 2 s.e.)")
    ax.plot(x, np.array(tas["lower_bound"]) / x, "s--", color="tab:gray",
            label="lower bound T* kl(delta, 1 - delta) / log(1/delta)")
    ax.axhline(evidence["T_star"], color="black", linestyle="--", label=f"T* = {evidence['T_star']:.1f}")
    ax.axhline(evidence["T_uniform"], color="tab:red", linestyle=":", label=f"uniform: {evidence['T_uniform']:.1f}")
    finish(ax, "mu = (1, 0.8, 0.5, 0.2), sigma = 1; threshold log((K-1) t^3 / delta)", "log(1/delta)",
           "E[tau] / log(1/delta)", logx=False)
