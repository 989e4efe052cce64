"""Key numbers and key messages of the project schedule, computed from results, never typed.

Presentation layer: takes the results of :func:`btm.schedule.critical_path`,
:func:`btm.schedule.simulate_duration`, :func:`btm.schedule.level_resources` and
:func:`btm.schedule.smooth_resources` and returns plain-word sentences (most important first),
one per notebook section, and the key numbers that go into ``results.json``. Periods are weeks
(the unit of the sample data); dates come from :func:`btm.schedule.to_date`: the date of a
finish at week ``w`` is the day during which the work ends (the last day of week ``w`` for a whole
number of weeks), so "finishing by the deadline, week 4 (2 Feb 2025)" and "P80 is week 4
(2 Feb 2025)" mean done by the end of that day.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from btm.errors import InputError
from btm.messages import check_result
from btm.schedule import DurationSimulation, Levelling, Schedule, Smoothing, to_date
from btm.style import format_percent, percentile_name
from btm.validate import tables_checked

__all__ = [
    "schedule_path_sentence",
    "schedule_deadline_sentence",
    "schedule_criticality_sentence",
    "schedule_levelling_sentence",
    "schedule_smoothing_sentence",
    "schedule_key_messages",
    "schedule_key_numbers",
]


def _check(value: Any, kind: type, name: str, where: str) -> None:
    check_result(value, name, kind, f"btm.schedule.{where}")


def _date(start_date: Any, weeks: float) -> str:
    """The day the work ending at `weeks` ends on (see :func:`btm.schedule.to_date`)."""
    d = to_date(start_date, weeks, unit="week")
    return f"{d.day} {d:%b %Y}"


def _p(confidence: float) -> str:
    """The percentile a confidence names: P80, P97.5 (never rounded to P98)."""
    return percentile_name(confidence)


def _week(x: float) -> str:
    return f"{x:.0f}" if abs(x - round(x)) < 1e-9 else f"{x:.1f}"


def _weeks(x: float) -> str:
    """A length in weeks: ``1 week``, ``2 weeks``, ``1.5 weeks``."""
    text = _week(x)
    return f"{text} week" if text == "1" else f"{text} weeks"


def _count(n: int, one: str, many: str) -> str:
    """``1 task``, ``2 tasks``: a count with its noun in the right number."""
    return f"{n} {one if n == 1 else many}"


def _names(tasks: pd.DataFrame | None) -> dict[str, str]:
    if tasks is None:
        return {}
    if not isinstance(tasks, pd.DataFrame) or "task" not in tasks.columns:
        raise InputError("tasks: expected a task table with a column 'task'")
    if "name" not in tasks.columns:
        return {}
    return {str(t): str(n) for t, n in zip(tasks["task"], tasks["name"], strict=True)
            if pd.notna(n) and str(n).strip()}


def _called(task: str, names: dict[str, str]) -> str:
    return f"{names[task]} ({task})" if task in names else task


@tables_checked
def schedule_path_sentence(schedule: Schedule) -> str:
    """Length of the plan and how many tasks and paths are critical.

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import schedule as sch
    >>> t = pd.DataFrame({"task": ["A", "B", "C"], "duration": [3, 3, 1],
    ...                   "predecessors": ["", "", "A, B"]})
    >>> schedule_path_sentence(sch.critical_path(t))
    'The plan takes 4 weeks; 3 of 3 tasks are critical (no float), on 2 critical paths.'
    >>> schedule_path_sentence(sch.critical_path(t.iloc[:1]))
    'The plan takes 3 weeks; its one task is critical (no float), on one critical path.'
    >>> schedule_path_sentence(sch.critical_path(t.assign(duration=[1, 1, 0]).iloc[:2]))
    'The plan takes 1 week; 2 of 2 tasks are critical (no float), on 2 critical paths.'
    """
    _check(schedule, Schedule, "schedule", "critical_path")
    s = schedule.summary.iloc[0]
    n_paths, n_critical, n_tasks = (int(s[c]) for c in ("n_critical_paths", "n_critical",
                                                         "n_tasks"))
    paths = ("on one critical path" if n_paths == 1
             else "on no single critical path" if n_paths == 0
             else f"on {n_paths} critical paths")
    if n_tasks == 1:
        critical = f"its one task {'is' if n_critical else 'is not'} critical"
    else:
        critical = f"{n_critical} of {n_tasks} tasks {'is' if n_critical == 1 else 'are'} critical"
    return f"The plan takes {_weeks(schedule.duration)}; {critical} (no float), {paths}."


@tables_checked
def schedule_deadline_sentence(simulation: DurationSimulation, *, start_date: Any,
                               confidence: float = 0.8) -> str:
    """The chance of meeting the deadline (simulated and by PERT) and the finish at `confidence`.

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import schedule as sch
    >>> t = pd.DataFrame({"task": ["A"], "optimistic": [4], "most_likely": [4],
    ...                   "pessimistic": [4]})
    >>> sim = sch.simulate_duration(t, n_simulations=100, deadline=4)
    >>> schedule_deadline_sentence(sim, start_date="2025-01-06")
    'Finishing by the deadline, week 4 (2 Feb 2025), has a 100% chance (100% by PERT); P80 is week 4 (2 Feb 2025).'
    """
    _check(simulation, DurationSimulation, "simulation", "simulate_duration")
    s = simulation.summary.iloc[0]
    if "deadline" not in simulation.summary.columns or pd.isna(s.get("deadline")):
        raise InputError("simulation: has no deadline; expected simulate_duration(..., "
                         "deadline=...)")
    d = float(s["deadline"])
    finish = simulation.finish_at(confidence)
    return (f"Finishing by the deadline, week {_week(d)} ({_date(start_date, d)}), has a "
            f"{format_percent(float(s['probability_by_deadline']))} chance "
            f"({format_percent(float(s['pert_probability_by_deadline']))} by PERT); "
            f"{_p(confidence)} is week {_week(finish)} "
            f"({_date(start_date, finish)}).")


def _criticality_pick(simulation: DurationSimulation) -> tuple[str, float, bool] | None:
    """(task, criticality index, on PERT's path): the task off PERT's critical path that is
    critical most often; else the PERT-critical task critical least often (below 100 %)."""
    t = simulation.tasks
    off = t[~t["pert_critical"].astype(bool) & (t["criticality_index"] >= 0.05)]
    if len(off):
        row = off.sort_values("criticality_index", ascending=False, kind="stable").iloc[0]
        return str(row["task"]), float(row["criticality_index"]), False
    on = t[t["pert_critical"].astype(bool) & (t["criticality_index"] < 1 - 1e-12)]
    if len(on):
        row = on.sort_values("criticality_index", kind="stable").iloc[0]
        return str(row["task"]), float(row["criticality_index"]), True
    return None


@tables_checked
def schedule_criticality_sentence(simulation: DurationSimulation,
                                  tasks: pd.DataFrame | None = None) -> str:
    """The criticality index PERT misses most: a task off PERT's critical path that is often
    critical (or a PERT-critical task that often is not).

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import schedule as sch
    >>> t = pd.DataFrame({"task": ["A", "B", "C"], "name": ["Build", "Buy", "Test"],
    ...     "optimistic": [1, 1, 1], "most_likely": [2, 2, 1], "pessimistic": [3, 3.2, 1],
    ...     "predecessors": ["", "", "A, B"]})
    >>> schedule_criticality_sentence(sch.simulate_duration(t, n_simulations=2000), t)
    'Build (A) is critical in 48.8% of simulations although PERT leaves it off the critical path.'
    """
    _check(simulation, DurationSimulation, "simulation", "simulate_duration")
    names = _names(tasks)
    pick = _criticality_pick(simulation)
    if pick is None:
        n = int(simulation.tasks["pert_critical"].astype(bool).sum())
        if n == 1:
            return "The one task PERT finds critical is critical in every simulation."
        every = "Both" if n == 2 else f"All {n}"
        return f"{every} tasks PERT finds critical are critical in every simulation."
    task, ci, on_path = pick
    if on_path:
        return (f"{_called(task, names)} is on PERT's critical path but critical in only "
                f"{format_percent(ci)} of simulations.")
    return (f"{_called(task, names)} is critical in {format_percent(ci)} of simulations "
            "although PERT "
            "leaves it off the critical path.")


@tables_checked
def schedule_levelling_sentence(levelling: Levelling, *, start_date: Any) -> str:
    """What keeping every resource within capacity does to the end date.

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import schedule as sch
    >>> t = pd.DataFrame({"task": ["a", "b"], "duration": [2, 2], "predecessors": ["", ""],
    ...                   "resource": ["dev", "dev"], "units": [1, 1]})
    >>> schedule_levelling_sentence(sch.level_resources(t, {"dev": 1}), start_date="2025-01-06")
    'Levelling to capacity moves the end from week 2 to 4 (2 Feb 2025); the deadline (week 2) must move.'
    """
    _check(levelling, Levelling, "levelling", "level_resources")
    before, after = levelling.duration_before, levelling.duration_after
    limit = before if levelling.deadline is None else float(levelling.deadline)
    if after <= before + 1e-9:
        delayed = int((levelling.tasks["delay"].to_numpy(dtype=float) > 1e-9).sum())
        if delayed == 0:
            return (f"Levelling to capacity moves no task: the plan already fits every "
                    f"resource's capacity, and the end stays at week {_week(after)}.")
        if delayed == 1:
            return (f"Levelling to capacity keeps the end at week {_week(after)}: the one task "
                    "it delays stays within its float.")
        return (f"Levelling to capacity keeps the end at week {_week(after)}: every delay "
                f"fits within the tasks' float ({delayed} tasks delayed).")
    tail = (f"; the deadline (week {_week(limit)}) must move" if levelling.deadline_must_move
            else f", still within the deadline (week {_week(limit)})")
    return (f"Levelling to capacity moves the end from week {_week(before)} to {_week(after)} "
            f"({_date(start_date, after)}){tail}.")


@tables_checked
def schedule_smoothing_sentence(smoothing: Smoothing) -> str:
    """The largest peak that smoothing (within float, same end date) takes off a resource.

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import schedule as sch
    >>> t = pd.DataFrame({"task": ["long", "x", "y"], "duration": [4, 2, 2],
    ...                   "predecessors": ["", "", ""], "resource": ["dev"] * 3,
    ...                   "units": [1, 1, 1]})
    >>> schedule_smoothing_sentence(sch.smooth_resources(t))
    'Smoothing within float, without moving the end (week 4), cuts the weekly peak of dev units from 3 to 2.'
    """
    _check(smoothing, Smoothing, "smoothing", "smooth_resources")
    s = smoothing.summary
    cut = (s["peak_before"] - s["peak_after"]).sort_values(ascending=False, kind="stable")
    end = _week(smoothing.duration)
    if cut.empty or float(cut.iloc[0]) <= 0:
        t = smoothing.tasks
        slack = t["latest_start"].to_numpy(dtype=float) - t["earliest_start"].to_numpy(dtype=float)
        if not (slack > 1e-9).any():
            return (f"Smoothing moves no task: none has float, so every resource's peak and "
                    f"the end (week {end}) stay as planned.")
        return (f"Smoothing within float cannot lower any resource's peak without moving the "
                f"end (week {end}).")
    r = str(cut.index[0])
    return (f"Smoothing within float, without moving the end (week {end}), cuts the weekly "
            f"peak of {r.replace('_', ' ')} units from {s.loc[r, 'peak_before']:g} to "
            f"{s.loc[r, 'peak_after']:g}.")


@tables_checked
def schedule_key_messages(schedule: Schedule, simulation: DurationSimulation,
                          levelling: Levelling | None = None, *, start_date: Any,
                          confidence: float = 0.8,
                          tasks: pd.DataFrame | None = None) -> list[str]:
    """Sentences for the board, most important first: deadline, criticality, levelling.

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import schedule as sch
    >>> t = pd.DataFrame({"task": ["A", "B"], "duration": [2, 3], "optimistic": [1, 2],
    ...     "most_likely": [2, 3], "pessimistic": [4, 5], "predecessors": ["", "A"]})
    >>> sim = sch.simulate_duration(t, n_simulations=500, deadline=5)
    >>> len(schedule_key_messages(sch.critical_path(t), sim, start_date="2025-01-06"))
    3
    """
    _check(schedule, Schedule, "schedule", "critical_path")
    out = [schedule_deadline_sentence(simulation, start_date=start_date, confidence=confidence),
           schedule_criticality_sentence(simulation, tasks)]
    if levelling is not None:
        out.append(schedule_levelling_sentence(levelling, start_date=start_date))
    out.append(schedule_path_sentence(schedule))
    return out


@tables_checked
def schedule_key_numbers(schedule: Schedule, simulation: DurationSimulation,
                         levelling: Levelling | None = None, *,
                         confidence: float = 0.8) -> dict[str, dict[str, Any]]:
    """Key numbers for ``results.json`` and the board pack.

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import schedule as sch
    >>> t = pd.DataFrame({"task": ["A"], "duration": [2], "optimistic": [2],
    ...                   "most_likely": [2], "pessimistic": [2]})
    >>> sim = sch.simulate_duration(t, n_simulations=100, deadline=3)
    >>> schedule_key_numbers(sch.critical_path(t), sim)["probability_by_deadline"]["value"]
    1.0
    """
    _check(schedule, Schedule, "schedule", "critical_path")
    _check(simulation, DurationSimulation, "simulation", "simulate_duration")
    s = simulation.summary.iloc[0]
    numbers: dict[str, dict[str, Any]] = {
        "finish_at_confidence": {"value": simulation.finish_at(confidence), "unit": "weeks",
                                 "label": f"{_p(confidence)} finish (simulation)"},
        "p50_finish": {"value": float(s["p50"]), "unit": "weeks",
                       "label": "P50 finish (simulation)"},
        "pert_duration": {"value": float(s["pert_duration"]), "unit": "weeks",
                          "label": "Expected duration by PERT"},
        "planned_duration": {"value": float(schedule.duration), "unit": "weeks",
                             "label": "Planned duration (critical path)"},
        "n_critical": {"value": int(schedule.summary["n_critical"].iloc[0]), "unit": "tasks",
                       "label": "Critical tasks"},
    }
    if "deadline" in simulation.summary.columns and pd.notna(s.get("deadline")):
        numbers["probability_by_deadline"] = {
            "value": float(s["probability_by_deadline"]), "unit": "%",
            "label": f"Chance of finishing by week {_week(float(s['deadline']))} (simulation)"}
        numbers["pert_probability_by_deadline"] = {
            "value": float(s["pert_probability_by_deadline"]), "unit": "%",
            "label": f"Chance of finishing by week {_week(float(s['deadline']))} (PERT)"}
    if levelling is not None:
        _check(levelling, Levelling, "levelling", "level_resources")
        numbers["levelled_duration"] = {"value": float(levelling.duration_after),
                                        "unit": "weeks",
                                        "label": "Duration after levelling to capacity"}
    order = ["probability_by_deadline", "pert_probability_by_deadline", "finish_at_confidence",
             "planned_duration", "levelled_duration"]
    ranked = {k: numbers[k] for k in order if k in numbers}
    ranked.update({k: v for k, v in numbers.items() if k not in ranked})
    return ranked
