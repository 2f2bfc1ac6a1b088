"""The web side: a Flask app for the feed and the page, served by uvicorn (see :mod:`.server`).

``create_app`` builds the app; ``serve`` runs it with the fast path for cached
answers and the per-client limits that keep one client from taking it down.
"""

from __future__ import annotations

from .app import create_app
from .server import Limits, make_server, serve

__all__ = ["Limits", "create_app", "make_server", "serve"]
