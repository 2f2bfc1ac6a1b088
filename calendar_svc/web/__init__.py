"""The web side: a Flask app for the feed and the page, served by waitress.

waitress is a production WSGI server in pure Python: ``calendar-svc serve``
needs nothing but ``pip install`` on a fresh machine, and unlike Flask's
development server it handles many calendar apps polling at once.
"""

from __future__ import annotations

import waitress
from flask import Flask

from .app import create_app

__all__ = ["create_app", "serve"]

#: Worker threads: feed requests are cheap (cached bodies), so a few suffice.
THREADS = 8


def serve(app: Flask, host: str = "127.0.0.1", port: int = 8000, *, threads: int = THREADS) -> None:
    """Serve ``app`` until interrupted."""
    waitress.serve(app, host=host, port=port, threads=threads, ident="calendar-svc")
