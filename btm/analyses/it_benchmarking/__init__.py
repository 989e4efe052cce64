"""IT benchmarking: where the organisation's IT spend and service levels sit among its peers.

Decision module :mod:`btm.benchmark`; charts, messages, notebook and sample data as in every
analysis (see :mod:`btm.analyses`). The peer table of its sample data is illustrative, not real
benchmarks.
"""

from __future__ import annotations

from btm.analyses import FigureSpec, KeyNumber, Spec, table_file
from btm.constraints import Text

SPEC = Spec(
    name="it_benchmarking",
    title="IT benchmarking",
    question=("Where do the organisation's IT spend, spend mix and service levels sit against "
              "comparable organisations, and which metrics are far enough from the peers to "
              "warrant attention?"),
    parameters={
        "organisation_file": table_file("the organisation's IT metrics"),
        "peers_file": table_file("a peer quartile table"),
        "industry": Text(description="the peer group's industry, as in the peer table"),
        "size_band": Text(description="the peer group's size band, as in the peer table"),
    },
    key_numbers=(
        KeyNumber("spend_per_employee_percentile", "IT spend per employee, percentile of peers",
                  "percentile"),
        KeyNumber("n_attention", "Metrics outside the peers' interquartile range", "metrics"),
        KeyNumber("run_share", "Share of IT spend that runs the business", "%"),
        KeyNumber("run_share_peer_median", "Peer median of the run share", "%"),
    ),
    figures=(
        FigureSpec("benchmark_positions", "Where we stand among peers"),
        FigureSpec("benchmark_spend_mix", "How IT spend is split"),
    ),
    data="it_benchmarking",
    order=11,
)
