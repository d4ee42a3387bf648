"""The figure of claim B4, drawn from the verdict's evidence."""
import numpy as np

from testbed.plotting import finish, legend_name, slope_text

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "K": "the number of arms",
    "T": "the horizon, the number of pulls",
}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4.2)
    fitted = evidence["slopes"] + [dict(r, label=r["label"].split(" on the ")[0] + " (" + r["label"].split(
        " on the ")[1].split("-gap")[0] + " gap)") for r in evidence.get("reported", [])]
    for p in evidence["points"]:
        ax.plot(p["T"], p["mean"], "o-", label=f"{legend_name(p['algorithm'])}: {slope_text(fitted, p['algorithm'])}")
    T = np.array(evidence["points"][0]["T"])
    K = evidence["K"]
    ax.plot(T, T ** (2 / 3) * (K * np.log(T)) ** (1 / 3), "k--", label="T^(2/3) (K ln T)^(1/3)")
    finish(ax, "constant gaps (decided: slope below 5/6?) and the catalogue's shrinking gaps", "T", "E[R(T)]",
           logy=True)
