"""The .ics attached to a reminder: the deadline's closing event, for people who do not subscribe.

A subscribed calendar is read-only and lives apart from the user's own
calendars, so importing an attachment never updates the subscribed event:
it adds a copy to the user's calendar. So the attachment holds only what is
worth a copy, the closing event (no window-opening event), with the feed's
UID and SEQUENCE so that importing the next reminder's attachment updates
that copy instead of adding another, and with its alarms, which an imported
event keeps (subscribed ones often lose them). No METHOD: this is not an
iTIP invitation (RFC 5546 would want an ORGANIZER).
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from .. import feed
from ..model import Deadline


def event_ics(deadline: Deadline, stamp: dt.datetime) -> bytes:
    """A complete VCALENDAR (VTIMEZONE and the closing VEVENT) for this deadline."""
    config = feed.default_config()
    cal = Calendar()
    cal.add("prodid", feed.PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add_component(feed.shanghai_timezone())
    events = feed.events(deadline, config=config, stamp=stamp.astimezone(dt.UTC).replace(microsecond=0))
    cal.add_component(events[-1])  # the closing event comes last; a window's opening one is left out
    return cal.to_ical()
