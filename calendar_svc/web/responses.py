"""Cacheable responses: ETag, Last-Modified, 304s and gzip for bodies built once per data version.

Calendar apps poll; most polls should cost a 304 and a few headers, and the
rest a body that was compressed once, not on every request.
"""

from __future__ import annotations

from flask import Request, Response

from .cache import Body

#: How long clients and proxies may reuse a feed without asking again.
MAX_AGE = 300


def cached_response(request: Request, body: Body, mimetype: str, **headers: str) -> Response:
    """``body`` as a response honouring If-None-Match, If-Modified-Since and Accept-Encoding."""
    use_gzip = request.accept_encodings["gzip"] > 0
    etag = f"{body.etag}-gzip" if use_gzip else body.etag
    if _not_modified(request, body):
        response = Response(status=304)
    else:
        data = body.gzipped if use_gzip else body.data
        response = Response(data, mimetype=mimetype)
        if use_gzip:
            response.headers["Content-Encoding"] = "gzip"
    response.set_etag(etag)
    if body.modified is not None:
        response.last_modified = body.modified
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response.headers["Vary"] = "Accept-Encoding"
    for name, value in headers.items():
        response.headers[name.replace("_", "-")] = value
    return response


def _not_modified(request: Request, body: Body) -> bool:
    """RFC 9110 §13.2.2: If-None-Match wins; If-Modified-Since counts only without it."""
    if request.if_none_match:
        tags = request.if_none_match
        return tags.star_tag or tags.contains_weak(body.etag) or tags.contains_weak(f"{body.etag}-gzip")
    since = request.if_modified_since
    return since is not None and body.modified is not None and body.modified <= since
