"""One module of plots per measure, in seaborn's shape: ``plot_x(data, *, ..., ax=None) -> Axes``."""
