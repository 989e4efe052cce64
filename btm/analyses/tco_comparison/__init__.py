"""TCO comparison: which option has the lowest total cost of ownership over the horizon?

Decision module :mod:`btm.tco`; charts, messages, notebook and sample data as in every analysis
(see :mod:`btm.analyses`).
"""

from __future__ import annotations

from btm.analyses import FigureSpec, KeyNumber, Spec, table_file
from btm.constraints import Currency, Interval, Options, Rate, Seed

SPEC = Spec(
    name="tco_comparison",
    title="Total cost of ownership",
    question=("Which option has the lowest total cost of ownership over the horizon, when does "
              "one overtake another, what drives it, how sure are we?"),
    parameters={
        "costs_file": table_file("a cost table"),
        "horizon_years": Interval(int, 1, 100),
        "discount_rate": Rate(),
        "currency": Currency(),
        "n_simulations": Interval(int, 100, 10_000_000),
        "distribution": Options(("pert", "triangular")),
        "correlation": Interval(float, -1, 1),
        "seed": Seed(),
    },
    key_numbers=(
        KeyNumber("cheapest_present_value", "Present value of the cheapest option", "currency"),
        KeyNumber("cheapest_equivalent_annual_cost", "Equivalent annual cost of the cheapest",
                  "currency"),
        KeyNumber("prob_cheapest", "Chance the cheapest is cheapest", "%"),
    ),
    figures=(
        FigureSpec("cost_by_category", "Where the money goes"),
        FigureSpec("cumulative_cost", "Cumulative cost and break-even"),
        FigureSpec("tornado", "What moves the answer"),
        FigureSpec("s_curves", "How sure are we?"),
    ),
    data="tco",
    order=1,
)
