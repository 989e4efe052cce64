"""Technology roadmap: which initiatives to fund, in which year, within yearly budgets and
scarce people, and what the exact method gains over ranking by value per euro.

Decision module :mod:`btm.roadmap`; charts, messages, notebook and sample data as in every analysis
(see :mod:`btm.analyses`).
"""

from __future__ import annotations

from btm.analyses import FigureSpec, KeyNumber, Spec, table_file
from btm.constraints import Currency, Interval, ListOf, Rate

SPEC = Spec(
    name="technology_roadmap",
    title="Technology roadmap under a budget",
    question=("Which initiatives should we fund, and in which year, within the yearly budgets "
              "and scarce people, and what would ranking by value per euro leave on the table?"),
    parameters={
        "initiatives_file": table_file("the initiatives table"),
        "profiles_file": table_file("the cost and people profiles"),
        "years_file": table_file("the yearly budgets and capacities"),
        "discount_rate": Rate(),
        "currency": Currency(),
        "budget_step": Interval(float, 0, None, closed="neither"),
        "frontier_factors": ListOf(Interval(float, 0, 10), min_length=2),
    },
    key_numbers=(
        KeyNumber("exact_value", "Value of the best roadmap", "currency"),
        KeyNumber("ranking_value", "Value of the roadmap ranked by value per euro", "currency"),
        KeyNumber("value_gain", "Value gained by the exact method", "currency"),
        KeyNumber("value_gain_share", "Value gained by the exact method, share of the ranking's "
                  "value", "%"),
        KeyNumber("ranking_shortfall_share", "Value the ranking leaves unfunded, share of the "
                  "best roadmap", "%"),
        KeyNumber("best_step_gain", "Value added by one budget step in the best year",
                  "currency"),
    ),
    figures=(
        FigureSpec("roadmap_gantt", "The roadmap"),
        FigureSpec("efficient_frontier", "What more or less budget buys"),
        FigureSpec("budget_use", "Budget and people used each year"),
    ),
    data="technology_roadmap",
    order=8,
)
