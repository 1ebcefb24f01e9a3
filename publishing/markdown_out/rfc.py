"""The Meaning column of Responses tables: the status phrase linked to its RFC section, as pages write it."""

from __future__ import annotations

from http import HTTPStatus

RFC7231 = "https://tools.ietf.org/html/rfc7231#section-"
SECTIONS = {
    100: "6.2.1", 101: "6.2.2",
    200: "6.3.1", 201: "6.3.2", 202: "6.3.3", 203: "6.3.4", 204: "6.3.5", 205: "6.3.6",
    300: "6.4.1", 301: "6.4.2", 302: "6.4.3", 303: "6.4.4", 305: "6.4.5", 307: "6.4.7",
    400: "6.5.1", 402: "6.5.2", 403: "6.5.3", 404: "6.5.4", 405: "6.5.5", 406: "6.5.6", 408: "6.5.7",
    409: "6.5.8", 410: "6.5.9", 411: "6.5.10", 413: "6.5.11", 414: "6.5.12", 415: "6.5.13", 417: "6.5.14",
    426: "6.5.15",
    500: "6.6.1", 501: "6.6.2", 502: "6.6.3", 503: "6.6.4", 504: "6.6.5", 505: "6.6.6",
}  # fmt: skip
OTHER = {
    206: "https://tools.ietf.org/html/rfc7233#section-4.1",
    304: "https://tools.ietf.org/html/rfc7232#section-4.1",
    401: "https://tools.ietf.org/html/rfc7235#section-3.1",
    412: "https://tools.ietf.org/html/rfc7232#section-4.2",
    416: "https://tools.ietf.org/html/rfc7233#section-4.4",
    422: "https://tools.ietf.org/html/rfc2518#section-10.3",
    429: "https://tools.ietf.org/html/rfc6585#section-4",
}


def phrase(status: str) -> str:
    try:
        return HTTPStatus(int(status)).phrase
    except ValueError:
        return "Default" if status == "default" else "Response"


def meaning(status: str) -> str:
    code = int(status) if status.isdigit() else 0
    url = OTHER.get(code) or (RFC7231 + SECTIONS[code] if code in SECTIONS else None)
    return f"[{phrase(status)}]({url})" if url else phrase(status)
