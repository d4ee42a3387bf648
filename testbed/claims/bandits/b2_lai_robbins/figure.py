"""The figure of claim B2, drawn from the verdict's evidence."""
from testbed.plotting import finish, grid_axes, legend_name

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "mu": "mu_i, the mean of the i-th suboptimal Bernoulli arm",
    "mu_star": "mu*, the best arm's mean",
}


def draw(evidence, fig):
    curves = evidence["curves"]
    instances = list(dict.fromkeys(c["instance"] for c in curves))
    for ax, name in zip(grid_axes(fig, len(instances), ncols=2), instances, strict=True):
        C = None
        for c in (c for c in curves if c["instance"] == name):
            line, = ax.plot(c["T"], c["ratio"], label=legend_name(c["algorithm"]))
            ax.fill_between(c["T"], c["lower"], c["upper"], alpha=0.25, color=line.get_color(), linewidth=0)
            C = c["C"]
        ax.axhline(C, color="black", ls="--", label=f"C(mu) = {C:.3f}")
        finish(ax, f"{name}: R(T) / ln T", "T", "R(T) / ln T")
