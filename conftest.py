"""Collection rules for every test path (``btm/`` doctests, ``tests/``, ``notebooks/``).

statsforecast caps pandas < 3, so the pandas 3 environment (``make test-pandas3``) is built
without it. There the modules that need statsforecast are not collected, and the same ``pytest``
command runs in both environments.
"""

from __future__ import annotations

import importlib.util

NEEDS_STATSFORECAST = ["btm/forecast.py", "tests/test_forecast.py"]
HAS_STATSFORECAST = importlib.util.find_spec("statsforecast") is not None

collect_ignore = [] if HAS_STATSFORECAST else list(NEEDS_STATSFORECAST)


def pytest_report_header(config) -> str | None:
    if HAS_STATSFORECAST:
        return None
    return "statsforecast not installed: not collected " + ", ".join(NEEDS_STATSFORECAST)
