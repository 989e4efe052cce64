"""Build, buy or cloud: which way to get a technology, judged on several criteria and on TCO?

Decision modules :mod:`btm.sourcing` (which composes :mod:`btm.mcda` and :mod:`btm.tco`); charts,
messages, notebook and sample data as in every analysis (see :mod:`btm.analyses`).
"""

from __future__ import annotations

from btm.analyses import FigureSpec, KeyNumber, Spec, table_file
from btm.constraints import Boolean, Currency, Interval, Options, Rate, Seed

SPEC = Spec(
    name="build_buy_cloud",
    title="Build, buy or cloud",
    question=("Which option (build, buy, cloud or integrate) serves us best on the criteria "
              "the leadership team weighed, total cost of ownership included, and how much "
              "does the answer depend on the weights?"),
    parameters={
        "scores_file": table_file("a scores table"),
        "criteria_file": table_file("a criteria table"),
        "judgements_file": table_file("a pairwise judgements table"),
        "gates_file": table_file("a must-have gates table"),
        "costs_file": table_file("a cost table"),
        "method": Options(("topsis", "weighted_sum")),
        "weights_source": Options(("ahp", "direct")),
        "normalize_weights": Boolean(),
        "n_simulations": Interval(int, 100, 10_000_000),
        "concentration": Interval(float, 0, None, closed="neither"),
        "horizon_years": Interval(int, 1, 100),
        "discount_rate": Rate(),
        "correlation": Interval(float, -1, 1),
        "currency": Currency(),
        "seed": Seed(),
    },
    key_numbers=(
        KeyNumber("winner_score", "Score of the option ranked first"),
        KeyNumber("margin", "Lead over the runner-up (score points)"),
        KeyNumber("winner_first_rank_share", "Trials in which the winner ranks first", "%"),
        KeyNumber("smallest_weight_change", "Smallest weight change that changes the winner"),
        KeyNumber("group_consistency_ratio", "Consistency ratio of the group's judgements"),
        KeyNumber("n_excluded", "Options excluded by a must-have gate"),
        KeyNumber("winner_present_value", "Present value of the winner's cost", "currency"),
    ),
    figures=(
        FigureSpec("criterion_contributions", "What each option's score is made of"),
        FigureSpec("weight_sensitivity", "How far the weights can move"),
        FigureSpec("rank_acceptability", "How sure is the ranking?"),
        FigureSpec("assessor_weights", "Where the assessors disagree on weights"),
    ),
    data="build_buy_cloud",
    order=3,
)
