"""Project schedule: when will the project finish, what is critical, and does it fit the team?

Decision module :mod:`btm.schedule`; charts, messages, notebook and sample data as in every
analysis (see :mod:`btm.analyses`).
"""

from __future__ import annotations

from btm.analyses import FigureSpec, KeyNumber, Spec, table_file
from btm.constraints import CalendarDate, Interval, Options, Probability, Seed

SPEC = Spec(
    name="project_schedule",
    title="Project schedule and critical path",
    question=("When will the project finish and how likely is the deadline, which tasks are "
              "critical (and how often, once estimates vary), and does the plan fit the "
              "team's capacity or must the deadline move?"),
    parameters={
        "tasks_file": table_file("a task table"),
        "resources_file": table_file("a resource capacity table"),
        "start_date": CalendarDate(text=True),
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
    order=7,
)
