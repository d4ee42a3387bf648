"""The figure of claim E5: variance of DR relative to IPS, by reward model."""
from testbed.plotting import finish

SYMBOLS: dict[str, str] = {}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    names = ["DR, q = true mean reward", "DR, q random"]
    vals = [evidence["variance_ratio_dr_true_over_ips"], evidence["variance_ratio_dr_random_over_ips"]]
    ax.bar(names, vals, label="median Var[DR] / Var[IPS]")
    ax.axhline(1.0, color="black", linestyle="--", label="IPS")
    finish(ax, "Both are unbiased; the variance depends on the model", "", "Var ratio", logx=False)
