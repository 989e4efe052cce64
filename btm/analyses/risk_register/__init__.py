"""Project risk register: what contingency should the board set aside, and do the responses pay?

Decision module :mod:`btm.risk`; charts, messages, notebook and sample data as in every analysis
(see :mod:`btm.analyses`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from btm.analyses import FigureSpec, KeyNumber, Spec, table_file
from btm.constraints import (
    CalendarDate,
    Constraint,
    Currency,
    Interval,
    ListOf,
    Options,
    Probability,
    Seed,
)
from btm.errors import input_error


@dataclass(frozen=True)
class BandThresholds(ListOf):
    """The notebook's ``thresholds``: three ascending scores, where the bands medium, high and
    critical start (the notebook names its bands as :func:`btm.risk.assess` does by default).

    A risk manager reads "high or critical" as the serious risks; two or four thresholds would
    silently give the bands other meanings, so they are refused before any kernel starts.

    Examples
    --------
    >>> BandThresholds().check([5, 10, 15], "thresholds")
    [5.0, 10.0, 15.0]
    >>> BandThresholds().check([5, 10], "thresholds")
    Traceback (most recent call last):
    ...
    btm.errors.InputError: thresholds: got [5, 10]; expected three ascending score thresholds, where the bands medium, high and critical start (such as [5, 10, 15])
    """

    item: Constraint = field(default_factory=lambda: Interval(float, 0))
    min_length: int = 3
    unique: bool = True

    @property
    def expected(self) -> str:  # type: ignore[override]
        return ("three ascending score thresholds, where the bands medium, high and critical "
                "start (such as [5, 10, 15])")

    def check(self, value: Any, name: str) -> list[Any]:
        out = super().check(value, name)
        if len(out) != 3 or out != sorted(out):
            raise input_error(name, got=value, expected=self.expected)
        return out

    def example(self) -> list[float]:
        return [5.0, 10.0, 15.0]

    def invalid_values(self) -> list[Any]:
        return [*super().invalid_values(), [5, 10], [5, 10, 15, 20], [15, 10, 5]]


SPEC = Spec(
    name="risk_register",
    title="Project risk register and contingency",
    question=("How serious are the project's risks before and after their responses, how much "
              "contingency covers them at the board's confidence, which risks need it, and "
              "which responses pay for themselves?"),
    parameters={
        "register_file": table_file("a risk register"),
        "as_of": CalendarDate(text=True),
        "likelihood_scale": Interval(int, 2, 10),
        "impact_scale": Interval(int, 2, 10),
        "thresholds": BandThresholds(),
        "n_simulations": Interval(int, 100, 10**6),
        "distribution": Options(("pert", "triangular")),
        "correlation": Interval(float, 0, 1),
        "confidence": Probability(),
        "seed": Seed(),
        "currency": Currency(),
    },
    key_numbers=(
        KeyNumber("contingency", "Contingency after responses at the confidence", "currency"),
        KeyNumber("contingency_inherent", "Contingency before responses", "currency"),
        KeyNumber("top_risk_share", "Largest risk's share of the contingency", "%"),
        KeyNumber("emv_reduction", "Expected loss cut by the responses", "currency"),
        KeyNumber("response_cost", "Cost of the responses", "currency"),
        KeyNumber("n_not_paying", "Responses that do not pay for themselves", "risks"),
        KeyNumber("n_no_owner", "Risks without an owner", "risks"),
        KeyNumber("n_overdue", "Reviews overdue", "risks"),
    ),
    figures=(
        FigureSpec("risk_heat_map", "Risk heat map before and after responses"),
        FigureSpec("contingency_s_curve", "How much contingency covers the risks?"),
        FigureSpec("contingency_allocation", "Which risks need the contingency"),
    ),
    data="risk_register",
    order=6,
)
