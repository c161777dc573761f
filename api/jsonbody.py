"""JSON bodies of ninjs pages, fast: the bytes Starlette's JSONResponse writes, at a tenth of
the cost (orjson), because a page of 50 full articles spent more time in ``json.dumps`` than
in the database.

orjson and ``json.dumps(ensure_ascii=False, separators=(",", ":"))`` write the same bytes for
str (escapes included), int, bool, None, lists and dicts with str keys. They differ on floats
written with an exponent (``1e+16`` / ``1e16``) and on NaN, so only bodies without floats
come here: ninjs items (:func:`wire.api.formats.to_ninjs` writes no float) and their page.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi.responses import JSONResponse

try:
    import orjson as _orjson
except ImportError:  # pragma: no cover - a declared dependency; json.dumps is the same bytes
    _orjson = None  # type: ignore[assignment]


def dumps(content: Any) -> bytes:
    """``content`` (no floats) as JSONResponse would write it."""
    if _orjson is not None:
        try:
            return _orjson.dumps(content)
        except TypeError:  # ints beyond 64 bits, lone surrogates, odd keys: json.dumps decides
            pass
    return json.dumps(
        content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
    ).encode("utf-8")


class NinjsJSONResponse(JSONResponse):
    """A JSONResponse for float-free bodies (ninjs pages), rendered by :func:`dumps`."""

    def render(self, content: Any) -> bytes:
        return dumps(content)
