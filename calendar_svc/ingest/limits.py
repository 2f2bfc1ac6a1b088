"""How much ingest reads and waits: defaults from data/ingest.toml."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from ..packaged import read_toml


@dataclass(frozen=True)
class WebLimits:
    timeout: float = 20
    total_timeout: float = 60
    max_redirects: int = 5
    max_attachments: int = 20
    user_agent: str = "calendar-svc"


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * 2**20
    convert_timeout: float = 60
    web: WebLimits = field(default_factory=WebLimits)


@cache
def default_limits() -> Limits:
    """The limits of data/ingest.toml, read once (every input read asks for them; a frozen value, safe to share)."""
    data = read_toml("ingest.toml")
    web = WebLimits(**data.get("web", {}))
    return Limits(max_bytes=int(data["max_mib"] * 2**20), convert_timeout=float(data["convert_timeout"]), web=web)
