"""The .ics attached to a reminder: the feed's own events for that one deadline.

Built from :func:`calendar_svc.feed.events` so the attachment carries the same
UID and SEQUENCE as the published feed: importing it updates the event a
subscriber already has instead of adding a second one.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from .. import feed
from ..model import Deadline


def event_ics(deadline: Deadline, stamp: dt.datetime) -> bytes:
    """A complete VCALENDAR (METHOD:PUBLISH, VTIMEZONE) holding this deadline's events."""
    config = feed.default_config()
    cal = Calendar()
    cal.add("prodid", feed.PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add_component(feed.shanghai_timezone())
    for event in feed.events(deadline, config=config, stamp=stamp.astimezone(dt.UTC).replace(microsecond=0)):
        cal.add_component(event)
    return cal.to_ical()
