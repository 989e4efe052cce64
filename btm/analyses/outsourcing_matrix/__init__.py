"""Outsourcing decision matrix: what to keep in-house, what to source, and why.

Decision module :mod:`btm.outsourcing`; charts, messages, notebook and sample data as in every
analysis (see :mod:`btm.analyses`).

The matrix's axes follow Insinga and Werle (2000); its cell names, strategies and
keep/partner/source stances are btm's adaptation of their logic (see :mod:`btm.outsourcing`,
"Adaptation").
"""

from __future__ import annotations

from btm.analyses import FigureSpec, KeyNumber, Spec, table_file
from btm.constraints import Currency, Increasing, Interval, Rate
from btm.outsourcing import Boundaries

SPEC = Spec(
    name="outsourcing_matrix",
    title="Outsourcing decision matrix",
    question=("Which IT activities should stay in-house, which be sourced or partnered, by "
              "strategic importance and capability against the best providers, and does the "
              "cost case agree?"),
    parameters={
        "ratings_file": table_file("a ratings table"),
        "criteria_file": table_file("a sub-criteria table"),
        "costs_file": table_file("a cost table"),
        "scale_min": Interval(float),
        "scale_max": Interval(float),
        "importance_bounds": Boundaries(),  # two increasing values, checked before any kernel
        "capability_bounds": Boundaries(),
        "margin": Interval(float, 0, 0.5),
        "disagreement": Interval(float, 0, 1, closed="right"),
        "opportunism_threshold": Interval(float, 0, 1),
        "horizon_years": Interval(int, 1, 50),
        "discount_rate": Rate(),
        "currency": Currency(),
    },
    rules=(Increasing("scale_min", "scale_max"),),
    key_numbers=(
        KeyNumber("n_keep", "Activities in keep cells", "activities"),
        KeyNumber("n_partner", "Activities in partner cells", "activities"),
        KeyNumber("n_source", "Activities in source cells", "activities"),
        KeyNumber("in_house_cost_keep", "In-house annual cost in keep cells", "currency"),
        KeyNumber("in_house_cost_partner", "In-house annual cost in partner cells", "currency"),
        KeyNumber("in_house_cost_source", "In-house annual cost in source cells", "currency"),
        KeyNumber("source_present_value",
                  "Present value of sourcing the source cells that pay back", "currency"),
        KeyNumber("n_review", "Activities flagged for review", "activities"),
        KeyNumber("n_conflicts", "Matrix-versus-cost conflicts", "activities"),
        KeyNumber("largest_conflict", "Largest matrix-versus-cost conflict", "currency"),
    ),
    figures=(
        FigureSpec("outsourcing_matrix", "The outsourcing matrix"),
        FigureSpec("outsourcing_spread", "Where the assessors disagree"),
        FigureSpec("outsourcing_cost_case", "The cost case beside the matrix"),
    ),
    data="outsourcing_matrix",
    order=5,
)
