"""Project risk register: what contingency should the board set aside, and do the responses pay?

Decision module :mod:`btm.risk`; charts, messages, notebook and sample data as in every analysis
(see :mod:`btm.analyses`).
"""

from __future__ import annotations

from btm.analyses import FigureSpec, KeyNumber, Spec, table_file
from btm.constraints import (
    CalendarDate,
    Currency,
    Interval,
    ListOf,
    Options,
    Probability,
    Seed,
)

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
        "thresholds": ListOf(Interval(float, 0), min_length=1, unique=True),
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
