"""Tests of the project risk analysis's figures and key numbers / messages
(btm/analyses/risk_register/).

Oracles: the numbers in the messages are recomputed here from the register by hand
(EMV = probability x PERT mean cost, PMBOK Guide 6th ed. 11.4.2.5; percentiles with numpy on the
simulated totals; review dates compared with pandas), not read back from the message code.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from chart_checks import check_chart, legend_texts, overlaps, shown_names
from matplotlib.figure import Figure
from message_checks import check_cards_quoted

from btm import InputError, boardpack, files, risk
from btm.analyses.risk_register import SPEC, charts, messages

REGISTER = files.package_root() / "data" / "risk_register" / "register.csv"


@pytest.fixture(autouse=True)
def _rc_unchanged_and_closed():
    before = dict(matplotlib.rcParams)
    open_before = set(plt.get_fignums())
    yield
    assert {k for k in before if before[k] != matplotlib.rcParams[k]} == set()
    assert set(plt.get_fignums()) == open_before


@pytest.fixture(scope="module")
def sample():
    register = pd.read_csv(REGISTER)
    a = risk.assess(register)
    kw = {"n_simulations": 4000, "correlation": 0.3, "confidence": 0.8, "seed": 5}
    inherent = risk.simulate_cost(a, basis="inherent", **kw)
    residual = risk.simulate_cost(a, basis="residual", **kw)
    flags = risk.review_flags(a, as_of="2025-03-31")
    return register, a, inherent, residual, flags


# --------------------------------------------------------------------------- heat map


def test_risk_heat_map_puts_every_risk_in_its_cell(sample):
    register, a, *_ = sample
    fig = charts.risk_heat_map(a.heat_map, bands=a.labels, footnote="Source: test")
    assert isinstance(fig, Figure)
    panels = fig.axes[:2]
    assert [ax.get_title(loc="left") for ax in panels] == [
        "Before responses (inherent)", "After responses (residual)"]
    assert fig._suptitle.get_text() == "Risk heat map before and after responses"
    assert "Impact level" in panels[0].get_xlabel() and "Likelihood" in panels[0].get_ylabel()
    for ax, lik, imp in ((panels[0], "likelihood", "impact"),
                         (panels[1], "residual_likelihood", "residual_impact")):
        shown = {}
        for t in ax.texts:
            if t.get_gid() == "risks":
                x, y = t.get_position()
                for rid in t.get_text().split():
                    shown[rid] = (round(y + 0.04), round(x))
        # Empty residual levels mean "as before".
        li = register[lik].fillna(register["likelihood"]).astype(int)
        im = register[imp].fillna(register["impact"]).astype(int)
        expected = dict(zip(register["risk"], zip(li, im, strict=True), strict=True))
        assert shown == expected
    # Greyscale: each band has its own hatch and a lighter-to-darker fill.
    legend = panels[1].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == list(a.labels)[::-1]
    lum = [charts._lum(c) for c in charts.band_colours(len(a.labels))]
    assert lum == sorted(lum, reverse=True)
    assert len({p.get_hatch() for p in legend.legend_handles}) == len(a.labels)
    assert fig.texts[-1].get_text() == "Source: test"


def test_risk_heat_map_single_basis_follows_chart_conventions(sample):
    _, a, *_ = sample
    check_chart(lambda **kw: charts.risk_heat_map(a.heat_map, bands=a.labels,
                                                  bases=["residual"], **kw))


def test_risk_heat_map_draws_dollar_titles_as_typed():
    grid = pd.DataFrame({"basis": "inherent", "likelihood": [1], "impact": [1], "score": [1],
                         "band": ["low"], "risks": ["$R1$"]})
    fig = charts.risk_heat_map(grid, bases=["inherent"])
    t = next(t for t in fig.axes[0].texts if t.get_gid() == "risks")
    assert t.get_text() == "$R1$" and not t.get_parse_math()


def test_risk_heat_map_refuses_bad_input(sample):
    _, a, *_ = sample
    with pytest.raises(InputError, match="^heat_map: missing column"):
        charts.risk_heat_map(a.heat_map.drop(columns="band"))
    with pytest.raises(InputError, match="^bases: got 'after'"):
        charts.risk_heat_map(a.heat_map, bases=["after"])
    with pytest.raises(InputError, match="^bands: band 'critical'"):
        charts.risk_heat_map(a.heat_map, bands=["low", "medium", "high"])
    with pytest.raises(InputError, match="^bases: got 2 bases"):
        charts.risk_heat_map(a.heat_map, ax=plt.figure().subplots())
    plt.close("all")
    bad = a.heat_map.assign(likelihood=a.heat_map["likelihood"].astype(float))
    bad.loc[0, "likelihood"] = 0.5
    with pytest.raises(InputError, match="^heat_map, row 1"):
        charts.risk_heat_map(bad)


# --------------------------------------------------------------------------- S-curve


def test_contingency_s_curve_marks_percentiles_of_each_curve(sample):
    _, _, inherent, residual, _ = sample
    trials = pd.DataFrame({"Before responses": inherent.trials["total_cost"],
                           "After responses": residual.trials["total_cost"]})
    fig = charts.contingency_s_curve(trials, currency="USD", quantiles=[0.5, 0.8, 0.9])
    ax = fig.axes[0]
    assert ax.get_title() == "How much contingency covers the risks?"
    assert "USD" in ax.get_xlabel() and ax.get_ylabel()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(trials.columns)
    labels = [t.get_text() for t in ax.texts]
    assert len(labels) == 6
    for i, col in enumerate(trials.columns):
        for k, q in enumerate((0.5, 0.8, 0.9)):
            x = np.quantile(trials[col].to_numpy(), q)
            assert labels[3 * i + k].startswith(f"P{round(q * 100)} USD")
            assert ax.texts[3 * i + k].xy == pytest.approx((x, q))
    # Greyscale: the curves differ in line style and marker.
    lines = [ln for ln in ax.get_lines() if not ln.get_label().startswith("_")]
    assert len({ln.get_linestyle() for ln in lines}) == 2


def test_contingency_s_curve_follows_chart_conventions():
    trials = pd.DataFrame({"After responses": np.linspace(0, 1e5, 50)})
    check_chart(lambda **kw: charts.contingency_s_curve(trials, **kw))


def test_contingency_s_curve_refuses_bad_input():
    with pytest.raises(InputError, match="^trials, row 2, column 'x'"):
        charts.contingency_s_curve(pd.DataFrame({"x": [1.0, "a"]}))
    with pytest.raises(InputError, match="^quantiles"):
        charts.contingency_s_curve(pd.DataFrame({"x": [1.0]}), quantiles=[1.5])
    with pytest.raises(InputError, match="^currency"):
        charts.contingency_s_curve(pd.DataFrame({"x": [1.0]}), currency=3)


# --------------------------------------------------------------------------- allocation


def test_contingency_allocation_sorted_with_remainder(sample):
    *_, residual, _ = sample
    c = residual.contributions
    fig = charts.contingency_allocation(c, confidence=0.8, max_bars=5)
    ax = fig.axes[0]
    assert ax.get_title() == "Where the P80 contingency goes"
    assert "EUR" in ax.get_xlabel() and ax.get_ylabel() == "Risk"
    widths = [p.get_width() for p in ax.patches]
    top = c.sort_values("allocation", ascending=False)
    assert widths[:5] == pytest.approx(top["allocation"].head(5).tolist())
    assert widths[5] == pytest.approx(top["allocation"].iloc[5:].sum())
    assert sum(widths) == pytest.approx(residual.summary["contingency"].iloc[0])
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks[0].startswith(top["risk"].iloc[0]) and ticks[-1] == f"Other ({len(c) - 5} risks)"
    assert all(len(line) <= 38 for t in ticks for line in t.split("\n"))
    assert ax.texts[0].get_text().endswith(boardpack.format_key_number(
        {"value": top["share"].iloc[0], "unit": "%"}))


def test_shares_on_the_allocation_page_are_written_as_the_card_writes_them(sample):
    """The bar labels and the notebook's line on the three largest risks wrote shares with
    ':.0%' ("18%", "take 42%") beside the card's and the key message's "18.3%"; they use
    btm.style.format_percent now, and the notebook calls a message helper for its line."""
    import json

    *_, residual, _ = sample
    c = residual.contributions.sort_values("allocation", ascending=False, kind="stable")
    card = lambda share: boardpack.format_key_number({"value": float(share), "unit": "%"})  # noqa: E731
    fig = charts.contingency_allocation(residual.contributions, confidence=0.8, max_bars=5)
    labels = [t.get_text() for t in fig.axes[0].texts]
    plt.close(fig)
    shares = [*c["share"].head(5), c["share"].iloc[5:].sum()]
    assert [label.rsplit(" · ", 1)[1] for label in labels] == [card(x) for x in shares]
    assert card(c["share"].iloc[0]) != f"{c['share'].iloc[0]:.0%}"  # 18.2% where it wrote 18%
    top3 = c.head(3)
    sentence = messages.risk_largest_sentence(residual)
    assert sentence == (f"The three largest, {', '.join(top3['risk'])}, take "
                        f"{card(top3['share'].sum())} of the P80 contingency.")
    assert f"{top3['share'].sum():.0%}" not in sentence
    assert messages.risk_largest_sentence(residual, n=1).startswith(
        f"The largest, {c['risk'].iloc[0]}, takes {card(c['share'].iloc[0])} of")
    with pytest.raises(InputError, match="^n: got 0"):
        messages.risk_largest_sentence(residual, n=0)
    with pytest.raises(InputError, match="^residual: got str"):
        messages.risk_largest_sentence("x")
    notebook = json.loads((files.package_root() / "notebooks" / "risk_register.ipynb")
                          .read_text(encoding="utf-8"))
    code = "".join("".join(cell["source"]) for cell in notebook["cells"]
                   if cell["cell_type"] == "code")
    assert "messages.risk_largest_sentence(residual)" in code and ".0%}" not in code


def test_contingency_allocation_follows_chart_conventions(sample):
    *_, residual, _ = sample
    check_chart(lambda **kw: charts.contingency_allocation(residual.contributions, **kw))


def test_contingency_allocation_refuses_bad_input(sample):
    *_, residual, _ = sample
    with pytest.raises(InputError, match="^contributions: missing column.*'share'"):
        charts.contingency_allocation(residual.contributions.drop(columns="share"))
    with pytest.raises(InputError, match="^max_bars"):
        charts.contingency_allocation(residual.contributions, max_bars=0)
    with pytest.raises(InputError, match="^confidence"):
        charts.contingency_allocation(residual.contributions, confidence=80)


# --------------------------------------------------------------------------- numbers, messages


def _pert_emv(reg: pd.DataFrame, prefix: str) -> float:
    def col(c):
        v = reg[prefix + c] if prefix + c in reg else reg[c]
        return v.where(v.notna(), reg[c]) if prefix else v
    lo, ml, hi, p = (col(c) for c in ("cost_low", "cost_most_likely", "cost_high", "probability"))
    return float((p * (lo + 4 * ml + hi) / 6).sum())


def test_key_numbers_match_an_independent_computation(sample):
    register, a, inherent, residual, flags = sample
    n = messages.risk_key_numbers(a, residual, inherent, flags, currency="EUR")
    assert set(k.name for k in SPEC.key_numbers) <= set(n)
    emv_before, emv_after = _pert_emv(register, ""), _pert_emv(register, "residual_")
    assert n["emv_reduction"]["value"] == pytest.approx(emv_before - emv_after)
    assert n["residual_emv"]["value"] == pytest.approx(emv_after)
    assert n["response_cost"]["value"] == pytest.approx(register["response_cost"].sum())
    assert n["contingency"]["value"] == pytest.approx(
        np.quantile(residual.trials["total_cost"], 0.8))
    assert n["contingency_inherent"]["value"] == pytest.approx(
        np.quantile(inherent.trials["total_cost"], 0.8))
    assert n["contingency"]["unit"] == "EUR" and n["top_risk_share"]["unit"] == "%"
    # Review flags by hand: empty owner; review date before 31 March 2025.
    assert n["n_no_owner"]["value"] == int(register["owner"].isna().sum()) == 2
    due = pd.to_datetime(register["review_date"])
    assert n["n_overdue"]["value"] == int((due < pd.Timestamp("2025-03-31")).sum())
    assert n["n_no_review_date"]["value"] == int(due.isna().sum()) == 1
    # A response that does not pay: its EMV cut is below its cost (R06 in the sample).
    assert n["n_not_paying"]["value"] == 1


def _thousands(value: float) -> str:
    """The house style for amounts of thousands, by hand: one decimal of k, half up, no '.0'."""
    from decimal import ROUND_HALF_UP, Decimal

    k = Decimal(repr(float(value) / 1e3)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"EUR {str(k).removesuffix('.0')}k"


def test_key_messages_quote_the_numbers(sample):
    """Amounts in the house style of every analysis (``btm.style.format_money``), the same
    figures the key-number cards show on the same page."""
    register, a, inherent, residual, flags = sample
    msgs = messages.risk_key_messages(a, residual, inherent, flags, as_of="2025-03-31")
    cont = float(np.quantile(residual.trials["total_cost"], 0.8))
    assert msgs[0].startswith(f"Set aside {_thousands(cont)} for P80")
    cards = messages.risk_key_numbers(a, residual, inherent, flags)
    assert boardpack.format_key_number(cards["contingency"]) == _thousands(cont)
    top = residual.contributions.iloc[0]
    share = boardpack.format_key_number(cards["top_risk_share"])
    assert f"{top['risk']} ({top['title']}) accounts for {share} of it" in msgs[0]
    cut = _pert_emv(register, "") - _pert_emv(register, "residual_")
    assert msgs[1] == (f"Responses cut expected loss by {_thousands(cut)} for "
                       f"{_thousands(register['response_cost'].sum())}; 1 does not pay for "
                       "itself (R06).")
    serious_before = int((register["likelihood"] * register["impact"] >= 10).sum())
    assert msgs[2] == f"{serious_before} of 18 risks are high or critical before responses, 0 after."
    assert msgs[3].startswith("2 risks have no owner and 6 reviews are overdue as of 31 March 2025")


def test_messages_write_each_key_number_as_its_card_does(sample):
    """The card "Largest risk's share of the contingency 18.3%" stood beside the message
    "R03 (...) accounts for 18% of it" on the same board-pack page."""
    register, a, inherent, residual, flags = sample
    said = " ".join(messages.risk_key_messages(a, residual, inherent, flags, as_of="2025-03-31"))
    numbers = messages.risk_key_numbers(a, residual, inherent, flags)
    share = float(residual.contributions["share"].iloc[0])
    assert f"{share:.0%}" != boardpack.format_key_number(numbers["top_risk_share"])  # a case
    check_cards_quoted(numbers, said, ("contingency", "contingency_inherent", "top_risk_share",
                                       "emv_reduction", "response_cost"),
                       counts=("n_no_owner", "n_overdue", "n_no_review_date"))


def test_messages_refuse_wrong_results(sample):
    _, a, _, residual, flags = sample
    with pytest.raises(InputError, match="^assessment"):
        messages.risk_key_messages("register", residual)
    with pytest.raises(InputError, match="^residual"):
        messages.risk_key_numbers(a, a)
    with pytest.raises(InputError, match="^as_of"):
        messages.risk_key_messages(a, residual, flags=flags)
    with pytest.raises(InputError, match="^as_of"):
        messages.risk_review_sentence(flags, as_of="soon")
    with pytest.raises(InputError, match="^flags"):
        messages.risk_review_sentence(pd.DataFrame({"x": [1]}), as_of="2025-03-31")


def test_response_table_lists_every_risk_with_its_title(sample):
    register, a, *_ = sample
    table = messages.risk_response_table(a)
    assert sorted(table["risk"]) == sorted(register["risk"])
    assert table["emv_reduction"].is_monotonic_decreasing
    assert dict(zip(table["risk"], table["title"], strict=True)) == dict(
        zip(register["risk"], register["title"], strict=True))


# --------------------------------------------------------------------------- unusual names


def test_s_curve_lists_every_curve_even_one_starting_with_underscore(sample):
    """A reviewer: a curve named "_residual" vanished from the S-curve's legend (matplotlib
    collected the legend itself and skips labels starting with "_"), a name with two "$"
    became mathematics, and a 60-character name pushed the legend over the plot's labels.
    Every curve is listed, long names wrapped and cut, "$" drawn as typed."""
    _, _, inherent, residual, _ = sample
    long = "Übergang/Été: before responses, $-budget of the whole programme"
    trials = pd.DataFrame({long: inherent.trials["total_cost"],
                           "_residual $x$": residual.trials["total_cost"]})
    fig = charts.contingency_s_curve(trials, currency="EUR")
    assert legend_texts(fig) == ["Übergang/Été: before\nresponses, \\$-budget of…",
                                 "_residual \\$x\\$"]
    assert "_residual $x$" in shown_names(fig)
    assert overlaps(fig) == []


# --------------------------------------------------------------------------- reviewer's cases


@pytest.mark.parametrize(("confidence", "name"), [
    (0.8, "P80"), (0.5, "P50"), (0.975, "P97.5"), (0.995, "P99.5"), (0.9999, "P99.99"),
    (0.05, "P5"), (0.999999999, "P99.9999999")])
def test_percentile_names_keep_the_decimals_of_the_confidence(confidence, name):
    assert messages.risk_percentile_name(confidence) == name


def test_contingency_at_995_is_p99_5_in_message_card_and_figures(sample):
    """confidence=0.995 read "Set aside EUR 816.9k for P100 ..." and "P100 contingency";
    0.975 "P98": a whole-percentile round of the confidence."""
    _, a, *_ = sample
    res = risk.simulate_cost(a, n_simulations=4000, correlation=0.3, confidence=0.995, seed=5)
    inh = risk.simulate_cost(a, basis="inherent", n_simulations=4000, correlation=0.3,
                             confidence=0.995, seed=5)
    cont = float(np.quantile(res.trials["total_cost"], 0.995))
    said = messages.risk_contingency_sentence(res, inh)
    assert said.startswith(f"Set aside {_thousands(cont)} for P99.5 of the risk cost after")
    cards = messages.risk_key_numbers(a, res, inh)
    assert cards["contingency"]["label"] == "P99.5 contingency after responses"
    assert cards["contingency_inherent"]["label"] == "P99.5 contingency before responses"
    fig = charts.contingency_allocation(res.contributions, confidence=0.995)
    assert fig.axes[0].get_title() == "Where the P99.5 contingency goes"
    plt.close(fig)
    trials = pd.DataFrame({"After responses": res.trials["total_cost"]})
    fig = charts.contingency_s_curve(trials, quantiles=[0.5, 0.975])
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert labels[0].startswith("P50 EUR") and labels[1].startswith("P97.5 EUR")
    assert fig.axes[0].texts[1].xy == pytest.approx(
        (np.quantile(res.trials["total_cost"], 0.975), 0.975))
    plt.close(fig)


def test_thresholds_other_than_three_are_refused_before_a_kernel_starts(tmp_path, monkeypatch):
    """`-p thresholds 5,10` said "17 of 18 risks are band 2 or band 3 before responses": the
    "serious" bands became the old medium one. The notebook's bands are low, medium, high,
    critical; its thresholds are where the last three start: three, ascending."""
    import papermill

    from btm import runs

    def refuse(*args, **kwargs):
        raise AssertionError("papermill.execute_notebook was called")

    monkeypatch.setattr(papermill, "execute_notebook", refuse)
    for bad in ("5,10", "5,10,15,20", "15,10,5"):
        with pytest.raises(InputError, match=r"^thresholds: got .*; expected three ascending "
                                             "score thresholds, where the bands medium"):
            runs.run("risk_register", {"thresholds": bad}, reports_dir=tmp_path,
                     progress=False)
    assert not any(tmp_path.rglob("*"))
    assert SPEC.parameters["thresholds"].check([4, 9, 16], "thresholds") == [4.0, 9.0, 16.0]


def _crowded_register(n: int = 200) -> pd.DataFrame:
    """The sample register repeated with new ids R001 ... until it has `n` risks."""
    base = pd.read_csv(REGISTER)
    copies = -(-n // len(base))
    big = pd.concat([base] * copies, ignore_index=True).iloc[:n]
    return big.assign(risk=[f"R{k:03d}" for k in range(1, n + 1)])


def test_heat_map_of_200_risks_keeps_every_cell_readable():
    """With 200 risks the id lists ran out of their cells over their neighbours and the axis
    label. A cell shows at most three lines: the first ids, then "+N more"; the heat map
    table keeps every id. Every text is drawn clear of every other and inside its cell."""
    from chart_checks import drawn_texts

    register = _crowded_register()
    a = risk.assess(register)
    fig = charts.risk_heat_map(a.heat_map, bands=a.labels, footnote="Source: test")
    assert overlaps(fig) == []
    texts, _ = drawn_texts(fig)
    renderer = fig.canvas.get_renderer()
    heat = a.heat_map.set_index(["basis", "likelihood", "impact"])
    seen = 0
    for ax, basis, lik in ((fig.axes[0], "inherent", "likelihood"),
                           (fig.axes[1], "residual", "residual_likelihood")):
        for t in (t for t in texts if t.get_gid() == "risks" and t.axes is ax):
            x, y = t.get_position()
            cell = heat.loc[(basis, round(y + 0.04), round(x))]
            ids = cell["risks"].split(", ")
            lines = t.get_text().split("\n")
            assert len(lines) <= 3
            if len(ids) > 6:
                assert lines == [f"{ids[0]}  {ids[1]}", f"{ids[2]}  {ids[3]}",
                                 f"+{len(ids) - 4} more"]
            else:
                assert t.get_text().split() == ids
            # inside its cell (data coordinates x +- 0.5, y +- 0.5)
            box = t.get_window_extent(renderer).transformed(ax.transData.inverted())
            assert x - 0.5 <= box.x0 and box.x1 <= x + 0.5
            assert y + 0.04 - 0.5 <= box.y0 and box.y1 <= y + 0.04 + 0.5
            seen += len(ids)
        # the table still lists every risk, each once, in the cell of its levels
        cells = a.heat_map[a.heat_map["basis"] == basis]
        listed = sorted(r for s in cells["risks"] if s for r in s.split(", "))
        assert listed == sorted(register["risk"])
        li = register[lik].fillna(register["likelihood"]).astype(int)
        per_level = cells.groupby("likelihood")["n_risks"].sum()
        assert per_level[per_level > 0].to_dict() == li.value_counts().to_dict()
    assert seen == 2 * len(register)
    plt.close(fig)


@pytest.mark.parametrize(("issues", "expected"), [
    (["review overdue"], "Every risk has an owner; 1 review is overdue as of 31 March 2025."),
    ([], "Every risk has an owner and no review is overdue as of 31 March 2025."),
    (["no owner"], "1 risk has no owner; no review is overdue as of 31 March 2025."),
    (["no owner", "no owner", "review overdue", "review overdue", "review overdue"],
     "2 risks have no owner and 3 reviews are overdue as of 31 March 2025."),
    (["no review date"], "Every risk has an owner and no review is overdue as of 31 March "
                         "2025; 1 risk has no review date."),
])
def test_review_sentence_reads_naturally_for_none_one_and_many(issues, expected):
    flags = pd.DataFrame({"risk": [f"R{k}" for k in range(len(issues))], "issue": issues},
                         dtype=object)
    assert messages.risk_review_sentence(flags, as_of="2025-03-31") == expected


def test_single_risk_register_with_owner_and_overdue_review():
    """The reviewer's case: "0 risks have no owner and 1 review is overdue"."""
    one = pd.read_csv(REGISTER).iloc[[0]]  # R01, owned, review due 14 March 2025
    a = risk.assess(one)
    flags = risk.review_flags(a, as_of="2025-03-31")
    assert flags["issue"].tolist() == ["review overdue"]
    assert flags["days_overdue"].tolist() == [17]  # 14 -> 31 March
    assert messages.risk_review_sentence(flags, as_of="2025-03-31") == (
        "Every risk has an owner; 1 review is overdue as of 31 March 2025.")
