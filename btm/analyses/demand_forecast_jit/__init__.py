"""Demand forecasting for just-in-time inventory: per SKU, what to stock and when to order it.

Decision modules :mod:`btm.demand`, :mod:`btm.forecast`, :mod:`btm.inventory`, :mod:`btm.replay`
and :mod:`btm.jit`; charts, messages, notebook and sample data as in every analysis (see
:mod:`btm.analyses`).
"""

from __future__ import annotations

from btm.analyses import FigureSpec, KeyNumber, Spec, table_file
from btm.constraints import Boolean, Currency, Interval, Probability, Text

SPEC = Spec(
    name="demand_forecast_jit",
    title="Demand forecasting and JIT inventory",
    question=("Per SKU: forecast, its uncertainty, safety stock and reorder point for a service "
              "level, what to order and when, and what that policy would have achieved on last "
              "year's demand."),
    parameters={
        "demand_file": table_file("a demand history"),
        "skus_file": table_file("a SKU master"),
        "horizon": Interval(int, 1, 520),
        "season_length": Interval(int, 1, 520),
        "service_level": Probability(),
        "review_period": Interval(int, 1, 520),
        "sku_filter": Text(allow_empty=True),
        "holdout_weeks": Interval(int, 4, 520),
        "n_windows": Interval(int, 2, 52),  # as btm.jit.plan (two windows: a spread)
        "fill_gaps": Boolean(),  # as btm.jit.plan: a missing period counts as zero demand
        "currency": Currency(),
    },
    key_numbers=(
        KeyNumber("safety_stock_value", "Safety stock value", "currency"),
        KeyNumber("replay_fill_rate", "Fill rate replayed on the holdout", "%"),
        KeyNumber("empirical_skus", "SKUs with empirical safety stock", "SKUs"),
    ),
    figures=(
        FigureSpec("accuracy_by_class", "How good are the forecasts?"),
        FigureSpec("forecast_fan", "Forecasts with prediction intervals"),
        FigureSpec("inventory_replay", "Inventory replay of one SKU"),
        FigureSpec("service_inventory_curve", "Service against inventory"),
        FigureSpec("inventory_freed_by_class", "Inventory freed or needed by demand class"),
    ),
    data="demand",
    order=2,
    needs=("statsforecast",),
)
