"""BTM competency assessment: where business and IT leaders see the organisation, what to develop.

Decision module :mod:`btm.competency`; charts, messages, notebook and sample data as in every
analysis (see :mod:`btm.analyses`).
"""

from __future__ import annotations

from btm.analyses import FigureSpec, KeyNumber, Spec, table_file
from btm.constraints import CalendarDate, Increasing, Interval, Options, Probability, Seed

SPEC = Spec(
    name="btm_competencies",
    title="BTM competencies",
    question=("Where do business and IT leaders see the fifteen BTM competencies, where do they "
              "disagree most, and which competencies should be developed next, by when, so "
              "that each is ready for its moment in the calendar?"),
    parameters={
        "survey_file": table_file("a survey table"),
        "catalogue_file": table_file("a competency catalogue"),
        "scale_min": Interval(float),
        "scale_max": Interval(float),
        "threshold": Interval(float),
        "basis": Options(("lower_group", "overall")),
        "test": Options(("mann_whitney", "permutation")),
        "alpha": Probability(),
        "n_resamples": Interval(int, 100, 10**6),
        "seed": Seed(),
        "plan_start": CalendarDate(text=True),
        "strategy_review": CalendarDate(text=True),
        "budget_deadline": CalendarDate(text=True),
        "fiscal_year_start": CalendarDate(text=True),
        "development_months": Interval(int, 1, 60),
        "max_parallel": Interval(int, 1, 100),
    },
    rules=(
        Increasing("scale_min", "scale_max"),
        Increasing("scale_min", "threshold", strict=False),  # a threshold on the scale
        Increasing("threshold", "scale_max", strict=False),
    ),
    key_numbers=(
        KeyNumber("largest_gap", "Size of the largest business-IT perception gap",
                  "rating points"),
        KeyNumber("n_significant_gaps", "Competencies with a significant gap", "competencies"),
        KeyNumber("days_to_first_start_by", "Days until the first competency must start",
                  "days"),
    ),
    figures=(
        FigureSpec("competency_maturity", "How business and IT rate each competency"),
        FigureSpec("competency_gap_ranking", "Where the perception gap matters most"),
        FigureSpec("development_timeline", "What to develop when"),
    ),
    data="btm_competencies",
    order=10,
)
