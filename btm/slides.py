"""The board pack as a PowerPoint deck (python-pptx): the PDF's content, editable.

:func:`write_pptx` writes a 16:9 deck: a cover, contents, per section a summary slide (key
numbers and key messages as text), one slide per figure (numbered title, the key message as a
text box, the figure as a picture, caption and an assumptions footnote) and appendix tables as
PowerPoint tables. Every title is a real title placeholder, so it can be edited and appears in
the outline; every slide names its run in the footer line, and its speaker notes carry the
provenance (run id, parameters, input SHA-256, versions, and the ``btm verify`` command).
"""

from __future__ import annotations

import datetime as _dt
import textwrap
from pathlib import Path
from typing import Any

import btm
from btm import boardpack as _bp
from btm import runs as _runs

__all__ = ["write_pptx", "SLIDE_SIZE_IN"]

#: Slide width and height in inches (16:9).
SLIDE_SIZE_IN = (13.333, 7.5)
_INK, _MUTED, _ACCENT, _ALERT = "222222", "555555", "0072B2", "D55E00"


def _rgb(hex_colour: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour)


def _title(slide: Any, text: str, size: int = 28) -> None:
    from pptx.util import Inches, Pt

    shape = slide.shapes.title
    shape.left, shape.top = Inches(0.5), Inches(0.3)
    shape.width, shape.height = Inches(SLIDE_SIZE_IN[0] - 1.0), Inches(0.8)
    shape.text = text
    tf = shape.text_frame
    tf.word_wrap = True
    for para in tf.paragraphs:
        para.alignment = 1  # left
        for run in para.runs:
            run.font.size = Pt(size)
            run.font.bold = True
            run.font.color.rgb = _rgb(_INK)


def _text(slide: Any, left: float, top: float, width: float, height: float, text: str, *,
          size: float = 14, bold: bool = False, colour: str = _INK,
          bullets: list[str] | None = None) -> Any:
    from pptx.util import Inches, Pt

    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    tf = box.text_frame
    tf.word_wrap = True
    items = bullets if bullets is not None else [text]
    for i, item in enumerate(items):
        para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        run = para.add_run()
        run.text = ("•  " + item) if bullets is not None else item
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = _rgb(colour)
        if bullets is not None:
            para.space_after = Pt(8)
    return box


_FOOTER_TOP = 0.45  # inches above the slide's bottom edge where the footer line starts
_FOOTNOTE_SIZE = 8.0  # points


def _footer(slide: Any, text: str, n: int, total: int) -> None:
    w, h = SLIDE_SIZE_IN
    _text(slide, 0.5, h - _FOOTER_TOP, w - 2.5, 0.3, text, size=9, colour=_MUTED)
    box = _text(slide, w - 2.0, h - _FOOTER_TOP, 1.5, 0.3, f"{n} / {total}", size=9,
                colour=_MUTED)
    box.text_frame.paragraphs[0].alignment = 3  # right


def _notes(slide: Any, lines: list[str]) -> None:
    slide.notes_slide.notes_text_frame.text = "\n".join(lines)


def _lines_height(n: int, size: float, min_height: float = 0.3) -> float:
    """Inches a text box of `n` lines at `size` points takes (at least `min_height`)."""
    return max(min_height, n * size * 1.2 / 72 + 0.1)  # single spacing, + the box's insets


def _lines(slide: Any, left: float, top: float, width: float, lines: list[str], *,
           size: float, colour: str = _MUTED, min_height: float = 0.3) -> float:
    """A text box of `lines`, one paragraph each (the PDF's wrapping, so the box holds as
    many lines as it is given); return its bottom, where whatever stands below may start."""
    from pptx.util import Pt

    height = _lines_height(len(lines), size, min_height)
    box = _text(slide, left, top, width, height, lines[0] if lines else "", size=size,
                colour=colour)
    for line in lines[1:]:
        run = box.text_frame.add_paragraph().add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.color.rgb = _rgb(colour)
    return top + height


def _footnote(slide: Any, s: _bp.Section) -> float:
    """The assumptions footnote (:func:`btm.boardpack.footnote_lines`, all its lines) ending
    just above the footer line; return its top, where whatever stands above it must end."""
    lines = _bp.footnote_lines(s)
    top = SLIDE_SIZE_IN[1] - _FOOTER_TOP - _lines_height(len(lines), _FOOTNOTE_SIZE)
    _lines(slide, 0.5, top, SLIDE_SIZE_IN[0] - 1, lines, size=_FOOTNOTE_SIZE)
    return top


def _lines_needed(text: str, width_in: float, size_pt: float) -> int:
    chars = max(int(width_in * 72 / (0.5 * size_pt)), 10)
    return max(1, len(textwrap.wrap(text, chars)))


def _picture(slide: Any, png: str, left: float, top: float, width: float, height: float,
             alt: str) -> None:
    """Place `png`, scaled to fit and centred, with `alt` as its alternative text (what a
    screen reader and PowerPoint's accessibility check read)."""
    import matplotlib.image as mpimg
    from pptx.util import Inches

    img = mpimg.imread(png)
    h, w = img.shape[:2]
    scale = min(width / w, height / h)
    pw, ph = w * scale, h * scale
    pic = slide.shapes.add_picture(png, Inches(left + (width - pw) / 2), Inches(top),
                                   Inches(pw), Inches(ph))
    pic._element.nvPicPr.cNvPr.set("descr", alt)  # python-pptx has no public setter


def write_pptx(path: Path, sections: list[_bp.Section], pack_id: str,
               created: _dt.datetime) -> int:
    """Write the deck; return the number of slides."""
    from pptx import Presentation
    from pptx.util import Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_SIZE_IN[0]), Inches(SLIDE_SIZE_IN[1])
    title_only = prs.slide_layouts[5]
    w, h = SLIDE_SIZE_IN
    version = f"btm {btm.__version__}"
    pages: list[tuple[Any, str]] = []

    slide = prs.slides.add_slide(title_only)
    _title(slide, _bp.PACK_TITLE, size=36)
    slide.shapes.title.top = Inches(2.2)
    _text(slide, 0.5, 3.1, w - 1, 0.5, f"{created:%d %B %Y} · board pack {pack_id}", size=16,
          colour=_MUTED)
    _text(slide, 0.5, 3.9, w - 1, 3, "", size=14,
          bullets=[s.heading + ("" if s.run.succeeded else "  (did not complete)")
                   for s in sections][:12])
    _notes(slide, [f"Board pack {pack_id}, built {created:%Y-%m-%d %H:%M} UTC with {version}.",
                   "Each slide's notes name the run its numbers come from."])
    pages.append((slide, f"{version} · board pack {pack_id}"))

    slide = prs.slides.add_slide(title_only)
    _title(slide, "Contents")
    entries = []
    for s in sections:
        entries.append(s.heading)
        entries.extend(f"    Figure {_bp.figure_number(s, e)}  {e.get('title') or e['name']}"
                       for e in s.figures)
    size = 14 if len(entries) <= 14 else max(8, int(14 * 14 / len(entries)))
    box = _text(slide, 0.7, 1.3, w - 1.4, h - 2.0, "", size=size, bullets=entries)
    for para in box.text_frame.paragraphs:
        para.space_after = Pt(2)
    _notes(slide, [f"Board pack {pack_id}."])
    pages.append((slide, f"{version} · board pack {pack_id}"))

    for s in sections:
        footer = f"{version} · {s.analysis} · run {s.run.run_id}"
        notes = _bp.provenance(s)
        slide = prs.slides.add_slide(title_only)
        _title(slide, s.heading)
        # the PDF's lines under the heading: the run and its parameters; the rest moves down
        below = _lines(slide, 0.5, 1.1, w - 1, _bp.run_lines(s), size=10, min_height=0.4) - 1.5
        if not s.run.succeeded:
            _text(slide, 0.5, 1.8 + below, w - 1, 0.6, "This analysis did not run to the end.",
                  size=24, bold=True, colour=_ALERT)
            _text(slide, 0.5, 2.6 + below, w - 1, 2, _runs.describe_error(s.run.error), size=14)
        elif s.results:
            numbers = list(s.results.get("key_numbers", {}).values())[:8]
            per_row = min(4, max(len(numbers), 1))
            bw = (w - 1 - (per_row - 1) * 0.2) / per_row
            for i, num in enumerate(numbers):
                row, col = divmod(i, per_row)
                x, y = 0.5 + col * (bw + 0.2), 1.6 + below + row * 1.45
                value = _bp.format_key_number(num)
                vs = min(26, int(bw * 72 / (0.62 * max(len(value), 1))))
                shape = _text(slide, x, y, bw, 0.6, value, size=vs, bold=True, colour=_ACCENT)
                shape.fill.solid()
                shape.fill.fore_color.rgb = _rgb("F3F6F9")
                _text(slide, x, y + 0.6, bw, 0.75, str(num.get("label", "")), size=11)
            rows = -(-len(numbers) // per_row) if numbers else 0
            top = 1.6 + below + rows * 1.45 + 0.1
            messages = [str(m) for m in s.results.get("key_messages", [])]
            if messages:
                room = h - 0.6 - top
                size = 16
                while size > 9 and sum(_lines_needed(m, w - 1.3, size) for m in messages) * (
                        size * 1.25 / 72) + len(messages) * 8 / 72 > room:
                    size -= 1
                _text(slide, 0.5, top, w - 1, room, "", size=size, bullets=messages)
        _notes(slide, notes)
        pages.append((slide, footer))

        for e in s.figures:
            slide = prs.slides.add_slide(title_only)
            _title(slide, f"Figure {_bp.figure_number(s, e)}  {e.get('title') or e['name']}",
                   size=26)
            message = _bp.figure_message(s, e)
            size = 16 if _lines_needed(message, w - 1, 16) <= 2 else 13
            lines = _lines_needed(message, w - 1, size)
            _text(slide, 0.5, 1.1, w - 1, 0.3 + lines * size * 1.25 / 72, message, size=size,
                  bold=True)
            top = 1.25 + lines * size * 1.25 / 72 + 0.15
            above = _footnote(slide, s)  # the caption and the figure stand above it
            _picture(slide, e["png_path"], 0.5, top, w - 1, above - 0.4 - top,
                     alt=f"{e.get('title') or e['name']}. {e.get('caption') or ''}".strip())
            if e.get("caption"):
                _text(slide, 0.5, above - 0.35, w - 1, 0.3, str(e["caption"]), size=11)
            _notes(slide, [f"Figure {_bp.figure_number(s, e)}: {e.get('title') or e['name']}. "
                           f"{e.get('caption') or ''}".strip(), *notes])
            pages.append((slide, footer))

        for t in _bp.appendix_tables(s, max_rows=10, max_cols=7, max_chars=17):
            slide = prs.slides.add_slide(title_only)
            _title(slide, f"Appendix: {t['name']}", size=24)
            _text(slide, 0.5, 1.05, w - 1, 0.4, s.heading, size=11, colour=_MUTED)
            n_rows, n_cols = len(t["rows"]) + 1, len(t["header"])
            if n_cols:
                height = min(0.34 * n_rows, h - 2.9)
                shape = slide.shapes.add_table(n_rows, n_cols, Inches(0.5), Inches(1.5),
                                               Inches(w - 1), Inches(height))
                table = shape.table
                for j, name in enumerate(t["header"]):
                    table.cell(0, j).text = name
                for i, row in enumerate(t["rows"], start=1):
                    for j, v in enumerate(row):
                        table.cell(i, j).text = v
                for i in range(n_rows):
                    for j in range(n_cols):
                        for para in table.cell(i, j).text_frame.paragraphs:
                            for run in para.runs:
                                run.font.size = Pt(10)
            _text(slide, 0.5, _footnote(slide, s) - 0.35, w - 1, 0.3, t["note"], size=10,
                  colour=_MUTED)
            _notes(slide, [f"Appendix table {t['name']}.", *notes])
            pages.append((slide, footer))

    for n, (slide, footer) in enumerate(pages, start=1):
        _footer(slide, footer, n, len(pages))
    prs.core_properties.title = _bp.PACK_TITLE
    prs.core_properties.author = version
    prs.save(str(path))
    return len(pages)
