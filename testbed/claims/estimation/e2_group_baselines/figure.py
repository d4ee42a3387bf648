"""The figure of claim E2: the std-normalised estimator's factor w_N(p) against the success probability p."""
from testbed.plotting import finish

SYMBOLS = {"N": "the number of samples in a group"}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    for k, w in evidence["weights"].items():
        ax.plot(evidence["p"], w, label=f"std-normalised, {k}")
    ax.axhline(1.0, color="black", linestyle="--", label="RLOO (unbiased)")
    finish(ax, "E g = w_N(p) grad J: prompts reweighted by difficulty", "success probability p", "w_N(p)", logx=False)
