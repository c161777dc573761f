"""The canonical article record: the one shape adapters produce and storage accepts.

Field names are a contract shared with the API and the change feed; add fields, never rename.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, Literal

PubStatus = Literal["usable", "withheld", "canceled"]
PUBSTATUSES: tuple[str, ...] = ("usable", "withheld", "canceled")
# What an item is: a story, or a media record (a photo, a graphic) that stories link to.
ItemType = Literal["text", "picture", "graphic"]
ITEM_TYPES: tuple[str, ...] = ("text", "picture", "graphic")


@dataclass
class Subject:
    """A subject term: a scheme-qualified code (``medtop:20000106``) and/or a display name."""

    code: str | None = None
    name: str | None = None


@dataclass
class Image:
    """One picture attached to an article, its credit already separated from the caption."""

    href: str | None = None
    alt: str | None = None
    caption: str | None = None
    credit: str | None = None  # the credit line as printed ("KEYSTONE/Peter Schneider")
    creator: str | None = None  # the photographer
    agencies: list[str] = field(default_factory=list)  # agency codes in credit order
    copyright_holder: str | None = None
    usage_terms: str | None = None  # "Editorial use only", "No sales"
    copyright_notice: str | None = None  # "(c) 2026 KEYSTONE"


@dataclass
class Rendition:
    """One file of a picture or graphic: the original, a preview, a thumbnail."""

    href: str
    name: str | None = None  # the provider's rendition name ("highRes", "thumbnail")
    contenttype: str | None = None  # "image/jpeg"
    width: int | None = None  # pixels
    height: int | None = None


@dataclass
class Link:
    """Another item this one references by its guid: a story's pictures (NewsML packages and
    links, ninjs associations). Resolved when read, so either side may arrive first."""

    guid: str
    rel: str = "picture"  # picture | graphic | text | ...


@dataclass
class Sighting:
    """Another arrival of an article's exact text through a different source or feed."""

    source: str | None
    feed: str
    guid: str | None
    url: str | None
    seen_at: datetime


@dataclass
class Article:
    """The canonical article record (see the README for every field's meaning)."""

    guid: str
    feed: str = ""
    id: str = ""
    type: ItemType = "text"  # picture/graphic: a media record, its picture in images[0]
    source: str | None = None
    agencies: list[str] = field(default_factory=list)
    # Raw names of the unresolved codes in ``agencies`` ("x-lokalagentur" -> "Lokalagentur").
    unresolved_agencies: dict[str, str] = field(default_factory=dict)
    # Makers of the content that are not agencies (automated text: "automated-insights").
    producers: list[str] = field(default_factory=list)
    url: str | None = None
    version: int = 1
    pubstatus: PubStatus = "usable"
    kicker: str | None = None
    headline: str = ""
    lead: str | None = None
    key_points: list[str] = field(default_factory=list)
    body_text: str = ""
    body_html: str | None = None
    language: str | None = None
    dateline: str | None = None
    byline: str | None = None
    subjects: list[Subject] = field(default_factory=list)
    urgency: int | None = None
    ednote: str | None = None  # the agency's note to editors ("KILL - do not use ...")
    embargoed: datetime | None = None  # not to be published before this time (UTC)
    usage_terms: str | None = None  # "Editorial use only", "Not for sale in Germany"
    copyright_notice: str | None = None  # "(c) 2026 dpa"
    # What the agency's status words said ("1ST LEAD" -> "lead:1", "REFILE" -> "refile").
    signals: list[str] = field(default_factory=list)
    firstcreated: datetime | None = None
    versioncreated: datetime | None = None
    ingested_at: datetime | None = None
    images: list[Image] = field(default_factory=list)
    renditions: list[Rendition] = field(default_factory=list)  # of a picture/graphic record
    links: list[Link] = field(default_factory=list)  # items this one references
    content_hash: str = ""
    cluster_id: str | None = None
    sightings: list[Sighting] = field(default_factory=list)
    # Raw attribution strings seen by the adapter ("sda/dpa", "AFP"), resolved by normalisation.
    credit_strings: list[str] = field(default_factory=list, repr=False)
    # Whether the adapter's version number came from the source (NewsML/ninjs) or is ours.
    source_version: bool = field(default=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready contract form: datetimes as UTC ISO 8601, internal fields dropped.

        Every stored version keeps it, so it walks the fields itself: ``dataclasses.asdict``
        deep-copies each value first and cost several times more.
        """
        data: dict[str, Any] = _jsonable(self)
        del data["credit_strings"], data["source_version"]
        return data

    def to_json(self) -> str:
        """``json.dumps(self.to_dict(), ensure_ascii=False)``, written as text in one go
        (:func:`_writer`): the dict and the encoder's walk over it cost ``wire parse`` a
        tenth of its time. The same text (tests/test_record.py compares)."""
        writer = _WRITERS.get(type(self))
        if writer is not None:
            try:
                return str(writer(self.__dict__))
            except (AttributeError, KeyError):  # a field not in __dict__: the dict's way
                pass
        return _TO_JSON(self.to_dict())

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """Rebuild a record from :meth:`to_dict` output (stored versions, API round trips)."""
        known = {f.name for f in fields(cls)}
        kw = {k: v for k, v in data.items() if k in known}
        for key in ("firstcreated", "versioncreated", "ingested_at", "embargoed"):
            if isinstance(kw.get(key), str):
                kw[key] = parse_iso(kw[key])
        kw["images"] = [Image(**i) if isinstance(i, dict) else i for i in kw.get("images") or []]
        kw["renditions"] = [
            Rendition(**r) if isinstance(r, dict) else r for r in kw.get("renditions") or []
        ]
        kw["links"] = [Link(**x) if isinstance(x, dict) else x for x in kw.get("links") or []]
        kw["subjects"] = [
            Subject(**s) if isinstance(s, dict) else s for s in kw.get("subjects") or []
        ]
        kw["sightings"] = [
            Sighting(**{**s, "seen_at": parse_iso(s["seen_at"])}) if isinstance(s, dict) else s
            for s in kw.get("sightings") or []
        ]
        return cls(**kw)


def iso(dt: datetime | None) -> str | None:
    """UTC ISO 8601 with a ``Z`` suffix, the one date format wire emits."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


def parse_iso(value: str) -> datetime:
    """An ISO 8601 date or date-time (``Z`` or an offset; a naive time is UTC). Raises
    ValueError for anything else. The one ISO parser of stored, configured and queried times
    (free text in payloads goes through ``wire.normalise.dates``)."""
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


# One encoder for every record: ``json.dumps`` with options builds a new encoder per call
# (the same output: tests/test_record.py compares).
_TO_JSON = json.JSONEncoder(ensure_ascii=False).encode
_HASH_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _jsonable(value: Any) -> Any:
    """``asdict`` then JSON-ready, in one walk: dataclasses as dicts in field order, lists
    and dicts copied, datetimes as ISO strings."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is list:
        return [v if type(v) in _PLAIN else _jsonable(v) for v in value] if value else []
    converter = _CONVERTERS.get(kind)
    if converter is not None:
        try:
            return converter(value.__dict__)
        except (AttributeError, KeyError):  # a field not in __dict__: the walk below
            pass
    if isinstance(value, str | int | float | bool | None):
        return value
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if hasattr(kind, "__dataclass_fields__"):
        out: dict[str, Any] = {}
        for name in _field_names(kind):
            v = getattr(value, name)
            out[name] = v if type(v) in _PLAIN else _jsonable(v)
        return out
    return value


_PLAIN = frozenset({str, int, float, bool, type(None)})  # JSON-ready as they are


def _converter(cls: type) -> Any:
    """``_jsonable`` of a ``cls`` instance as one dict display over its ``__dict__``, made
    once per record class: the generic walk's loop and ``getattr`` per field cost more than
    the rest of ``to_json``. Gives the walk's very dict (tests/test_record.py compares)."""
    kinds = {f.name: str(f.type) for f in fields(cls)}
    items = ", ".join(
        f"{name!r}: {_FIELD_FORMS.get(kinds[name], _ANY).format(repr(name))}"
        for name in _field_names(cls)
    )
    code = f"def convert(d):\n    return {{{items}}}\n"
    scope: dict[str, Any] = {"P": _PLAIN, "J": _jsonable, "D": datetime, "I": iso}
    exec(code, scope)  # source made here from the field names only
    return scope["convert"]


# A field's value in the converter, by its annotation: any value as the walk takes it; a
# datetime or a list (the usual values of such fields) without the walk's call and type tests
# (each form ends in the walk's own expression for anything else).
_ANY = "(v if type(v := d[{0}]) in P else J(v))"
_DATE = "(I(v) if type(v := d[{0}]) is D else v if type(v) in P else J(v))"
_LIST = (
    "(([x if type(x) in P else J(x) for x in v] if v else []) if type(v := d[{0}]) is list"
    " else v if type(v) in P else J(v))"
)
_LIST_FIELDS = tuple(
    f"list[{item}]" for item in ("str", "Subject", "Image", "Rendition", "Link", "Sighting")
)  # the list annotations of the record's fields
_FIELD_FORMS = {"datetime | None": _DATE, "datetime": _DATE} | dict.fromkeys(_LIST_FIELDS, _LIST)
_CONVERTERS: dict[type, Any] = {}


def make_id(namespace: str, guid: str) -> str:
    """Stable article id from the originating source (or feed) and the original id."""
    digest = hashlib.sha256(f"{namespace}\x1f{guid}".encode()).hexdigest()
    return digest[:24]


def compute_content_hash(article: Article) -> str:
    """Hash of everything a reader sees: a change here is a new version, none is a repeat."""
    parts: list[Any] = [
        article.pubstatus,
        article.kicker,
        article.headline,
        article.lead,
        article.key_points,
        article.body_text,
        article.dateline,
        article.byline,
        [(i.href, i.caption, i.credit) for i in article.images],
    ]
    if article.embargoed is not None:
        # Only when set, so hashes stored before embargoes existed still match: a version that
        # moves or lifts an embargo is a new version.
        parts.append(iso(article.embargoed))
    blob = _HASH_JSON(parts)
    return hashlib.sha256(blob.encode()).hexdigest()


_CONVERTERS.update(
    (cls, _converter(cls)) for cls in (Subject, Image, Rendition, Link, Sighting, Article)
)


def _writer(cls: type, drop: frozenset[str] = frozenset()) -> Any:
    """The JSON text of a ``cls`` instance's ``__dict__`` (``drop`` left out), made once per
    record class: one f-string of the fields in order, a string through the encoder's own
    C escaping, None as ``null``, a datetime as :func:`iso`, a list item by item (a nested
    record through its class's writer); anything else through ``_jsonable`` and the encoder,
    as ``to_json`` encodes the whole dict. The separators are the encoder's (", ", ": ")."""
    kinds = {f.name: str(f.type) for f in fields(cls)}
    items = ", ".join(
        f"{json.dumps(name)}: {{{_TEXT_FORMS.get(kinds[name], _TEXT_ANY).format(repr(name))}}}"
        for name in _field_names(cls)
        if name not in drop
    )
    code = f'def write(d):\n    return f"""{{{{{items}}}}}"""\n'
    scope: dict[str, Any] = {"E": _ESCAPE, "X": _json_of, "D": datetime, "I": iso, "N": _nested}
    exec(code, scope)  # source made here from the field names only
    return scope["write"]


def _json_of(value: Any) -> str:
    """Any value's JSON text as ``to_json`` writes it inside the record."""
    return str(_TO_JSON(_jsonable(value)))


def _nested(value: Any) -> str:
    """A list item's JSON text: a record through its class's writer, else :func:`_json_of`."""
    writer = _WRITERS.get(type(value))
    return str(writer(value.__dict__)) if writer is not None else _json_of(value)


# The JSON encoder's string escaping without ensure_ascii (its C function where there is one).
_ESCAPE = json.encoder.encode_basestring
# A field's text in the writer, by its annotation (each form ends in _json_of for a value of
# another kind than the annotation's, so any value is written as the encoder writes it).
_TEXT_ANY = "(E(v) if type(v := d[{0}]) is str else 'null' if v is None else X(v))"
_TEXT_DATE = (
    "(E(I(v)) if type(v := d[{0}]) is D else 'null' if v is None else E(v) if type(v) is str"
    " else X(v))"
)
_TEXT_LIST = (
    "((('[' + ', '.join([E(x) if type(x) is str else N(x) for x in v]) + ']') if v else '[]')"
    " if type(v := d[{0}]) is list else 'null' if v is None else X(v))"
)
_TEXT_FORMS = {"datetime | None": _TEXT_DATE, "datetime": _TEXT_DATE} | dict.fromkeys(
    _LIST_FIELDS, _TEXT_LIST
)
_WRITERS: dict[type, Any] = {}
_WRITERS.update((cls, _writer(cls)) for cls in (Subject, Image, Rendition, Link, Sighting))
_WRITERS[Article] = _writer(Article, frozenset({"credit_strings", "source_version"}))


# What no store takes in text: NUL (PostgreSQL refuses it) and lone surrogates (no UTF-8
# encoder takes them; a JSON "\ud800" escape gives one).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def has_surrogate(text: str) -> bool:
    """Whether ``text`` holds a lone surrogate: the one kind of code point UTF-8 cannot
    encode, so the encoder (in C, a few microseconds for a story) answers what a search for
    ``[\ud800-\udfff]`` answered several times slower."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def storable_text(text: str) -> str:
    """``text`` as every store and JSON encoder takes it: NUL dropped, lone surrogates
    replaced by U+FFFD. Unchanged (and cheap) for the usual text."""
    if "\x00" not in text and not has_surrogate(text):
        return text
    return _UNSTORABLE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", text)


@dataclass
class Rejected:
    """An item (or a whole payload) that could not be turned into a record.

    The reason and guid often quote the bad input itself; they are made storable here, so
    the reject path cannot fail on the very text it reports.
    """

    reason: str
    raw: bytes
    guid: str | None = None

    def __post_init__(self) -> None:
        self.reason = storable_text(str(self.reason))
        if self.guid is not None:
            self.guid = storable_text(str(self.guid))


ParseResult = Article | Rejected
