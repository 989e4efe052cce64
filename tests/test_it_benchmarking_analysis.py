"""Tests of the it_benchmarking analysis: its two figures, key numbers and key messages.

Oracles: the sample's ratios are worked by hand from ``organisation.csv`` (IT spend per
employee 4,950,000 / 640 = 7,734.375; run share 3,960,000 / 4,950,000 = 0.80), the percentile
with ``scipy.stats.norm`` directly (a normal curve above the median matched to the third
quartile), and the metrics outside the interquartile range by comparing each value with the
peer quartiles in plain pandas.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from chart_checks import legend_texts, maths_texts, overlaps, shown_names
from matplotlib.figure import Figure
from message_checks import check_cards_quoted
from scipy import stats

from btm import InputError, benchmark, boardpack, style
from btm.analyses import get_spec
from btm.analyses.it_benchmarking import charts, messages
from btm.style import figure

DATA = Path(__file__).resolve().parents[1] / "btm" / "data" / "it_benchmarking"


@pytest.fixture(scope="module")
def tables():
    return pd.read_csv(DATA / "organisation.csv"), pd.read_csv(DATA / "peers_illustrative.csv")


@pytest.fixture(scope="module")
def result(tables):
    org, peers = tables
    return benchmark.compare(org, peers, industry="Manufacturing", size_band="500-1999")


def _legend(fig: Figure) -> list[str]:
    legend = fig.axes[0].get_legend()
    return [t.get_text() for t in legend.get_texts()] if legend else []


# --------------------------------------------------------------------------- spec


def test_spec_declares_two_figures_in_the_board_pack(result):
    spec = get_spec("it_benchmarking")
    assert [f.name for f in spec.figures] == ["benchmark_positions", "benchmark_spend_mix"]
    assert spec.boardpack and spec.order == 11
    assert set(messages.it_benchmark_key_numbers(result)) == {k.name for k in spec.key_numbers}


def test_notebook_says_the_sample_peers_are_not_real_benchmarks():
    text = get_spec("it_benchmarking").notebook.read_text(encoding="utf-8")
    assert "illustrative" in text and "not real benchmarks" in text


# --------------------------------------------------------------------------- positions


def test_benchmark_positions_one_row_per_metric_box_and_readings(result):
    fig = charts.benchmark_positions(result.positions, footnote="Peers: illustrative")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_title() == "Where our IT metrics sit among peers"
    assert "Percentile among peers (0-100" in ax.get_xlabel()
    assert ax.get_xlim() == (0, 100)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == len(result.positions)
    assert labels[:2] == ["IT spend / revenue", "IT spend per employee"]
    assert "IT spend, at peer size" in labels
    boxes = [p for p in ax.patches if p.get_width() == 50]
    assert len(boxes) == len(result.positions) and all(p.get_x() == 25 for p in boxes)
    assert set(_legend(fig)) == {"peers' IQR (25th-75th)", "peer median",
                                 "us: within the peers' IQR", "us: outside IQR, unfavourable"}
    notes = [t.get_text() for t in ax.texts]
    assert "80%  (70%)" in notes and "EUR 7.7k  (EUR 6.9k)" in notes
    assert "14.5 hours  (9 hours)" in notes and "2.5 FTE  (2.6 FTE)" in notes
    fig.draw_without_rendering()
    ticks = [t.get_window_extent() for t in ax.get_yticklabels()]
    assert not any(a.overlaps(b) for a, b in zip(ticks, ticks[1:], strict=False))
    legend = ax.get_legend().get_window_extent()
    assert not legend.overlaps(ax.xaxis.label.get_window_extent())


def test_benchmark_positions_markers_by_reading():
    p = pd.DataFrame({"metric": ["a_rate", "b_cost", "c_thing"], "unit": ["fraction", "EUR", ""],
                      "percentile": [95.0, 5.0, 99.99], "reading": ["favourable", "unfavourable",
                                                                   "unusual"],
                      "normalised_value": [0.9, 10.0, 5.0], "median": [0.5, 20.0, 1.0]})
    fig = charts.benchmark_positions(p)
    markers = {line.get_marker() for line in fig.axes[0].get_lines()
               if line.get_label() == "_org"}
    assert markers == {"^", "D", "s"}
    xs = [x for line in fig.axes[0].get_lines() if line.get_label() == "_org"
          for x in line.get_xdata()]
    assert max(xs) == 99.0  # an extreme estimate stays on the axis
    fig2, ax = figure()
    assert charts.benchmark_positions(p, ax=ax) is fig2


def test_benchmark_positions_refuses_bad_input(result):
    with pytest.raises(InputError, match="^positions: missing column.*'reading'"):
        charts.benchmark_positions(result.positions.drop(columns="reading"))
    with pytest.raises(InputError, match="^positions, row 1, column 'percentile': got 120"):
        charts.benchmark_positions(result.positions.assign(percentile=120.0))
    with pytest.raises(InputError, match="^positions, row 1, column 'reading': got 'odd'"):
        charts.benchmark_positions(result.positions.assign(reading="odd"))
    with pytest.raises(InputError, match="^positions: the table is empty"):
        charts.benchmark_positions(result.positions.iloc[:0])


def test_format_metric_value_units():
    assert charts.format_metric_value(0.9961, "fraction", 0.9975) == "99.6%"
    assert charts.format_metric_value(0.9975, "fraction", 0.990) == "99.8%"  # not 100 %
    assert charts.format_metric_value(0.0268, "fraction", 0.022) == "2.7%"
    assert charts.format_metric_value(7734.375, "EUR") == "EUR 7.7k"
    assert charts.format_metric_value(23.75, "FTE") == "23.8 FTE"
    assert charts.format_metric_value(12500.0, None) == "12,500"


# --------------------------------------------------------------------------- spend mix


def test_benchmark_spend_mix_ours_against_peer_median(result):
    fig = charts.benchmark_spend_mix(result.positions, footnote="Peers: illustrative")
    ax = fig.axes[0]
    assert ax.get_title() == "How IT spend is split: run, grow, transform"
    assert ax.get_xlabel() == "Share of IT spend (%)"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Our IT spend", "Peer median"]
    assert _legend(fig) == ["run", "grow", "transform"]
    assert len({p.get_hatch() for p in ax.patches}) == 3
    assert {t.get_text() for t in ax.texts} >= {"80%", "70%", "15%", "19%", "11%"}
    run = [p for p in ax.patches if p.get_x() == 0]
    assert sorted(round(p.get_width(), 6) for p in run) == [0.7, 0.8]


def test_benchmark_spend_mix_needs_the_three_shares(result):
    without = result.positions[result.positions["metric"] != "grow_share"]
    with pytest.raises(InputError, match="^positions, column 'metric': no row for grow_share"):
        charts.benchmark_spend_mix(without)
    with pytest.raises(InputError, match="^positions: missing column.*'median'"):
        charts.benchmark_spend_mix(result.positions.drop(columns="median"))


# --------------------------------------------------------------------------- numbers, messages


def test_key_numbers_equal_a_hand_computation(tables, result):
    org, peers = tables
    value = dict(zip(org["metric"], org["value"], strict=True))
    per_employee = value["it_spend"] / value["employees"]
    assert per_employee == 7734.375
    group = peers[(peers["industry"] == "Manufacturing") & (peers["size_band"] == "500-1999")]
    q = group.set_index("metric").loc["it_spend_per_employee"]
    sigma = (q["p75"] - q["median"]) / stats.norm.ppf(0.75)
    percentile = 100 * stats.norm.cdf((per_employee - q["median"]) / sigma)
    numbers = messages.it_benchmark_key_numbers(result)
    assert numbers["spend_per_employee_percentile"]["value"] == pytest.approx(percentile)
    assert round(percentile) == 60

    ratios = {
        "run_share": value["run_spend"] / value["it_spend"],
        "grow_share": value["grow_spend"] / value["it_spend"],
        "transform_share": value["transform_spend"] / value["it_spend"],
        "first_contact_resolution": value["first_contact_resolution"],
        "mean_time_to_resolve_hours": value["mean_time_to_resolve_hours"],
        "availability": value["availability"],
        "it_spend_per_employee": per_employee,
    }
    outside = [m for m, v in ratios.items()
               if not group.set_index("metric").loc[m, "p25"] <= v
               <= group.set_index("metric").loc[m, "p75"]]
    assert sorted(outside) == sorted(["run_share", "grow_share", "transform_share",
                                      "first_contact_resolution", "mean_time_to_resolve_hours"])
    assert numbers["n_attention"]["value"] == len(outside) == 5
    assert numbers["run_share"]["value"] == pytest.approx(0.8)
    assert numbers["run_share_peer_median"]["value"] == pytest.approx(0.70)


def test_key_messages_quote_the_numbers(result):
    n = messages.it_benchmark_key_numbers(result)
    first = messages.it_benchmark_key_messages(result)[0]
    pct = n["spend_per_employee_percentile"]["value"]
    assert first == (f"IT spend is at the {pct:.0f}th percentile of peers per employee, but "
                     f"{n['run_share']['value']:.0%} goes to running the business against a "
                     f"peer median of {n['run_share_peer_median']['value']:.0%}.")
    assert first == ("IT spend is at the 60th percentile of peers per employee, but 80% goes to "
                     "running the business against a peer median of 70%.")
    # the key-number card on the same page says it the same way (not "60.1 percentile")
    card = boardpack.format_key_number(n["spend_per_employee_percentile"])
    assert card == "60th percentile" and card in first
    second = messages.it_benchmark_key_messages(result)[1]
    assert second.startswith("5 of 16 metrics fall outside the peers' interquartile range")
    assert "Mean time to resolve 14.5 hours (peer median 9 hours, unfavourable)" in second


def test_sentences_and_ordinals(result):
    s = messages.it_benchmark_sentences(result)
    assert s["mix"] == ("Of every 100 spent on IT, 80 keeps the business running, 15 grows it "
                        "and 5.5 transforms it; the peer medians are 70, 19 and 11.")
    # as the attention sentence writes the same shares (it said "5" beside "5.5%")
    second = messages.it_benchmark_key_messages(result)[1]
    assert "Grow share of IT spend 15% (peer median 19%" in second
    assert "Transform share of IT spend 5.5% (peer median 11%" in second
    assert [style.ordinal(k) for k in (1, 2, 3, 11, 12, 13, 22, 101, 111, 112)] == [
        "1st", "2nd", "3rd", "11th", "12th", "13th", "22nd", "101st", "111th", "112th"]


def test_messages_write_the_run_share_as_its_card_does(tables):
    """With a run share of 80.5 % the card read "80.5%" and the messages "80%" (first
    sentence, the attention list and "of every 100 spent on IT, 80 keeps ...")."""
    org, peers = tables
    org = org.copy()
    total = float(org.loc[org["metric"] == "it_spend", "value"].iloc[0])
    spend = {"run_spend": 0.805, "grow_spend": 0.14, "transform_spend": 0.055}
    for metric, share in spend.items():
        org.loc[org["metric"] == metric, "value"] = share * total
    r = benchmark.compare(org, peers, industry="Manufacturing", size_band="500-1999")
    n = messages.it_benchmark_key_numbers(r)
    said = messages.it_benchmark_key_messages(r)
    cards = check_cards_quoted(n, said, ("spend_per_employee_percentile", "run_share",
                                         "run_share_peer_median"))
    card, median = cards["run_share"], cards["run_share_peer_median"]
    assert (card, median) == ("80.5%", "70%")
    assert f"{card} goes to running the business against a peer median of {median}" in said[0]
    assert f"Run share of IT spend {card} (peer median {median}, " in said[1]
    assert messages.it_benchmark_sentences(r)["mix"] == (
        "Of every 100 spent on IT, 80.5 keeps the business running, 14 grows it and 5.5 "
        "transforms it; the peer medians are 70, 19 and 11.")


def test_run_share_at_or_below_the_median_says_and(tables):
    org, peers = tables
    org = org.copy()
    org.loc[org["metric"] == "run_spend", "value"] = 3_200_000.0
    org.loc[org["metric"] == "grow_spend", "value"] = 1_480_000.0
    r = benchmark.compare(org, peers, industry="Manufacturing", size_band="500-1999")
    assert ", and 64.6% goes to running the business" in messages.it_benchmark_key_messages(r)[0]


def test_messages_refuse_other_objects():
    with pytest.raises(InputError, match="^result"):
        messages.it_benchmark_key_numbers({"run_share": 0.8})


@pytest.mark.parametrize(("spend", "rank"), [(30_000.0, "99th"), (100.0, "1st")])
def test_extreme_percentiles_read_as_ranks_1_to_99(tables, spend, rank):
    """Far outside the peers' quartiles the estimate rounds to 100 or 0; a board reads the
    99th or 1st percentile, the same on the card as in the message."""
    org, peers = tables
    org = org.copy()
    it_spend = float(org.loc[org["metric"] == "it_spend", "value"].iloc[0])
    org.loc[org["metric"] == "employees", "value"] = round(it_spend / spend)
    r = benchmark.compare(org, peers, industry="Manufacturing", size_band="500-1999")
    pct = messages.it_benchmark_key_numbers(r)["spend_per_employee_percentile"]
    assert round(pct["value"]) in (0, 100)  # the estimate itself is kept as computed
    card = boardpack.format_key_number(pct)
    assert card == f"{rank} percentile"
    assert f"IT spend is at the {card} of peers" in messages.it_benchmark_key_messages(r)[0]


# --------------------------------------------------------------------------- optional split


def test_without_the_split_the_mix_is_a_note_not_a_crash(tables):
    """The run / grow / transform rows are optional (data README): without them the
    notebook's mix table selected three missing rows (KeyError) and the chart refuses; now
    the result says the split was not compared, the table has no rows and the sentence says
    why."""
    org, peers = tables
    org = org[~org["metric"].isin(["run_spend", "grow_spend", "transform_spend"])]
    r = benchmark.compare(org, peers, industry="Manufacturing", size_band="500-1999")
    assert not r.split_compared
    assert benchmark.spend_mix(r).empty
    assert list(benchmark.spend_mix(r).columns) == ["value", "median", "percentile", "reading"]
    assert messages.it_benchmark_sentences(r)["mix"].startswith(
        "The run / grow / transform split was not compared")
    numbers = messages.it_benchmark_key_numbers(r)
    assert numbers["run_share"]["value"] is None
    # the notebook draws the mix chart only when the split was compared
    source = get_spec("it_benchmarking").notebook.read_text(encoding="utf-8")
    assert "if result.split_compared:" in source and "result.summary.loc" not in source


def test_spend_mix_is_the_three_shares_in_order(result, tables):
    """Hand-worked from organisation.csv: 3.96M / 4.95M = 0.80, 0.72 / 4.95 = 0.1455,
    0.27 / 4.95 = 0.0545; peer medians 0.70, 0.19, 0.11."""
    assert result.split_compared
    mix = benchmark.spend_mix(result)
    assert list(mix.index) == ["run_share", "grow_share", "transform_share"]
    assert mix["value"].tolist() == pytest.approx([0.80, 0.72 / 4.95, 0.27 / 4.95])
    assert mix["median"].tolist() == pytest.approx([0.70, 0.19, 0.11])
    assert mix["reading"].tolist() == ["unfavourable"] * 3
    with pytest.raises(InputError, match="^result"):
        benchmark.spend_mix(result.positions)


def test_the_peer_group_is_named_as_the_peer_table_writes_it(tables):
    """Typed ' manufacturing ' and ' 500-1999 ' match (ignoring case and spaces); the
    message said "Peer group:  manufacturing , size band  500-1999 "."""
    org, peers = tables
    r = benchmark.compare(org, peers, industry=" manufacturing ", size_band=" 500-1999 ")
    assert (r.industry, r.size_band) == ("Manufacturing", "500-1999")
    assert messages.it_benchmark_key_messages(r)[-1].startswith(
        "Peer group: Manufacturing, size band 500-1999; percentiles")
    with pytest.raises(InputError, match=r"^size_band: got 'huge'; expected one of the size "
                                         r"bands of 'Manufacturing': "):
        benchmark.compare(org, peers, industry="MANUFACTURING", size_band="huge")
    source = get_spec("it_benchmarking").notebook.read_text(encoding="utf-8")
    assert "{result.industry}" in source and "{result.size_band}" in source


# --------------------------------------------------------------------------- unusual names

#: Metric names a user may add: a leading "_" (here also the name of a usual metric after
#: it), about 60 characters (one without a space), "$", non-ASCII.
UNUSUAL = {"projects_on_time": "_projects_on_time",
           "first_contact_resolution":
               "first_contact_resolution_of_the_$-priced_managed_service_desk_in_europe",
           "mean_time_to_resolve_hours":
               "Übergang/Été: mean time to resolve ($x$) incidents across all sites"}


@pytest.fixture(scope="module")
def unusual_positions(tables):
    """The positions figure as the notebook draws it, on the sample files with metrics renamed."""
    org, peers = (t.assign(metric=t["metric"].replace(UNUSUAL)) for t in tables)
    r = benchmark.compare(org, peers, industry="Manufacturing", size_band="500-1999")
    return charts.benchmark_positions(r.positions, footnote="Source: test")


def test_every_metric_is_shown_as_typed(unusual_positions):
    """A reviewer: the metric "_projects_on_time" was labelled "Projects on time" like the
    usual metric, "($x$)" was drawn as mathematics, and a 60-character name squeezed the plot
    so that its column header ran into the title. Names keep a leading "_", "$" is drawn as
    typed, long names are wrapped onto two lines and cut with "…"."""
    fig = unusual_positions
    assert maths_texts(fig) == []
    rows = [t.get_text().replace("\\$", "$") for t in fig.axes[0].get_yticklabels()]
    assert "_projects on time" in rows
    assert "First contact resolution of\nthe $-priced managed service…" in rows
    assert "Übergang/Été: mean time to\nresolve ($x$) incidents…" in rows
    assert "_projects on time" in shown_names(fig)
    assert legend_texts(fig)[:2] == ["peers' IQR (25th-75th)", "peer median"]


def test_no_text_overlaps_with_long_metric_names(unusual_positions):
    assert overlaps(unusual_positions) == []
