"""Schedule expressions: rate() and cron() parsing and their next run on the virtual clock."""

from __future__ import annotations

import datetime as _dt

import pytest

from simulator.services.events.schedule import ScheduleError, parse

T0 = _dt.datetime(2026, 1, 5, 9, 0, 30, tzinfo=_dt.UTC)  # a Monday


def at(*args: int) -> _dt.datetime:
    return _dt.datetime(*args, tzinfo=_dt.UTC)


@pytest.mark.parametrize(
    ("expression", "delta"),
    [
        ("rate(1 minute)", _dt.timedelta(minutes=1)),
        ("rate(5 minutes)", _dt.timedelta(minutes=5)),
        ("rate(1 hour)", _dt.timedelta(hours=1)),
        ("rate(12 hours)", _dt.timedelta(hours=12)),
        ("rate(1 day)", _dt.timedelta(days=1)),
        ("rate(7 days)", _dt.timedelta(days=7)),
    ],
)
def test_rate_starts_when_the_rule_is_created(expression: str, delta: _dt.timedelta) -> None:
    schedule = parse(expression)
    assert schedule.first_after(T0) == T0 + delta
    assert schedule.next_after(T0 + delta) == T0 + 2 * delta


@pytest.mark.parametrize(
    ("expression", "first"),
    [
        ("cron(0 10 * * ? *)", at(2026, 1, 5, 10, 0)),  # 10:00 every day
        ("cron(15 12 * * ? *)", at(2026, 1, 5, 12, 15)),
        ("cron(0 8 * * ? *)", at(2026, 1, 6, 8, 0)),  # already past today
        ("cron(0 18 ? * MON-FRI *)", at(2026, 1, 5, 18, 0)),
        ("cron(0 8 1 * ? *)", at(2026, 2, 1, 8, 0)),  # first day of the month
        ("cron(0/15 * * * ? *)", at(2026, 1, 5, 9, 15)),
        ("cron(5,35 14 * * ? *)", at(2026, 1, 5, 14, 5)),
        ("cron(0 12 ? * SAT *)", at(2026, 1, 10, 12, 0)),
        ("cron(0 12 ? * 1 *)", at(2026, 1, 11, 12, 0)),  # 1 = Sunday
        ("cron(0 0 L * ? *)", at(2026, 1, 31, 0, 0)),  # last day of the month
        ("cron(15 10 ? * 6L *)", at(2026, 1, 30, 10, 15)),  # last Friday
        ("cron(0 9 ? * 3#2 *)", at(2026, 1, 13, 9, 0)),  # second Tuesday
        ("cron(0 9 3W * ? *)", at(2026, 2, 3, 9, 0)),  # weekday nearest the 3rd
        ("cron(0 9 10W * ? *)", at(2026, 1, 9, 9, 0)),  # 10 Jan 2026 is a Saturday
        ("cron(0 0 1 JAN ? 2027)", at(2027, 1, 1, 0, 0)),
        ("cron(30 20-2 ? * MON-FRI *)", at(2026, 1, 5, 20, 30)),  # hour range wraps
    ],
)
def test_cron_next_run(expression: str, first: _dt.datetime) -> None:
    assert parse(expression).first_after(T0) == first


def test_cron_that_never_fires_again_has_no_next_run() -> None:
    assert parse("cron(0 0 1 1 ? 2020)").first_after(T0) is None


@pytest.mark.parametrize(
    "expression",
    [
        "rate(1 hours)",
        "rate(5 hour)",
        "rate(0 minutes)",
        "rate(5 weeks)",
        "rate(five minutes)",
        "every 5 minutes",
        "cron(0 10 * * *)",  # five fields
        "cron(0 10 * * * *)",  # both day fields set
        "cron(0 10 ? * ? *)",  # neither set
        "cron(60 10 * * ? *)",
        "cron(0 24 * * ? *)",
        "cron(0 10 32 * ? *)",
        "cron(0 10 ? * 8 *)",
        "cron(0 10 ? * 3#1,6#3 *)",
        "cron(0 10 * FOO ? *)",
        "cron(0 10 * * ? 1969)",
    ],
)
def test_invalid_expressions_are_refused(expression: str) -> None:
    with pytest.raises(ScheduleError):
        parse(expression)
