"""Sending hours: when a reminder may go out, and where one that would fall at night goes instead.

People read deadline mail at work. A reminder "2 hours before" an all-day
deadline used to count back from midnight and arrive at 22:00 on the
deadline day, when nobody can act on it. So:

* an all-day deadline's day ends, for offsets shorter than a day, at
  ``office_close`` (17:00): ``2h`` is 15:00 on that day;
* whole-day offsets go out at ``all_day_hour`` (09:00) that many days before;
* no reminder goes out outside ``start``–``end`` (08:00–20:00): a moment
  after ``end`` moves back to ``end`` that day, one before ``start`` to ``end``
  the evening before. Always earlier, never later, so a reminder never slips
  past its deadline;
* with ``skip_rest_days``, a reminder that falls on a weekend or holiday
  (the State Council's arrangement, :mod:`calendar_svc.workdays`) moves to the
  working day before, at the same time. A year without holiday data leaves
  it where it is (nothing is guessed).

A window's opening is the exception: it cannot be announced before it
happens, so a night opening is announced at ``start`` the next morning.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from .. import workdays
from ..config import Settings
from ..model import SHANGHAI


@dataclass(frozen=True)
class SendingHours:
    """The sending rules of one deployment (from the settings); hashable, so moments can be cached per rules."""

    all_day_hour: int = 9
    office_close: dt.time = dt.time(17, 0)
    start: dt.time = dt.time(8, 0)
    end: dt.time = dt.time(20, 0)
    skip_rest_days: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> SendingHours:
        return cls(
            all_day_hour=settings.all_day_hour,
            office_close=settings.office_close,
            start=settings.sending_hours[0],
            end=settings.sending_hours[1],
            skip_rest_days=settings.skip_rest_days,
        )

    def place(self, moment: dt.datetime) -> dt.datetime:
        """``moment``, or the latest allowed moment before it (within the hours, on a working day if asked)."""
        local = moment.astimezone(SHANGHAI)
        clock = local.time()
        if clock > self.end:
            local = _at(local.date(), self.end)
        elif clock < self.start:
            local = _at(local.date() - dt.timedelta(days=1), self.end)
        if self.skip_rest_days:
            day = _working_day_on_or_before(local.date())
            if day != local.date():
                local = _at(day, local.time())
        return local

    def place_opening(self, moment: dt.datetime) -> dt.datetime:
        """An opening is announced at it, or at the next ``start`` when it happens at night."""
        local = moment.astimezone(SHANGHAI)
        clock = local.time()
        if clock > self.end:
            return _at(local.date() + dt.timedelta(days=1), self.start)
        if clock < self.start:
            return _at(local.date(), self.start)
        return local


def _at(day: dt.date, clock: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, clock, tzinfo=SHANGHAI)


@functools.lru_cache(maxsize=4096)
def _working_day_on_or_before(day: dt.date) -> dt.date:
    """``day`` if it is a working day, else the working day before; ``day`` when the year has no data."""
    try:
        return day if workdays.is_workday(day) else workdays.add_workdays(day, -1)
    except workdays.NoWorkdayData:
        return day
