"""Demo data: the illustrative scorecard template ("Mẫu minh họa") for 2025 and 2026."""

from motcua.reform.templates_data import illustrative_seed

DEMO_YEARS = (2025, 2026)


def seed() -> None:
    for year in DEMO_YEARS:
        illustrative_seed(year)
