"""Web addresses: placeholder until the fetcher lands."""

from __future__ import annotations

from ..errors import InputError
from .document import Document
from .limits import Limits


def read_url(url: str, *, limits: Limits) -> tuple[list[Document], list[InputError]]:
    return [], [InputError(url, "web addresses are not supported yet")]
