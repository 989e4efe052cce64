"""Collection rules for every test path (``btm/`` doctests, ``tests/``, ``notebooks/``).

statsforecast caps pandas < 3, so the pandas 3 environment (``make test-pandas3``) is built
without it. There the files listed in ``NEEDS_STATSFORECAST`` are not collected, and the same
``pytest`` command runs in both environments. List here every btm module whose doctests need
statsforecast (directly or through ``btm.forecast``) and every such notebook; a test module that
needs it starts with ``pytest.importorskip("statsforecast")`` instead (or is listed here).
"""

from __future__ import annotations

import importlib.util

import pytest

NEEDS_STATSFORECAST = [
    "btm/forecast.py",
    "btm/jit.py",
    "notebooks/demand_forecast_jit.ipynb",
    "tests/test_forecast.py",
]
HAS_STATSFORECAST = importlib.util.find_spec("statsforecast") is not None

collect_ignore = [] if HAS_STATSFORECAST else list(NEEDS_STATSFORECAST)


def pytest_report_header(config: pytest.Config) -> str | None:
    if HAS_STATSFORECAST:
        return None
    return "statsforecast not installed: not collected " + ", ".join(NEEDS_STATSFORECAST)
