"""Shared checks for chart tests: every btm chart is titled, labelled, footnoted, renders,
draws into a given Axes and refuses a bad one."""

from __future__ import annotations

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from btm import InputError, style


def check_chart(draw):
    """A chart is titled, labelled, footnoted, renders, draws into a given Axes, refuses bad ax."""
    fig = draw(footnote="Source: unit test")
    ax = fig.axes[0]
    assert isinstance(fig, Figure)
    assert ax.get_title()
    assert ax.get_xlabel() and ax.get_ylabel()  # horizontal bars: the y label names the rows
    assert [t.get_text() for t in fig.texts] == ["Source: unit test"]
    FigureCanvasAgg(fig).draw()  # renders without error under Agg
    fig2, target = style.figure()
    assert draw(ax=target, title="Custom") is fig2
    assert target.get_title() == "Custom"
    with pytest.raises(InputError, match="^ax: "):
        draw(ax="not an axes")
    with pytest.raises(InputError, match="^footnote: "):
        draw(footnote=3)
