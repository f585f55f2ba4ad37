"""Benchmark: deadline computations of motcua.worktime against two baselines, in one run.

    .venv/bin/python bench/bench_worktime.py [--cases N] [--seed S]

* motcua.worktime.core.add on N (default 100,000) seeded random cases: starts spread over
  2024-2027 (a tenth of them in the days before Tết, 30/4-1/5, 2/9 and the 2026 New-Year swap),
  in Vietnamese time or UTC; durations from 30 working minutes to 30 working days, a third each
  in minutes, hours and days. One core; the median of 5 timed runs after a warm-up run that builds
  the calendar's tables. Target: >= 200,000 computations/s.
* The naive minute-by-minute reference (tests/worktime/naive.py) on a seeded subsample: its
  per-computation cost, extrapolated, against ours. Target: >= 50x. Every result is compared.
* The ``holidays`` package's own working-day arithmetic (``HolidayBase.get_nth_working_day``,
  the package's weekend and ``weekend_workdays``) on the day-sized cases: the date of the N-th
  working day after the start date, the start first moved to a working day if it falls outside
  office hours (07:30-17:00 here), and the working day before day N when the clock starts at the
  07:30 opening (a due on a session start is given as the previous close). The semantics match
  ours only for dates (the package has no clock time), and only against a calendar built from the
  same package data, so the comparison uses that calendar and compares due *dates* on every case.

Prints a markdown table; exits 1 if any result differs or a target is missed.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT / "src", ROOT):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from motcua.worktime.core import VN_TZ, Calendar, add  # noqa: E402
from motcua.worktime.durations import Duration  # noqa: E402
from motcua.worktime.vietnam import default_calendar  # noqa: E402
from tests.worktime import naive  # noqa: E402

RUNS = 5
TARGET_RATE = 200_000
TARGET_NAIVE_RATIO = 50
NAIVE_SAMPLE = 500
YEARS = range(2023, 2030)
BREAKS = [
    date(2024, 2, 7),
    date(2024, 4, 26),
    date(2024, 8, 30),
    date(2025, 1, 24),
    date(2025, 4, 25),
    date(2025, 8, 29),
    date(2025, 12, 31),
    date(2026, 1, 9),
    date(2026, 2, 13),
    date(2026, 8, 21),
    date(2026, 8, 28),
    date(2026, 11, 23),
    date(2027, 2, 3),
    date(2027, 4, 29),
]


def make_cases(n: int, seed: int) -> list[tuple[datetime, Duration]]:
    rng = random.Random(seed)
    first = datetime(2024, 1, 1, tzinfo=VN_TZ)
    span = (datetime(2028, 1, 1, tzinfo=VN_TZ) - first) // timedelta(minutes=1)
    cases = []
    for _ in range(n):
        if rng.random() < 0.1:
            d = rng.choice(BREAKS)
            start = datetime(d.year, d.month, d.day, tzinfo=VN_TZ)
            start += timedelta(minutes=rng.randrange(3 * 1440))
        else:
            start = first + timedelta(minutes=rng.randrange(span))
        if rng.random() < 0.3:
            start = start.astimezone(UTC)
        unit = rng.choice("mhd")
        if unit == "m":  # 30 minutes .. 30 days of 450 minutes, log-uniform
            duration = Duration(round(math.exp(rng.uniform(math.log(30), math.log(13_500)))), "m")
        elif unit == "h":
            duration = Duration(round(math.exp(rng.uniform(0, math.log(225)))), "h")
        else:
            duration = Duration(rng.randint(1, 30), "d")
        cases.append((start, duration))
    return cases


def time_ours(cal: Calendar, cases: list[tuple[datetime, Duration]], runs: int = RUNS) -> float:
    """Median seconds per computation over ``runs`` timed runs."""
    timings = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for start, duration in cases:
            add(cal, start, duration)
        timings.append((time.perf_counter() - t0) / len(cases))
    return statistics.median(timings)


def package_due_date(vn_holidays, start: datetime, days: int) -> date:
    """The holidays package's answer: N-th working day after the (moved) start date."""
    local = start.astimezone(VN_TZ)
    day = local.date()
    minute = local.hour * 60 + local.minute
    if minute >= 17 * 60:  # after hours: the clock starts on the next working day at 07:30
        day, at_opening = vn_holidays.get_nth_working_day(day, 1), True
    else:  # before or during hours (incl. lunch): today if it is a working day
        moved = vn_holidays.get_nth_working_day(day, 0)
        day, at_opening = moved, moved != day or minute <= 7 * 60 + 30
    # A clock started at 07:30 ends at day N's opening, given as the close of the day before it.
    return vn_holidays.get_nth_working_day(day, days - 1 if at_opening else days)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20260217)
    args = parser.parse_args()
    failures: list[str] = []
    if hasattr(os, "sched_setaffinity"):  # one core, as the target says
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    t0 = time.perf_counter()
    cal = default_calendar()
    build_data = time.perf_counter() - t0
    cases = make_cases(args.cases, args.seed)

    # Warm-up: builds the tables (timed: the one-off cost per calendar object), then results.
    t0 = time.perf_counter()
    add(cal, cases[0][0], cases[0][1])
    build_tables = time.perf_counter() - t0
    ours = [add(cal, s, d) for s, d in cases]
    per_ours = time_ours(cal, cases)
    rate = 1 / per_ours

    # Naive reference on a subsample, every result compared.
    rng = random.Random(args.seed + 1)
    sample = rng.sample(range(len(cases)), min(NAIVE_SAMPLE, len(cases)))
    t0 = time.perf_counter()
    naive_results = [naive.add(cal, *cases[i]) for i in sample]
    per_naive = (time.perf_counter() - t0) / len(sample)
    naive_same = sum(r == ours[i] for r, i in zip(naive_results, sample, strict=True))
    per_ours_sample = time_ours(cal, [cases[i] for i in sample], runs=RUNS)

    # The holidays package on the day-sized cases, against a calendar of the same data.
    import holidays

    vn_holidays = holidays.country_holidays("VN", years=list(YEARS), language="vi")
    package_cal = Calendar.standard(
        holidays=dict(vn_holidays),
        makeup_days={d: "make-up" for d in vn_holidays.weekend_workdays if d.year in YEARS},
    )
    day_cases = [(s, d) for s, d in cases if d.unit == "d"]
    t0 = time.perf_counter()
    package_dates = [package_due_date(vn_holidays, s, d.value) for s, d in day_cases]
    per_package = (time.perf_counter() - t0) / len(day_cases)
    add(package_cal, day_cases[0][0], day_cases[0][1])  # build its tables outside the timing
    our_dates = [add(package_cal, s, d).date() for s, d in day_cases]
    package_same = sum(a == b for a, b in zip(package_dates, our_dates, strict=True))
    per_ours_days = time_ours(package_cal, day_cases, runs=RUNS)
    naive_ratio = per_naive / per_ours_sample
    package_ratio = per_package / per_ours_days
    if rate < TARGET_RATE:
        failures.append(f"rate {rate:,.0f}/s < {TARGET_RATE:,}/s")
    if naive_ratio < TARGET_NAIVE_RATIO:
        failures.append(f"naive ratio {naive_ratio:.0f}x < {TARGET_NAIVE_RATIO}x")
    if naive_same != len(sample):
        failures.append(f"naive reference differs on {len(sample) - naive_same} cases")
    if package_same != len(day_cases):
        failures.append(f"holidays package differs on {len(day_cases) - package_same} cases")

    print(
        f"Python {sys.version.split()[0]}, holidays {holidays.__version__}, one core, "
        f"seed {args.seed}, {len(cases):,} cases ({len(day_cases):,} day-sized)\n"
    )
    print("| measurement | per computation | computations/s | ratio | identical results |")
    print("|---|---:|---:|---:|---:|")
    print(
        f"| motcua `add`, mixed 30 min-30 days, median of {RUNS} | {per_ours * 1e6:.2f} µs "
        f"| {rate:,.0f} | 1x | - |"
    )
    print(
        f"| naive minute-by-minute reference, {len(sample)}-case subsample "
        f"(ours on it: {per_ours_sample * 1e6:.2f} µs) | {per_naive * 1e6:,.0f} µs "
        f"| {1 / per_naive:,.1f} | {naive_ratio:,.0f}x slower | {naive_same}/{len(sample)} |"
    )
    print(
        f"| `holidays` `get_nth_working_day`, day-sized cases, due date only "
        f"(ours on them: {per_ours_days * 1e6:.2f} µs) | {per_package * 1e6:.2f} µs "
        f"| {1 / per_package:,.0f} | {package_ratio:,.1f}x slower "
        f"| {package_same}/{len(day_cases)} dates |"
    )
    print(
        f"\nOne-off costs: default_calendar() from the package {build_data * 1e3:.0f} ms; "
        f"first deadline on a new Calendar (builds its tables) {build_tables * 1e3:.1f} ms."
    )
    print(
        f"Targets: >= {TARGET_RATE:,}/s: {'met' if rate >= TARGET_RATE else 'MISSED'}; "
        f">= {TARGET_NAIVE_RATIO}x the naive reference: "
        f"{'met' if naive_ratio >= TARGET_NAIVE_RATIO else 'MISSED'}."
    )
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
