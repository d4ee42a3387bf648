def draw(evidence, fig):
    fig.add_subplot(1, 1, 1)
