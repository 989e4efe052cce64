"""IT budget and chargeback: what IT costs next year (run / grow / transform, capex / opex,
P&L), how it compares with last year, and what each business unit consumes.

Decision modules :mod:`btm.budget` (and :mod:`btm.roadmap` for the initiatives' spend); charts,
messages, notebook and sample data as in every analysis (see :mod:`btm.analyses`).
"""

from __future__ import annotations

from btm.analyses import FigureSpec, KeyNumber, Spec, table_file
from btm.budget import MAX_USEFUL_LIFE, CalendarYear
from btm.constraints import Currency, Interval, Rate

SPEC = Spec(
    name="it_budget",
    title="IT budget and chargeback",
    question=("What does IT cost next year to run, grow and transform the business, in cash "
              "and in the P&L, and which business unit consumes how much of it?"),
    parameters={
        "actuals_file": table_file("last year's IT costs"),
        "pool_to_tower_file": table_file("the cost pool to tower weights"),
        "tower_to_service_file": table_file("the tower to service weights"),
        "services_file": table_file("the services and their drivers"),
        "drivers_file": table_file("the business units' consumption"),
        "initiatives_file": table_file("the roadmap's initiatives table"),
        "profiles_file": table_file("the roadmap's cost profiles"),
        "years_file": table_file("the roadmap's yearly budgets"),
        # a year the inputs speak about (the year after the actuals, within the roadmap's
        # years) is checked against the files by btm.budget.annual_budget
        "budget_year": CalendarYear(),
        "actuals_year": CalendarYear(),
        "escalation": Rate(),
        "discount_rate": Rate(),
        "default_useful_life": Interval(int, 1, MAX_USEFUL_LIFE),
        "currency": Currency(),
    },
    key_numbers=(
        KeyNumber("budget_total", "IT budget (opex + capex)", "currency"),
        KeyNumber("run_share", "Run share of the budget", "%"),
        KeyNumber("grow_share", "Grow share of the budget", "%"),
        KeyNumber("transform_share", "Transform share of the budget", "%"),
        KeyNumber("capex", "Capital spend", "currency"),
        KeyNumber("pnl_cost", "P&L cost (opex + depreciation)", "currency"),
        KeyNumber("largest_consumer_share", "Share of allocated IT cost of the largest consumer",
                  "%"),
        KeyNumber("unallocated", "IT cost not allocated to a business unit", "currency"),
    ),
    figures=(
        FigureSpec("budget_split", "Run, grow and transform"),
        FigureSpec("chargeback", "Who consumes IT"),
    ),
    data="it_budget",
    order=9,
)
