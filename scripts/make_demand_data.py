"""Generate the sample demand data in ``data/demand/`` (seeded, so every run writes the same files).

Writes

- ``data/demand/demand.csv``: weekly demand ``unique_id, ds, y`` (weeks starting Monday,
  pandas ``W-MON``, 156 weeks ending 2026-10-26) for 200 SKUs, whole units, never negative;
- ``data/demand/skus.csv``: the SKU master ``unique_id, description, category, pattern,
  unit_cost, lead_time_weeks, order_cost, holding_cost_rate, pack_size, min_order``.

Demand patterns (``pattern`` column) and how they are drawn (``t`` = week 0..155):

============  ===  ==========================================================================
pattern        n   generator
============  ===  ==========================================================================
smooth         40  Poisson(level * G), G ~ Gamma(50, 1/50) (mild over-dispersion)
seasonal       35  Poisson(level * (1 + a sin(2 pi (t - phase) / 52)) * G), a in [0.3, 0.6]
trending       30  Poisson(level * (1 + g t / 52) * G), g in [-0.2, 0.5] per year
erratic        30  Poisson(Gamma(shape 0.9-1.3, mean level)) every week (high size variance)
intermittent   35  occurs with probability p in [0.15, 0.5]; size 1 + Poisson(m), m in [1, 4]
lumpy          30  occurs with probability p in [0.1, 0.45]; size 1 + Poisson(Gamma(shape
                   0.4-0.7, mean m)), m in [8, 60]
============  ===  ==========================================================================

Each SKU is redrawn (from the same generator stream) until its Syntetos-Boylan class -- by
average demand interval ADI (cut-off 1.32) and squared coefficient of variation of the
non-zero sizes CV2 (cut-off 0.49) -- matches its pattern with a margin (smooth, seasonal and
trending are "smooth"), so the sample has a known classification for tests and demos.

Run from the project root::

    .venv/bin/python scripts/make_demand_data.py            # writes data/demand/*.csv
    .venv/bin/python scripts/make_demand_data.py --check    # verify files match the generator
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 2026
N_WEEKS = 156
END = "2026-10-26"
FREQ = "W-MON"
PATTERNS = {  # pattern: (count, expected Syntetos-Boylan class)
    "smooth": (40, "smooth"),
    "seasonal": (35, "smooth"),
    "trending": (30, "smooth"),
    "erratic": (30, "erratic"),
    "intermittent": (35, "intermittent"),
    "lumpy": (30, "lumpy"),
}
ADI_CUT, CV2_CUT = 1.32, 0.49

# category: {item: typical unit cost}; each SKU's cost is drawn within +-30 % of it
CATALOGUE = {
    "Printer consumables": {
        "Toner cartridge black": 65.0, "Toner cartridge cyan": 80.0, "Ink cartridge colour": 28.0,
        "Drum unit": 110.0, "A4 paper ream 80 g": 4.5,
    },
    "Peripherals": {
        "USB keyboard": 18.0, "Wireless mouse": 15.0, "Headset with microphone": 45.0,
        "Webcam HD": 55.0, "USB-C docking station": 160.0, "27-inch monitor": 240.0,
    },
    "Cables and adapters": {
        "HDMI cable 2 m": 4.0, "USB-C to HDMI adapter": 12.0, "Cat6 patch cable 1 m": 2.5,
        "Power cord EU": 3.0, "DisplayPort cable 2 m": 6.0,
    },
    "End-user devices": {
        "Laptop 14-inch": 850.0, "Laptop 16-inch": 1350.0, "Tablet 11-inch": 420.0,
        "Smartphone midrange": 330.0, "Thin client": 290.0,
    },
    "Networking": {
        "Wi-Fi access point": 260.0, "24-port switch": 900.0, "SFP+ transceiver": 45.0,
        "Firewall appliance": 2100.0, "PoE injector": 35.0,
    },
    "Spare parts": {
        "Laptop battery": 75.0, "Laptop charger 65 W": 30.0, "Server power supply": 190.0,
        "Server fan module": 60.0, "SSD 1 TB": 85.0, "Memory module 16 GB": 48.0,
        "Hard disk 4 TB": 110.0,
    },
}
PATTERN_CATEGORIES = {
    "smooth": ["Printer consumables", "Cables and adapters", "Peripherals"],
    "seasonal": ["End-user devices", "Peripherals", "Printer consumables"],
    "trending": ["End-user devices", "Networking", "Peripherals"],
    "erratic": ["Networking", "Peripherals", "End-user devices"],
    "intermittent": ["Spare parts", "Networking"],
    "lumpy": ["Spare parts", "Networking", "End-user devices"],
}


def syntetos_boylan(y: np.ndarray) -> tuple[float, float]:
    """ADI (periods per non-zero demand) and CV2 of the non-zero sizes of one series."""
    nonzero = y[y > 0]
    if nonzero.size < 2:
        return np.inf, np.inf
    adi = y.size / nonzero.size
    cv2 = float(nonzero.var() / nonzero.mean() ** 2)
    return adi, cv2


def sb_class(adi: float, cv2: float) -> str:
    if adi < ADI_CUT:
        return "smooth" if cv2 < CV2_CUT else "erratic"
    return "intermittent" if cv2 < CV2_CUT else "lumpy"


def _clear(adi: float, cv2: float) -> bool:
    """Away from the cut-offs, so that other ADI conventions give the same class."""
    return abs(adi - ADI_CUT) > 0.12 and abs(cv2 - CV2_CUT) > 0.08


def draw_series(pattern: str, rng: np.random.Generator) -> tuple[np.ndarray, dict]:
    """One series of the given pattern and its parameters."""
    t = np.arange(N_WEEKS)
    if pattern in ("smooth", "seasonal", "trending"):
        level = float(np.exp(rng.uniform(np.log(15), np.log(400))))
        shape = np.ones(N_WEEKS)
        params = {"level": level}
        if pattern == "seasonal":
            amp, phase = rng.uniform(0.3, 0.6), rng.uniform(0, 52)
            shape = 1 + amp * np.sin(2 * np.pi * (t - phase) / 52)
            params.update(amplitude=amp, phase=phase)
        elif pattern == "trending":
            growth = rng.uniform(-0.2, 0.5)
            shape = 1 + growth * t / 52
            params.update(growth_per_year=growth)
        noise = rng.gamma(50.0, 1 / 50.0, N_WEEKS)
        return rng.poisson(level * shape * noise), params
    if pattern == "erratic":
        level, k = float(np.exp(rng.uniform(np.log(10), np.log(150)))), rng.uniform(0.9, 1.3)
        return rng.poisson(rng.gamma(k, level / k, N_WEEKS)), {"level": level, "shape": k}
    if pattern == "intermittent":
        p, m = rng.uniform(0.15, 0.5), rng.uniform(1.0, 4.0)
        occurs = rng.random(N_WEEKS) < p
        return np.where(occurs, 1 + rng.poisson(m, N_WEEKS), 0), {"p": p, "mean_size": m}
    p, m, k = rng.uniform(0.1, 0.45), rng.uniform(8, 60), rng.uniform(0.4, 0.7)
    occurs = rng.random(N_WEEKS) < p
    sizes = 1 + rng.poisson(rng.gamma(k, m / k, N_WEEKS))
    return np.where(occurs, sizes, 0), {"p": p, "mean_size": m, "shape": k}


def generate(seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (demand, skus) DataFrames; deterministic for a given seed."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range(end=END, periods=N_WEEKS, freq=FREQ)
    series, rows = [], []
    number = 0
    for pattern, (count, expected) in PATTERNS.items():
        for _ in range(count):
            number += 1
            for _attempt in range(1000):
                y, _ = draw_series(pattern, rng)
                adi, cv2 = syntetos_boylan(y)
                if sb_class(adi, cv2) == expected and _clear(adi, cv2):
                    break
            else:  # pragma: no cover - the generators above always succeed quickly
                raise RuntimeError(f"could not draw a {pattern} series")
            category = str(rng.choice(PATTERN_CATEGORIES[pattern]))
            items = CATALOGUE[category]
            item = str(rng.choice(list(items)))
            unit_cost = round(items[item] * float(rng.uniform(0.7, 1.3)), 2)
            if unit_cost < 10:
                pack = int(rng.choice([10, 12, 24, 50]))
            elif unit_cost < 60:
                pack = int(rng.choice([1, 5, 6, 10]))
            else:
                pack = 1
            uid = f"SKU-{number:03d}"
            rows.append(
                {
                    "unique_id": uid,
                    "description": f"{item} (model {rng.integers(100, 999)})",
                    "category": category,
                    "pattern": pattern,
                    "unit_cost": unit_cost,
                    "lead_time_weeks": int(rng.integers(1, 9)),
                    "order_cost": round(float(rng.uniform(20, 150)), 2),
                    "holding_cost_rate": round(float(rng.uniform(0.15, 0.35)), 2),
                    "pack_size": pack,
                    "min_order": int(pack * rng.choice([0, 1, 2])) if pack > 1 else
                    int(rng.choice([0, 0, 5, 10])),
                }
            )
            series.append(pd.DataFrame({"unique_id": uid, "ds": dates, "y": y.astype(np.int64)}))
    demand = pd.concat(series, ignore_index=True)
    return demand, pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "data" /
                                             "demand"), help="output folder")
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if the files differ from the generator")
    args = parser.parse_args(argv)
    out = Path(args.out)
    demand, skus = generate()
    files = {"demand.csv": demand.to_csv(index=False, date_format="%Y-%m-%d"),
             "skus.csv": skus.to_csv(index=False)}
    if args.check:
        stale = [name for name, text in files.items()
                 if not (out / name).is_file() or (out / name).read_text() != text]
        if stale:
            print(f"out of date: {', '.join(stale)}", file=sys.stderr)
            return 1
        print("data/demand matches the generator")
        return 0
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (out / name).write_text(text)
        print(f"wrote {out / name} ({len(text.encode()) / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
