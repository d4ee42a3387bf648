"""The figure of claim E4: the computed indices against the published table values."""
from testbed.plotting import finish

SYMBOLS: dict[str, str] = {}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    t = evidence["table"]
    labels = [f"B({x['a']},{x['b']}) g={x['g']}" for x in t]
    ax.plot(range(len(t)), [x["published"] for x in t], "s", ms=9, mfc="none", label="published (4 decimals)")
    ax.plot(range(len(t)), [x["lower"] for x in t], "o", ms=4, label="calibration DP (lower truncation)")
    ax.set_xticks(range(len(t)))
    ax.set_xticklabels(labels, fontsize=7)
    ax.axhline(0.6, color="grey", linestyle=":", label="a known arm of mean 0.6")
    finish(ax, "Gittins indices of Beta posteriors", "posterior, discount", "index", logx=False)
