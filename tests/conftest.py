"""Shared test configuration.

The fixture notebooks in ``tests/notebooks/`` are executed by the orchestration tests through
btm.runs; they hold no stored outputs, so nbval must not collect them.
"""

collect_ignore_glob = ["notebooks/*.ipynb"]
