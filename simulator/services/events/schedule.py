"""EventBridge schedule expressions: ``rate(value unit)`` and six-field ``cron(...)``.

From the user guide page "Creating an Amazon EventBridge rule that runs on a schedule": all
schedules are UTC with one-minute precision; a rate starts when the rule is created; ``rate``
units are minute(s)/hour(s)/day(s), singular exactly when the value is 1; cron has six fields
(minutes, hours, day-of-month, month, day-of-week, year) with ``, - * /`` everywhere, ``? L W``
in day-of-month, ``? L #`` in day-of-week (1-7 = SUN-SAT), and exactly one of the two day
fields must be ``?``. Anything else is refused as ``Parameter ScheduleExpression is not
valid.`` by the caller.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

_RATE = re.compile(r"rate\((\d+)\s+(minutes?|hours?|days?)\)")
_CRON = re.compile(r"cron\(([^)]*)\)")
_UNITS = {"minute": 60, "hour": 3600, "day": 86400}
_MONTHS = {m.upper(): i for i, m in enumerate(calendar.month_abbr) if m}
_DAYS = {d: i + 1 for i, d in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"))}
YEARS = (1970, 2199)


class ScheduleError(ValueError):
    pass


@dataclass(frozen=True)
class Schedule:
    expression: str
    rate: _dt.timedelta | None = None
    cron: _Cron | None = None

    def first_after(self, created: _dt.datetime) -> _dt.datetime | None:
        """When a rule created (or enabled) at ``created`` first fires."""
        if self.rate is not None:
            return created + self.rate
        assert self.cron is not None
        return self.cron.next_after(created)

    def next_after(self, fired: _dt.datetime) -> _dt.datetime | None:
        return self.first_after(fired)


@functools.lru_cache(maxsize=256)  # schedules are immutable; jobs re-read them every run
def parse(expression: str) -> Schedule:
    rate = _RATE.fullmatch(expression)
    if rate is not None:
        value, unit = int(rate.group(1)), rate.group(2)
        # "rate(1 hours)" and "rate(5 hour)" are both refused (singular exactly for 1).
        if value < 1 or (value == 1) != (not unit.endswith("s")):
            raise ScheduleError(expression)
        return Schedule(expression, rate=_dt.timedelta(seconds=value * _UNITS[unit.rstrip("s")]))
    cron = _CRON.fullmatch(expression)
    if cron is None:
        raise ScheduleError(expression)
    return Schedule(expression, cron=_Cron.parse(cron.group(1)))


# -- cron -----------------------------------------------------------------------------------
def _number(token: str, lo: int, hi: int, names: dict[str, int] | None = None) -> int:
    value = names.get(token.upper()) if names else None
    if value is None:
        if not token.isdigit():
            raise ScheduleError(token)
        value = int(token)
    if not lo <= value <= hi:
        raise ScheduleError(token)
    return value


def _values(field: str, lo: int, hi: int, names: dict[str, int] | None = None) -> set[int]:
    """A field of ``, - * /`` items as the set of values it allows (ranges may wrap)."""
    out: set[int] = set()
    for item in field.split(","):
        body, _, step_text = item.partition("/")
        step = _number(step_text, 1, hi) if step_text else 1
        if body == "*":
            start, end = lo, hi
        elif "-" in body:
            a, _, b = body.partition("-")
            start, end = _number(a, lo, hi, names), _number(b, lo, hi, names)
        else:
            start = _number(body, lo, hi, names)
            end = hi if step_text else start
        span = (
            list(range(start, end + 1))
            if start <= end
            else [
                *range(start, hi + 1),
                *range(lo, end + 1),
            ]
        )
        out.update(span[::step])
    return out


DayTest = Callable[[_dt.date], bool]


def _day_of_month(field: str) -> DayTest:
    def last(d: _dt.date) -> int:
        return calendar.monthrange(d.year, d.month)[1]

    if field == "L":
        return lambda d: d.day == last(d)
    if field == "LW":
        return lambda d: d == _nearest_weekday(d, last(d))
    if field.endswith("W"):
        target = _number(field[:-1], 1, 31)
        return lambda d: target <= last(d) and d == _nearest_weekday(d, target)
    days = _values(field, 1, 31)
    return lambda d: d.day in days


def _nearest_weekday(d: _dt.date, day: int) -> _dt.date:
    """The weekday nearest ``day`` of d's month, never leaving the month (cron ``W``)."""
    anchor = d.replace(day=day)
    weekday = anchor.weekday()  # Monday 0 .. Sunday 6
    if weekday == 5:
        shifted = anchor - _dt.timedelta(days=1)
        return shifted if shifted.month == d.month else anchor + _dt.timedelta(days=2)
    if weekday == 6:
        shifted = anchor + _dt.timedelta(days=1)
        return shifted if shifted.month == d.month else anchor - _dt.timedelta(days=2)
    return anchor


def _cron_weekday(d: _dt.date) -> int:
    return (d.weekday() + 1) % 7 + 1  # SUN=1 .. SAT=7


def _day_of_week(field: str) -> DayTest:
    if "#" in field:
        if "," in field:  # "3#1,6#3" is two expressions: refused
            raise ScheduleError(field)
        day_text, _, nth_text = field.partition("#")
        day, nth = _number(day_text, 1, 7, _DAYS), _number(nth_text, 1, 5)
        return lambda d: _cron_weekday(d) == day and (d.day - 1) // 7 + 1 == nth
    if field == "L":
        return lambda d: _cron_weekday(d) == 7
    if field.endswith("L"):
        day = _number(field[:-1], 1, 7, _DAYS)
        return lambda d: _cron_weekday(d) == day and (d + _dt.timedelta(days=7)).month != d.month
    days = _values(field, 1, 7, _DAYS)
    return lambda d: _cron_weekday(d) in days


@dataclass(frozen=True)
class _Cron:
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    months: frozenset[int]
    years: frozenset[int]
    day: DayTest

    @classmethod
    def parse(cls, body: str) -> _Cron:
        fields = body.split()
        if len(fields) != 6:
            raise ScheduleError(body)
        minute, hour, dom, month, dow, year = fields
        # Exactly one of day-of-month and day-of-week is "?".
        if (dom == "?") == (dow == "?"):
            raise ScheduleError(body)
        day = _day_of_week(dow) if dom == "?" else _day_of_month(dom)
        return cls(
            tuple(sorted(_values(minute, 0, 59))),
            tuple(sorted(_values(hour, 0, 23))),
            frozenset(_values(month, 1, 12, _MONTHS)),
            frozenset(_values(year, *YEARS)),
            day,
        )

    def next_after(self, after: _dt.datetime) -> _dt.datetime | None:
        start = after.replace(second=0, microsecond=0) + _dt.timedelta(minutes=1)
        date = start.date()
        last_year = max(self.years)
        while date.year <= last_year:
            if date.year not in self.years:
                date = _dt.date(date.year + 1, 1, 1)
                continue
            if date.month not in self.months:
                date = _first_of_next_month(date)
                continue
            if self.day(date):
                moment = self._time_on(date, start)
                if moment is not None:
                    return moment
            date += _dt.timedelta(days=1)
        return None

    def _time_on(self, date: _dt.date, start: _dt.datetime) -> _dt.datetime | None:
        floor = (start.hour, start.minute) if date == start.date() else (0, 0)
        for h in self.hours:
            for m in self.minutes:
                if (h, m) >= floor:
                    return _dt.datetime(date.year, date.month, date.day, h, m, tzinfo=_dt.UTC)
        return None


def _first_of_next_month(d: _dt.date) -> _dt.date:
    return _dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
