"""Tests of btm.boardpack: PDF pages, HTML links, manifest, failed analyses, CLI exit codes."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

from btm import InputError, boardpack
from btm.cli import main

HERE = Path(__file__).parent
NOTEBOOKS = HERE / "notebooks"


def _pdf_pages(path: Path) -> int:
    """Count page objects in the PDF: pypdf when installed, else ``/Type /Page`` entries."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", path.read_bytes()))
    return len(PdfReader(path).pages)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if a.get(key):
                self.refs.append(a[key])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One board pack with a successful (tiny) and a failed (failing) analysis."""
    reports = tmp_path_factory.mktemp("reports")
    folder = boardpack.build(["tiny", "failing"], reports_dir=reports, notebooks=NOTEBOOKS,
                             parameters={"horizon_years": 4})
    return reports, folder


def test_boardpack_folder_and_pdf_page_count(built):
    """cover + contents + tiny (summary + 2 figures + 1 appendix table) + failing (1 page)
    = 7 pages."""
    reports, folder = built
    assert folder.parent == reports.resolve() / "boardpack"
    assert {"boardpack.pdf", "boardpack.pptx", "index.html", "manifest.json", "figures"} <= {
        p.name for p in folder.iterdir()}
    pdf = folder / "boardpack.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert _pdf_pages(pdf) == 7
    # A4 landscape media box: 841.68 x 595.44 points (11.69 x 8.27 inches at 72 points).
    assert re.search(rb"/MediaBox \[ ?0 0 841\.68 595\.44 ?\]", pdf.read_bytes())


def test_boardpack_manifest_lists_runs_and_failure(built):
    reports, folder = built
    m = json.loads((folder / "manifest.json").read_text())
    assert m["status"] == "incomplete" and m["failed"] == ["failing"]
    assert m["pages"] == 7
    assert [(r["analysis"], r["status"]) for r in m["runs"]] == [
        ("tiny", "succeeded"), ("failing", "failed")]
    tiny = m["runs"][0]
    assert Path(tiny["path"]).parent == reports.resolve() / "tiny"
    assert tiny["figures"] == ["present_value", "cumulative_cost"]
    run_manifest = json.loads((Path(tiny["path"]) / "manifest.json").read_text())
    assert run_manifest["parameters"]["horizon_years"] == 4  # -p applied to tiny only
    failed = json.loads((Path(m["runs"][1]["path"]) / "manifest.json").read_text())
    assert "horizon_years" not in failed["parameters"]


def test_boardpack_html_links_resolve(built):
    _, folder = built
    page = _Links()
    page.feed((folder / "index.html").read_text(encoding="utf-8"))
    assert len([r for r in page.refs if r.endswith(".png")]) == 2
    assert "#tiny" in page.refs and "#failing" in page.refs
    for ref in page.refs:
        parsed = urlparse(ref)
        assert not parsed.scheme, ref  # nothing external
        if ref.startswith("#"):
            assert ref[1:] in page.ids, ref
        else:
            assert (folder / parsed.path).resolve().is_file(), ref
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert "Technology decisions — board pack" in html
    assert "did not run to the end" in html and "ZeroDivisionError" in html
    assert "cloud has the lowest present value over 4 years." in html


def test_boardpack_from_existing_runs_defaults_to_boardpack_analyses(built):
    """run=False takes the latest runs; default selection is the notebooks marked boardpack."""
    reports, first = built
    folder = boardpack.build(reports_dir=reports, notebooks=NOTEBOOKS, run=False)
    assert folder != first
    m = json.loads((folder / "manifest.json").read_text())
    assert m["status"] == "complete" and [r["analysis"] for r in m["runs"]] == ["tiny"]
    assert _pdf_pages(folder / "boardpack.pdf") == 6
    assert json.loads((first / "manifest.json").read_text())["pages"] == 7  # untouched


def test_cli_boardpack_exit_codes(built, capsys):
    reports, _ = built
    common = ["--reports-dir", str(reports), "--notebooks", str(NOTEBOOKS), "--no-run"]
    assert main(["boardpack", *common, "--analyses", "tiny,failing"]) == 1
    out, err = capsys.readouterr()
    assert out.strip().endswith("boardpack.pdf") and Path(out.strip()).is_file()
    assert "board pack incomplete: failing failed" in err
    # one line per analysis as it is taken, in order, so a batch log shows the pack advancing
    lines = [ln for ln in err.splitlines() if ln.startswith("btm: [")]
    assert [ln.split(":")[1].strip() for ln in lines] == ["[1/2] tiny", "[2/2] failing"]
    assert ": succeeded in " in lines[0] and ": failed in " in lines[1]
    assert main(["boardpack", *common, "-p", "discount_rat", "0.1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("btm: error: discount_rat: not a parameter of any analysis")


def test_on_run_that_is_not_a_function_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match=r"^on_run: got str; expected a function"):
        boardpack.build(reports_dir=tmp_path, run=False, on_run="print")


def test_no_existing_run_and_bad_selection_are_input_errors(tmp_path, monkeypatch):
    import papermill

    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: pytest.fail("ran"))
    with pytest.raises(InputError, match=r"^tiny: no run folder in .*; expected a run"):
        boardpack.build(["tiny"], reports_dir=tmp_path, run=False, notebooks=NOTEBOOKS)
    with pytest.raises(InputError, match=r"^analysis: got 'nope'"):
        boardpack.build("tiny,nope", reports_dir=tmp_path, notebooks=NOTEBOOKS)
    with pytest.raises(InputError, match=r"^horizon_years: got 'x'"):
        boardpack.build(["tiny"], reports_dir=tmp_path, notebooks=NOTEBOOKS,
                        parameters={"horizon_years": "x"})
    with pytest.raises(InputError, match="no analysis in .* is marked for the board pack"):
        boardpack.build(reports_dir=tmp_path, notebooks=tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("number", "text"),
    [
        ({"value": 1_234_567, "unit": "EUR"}, "EUR 1.2M"),
        ({"value": -40_000, "unit": "USD"}, "-USD 40k"),
        ({"value": 0.075, "unit": "%"}, "7.5%"),
        ({"value": 12_500, "unit": "units"}, "12.5k units"),
        ({"value": 3, "unit": "years"}, "3 years"),
        ({"value": 1, "unit": "years"}, "1 year"),
        ({"value": 1, "unit": "activities"}, "1 activity"),
        ({"value": 1.0, "unit": "SKUs"}, "1 SKU"),
        ({"value": 1, "unit": "risk"}, "1 risk"),
        ({"value": 1.0, "unit": "rating points"}, "1 rating point"),
        ({"value": 2, "unit": "rating points"}, "2 rating points"),
        ({"value": 1, "unit": "EUR per user"}, "1 EUR per user"),
        ({"value": 1, "unit": "metrics (of 16)"}, "1 metrics (of 16)"),
        ({"value": 99.7, "unit": "percentile"}, "99th percentile"),
        ({"value": 0, "unit": "activities"}, "0 activities"),
        ({"value": 1.5, "unit": "weeks"}, "1.5 weeks"),
        ({"value": 2.25, "unit": ""}, "2.25"),
        ({"value": 123.456, "unit": "hours"}, "123 hours"),
        ({"value": 0.0123, "unit": ""}, "0.0123"),
        ({"value": None, "unit": "EUR"}, "n/a"),
    ],
)
def test_format_key_number(number, text):
    assert boardpack.format_key_number(number) == text


def test_parameters_qualified_per_analysis_and_ambiguous_names_refused(tmp_path):
    """``-p tco_comparison.horizon_years 5`` reaches that analysis only; a bare name two
    analyses declare is refused with the qualified names."""
    from btm import analyses

    chosen = [analyses.get_analysis(n) for n in ("tco_comparison", "demand_forecast_jit")]
    split = boardpack.split_parameters(chosen, {"tco_comparison.horizon_years": 5,
                                                "service_level": 0.9})
    assert split == {"tco_comparison": {"horizon_years": 5},
                     "demand_forecast_jit": {"service_level": 0.9}}
    with pytest.raises(InputError, match=r"^currency: a parameter of several analyses .*"
                       r"tco_comparison\.currency, demand_forecast_jit\.currency"):
        boardpack.split_parameters(chosen, {"currency": "USD"})
    with pytest.raises(InputError, match=r"^tco_comparison\.service_level: not a parameter of "
                       r"tco_comparison"):
        boardpack.split_parameters(chosen, {"tco_comparison.service_level": 0.9})
    with pytest.raises(InputError, match=r"^nope\.x: 'nope' is not an analysis"):
        boardpack.split_parameters(chosen, {"nope.x": 1})
    code = main(["boardpack", "--reports-dir", str(tmp_path), "-p", "currency", "USD"])
    assert code == 2 and not (tmp_path / "boardpack").exists()


def test_pptx_has_editable_titles_text_messages_and_provenance_notes(built):
    """The deck: same sections as the PDF; titles are title placeholders (editable, in the
    outline), the key message is text (not only in a picture), speaker notes name the run,
    its parameters and its inputs' SHA-256."""
    from pptx import Presentation
    from pptx.util import Emu

    _, folder = built
    m = json.loads((folder / "manifest.json").read_text())
    tiny = m["runs"][0]
    run_manifest = json.loads((Path(tiny["path"]) / "manifest.json").read_text())
    deck = Presentation(str(folder / "boardpack.pptx"))
    slides = list(deck.slides)
    assert len(slides) == 7  # as many slides as PDF pages
    titles = [s.shapes.title.text for s in slides]
    assert titles[:3] == [boardpack.PACK_TITLE, "Contents", "Tiny analysis x"]
    assert titles[3:5] == ["Figure 1.1  Present value by option", "Figure 1.2  Cumulative cost"]
    assert titles[5] == "Appendix: summary"
    figure_slide = slides[3]
    texts = [sh.text_frame.text for sh in figure_slide.shapes if sh.has_text_frame]
    results = json.loads((Path(tiny["path"]) / "results.json").read_text())
    assert results["key_messages"][0] in texts
    assert any(t.startswith("Assumptions: horizon_years = 4") for t in texts)
    (picture,) = [sh for sh in figure_slide.shapes if sh.shape_type == 13]
    # its alternative text, for screen readers and PowerPoint's accessibility check
    entry = results["figures"][0]
    assert picture._element.nvPicPr.cNvPr.get("descr") == (
        f"{entry['title']}. {entry['caption']}")
    notes = figure_slide.notes_slide.notes_text_frame.text
    assert f"Run {tiny['run_id']}" in notes
    assert run_manifest["inputs"]["input_file"]["sha256"] in notes
    assert "horizon_years = 4" in notes and f"btm verify {tiny['path']}" in notes
    for slide in slides:  # every shape inside the slide
        for sh in slide.shapes:
            assert sh.left >= 0 and sh.top >= 0
            assert sh.left + sh.width <= deck.slide_width + Emu(1)
            assert sh.top + sh.height <= deck.slide_height + Emu(1)
    assert any(f"run {tiny['run_id']}" in sh.text_frame.text
               for sh in slides[3].shapes if sh.has_text_frame)  # the footer names the run
    assert "did not run to the end" in " ".join(
        sh.text_frame.text for sh in slides[6].shapes if sh.has_text_frame)


def test_figure_numbers_follow_the_position_in_the_pack(built):
    """Sections are numbered as the contents list them: tiny is section 2 when it comes
    second; a figure's second number is its place in the analysis's spec."""
    reports, first = built
    again = boardpack.build(["failing", "tiny"], reports_dir=reports, notebooks=NOTEBOOKS,
                            run=False)
    numbers = [{r["analysis"]: r["figure_numbers"] for r in
                json.loads((f / "manifest.json").read_text())["runs"]} for f in (first, again)]
    assert numbers[0]["tiny"] == {"present_value": "1.1", "cumulative_cost": "1.2"}
    assert numbers[1]["tiny"] == {"present_value": "2.1", "cumulative_cost": "2.2"}
    from btm import analyses

    spec = analyses.get_spec("tco_comparison")
    section = boardpack.Section("tco_comparison", "TCO", None, {}, [], number=4)
    assert boardpack.figure_number(section, {"name": spec.figures[1].name}) == "4.2"


def _fake_run(reports: Path, analysis: str, parameters: dict) -> None:
    """A finished run folder of `analysis` with one figure per spec figure (a blank PNG)."""
    import matplotlib.image as mpimg
    import numpy as np

    from btm import analyses

    folder = reports / analysis / "20260101T000000Z-000001"
    (folder / "figures").mkdir(parents=True)
    figures = []
    for f in analyses.get_spec(analysis).figures:
        mpimg.imsave(folder / "figures" / f"{f.name}.png", np.ones((20, 30, 3)))
        figures.append({"name": f.name, "title": f"Title of {f.name}", "caption": None,
                        "png": f"figures/{f.name}.png", "svg": None})
    (folder / "results.json").write_text(json.dumps({
        "analysis": analysis, "title": analysis, "key_numbers": {},
        "key_messages": [f"{analysis} message"], "figures": figures, "tables": []}))
    (folder / "manifest.json").write_text(json.dumps({
        "analysis": analysis, "run_id": folder.name, "status": "succeeded",
        "finished_at": "2026-01-01T00:00:00Z", "parameters": parameters, "inputs": {}}))


def test_an_unused_order_leaves_no_gap_in_figure_numbers(tmp_path):
    """A reviewer's pack numbered build, buy or cloud's figures 3.x and outsourcing's 5.1:
    no analysis has order 4, and the section number was the spec's order. It is the
    section's position now, in the PDF, the slides and the manifest; and the list
    parameters of a run are in its pages' footnotes, slides too."""
    from pptx import Presentation

    from btm import analyses

    assert analyses.get_spec("build_buy_cloud").order + 2 == analyses.get_spec(
        "outsourcing_matrix").order  # the gap this test is about
    _fake_run(tmp_path, "build_buy_cloud", {"seed": 1})
    _fake_run(tmp_path, "outsourcing_matrix", {"importance_bounds": [0.3, 0.7]})
    folder = boardpack.build(["build_buy_cloud", "outsourcing_matrix"], reports_dir=tmp_path,
                             run=False)
    runs = json.loads((folder / "manifest.json").read_text())["runs"]
    assert [sorted(set(n.split(".")[0] for n in r["figure_numbers"].values())) for r in runs] \
        == [["1"], ["2"]]
    assert runs[1]["figure_numbers"]["outsourcing_matrix"] == "2.1"
    titles = [s.shapes.title.text for s in Presentation(str(folder / "boardpack.pptx")).slides]
    assert "Figure 2.1  Title of outsourcing_matrix" in titles
    assert not any(t.startswith(("Figure 3.", "Figure 5.")) for t in titles)
    slide = next(s for s in Presentation(str(folder / "boardpack.pptx")).slides
                 if s.shapes.title.text == "Figure 2.1  Title of outsourcing_matrix")
    texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
    assert "Assumptions: importance_bounds = [0.3, 0.7]" in texts
    import shutil
    import subprocess

    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(folder / "boardpack.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert "Figure 2.1" in text and "Figure 5.1" not in text and "Figure 3.1" not in text
        assert "Assumptions: importance_bounds = [0.3, 0.7]" in text


def test_verify_reproduces_and_names_changed_inputs(built, tmp_path):
    """btm verify re-runs from the manifest: the tiny run reproduces exactly; a copy whose
    recorded key number and input hash were altered is reported with both."""
    import shutil

    from btm import verify

    _, folder = built
    m = json.loads((folder / "manifest.json").read_text())
    checks = verify.verify(folder)  # the pack: tiny re-run, failing reported as not run
    assert [c.reproduced for c in checks] == [True, False]
    assert "reproduced" in checks[0].describe() and "was not run" in checks[1].describe()
    copy = tmp_path / "tiny" / "copied-run"
    shutil.copytree(m["runs"][0]["path"], copy)
    run_manifest = json.loads((copy / "manifest.json").read_text())
    run_manifest["inputs"]["input_file"]["sha256"] = "0" * 64
    numpy_now, cpu_now = run_manifest["versions"]["numpy"], run_manifest["platform"]["cpu"]
    run_manifest["versions"]["numpy"] = "1.0.0"
    run_manifest["platform"]["cpu"] = "Some Other CPU"
    (copy / "manifest.json").write_text(json.dumps(run_manifest))
    results = json.loads((copy / "results.json").read_text())
    recorded = results["key_numbers"]["cheapest_present_value"]["value"]
    results["key_numbers"]["cheapest_present_value"]["value"] = recorded + 1
    (copy / "results.json").write_text(json.dumps(results))
    assert main(["verify", str(copy)]) == 1
    check = verify.verify_run(copy)
    assert not check.reproduced
    assert check.mismatches == [("cheapest_present_value", recorded + 1, recorded)]
    assert check.changed_inputs == [f"input_file ({run_manifest['inputs']['input_file']['path']})"]
    assert check.changed_environment == [f"numpy 1.0.0 then, {numpy_now} now",
                                         f"cpu Some Other CPU then, {cpu_now} now"]
    assert "run elsewhere" in check.describe() and "Some Other CPU" in check.describe()
    assert checks[0].changed_environment == []
    with pytest.raises(InputError, match="no manifest.json here"):
        verify.verify(tmp_path)


def test_key_messages_shrink_to_fit_and_never_run_over_the_footer():
    """Six long messages fit by a smaller type size; forty are cut, with the rest counted."""
    long = "A key message that is long enough to wrap over two lines of the summary page " * 2
    size, texts, shown = boardpack._fit_messages([long] * 6, room=0.40)
    assert 9.0 <= size < 12.0 and shown == 6
    used = sum(boardpack._message_height(t, size) for t in texts)
    assert used <= 0.40
    size, texts, shown = boardpack._fit_messages([long] * 40, room=0.35)
    assert size == 9.0 and 0 < shown < 40
    assert sum(boardpack._message_height(t, size) for t in texts[:shown]) <= 0.35
    size, _, shown = boardpack._fit_messages(["short"] * 3, room=0.35)
    assert size == 12.0 and shown == 3


@pytest.mark.parametrize("size", [12.0, 11.0, 10.0, 9.0])
def test_wrapped_key_messages_stay_inside_the_right_margin(size):
    """Rendered, every wrapped line of real key messages ends left of the margin (x = 0.94);
    at 120 characters a line (before) the demand page's accuracy sentence ran past it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    messages = [
        "On 20 real monthly and quarterly series never used to design it (2 rolling origins), "
        "the forecast method (one method for all series, chosen on their own history from ETS "
        "and four combinations of ETS, ARIMA, CES and Theta) erred 3% more than AutoETS (mean "
        "MASE ratio 1.030); its 80% and 95% intervals held 86% and 94% of actual values.",
        "At a 95% service level the 200 SKUs need EUR 6.8M of safety stock; EUR 1.6M of it for "
        "the 65 intermittent or lumpy SKUs, set from observed forecast errors rather than a "
        "normal curve. Buy is the cheapest option in 62% of Monte Carlo trials (WACC 8.0%).",
    ]
    fig = boardpack._page("t")
    canvas = FigureCanvasAgg(fig)
    texts = [fig.text(0.08, 0.5, boardpack._wrap(m, boardpack._message_width(size)),
                      fontsize=size, va="top", linespacing=1.4) for m in messages]
    canvas.draw()
    right = max(t.get_window_extent(canvas.get_renderer()).x1 for t in texts)
    assert right <= 0.94 * fig.bbox.width


def test_dollar_signs_in_names_are_drawn_as_written(tmp_path):
    """A title or message with '$' is text, not mathtext: "($110/user, 5% uplift, $20k
    setup)" stopped the pack with a ParseException, a '$ ... $' pair set words in italics."""
    import shutil
    import subprocess

    label = "SaaS ($110/user, 5% uplift, $20k setup)"
    folder = boardpack.build(["tiny"], reports_dir=tmp_path, notebooks=NOTEBOOKS,
                             parameters={"label": label})
    pdf = folder / "boardpack.pdf"
    assert pdf.is_file()
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert f"Tiny analysis {label}" in text


def test_list_parameters_are_in_every_page_header_and_footnote():
    """A reviewer's pack run with other risk thresholds looked like a default one: list (and
    dict) parameters were left out of the summary page's run line and every footnote (risk
    thresholds, outsourcing bounds, roadmap frontier factors). They are shown compactly now,
    in brackets so their commas are not read as between parameters; input paths stay out
    (listed as inputs by file name) and a '/' in a label is no path."""
    from types import SimpleNamespace

    params = {"risk_file": "/w/data/risks.csv", "thresholds": [4, 9, 16],
              "frontier_factors": [0.5, 1.0, 1.5], "weights": {"run": 0.7},
              "label": "SaaS ($110/user)", "seed": 2026}
    run = SimpleNamespace(run_id="20260101T000000Z-abc123", succeeded=True, parameters=params,
                          path=Path("/w/reports/risk_register/x"), error=None)
    section = boardpack.Section(
        "risk_register", "Risk register", run,  # type: ignore[arg-type]
        {"key_numbers": {}, "key_messages": ["m"]}, [], number=1,
        manifest={"parameters": params, "inputs": {"risk_file": {"path": "/w/data/risks.csv"}}})
    expected = ("thresholds = [4, 9, 16], frontier_factors = [0.5, 1.0, 1.5], "
                "weights = {run: 0.7}, label = SaaS ($110/user), seed = 2026")
    assert boardpack.assumptions(section) == f"Assumptions: {expected} · inputs: risks.csv"
    page = boardpack._summary(section)  # the run line under the section's heading
    run_line = " ".join(t.get_text() for t in page.texts).replace("\n", " ")
    assert f"Run {run.run_id}  ·  {expected}" in run_line
    assert "risk_file" not in run_line


_LONG = {"risk_file": "/w/data/risks.csv", "as_of": "2025-03-31", "likelihood_scale": 5,
         "impact_scale": 5, "thresholds": [5, 10, 15], "n_simulations": 10000,
         "distribution": "pert", "correlation": 0.3, "confidence": 0.8, "seed": 2026,
         "currency": "EUR", "frontier_factors": [round(0.5 + 0.05 * k, 2) for k in range(25)]}


def _long_section(tmp_path: Path) -> tuple[boardpack.Section, dict]:
    """A risk-register section whose footnote needs three lines (the real one needs two)."""
    from types import SimpleNamespace

    import matplotlib.image as mpimg
    import numpy as np

    png = tmp_path / "figure.png"
    mpimg.imsave(png, np.ones((300, 600, 3)))
    entry = {"name": "risk_heat_map", "title": "Heat map", "caption": "A caption.",
             "png_path": str(png)}
    run = SimpleNamespace(run_id="20260101T000000Z-abc123", succeeded=True, parameters=_LONG,
                          path=tmp_path, error=None, status="succeeded")
    section = boardpack.Section(
        "risk_register", "Risk register", run,  # type: ignore[arg-type]
        {"key_numbers": {}, "key_messages": ["m"]}, [entry], number=1,
        manifest={"parameters": _LONG, "inputs": {"risk_file": {"path": "/w/data/risks.csv"},
                                                   "other_file": {"path": "/w/data/other.csv"}}})
    return section, entry


def test_footnotes_carry_every_parameter_and_input_on_as_many_lines_as_they_need(tmp_path):
    """Footnotes were cut at 210 characters: since list parameters show in them, the risk
    register's and outsourcing's lost their ' · inputs: ...' part (build/buy/cloud, the
    competencies and the IT budget had lost it before). They are wrapped now, in the PDF page
    figure and its drawn text, with the caption and the figure moved up to make room, clear of
    the footer rule and the page number."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from btm import charts

    section, entry = _long_section(tmp_path)
    full = boardpack.assumptions(section)
    assert len(full) > 2 * boardpack.FOOTNOTE_WIDTH and full.endswith(" · inputs: risks.csv, other.csv")
    lines = boardpack.footnote_lines(section)
    assert " ".join(lines) == full and len(lines) == 3
    assert all(len(line) <= boardpack.FOOTNOTE_WIDTH for line in lines)
    assert not any(line.endswith(" =") or line.startswith("= ") for line in lines)
    with charts.house_style():
        import matplotlib

        with matplotlib.rc_context({"text.parse_math": False}):
            pages = [boardpack._figure_page(section, entry), *boardpack._table_pages(section)]
            for page in pages:
                boardpack._footer(page, "btm · risk_register · run x", 7, 9)
                canvas = FigureCanvasAgg(page)
                canvas.draw()
                renderer = canvas.get_renderer()
                box = {t.get_text().split(" ")[0]: t.get_window_extent(renderer)
                       for t in page.texts}
                (note,) = [t for t in page.texts if t.get_text().startswith("Assumptions:")]
                assert note.get_text().replace("\n", " ") == full  # every input named
                foot = box["Assumptions:"]
                height, width = page.bbox.height, page.bbox.width
                assert foot.x1 <= 0.94 * width  # inside the right margin
                assert foot.y0 > 0.06 * height  # above the footer rule ...
                assert foot.y0 > max(box["page"].y1, box["btm"].y1)  # ... and the page number
                caption = box.get("A")
                if caption is not None:  # the figure page: caption, then the figure, above
                    assert caption.y0 > foot.y1
                    image = page.axes[0].get_window_extent(renderer)
                    assert image.y0 > caption.y1
    one = boardpack.Section("x", "X", section.run, None, manifest={"inputs": {}})
    assert boardpack.footnote_lines(one, width=1000) == [boardpack.assumptions(one)]


def test_pdf_and_slides_show_each_footnote_whole_and_the_run_line_on_the_summary_slide(
        tmp_path):
    """In the built pack every figure and appendix page's footnote, and every slide's, holds
    its inputs; on the slides it ends above the footer line, the caption and the picture
    above it. The summary slide showed only "Run <id>" while the PDF's summary page listed the
    parameters: it carries the same wrapped lines now, with the key numbers below them."""
    import shutil
    import subprocess

    from pptx import Presentation

    params = {k: v for k, v in _LONG.items() if k != "risk_file"}
    _fake_run(tmp_path, "risk_register", params)
    folder = tmp_path / "risk_register" / "20260101T000000Z-000001"
    (folder / "data").mkdir()
    (folder / "data" / "register.csv").write_text("risk\n")
    m = json.loads((folder / "manifest.json").read_text())
    m["inputs"] = {"register_file": {"path": str(folder / "data" / "register.csv"),
                                     "sha256": "0" * 64}}
    (folder / "manifest.json").write_text(json.dumps(m))
    r = json.loads((folder / "results.json").read_text())
    r["key_numbers"] = {"share": {"value": 0.183, "unit": "%", "label": "Largest share"}}
    (folder / "results.json").write_text(json.dumps(r))
    pack = boardpack.build(["risk_register"], reports_dir=tmp_path, run=False)
    section = boardpack._section(boardpack._select(["risk_register"], None)[0],
                                 boardpack._existing_run("risk_register", tmp_path.resolve()),
                                 number=1)
    full = boardpack.assumptions(section)
    assert full.endswith(" · inputs: register.csv") and len(full) > 210
    n_figures = len(r["figures"])

    deck = Presentation(str(pack / "boardpack.pptx"))
    slides = list(deck.slides)
    summary = slides[2]
    texts = [sh for sh in summary.shapes if sh.has_text_frame and sh != summary.shapes.title]
    run_box = next(sh for sh in texts if sh.text_frame.text.startswith("Run "))
    assert [p.text for p in run_box.text_frame.paragraphs] == boardpack.run_lines(section)
    assert len(boardpack.run_lines(section)) >= 2
    said = " ".join(p.text for p in run_box.text_frame.paragraphs)
    assert "thresholds = [5, 10, 15]" in said and "seed = 2026" in said
    card = next(sh for sh in texts if sh.text_frame.text == "18.3%")
    assert card.top >= run_box.top + run_box.height  # the key numbers start below the lines
    footnoted = slides[3:3 + n_figures]
    assert len(footnoted) == n_figures
    for slide in footnoted:
        shapes = [sh for sh in slide.shapes if sh.has_text_frame]
        note = next(sh for sh in shapes if sh.text_frame.text.startswith("Assumptions:"))
        assert [p.text for p in note.text_frame.paragraphs] == boardpack.footnote_lines(section)
        footer = min(sh.top for sh in shapes if sh.text_frame.text.startswith("btm "))
        assert note.top + note.height <= footer
        (picture,) = [sh for sh in slide.shapes if sh.shape_type == 13]
        assert picture.top + picture.height <= note.top
        assert "thresholds = [5, 10, 15]" in slide.notes_slide.notes_text_frame.text

    if shutil.which("pdftotext"):
        pages = []
        for k in range(1, 3 + n_figures + 1):  # cover, contents, summary, figures
            out = subprocess.run(["pdftotext", "-f", str(k), "-l", str(k),
                                  str(pack / "boardpack.pdf"), "-"],
                                 capture_output=True, text=True, check=True).stdout
            pages.append(" ".join(out.split()))
        assert sum(full in p for p in pages) == n_figures  # every figure page, whole
        assert " ".join(" ".join(boardpack.run_lines(section)).split()) in pages[2]
