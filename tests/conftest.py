"""Shared test configuration.

The fixture notebooks in ``tests/notebooks/`` are executed by the orchestration tests through
btm.runs; they hold no stored outputs, so nbval must not collect them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

collect_ignore_glob = ["notebooks/*.ipynb"]


@pytest.fixture
def other_eigenbasis(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Call it to make np.linalg.eigh return another valid eigenbasis: flipped signs and,
    where eigenvalues repeat, a rotation inside their eigenspace, as another CPU's LAPACK may
    (seen: OPENBLAS_CORETYPE=Prescott against the default kernel)."""
    eigh = np.linalg.eigh

    def rotated(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        values, vectors = eigh(a)
        vectors = -vectors
        same = np.flatnonzero(np.isclose(values, values[0]))
        if same.size > 1:  # any orthogonal mix of an eigenspace's vectors is as valid
            q, _ = np.linalg.qr(np.random.default_rng(0).standard_normal((same.size,) * 2))
            vectors[:, same] = vectors[:, same] @ q
        return values, vectors

    return lambda: monkeypatch.setattr(np.linalg, "eigh", rotated)
