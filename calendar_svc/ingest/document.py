"""The one shape every reader returns, and the cleaning every text gets."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

#: C0 controls but tab and newline, DEL, and C1 controls: they break strict iCal parsers, email
#: headers and terminals, and no notice means them. Page breaks and CR become line ends first.
_LINE_BREAKS = re.compile(r"\r\n?|[\f\v\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Document:
    """A notice as read: its name as given (path or URL), its text, and where it came from.

    ``sha256`` is the hash of the bytes read, ``url`` the address it was
    fetched from (empty for a local file): together with the notice's own
    文号 and title they, not the file name, say which document a record
    belongs to. ``title`` is the document's own title when its format has
    one (``<title>``, the page headline, a PDF's first heading).
    """

    name: str
    text: str
    encoding: str = "utf-8"
    format: str = "text"
    url: str = ""
    sha256: str = ""
    title: str = ""
    #: For an attachment: the page (its Document name) that links to it.
    parent: str = ""


def clean_text(text: str) -> str:
    """``\\n`` line ends, no control characters (tab and newline stay)."""
    return _CONTROLS.sub("", _LINE_BREAKS.sub("\n", text))


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
