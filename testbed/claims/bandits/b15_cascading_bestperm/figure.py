"""The figure of claim B15, drawn from the verdict's evidence."""

from testbed.plotting import finish

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "q": "q_i, the click probability of the list's i-th item",
    "w": "w_i, the value of a click on the i-th item",
    "w_bot": "the value when no item of the list is clicked",
}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6, 3.6)
    hist = evidence["items_histogram"]
    ax.bar(range(len(hist)), hist)
    ex = evidence["fixed_list_counterexample"]
    if ex:
        finish(
            ax,
            f"instances checked against brute force, by number of items\nfixed-list counterexample: "
            f"q={ex['q']}, w={ex['w']}, w_bot={ex['w_bot']}, list={ex['list']}: raising q[{ex['raised_item']}]"
            f" lowers f from {ex['value_before']:.3g} to {ex['value_after']:.3g}",
            "",
            "",
            logx=False,
            legend=False,
        )
    finish(ax, "", "number of items N", "instances", logx=False, legend=False)
