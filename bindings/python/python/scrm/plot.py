"""Optional display helpers for lifecycle results: matplotlib charts and HTML for notebooks.

Nothing here computes anything: the figures are those the engine returned. matplotlib is not
a dependency of scrm; :func:`funnel` and :func:`score_distribution` import it when called and
raise ``ImportError`` if it is not installed. :class:`FunnelView` needs nothing.

Example (in a notebook)::

    import scrm.plot
    funnel = engine.funnel("commercial", since, until)
    scrm.plot.FunnelView(funnel)          # renders as an HTML table
    scrm.plot.funnel(funnel)              # a horizontal bar chart (matplotlib)
    scrm.plot.score_distribution(engine.scores())
"""

import html as _html
from typing import Any, Mapping, Optional, Sequence

__all__ = ["FunnelView", "funnel", "funnel_html", "score_distribution"]


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("scrm.plot needs matplotlib: pip install matplotlib") from e
    return plt


def _axes(ax):
    if ax is not None:
        return ax
    _, ax = _pyplot().subplots()
    return ax


def funnel_html(funnel: Mapping[str, Sequence[Any]]) -> str:
    """An HTML table of a funnel (the dict ``Engine.funnel`` returns): one row per stage with
    its customers, how many reached it, the moves into it and the conversion to the next."""
    conversion = list(funnel["conversion"])
    rows = []
    for k, stage in enumerate(funnel["stages"]):
        rate = f"{conversion[k]:.1%}" if k < len(conversion) else ""
        cells = [_html.escape(str(stage)), funnel["customers"][k], funnel["reached"][k],
                 funnel["entered"][k], rate]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in
                   ("stage", "customers", "reached", "entered", "to next stage"))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


class FunnelView(dict):
    """A funnel dict that notebooks (Jupyter, IPython) show as an HTML table; otherwise the
    same dict: ``FunnelView(engine.funnel(...))["reached"]``."""

    def _repr_html_(self) -> str:
        return funnel_html(self)


def funnel(funnel: Mapping[str, Sequence[Any]], ax: Optional[Any] = None, *,
           measure: str = "reached"):
    """Draws a funnel as horizontal bars, lowest stage on top: ``measure`` is "reached"
    (default), "customers" or "entered"; bars are labelled with the conversion to the next
    stage. Draws on ``ax`` (a matplotlib Axes) or a new figure; returns the Axes."""
    if measure not in ("reached", "customers", "entered"):
        raise ValueError(f"measure must be reached, customers or entered, not {measure!r}")
    ax = _axes(ax)
    stages = list(funnel["stages"])
    values = list(funnel[measure])
    positions = list(range(len(stages)))
    ax.barh(positions, values)
    ax.set_yticks(positions, labels=stages)
    ax.invert_yaxis()
    ax.set_xlabel(measure)
    for k, rate in enumerate(funnel["conversion"]):
        ax.annotate(f"{rate:.0%} \u2192", (values[k], k), xytext=(4, 0),
                    textcoords="offset points", va="center")
    return ax


def score_distribution(table: Any, ax: Optional[Any] = None, *, bins: int = 20,
                       column: str = "scores"):
    """A histogram of a column of a :class:`scrm.Table` (or of a dict of lists): by default
    the engagement scores of
    ``Engine.scores()``; ``column="p_alive"`` or ``"clv"`` for ``Engine.churn_table()``.
    Draws on ``ax`` or a new figure; returns the Axes."""
    ax = _axes(ax)
    ax.hist(list(table[column]), bins=bins)
    ax.set_xlabel(column)
    ax.set_ylabel("customers")
    return ax
