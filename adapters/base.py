"""The adapter contract: raw bytes and feed settings in, canonical records out.

An adapter is pure: no network, no database, no clock beyond what the payload says.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from wire.feedsettings import FeedSettings
from wire.record import ParseResult

# Payloads that are no text format at all, by their first bytes: rejects name what they are.
_BINARY_MAGIC = (
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"), (b"PK\x03\x04", "a ZIP archive"), (b"\x1f\x8b", "gzip data"),
    (b"RIFF", "a RIFF file (WebP, WAV)"), (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"), (b"\xfd7zXZ\x00", "xz data"), (b"\x28\xb5\x2f\xfd", "zstd data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"), (b"\x7fELF", "an executable"),
)  # fmt: skip


def binary_kind(data: bytes) -> str | None:
    """What a binary payload is ("a JPEG image", "gzip data"), by its magic number."""
    return next((what for magic, what in _BINARY_MAGIC if data.startswith(magic)), None)


def decode_text(data: bytes, encodings: tuple[str, ...] = ("utf-8", "cp1252")) -> str:
    """Text that names no charset: the first of ``encodings`` that decodes it, else latin-1
    (which decodes any bytes), so a stray byte never loses a message."""
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def fallback_guid(
    prefix: str,
    *fields: str,
    sep: str = "\x1f",
    algorithm: Literal["sha1", "sha256"] = "sha1",
    length: int | None = 24,
) -> str:
    """A guid for an item that names none: ``prefix`` + a hex hash of what identifies it.

    Every adapter's fallback goes through here. The separator, hash and length differ per
    adapter because guids are stored: changing them would make every such item new again
    (``tests/adapters/test_fallback_guids.py`` pins them).
    """
    digest = hashlib.new(algorithm, sep.join(fields).encode()).hexdigest()
    return prefix + (digest if length is None else digest[:length])


class Adapter(Protocol):
    """One wire format.

    ``sniff(data, filename)`` returns a confidence from 0.0 (not mine) to 1.0 (certainly
    mine) by looking at the first bytes and the file name only; it must be cheap and never
    raise. ``parse(data, settings)`` returns one result per item: an ``Article`` (not yet
    normalised: ``wire.normalise.article`` finishes it) or a ``Rejected`` carrying the item's raw
    bytes and a one-sentence reason. A payload that is unreadable as a whole raises
    ``wire.errors.AdapterError`` with the reason.
    """

    name: str

    def sniff(self, data: bytes, filename: str | None = None) -> float: ...

    def parse(self, data: bytes, settings: FeedSettings) -> list[ParseResult]: ...


@dataclass(frozen=True)
class ItemSpans:
    """A multi-item payload cut at its items: ``spans`` are the byte ranges of each item in
    document order. Lets the pipeline leave items it stored before out of the parse: a feed
    polled every few minutes mostly repeats its window, and parsing is the poll's CPU cost.
    """

    data: bytes
    spans: tuple[tuple[int, int], ...]

    def item(self, i: int) -> bytes:
        start, end = self.spans[i]
        return self.data[start:end]

    def without(self, drop: set[int]) -> bytes:
        """The payload with the items at these positions cut out, every other byte kept."""
        parts, at = [], 0
        for i, (start, end) in enumerate(self.spans):
            if i in drop:
                parts.append(self.data[at:start])
                at = end
        parts.append(self.data[at:])
        return b"".join(parts)


@runtime_checkable
class SplitsItems(Protocol):
    """An adapter that can cut its payloads into items (see :class:`ItemSpans`).

    ``item_spans(data)`` returns None whenever it is not sure of the cut (malformed payload,
    items it cannot line up): the payload is then parsed whole, which is always correct.
    """

    def item_spans(self, data: bytes) -> ItemSpans | None: ...
