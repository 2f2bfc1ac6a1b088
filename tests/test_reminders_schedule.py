"""The schedule as pure functions: which reminder is due at which moment."""

from __future__ import annotations

import datetime as dt

from reminders_support import at, deadline

from calendar_svc.filters import Filters
from calendar_svc.model import SHANGHAI
from calendar_svc.reminders import schedule
from calendar_svc.offsets import parse_offsets
from calendar_svc.reminders.hours import SendingHours
from calendar_svc.reminders.schedule import Recipient

SINCE = at("2026-01-01T00:00")
HOURS = SendingHours()  # the embedded defaults: 09:00, office close 17:00, sending 08:00–20:00
ALL = Filters()


def person(ident: int = 1, offsets: str = "7d,1d,2h", window_open: bool = False, filters: Filters = ALL, since=SINCE) -> Recipient:
    return Recipient(ident, f"p{ident}@example.edu", filters, parse_offsets(offsets), window_open, since)


def moments(deadlines, recipients, hours=HOURS):
    return sorted((r.offset, r.remind_at) for r in schedule.reminders(deadlines, recipients, hours))


def test_all_day_reminders_go_out_at_the_local_hour_n_days_before() -> None:
    d = deadline("a", dt.date(2026, 3, 16))
    assert moments([d], [person()]) == [
        ("1d", at("2026-03-15T09:00")),
        ("2h", at("2026-03-16T15:00")),  # under a day: before the office closes (17:00), not 22:00
        ("7d", at("2026-03-09T09:00")),
    ]
    assert moments([d], [person(offsets="1d")], SendingHours(all_day_hour=8)) == [("1d", at("2026-03-15T08:00"))]


def test_timed_reminders_go_out_exactly_the_offset_before() -> None:
    d = deadline("t", at("2026-03-16T16:00"))
    assert moments([d], [person()]) == [
        ("1d", at("2026-03-15T16:00")),
        ("2h", at("2026-03-16T14:00")),
        ("7d", at("2026-03-09T16:00")),
    ]


def test_nothing_goes_out_at_night_moments_move_earlier_never_later() -> None:
    all_day = deadline("a", dt.date(2026, 3, 16))
    assert moments([all_day], [person(offsets="12h,30m")]) == [
        ("12h", at("2026-03-15T20:00")),  # 05:00 on the day: the evening before instead
        ("30m", at("2026-03-16T16:30")),
    ]
    early = deadline("e", at("2026-03-16T08:30"))
    late = deadline("l", at("2026-03-16T23:00"))
    assert moments([early], [person(offsets="2h")]) == [("2h", at("2026-03-15T20:00"))]  # not 06:30
    assert moments([late], [person(offsets="1h")]) == [("1h", at("2026-03-16T20:00"))]  # not 22:00
    night_shift = SendingHours(start=dt.time(0, 0), end=dt.time(23, 59))
    assert moments([late], [person(offsets="1h")], night_shift) == [("1h", at("2026-03-16T22:00"))]
    # A window opening at midnight is announced when the sending hours begin, not the evening before it opened.
    window = deadline("w", at("2026-04-05T17:00"), start=at("2026-03-01T00:00"), kind="window")
    assert ("open", at("2026-03-01T08:00")) in moments([window], [person(offsets="1d", window_open=True)])


def test_reminders_can_move_off_rest_days_to_the_working_day_before() -> None:
    workdays_only = SendingHours(skip_rest_days=True)
    after_national_day = deadline("n", dt.date(2025, 10, 9))  # 10月1日–8日 国庆节、中秋节 break
    assert moments([after_national_day], [person(offsets="7d,1d")]) == [
        ("1d", at("2025-10-08T09:00")),
        ("7d", at("2025-10-02T09:00")),
    ]
    assert moments([after_national_day], [person(offsets="7d,1d,2h")], workdays_only) == [
        ("1d", at("2025-09-30T09:00")),  # the last working day before the break
        ("2h", at("2025-10-09T15:00")),  # a working day: stays
        ("7d", at("2025-09-30T09:00")),
    ]
    # 2025年10月11日 is a Saturday made a working day (调休): a reminder on it stays.
    assert moments([deadline("s", dt.date(2025, 10, 12))], [person(offsets="1d")], workdays_only) == [("1d", at("2025-10-11T09:00"))]
    # A plain weekend moves to Friday; a year without holiday data is left alone, never guessed.
    assert moments([deadline("w", dt.date(2026, 3, 16))], [person(offsets="1d")], workdays_only) == [("1d", at("2026-03-13T09:00"))]
    assert moments([deadline("x", dt.date(2099, 1, 4))], [person(offsets="1d")], workdays_only) == [("1d", at("2099-01-03T09:00"))]


def test_window_opening_reminder_only_for_those_who_want_it() -> None:
    window = deadline("w", dt.date(2026, 4, 5), start=dt.date(2026, 3, 1), kind="window")
    single = deadline("s", dt.date(2026, 4, 5))
    wants = person(1, "1d", window_open=True)
    assert moments([window], [wants]) == [("1d", at("2026-04-04T09:00")), ("open", at("2026-03-01T09:00"))]
    assert moments([window], [person(2, "1d")]) == [("1d", at("2026-04-04T09:00"))]
    assert moments([single], [wants]) == [("1d", at("2026-04-04T09:00"))]
    timed = deadline("tw", at("2026-04-05T17:00"), start=at("2026-03-01T08:30"), kind="window")
    assert ("open", at("2026-03-01T08:30")) in moments([timed], [wants])


def test_hidden_and_vanished_deadlines_get_no_reminders() -> None:
    shown = deadline("a", dt.date(2026, 3, 16))
    hidden = deadline("h", dt.date(2026, 3, 16), status="hidden")
    gone = deadline("v", dt.date(2026, 3, 16), vanished=True)
    ids = {r.deadline.id for r in schedule.reminders([shown, hidden, gone], [person()], HOURS)}
    assert ids == {"a"}


def test_filters_are_the_pages_filters() -> None:
    mine = deadline("m", dt.date(2026, 3, 16), issuer="工业和信息化部、财政部", tags=["科研"])
    other = deadline("o", dt.date(2026, 3, 16), issuer="教育部")
    by_issuer = person(1, filters=Filters(issuer=("工业和信息化部",)))
    by_tag = person(2, filters=Filters(tag=("科研",)))
    by_kind = person(3, filters=Filters(kind=("window",)))
    found = {(r.recipient.id, r.deadline.id) for r in schedule.reminders([mine, other], [by_issuer, by_tag, by_kind], HOURS)}
    assert found == {(1, "m"), (2, "m")}


def test_due_includes_missed_reminders_but_never_after_the_deadline() -> None:
    d = deadline("a", dt.date(2026, 3, 16))
    people = [person()]
    assert schedule.due([d], people, HOURS, at("2026-03-09T08:59")) == []
    assert [r.offset for r in schedule.due([d], people, HOURS, at("2026-03-09T09:00"))] == ["7d"]
    # Down from the 8th to the 16th at 23:00: all three are still due, the deadline has not passed.
    assert sorted(r.offset for r in schedule.due([d], people, HOURS, at("2026-03-16T23:00"))) == ["1d", "2h", "7d"]
    # The deadline passed (end of its day): nothing is due any more.
    assert schedule.due([d], people, HOURS, at("2026-03-16T23:59")) == []
    assert schedule.due([d], people, HOURS, at("2026-03-20T09:00")) == []


def test_reminders_before_the_subscription_are_not_due() -> None:
    d = deadline("a", dt.date(2026, 3, 16))
    late_joiner = person(offsets="7d,1d", since=at("2026-03-12T10:00"))
    assert [r.offset for r in schedule.due([d], [late_joiner], HOURS, at("2026-03-15T09:00"))] == ["1d"]
    # Asking about a moment before the subscription (remind --at a past day): what was due then.
    assert [r.offset for r in schedule.due([d], [late_joiner], HOURS, at("2026-03-10T09:00"))] == ["7d"]


def test_a_moved_deadline_has_a_new_key_and_new_moments() -> None:
    before = deadline("a", dt.date(2026, 3, 16))
    after = deadline("a", dt.date(2026, 3, 20))
    old = {r.offset: r for r in schedule.reminders([before], [person(offsets="1d")], HOURS)}
    new = {r.offset: r for r in schedule.reminders([after], [person(offsets="1d")], HOURS)}
    assert old["1d"].key != new["1d"].key
    assert new["1d"].remind_at == at("2026-03-19T09:00")


def test_upcoming_is_sorted_and_leaves_out_what_was_sent() -> None:
    a = deadline("a", dt.date(2026, 3, 16))
    b = deadline("b", at("2026-03-12T10:00"))
    people = [person(1, "1d"), person(2, "2h")]
    now = at("2026-03-01T00:00")
    soonest = schedule.upcoming([a, b], people, HOURS, now, 3)
    assert [(r.deadline.id, r.offset, r.remind_at) for r in soonest] == [
        ("b", "1d", at("2026-03-11T10:00")),
        ("b", "2h", at("2026-03-12T08:00")),
        ("a", "1d", at("2026-03-15T09:00")),
    ]
    done = {soonest[0].key}
    assert schedule.upcoming([a, b], people, HOURS, now, 1, done)[0].key == soonest[1].key


def test_a_timeline_finds_exactly_what_a_full_due_check_finds_since_the_previous_tick() -> None:
    """Ticks every few hours over a month: the incremental answers add up to the full ones, no more, no less."""
    import random

    from calendar_svc.reminders.schedule import Timeline, due

    rng = random.Random(11)
    start = dt.datetime(2026, 3, 1, tzinfo=SHANGHAI)
    deadlines = []
    for i in range(60):
        day = dt.date(2026, 3, 1) + dt.timedelta(days=rng.randrange(40))
        timed = rng.random() < 0.4
        end = dt.datetime.combine(day, dt.time(rng.choice([10, 16, 17])), tzinfo=SHANGHAI) if timed else day
        begin = day - dt.timedelta(days=rng.randrange(1, 20)) if rng.random() < 0.3 else None
        deadlines.append(deadline(f"d{i}", end, start=begin, issuer=rng.choice(["教育部", "工业和信息化部"]), kind="window" if begin else "deadline"))
    people = [
        Recipient(n, f"p{n}@example.edu", rng.choice([Filters(), Filters(issuer=("教育部",))]),
                  parse_offsets(rng.choice(["7d,1d", "2h", "1d12h,30m"])), rng.random() < 0.5,
                  start + dt.timedelta(days=rng.randrange(10)))
        for n in range(12)
    ]
    timeline = Timeline(deadlines, people, HOURS)
    sent_full = {r.key for r in due(deadlines, people, HOURS, start)}  # the first tick is a full one (catch-up)
    sent_incremental = set(sent_full)
    previous = start
    moment = start
    while moment < dt.datetime(2026, 4, 15, tzinfo=SHANGHAI):
        moment += dt.timedelta(hours=rng.choice([1, 3, 7]), minutes=rng.choice([0, 1, 29]))
        full = {r.key for r in due(deadlines, people, HOURS, moment, sent_full)}
        incremental = {r.key for r in timeline.due(previous, moment, sent_incremental)}
        assert incremental == full, moment
        sent_full |= full
        sent_incremental |= incremental
        previous = moment
    assert len(sent_full) > 100
