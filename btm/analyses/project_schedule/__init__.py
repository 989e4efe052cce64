"""Project schedule: when will the project finish, what is critical, and does it fit the team?

Decision module :mod:`btm.schedule`; figures in :mod:`.charts`; key numbers and messages in
:mod:`.messages`; notebook ``btm/notebooks/project_schedule.ipynb``; sample data
``btm/data/project_schedule/``.
"""

from __future__ import annotations

from btm.analyses import FigureSpec, KeyNumber, Spec
from btm.constraints import Interval, Options, Probability, Seed, Text

_DATE = r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"

SPEC = Spec(
    name="project_schedule",
    title="Project schedule and critical path",
    question=("When will the project finish and how likely is the deadline, which tasks are "
              "critical (and how often, once estimates vary), and does the plan fit the "
              "team's capacity or must the deadline move?"),
    parameters={
        "tasks_file": Text(description="the path of a task table (CSV or XLSX)"),
        "resources_file": Text(description="the path of a resource capacity table (CSV or XLSX)"),
        "start_date": Text(pattern=_DATE, description="a date such as 2025-01-06 (YYYY-MM-DD)"),
        "deadline": Interval(float, 0, 10_000),
        "confidence": Probability(),
        "n_simulations": Interval(int, 100, 10**7),
        "distribution": Options(("pert", "triangular")),
        "seed": Seed(),
    },
    key_numbers=(
        KeyNumber("probability_by_deadline", "Chance of finishing by the deadline (simulation)",
                  "%"),
        KeyNumber("pert_probability_by_deadline", "Chance of finishing by the deadline (PERT)",
                  "%"),
        KeyNumber("finish_at_confidence", "Finish at the chosen confidence", "weeks"),
        KeyNumber("planned_duration", "Planned duration (critical path)", "weeks"),
        KeyNumber("levelled_duration", "Duration after levelling to capacity", "weeks"),
    ),
    figures=(
        FigureSpec("gantt", "Schedule and critical path"),
        FigureSpec("duration_s_curve", "When will the project finish?"),
        FigureSpec("resource_profile", "Resource use before and after levelling"),
    ),
    data="project_schedule",
    boardpack=True,
    order=7,
)
