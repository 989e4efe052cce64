"""Key numbers and key messages of IT benchmarking, computed from results, never typed.

Presentation layer: takes the :class:`btm.benchmark.BenchmarkResult` of
:func:`btm.benchmark.compare` and returns plain-word sentences (most important first), one
sentence per notebook section, and the key numbers for ``results.json``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from btm.analyses.it_benchmarking.charts import format_metric_value, metric_label
from btm.benchmark import SPLIT_SHARES, BenchmarkResult, spend_mix
from btm.messages import check_result, format_percent
from btm.style import format_percentile
from btm.validate import tables_checked

__all__ = ["it_benchmark_key_messages", "it_benchmark_key_numbers", "it_benchmark_sentences"]


def _check(result: Any) -> None:
    check_result(result, "result", BenchmarkResult, "btm.benchmark.compare")


#: Metrics whose value and peer median are also key-number cards (written as the cards write them).
_CARD_METRICS = ("run_share",)


def _row(result: BenchmarkResult, metric: str) -> pd.Series | None:
    p = result.positions
    rows = p.loc[p["metric"] == metric]
    return rows.iloc[0] if len(rows) else None


def _spend_sentence(result: BenchmarkResult) -> str | None:
    spend, run = _row(result, "it_spend_per_employee"), _row(result, "run_share")
    if spend is None and run is None:
        return None
    parts = []
    if spend is not None:
        parts.append(f"IT spend is at the {format_percentile(float(spend['percentile']))} "
                     "of peers per employee")
    if run is not None:
        value, median = float(run["value"]), float(run["median"])
        joint = "but " if spend is not None and value > median else "and " if spend is not None \
            else ""
        parts.append(f"{joint}{format_percent(value)} goes to running the business against a "
                     f"peer median of {format_percent(median)}")
    return ", ".join(parts) + "."


def _value(metric: str, value: float, unit: Any, other: float) -> str:
    """A metric's value as its key-number card writes it (the run share: 80.5%), if it has
    one; else as the chart labels it (precise enough to tell it from `other`)."""
    if metric in _CARD_METRICS:
        return format_percent(value)
    return format_metric_value(value, unit, other)


def _attention_sentence(result: BenchmarkResult) -> str:
    p = result.positions
    flagged = p.loc[p["attention"]]
    head = (f"{len(flagged)} of {len(p)} metrics fall outside the peers' interquartile range "
            "and warrant attention")
    if flagged.empty:
        return f"None of the {len(p)} metrics falls outside the peers' interquartile range."
    items = [f"{metric_label(m, s)} {_value(m, v, u, med)} (peer median "
             f"{_value(m, med, u, v)}, {r})"
             for m, s, v, u, med, r in zip(flagged["metric"], flagged["scales_with"],
                                          flagged["normalised_value"], flagged["unit"],
                                          flagged["median"], flagged["reading"], strict=True)]
    return head + ": " + "; ".join(items) + "."


@tables_checked
def it_benchmark_sentences(result: BenchmarkResult) -> dict[str, str]:
    """One sentence per section of the notebook, computed from the result.

    Keys ``positions`` and ``mix`` (the run / grow / transform split, or that it is missing).

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import benchmark
    >>> org = pd.DataFrame({"metric": ["availability"], "value": [0.990]})
    >>> peers = pd.DataFrame({"industry": ["X"], "size_band": ["S"], "metric": ["availability"],
    ...     "p25": [0.995], "median": [0.9975], "p75": [0.999], "better": ["higher"],
    ...     "unit": ["fraction"]})
    >>> it_benchmark_sentences(benchmark.compare(org, peers, industry="X", size_band="S"))[
    ...     "positions"]
    "1 of 1 metrics fall outside the peers' interquartile range and warrant attention: Availability of core systems 99.0% (peer median 99.8%, unfavourable)."
    """
    _check(result)
    out = {"positions": _attention_sentence(result)}
    mix = spend_mix(result)
    if len(mix):
        def per_100(metric: str, column: str) -> str:  # as in the attention sentence
            other = "median" if column == "value" else "value"
            return _value(metric, float(mix.loc[metric, column]), "fraction",
                          float(mix.loc[metric, other])).removesuffix("%")

        run, grow, transform = SPLIT_SHARES
        out["mix"] = (f"Of every 100 spent on IT, {per_100(run, 'value')} keeps the business "
                      f"running, {per_100(grow, 'value')} grows it and "
                      f"{per_100(transform, 'value')} transforms it; the peer medians are "
                      f"{per_100(run, 'median')}, {per_100(grow, 'median')} and "
                      f"{per_100(transform, 'median')}.")
    else:
        out["mix"] = ("The run / grow / transform split was not compared: give run_spend, "
                      "grow_spend and transform_spend and their peer shares.")
    return out


@tables_checked
def it_benchmark_key_messages(result: BenchmarkResult) -> list[str]:
    """Sentences for the board, most important first.

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import benchmark
    >>> org = pd.DataFrame({"metric": ["it_spend", "employees", "run_spend", "grow_spend",
    ...     "transform_spend"], "value": [3.0e6, 500, 2.4e6, 0.45e6, 0.15e6]})
    >>> peers = pd.DataFrame({"industry": ["X"] * 2, "size_band": ["S"] * 2,
    ...     "metric": ["it_spend_per_employee", "run_share"], "p25": [4000, 0.64],
    ...     "median": [5500, 0.70], "p75": [7500, 0.76], "better": ["neither", "lower"]})
    >>> it_benchmark_key_messages(benchmark.compare(org, peers, industry="X", size_band="S"))[0]
    'IT spend is at the 57th percentile of peers per employee, but 80% goes to running the business against a peer median of 70%.'
    """
    _check(result)
    messages = []
    first = _spend_sentence(result)
    if first:
        messages.append(first)
    messages.append(_attention_sentence(result))
    messages.append(f"Peer group: {result.industry}, size band {result.size_band}; percentiles "
                    "come from the peers' quartiles (exact at the quartiles, estimated beyond "
                    "them).")
    return messages


@tables_checked
def it_benchmark_key_numbers(result: BenchmarkResult) -> dict[str, dict[str, Any]]:
    """Key numbers for ``results.json`` and the board pack.

    ``spend_per_employee_percentile`` (0-100), ``n_attention`` (metrics outside the peers'
    interquartile range), ``run_share`` and ``run_share_peer_median`` (fractions); null when
    the metric was not compared.

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import benchmark
    >>> org = pd.DataFrame({"metric": ["it_spend", "employees"], "value": [3.0e6, 500]})
    >>> peers = pd.DataFrame({"industry": ["X"], "size_band": ["S"],
    ...     "metric": ["it_spend_per_employee"], "p25": [4000], "median": [6000], "p75": [7500]})
    >>> it_benchmark_key_numbers(benchmark.compare(org, peers, industry="X", size_band="S"))[
    ...     "spend_per_employee_percentile"]["value"]
    50.0
    """
    _check(result)
    spend, run = _row(result, "it_spend_per_employee"), _row(result, "run_share")
    return {
        "spend_per_employee_percentile": {
            "value": None if spend is None else float(spend["percentile"]),
            "unit": "percentile",
            "label": "IT spend per employee, percentile of peers",
        },
        "n_attention": {
            "value": int(result.positions["attention"].sum()),
            "unit": "metrics",
            "label": f"Metrics outside the peers' interquartile range (of "
                     f"{len(result.positions)})",
        },
        "run_share": {
            "value": None if run is None else float(run["value"]),
            "unit": "%",
            "label": "Share of IT spend that runs the business",
        },
        "run_share_peer_median": {
            "value": None if run is None else float(run["median"]),
            "unit": "%",
            "label": "Peer median of the run share",
        },
    }
