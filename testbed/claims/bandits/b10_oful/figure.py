"""The figure of claim B10, drawn from the verdict's evidence."""
from testbed.plotting import finish

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "L": "the bound on every action's Euclidean norm, ||a|| <= L",
    "T": "the number of rounds",
    "d": "the dimension of the actions and of theta*",
    "delta": "the failure probability",
    "lambda": "the ridge regularisation, V_0 = lambda I",
    "m_2": "m_2 >= ||theta*||_2, the known bound on the parameter's norm",
}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4.2)
    rows = evidence["rows"]
    for name in dict.fromkeys(r["instance"] for r in rows):
        rs = [r for r in rows if r["instance"] == name]
        T = [r["T"] for r in rs]
        line, = ax.plot(T, [r["mean_regret"] for r in rs], "o-", label=f"{name}: mean regret")
        ax.plot(T, [r["max_regret"] for r in rs], "x:", color=line.get_color(), label=f"{name}: max regret")
        ax.plot(T, [r["bound"] for r in rs], "--", color=line.get_color(), label=f"{name}: Thm 19.2 bound")
    finish(ax, "OFUL regret against the high-probability bound", "T", "R(T)", logy=True)
