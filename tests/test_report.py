"""Tests of btm.report's table display: what JupyterLab and report.html show of a DataFrame."""

from __future__ import annotations

import pandas as pd
import pytest

from btm import report


@pytest.fixture
def house_display():
    """The display options ``report.start`` sets, reset afterwards (they are global)."""
    report.start("", analysis="test")
    yield
    pd.reset_option("display.float_format")
    pd.reset_option("display.width")


def test_tables_show_numbers_as_the_notebook_rounded_them(house_display):
    """A reviewer's report.html showed availability 0.9961 as 1.00, a peer median 0.9975 as
    1.00 and a grow share 0.145 as 0.14 (beside a key message saying 15%): every number below
    1,000 was cut to two decimals, whatever the notebook's ``.round(3)`` said."""
    df = pd.DataFrame({
        "metric": ["availability", "grow_share", "spend"],
        "value": [0.9961, 0.145, 2_715_001.4],
        "p25": [0.995, 0.12, 1_000.0],
        "median": [0.9975, 0.19, 12.5],
    })
    html, text = df._repr_html_(), repr(df)
    for shown in ("0.9961", "0.995", "0.9975", "0.145", "2,715,001", "1,000", "12.5"):
        assert f"<td>{shown}</td>" in html, shown
        assert shown in text, shown
    assert "1.00" not in html and "0.14<" not in html

    rounded = pd.DataFrame({"x": [2 / 3, 0.123456789]}).round(3)
    assert [f"<td>{v}</td>" in rounded._repr_html_() for v in ("0.667", "0.123")] == [True, True]
    unrounded = pd.DataFrame({"x": [2 / 3]})
    assert "<td>0.666667</td>" in unrounded._repr_html_()  # pandas' own six digits
