"""The figure of claim D10, drawn from the verdict's evidence."""
from testbed.plotting import finish

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "L": "the Lipschitz constant of V*_Phat in the state metric",
    "W_1": "max over (s, a) of W_1(P(.|s, a), Phat(.|s, a)), the model's largest Wasserstein-1 error",
    "gamma": "the discount factor",
}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    ax.hist(evidence["ratio_one_step"], bins=30, alpha=0.6, label="one step: lhs / (gamma L_V W_1)")
    ax.hist(evidence["ratio_value"], bins=30, alpha=0.6, label="values: ||V*_P - V*_Phat|| / bound")
    ax.axvline(1.0, color="black", ls="--", label="bound")
    finish(ax, "Model-error bounds on generated chains: all ratios <= 1", "ratio to the bound", "count", logx=False)
