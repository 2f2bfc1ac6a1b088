"""What the service publishes, byte for byte: feed and JSON bodies, compressed once, with their ETags.

The server (:mod:`calendar_svc.web`) and the static export (``calendar-svc
export --all-variants``) both build their bodies here, so a file that nginx
or a CDN serves carries the same bytes and the same ETag as the server's
response, and a subscriber moving between them downloads nothing twice.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath

from .filters import PAST_PARAM, Filters, select
from .model import Deadline


@dataclass(frozen=True)
class Body:
    """A built response body, compressed once, with its validators.

    ``expires`` is for bodies that depend on the clock (the web page's days
    left): past it the server builds the body again though the data did not change.
    """

    data: bytes
    gzipped: bytes = field(repr=False)
    etag: str
    modified: dt.datetime | None
    expires: dt.datetime | None = None

    @classmethod
    def build(cls, data: bytes, modified: dt.datetime | None, expires: dt.datetime | None = None) -> Body:
        # mtime=0: the same body always compresses to the same bytes.
        packed = gzip.compress(data, compresslevel=6, mtime=0)
        return cls(data=data, gzipped=packed, etag=etag_of(data), modified=modified, expires=expires)

    def fresh(self, now: dt.datetime | None) -> bool:
        return self.expires is None or now is None or now < self.expires

    @property
    def size(self) -> int:
        return len(self.data) + len(self.gzipped)


def etag_of(data: bytes) -> str:
    """The entity tag of a body (without quotes): its content hash, so equal bytes mean an equal tag anywhere."""
    return hashlib.sha256(data).hexdigest()[:32]


def feed_query(filters: Filters, past_all: bool = False) -> list[tuple[str, str]]:
    """A feed variant as query pairs in a fixed order: the links the page gives and the export's keys."""
    return [*filters.items(), *([(PAST_PARAM, "all")] if past_all else [])]


def public_record(d: Deadline) -> dict:
    """A record as the public JSON shows it: the source file by name only, never a folder on the server."""
    record = {**d.to_dict(), "due": d.due.isoformat()}
    record["source"] = {**record["source"], "file": PurePath(d.source.file).name}
    return record


def json_body(deadlines: Iterable[Deadline], filters: Filters, updated: dt.datetime | None) -> bytes:
    """``/deadlines.json``: the records ``filters`` selects, soonest first, each with its ``due`` moment."""
    records = [public_record(d) for d in select(deadlines, filters)]
    value = {"updated": updated.isoformat() if updated else None, "count": len(records), "deadlines": records}
    return json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8")
