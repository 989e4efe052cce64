"""Shared checks for chart tests: every btm chart is titled, labelled, footnoted, renders,
draws into a given Axes and refuses a bad one; and, for names users type, which names a figure
shows (legends included) and which drawn texts overlap (matplotlib's renderer: each drawn
text's window extent)."""

from __future__ import annotations

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Text

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


# --------------------------------------------------------------------------- names and overlaps


def legend_texts(fig) -> list[str]:
    """The entries of every legend of `fig` (the axes' and the figure's), in order."""
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    legends += [a for ax in fig.axes for a in ax.artists if isinstance(a, Legend)]
    legends = list({id(x): x for x in [*legends, *fig.legends]}.values())
    return [t.get_text() for legend in legends for t in legend.get_texts()]


def drawn_texts(fig) -> tuple[list[Text], list[Legend]]:
    """(texts, legends) as drawn: every visible, non-empty text of `fig` (titles, axis
    labels, tick labels in view, annotations, legend entries and titles, figure texts), and
    every legend (of the axes, added as artists, or of the figure), each also as one box
    (handles included)."""
    FigureCanvasAgg(fig)
    with style.house_style():
        fig.canvas.draw()
    ticks, shown = set(), set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                for label in (tick.label1, tick.label2):
                    ticks.add(id(label))
                    if (ax.axison and axis.get_visible() and tick.get_visible()
                            and low - 1e-9 <= tick.get_loc() <= high + 1e-9):
                        shown.add(id(label))
    texts, seen = [], set()
    for t in fig.findobj(Text):
        if id(t) in seen or (id(t) in ticks and id(t) not in shown):
            continue
        seen.add(id(t))
        if t.get_visible() and t.get_text().strip():
            texts.append(t)
    legends = list({id(a): a for a in fig.findobj(Legend)}.values())
    return texts, legends


def overlaps(fig) -> list[tuple[str, str]]:
    """Pairs of drawn texts whose boxes overlap (by more than half a pixel each way), and texts
    that overlap a legend they are not part of; ``[]`` when every text stands clear."""
    texts, legends = drawn_texts(fig)
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in texts]

    def overlap(a, b) -> bool:
        return (min(a.x1, b.x1) - max(a.x0, b.x0) > 0.5
                and min(a.y1, b.y1) - max(a.y0, b.y0) > 0.5)

    found = [(texts[i].get_text(), texts[j].get_text())
             for i in range(len(texts)) for j in range(i + 1, len(texts))
             if overlap(boxes[i], boxes[j])]
    for legend in legends:
        own = {id(t) for t in legend.findobj(Text)}
        box = legend.get_window_extent(renderer)
        found += [("legend", t.get_text()) for t, b in zip(texts, boxes, strict=True)
                  if id(t) not in own and overlap(box, b)]
    return found


def shown_names(fig) -> str:
    """Every drawn text of `fig`, ``$`` unescaped, joined by newlines: a name is visible when
    it (or the start of it, when cut) is in here."""
    return "\n".join(t.get_text().replace("\\$", "$") for t in drawn_texts(fig)[0])


def maths_texts(fig) -> list[str]:
    """The drawn texts of `fig` that matplotlib reads as mathematics (mathtext): parsed for
    maths and holding an even, non-zero number of unescaped ``$`` (matplotlib's own rule);
    ``[]`` when every ``$`` a user typed is drawn as a dollar sign."""
    found = []
    for t in drawn_texts(fig)[0]:
        s = t.get_text()
        dollars = s.count("$") - s.count("\\$")
        if t.get_parse_math() and dollars > 0 and dollars % 2 == 0:
            found.append(s)
    return found
