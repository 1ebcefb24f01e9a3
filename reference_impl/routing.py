"""Connexion's routing, with path integers that Python can always convert.

Starlette converts an ``{id:int}`` path segment with ``int()``, which raises on more than 4300
digits: a 500 from the router itself. Ids longer than any 64-bit integer simply match no route.
"""

from __future__ import annotations

from connexion.frameworks.starlette import IntegerConverter
from connexion.middleware.routing import RoutingMiddleware
from starlette.types import ASGIApp

from reference_impl.connexion_compat import register_path_converter

# A signed 64-bit integer has at most 19 digits.
MAX_ID_DIGITS = 19


class BoundedIntegerConverter(IntegerConverter):
    regex = rf"[+-]?[0-9]{{1,{MAX_ID_DIGITS}}}"


class BoundedRoutingMiddleware(RoutingMiddleware):
    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)  # registers Connexion's own converters, for the whole process
        register_path_converter("int", BoundedIntegerConverter())
