"""What a reader asks of the store: :class:`ArticleQuery`, its values made canonical.

Filters forgive what is unambiguous: agency and source names resolve like ingest resolves
them ("DPA", "sda", "Keystone-SDA"), languages are case-insensitive, subjects match by code
or name in any case. The text query is parsed once, here (:mod:`wire.storage.search.language`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, exists, func, or_

from wire.errors import QueryError
from wire.normalise.agencies import resolve_agency
from wire.record import ITEM_TYPES
from wire.storage.models import ArticleAgency, ArticleRow, ArticleSubject
from wire.storage.paging import Sort
from wire.storage.search.language import Node, parse_query
from wire.storage.search.tokens import search_languages
from wire.storage.visibility import visible_pubstatuses


def _agencies(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(resolve_agency(v) or v for v in values))


def _lower(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip().lower() for v in values if v.strip()))


# What ``type=`` takes: the record types wire stores, and the other ninjs item types a client
# may ask for (wire stores none of them, so they match nothing rather than being an error).
QUERY_TYPES: tuple[str, ...] = (*ITEM_TYPES, "video", "audio", "composite")
_TYPE_ALIASES = {"story": "text", "photo": "picture", "image": "picture", "infographic": "graphic"}


def _types(values: tuple[str, ...]) -> tuple[str, ...]:
    """Item types, any case, with the desk's words for them ("photo", "story")."""
    out = tuple(dict.fromkeys(_TYPE_ALIASES.get(v, v) for v in _lower(values)))
    unknown = [v for v in out if v not in QUERY_TYPES]
    if unknown:
        raise QueryError(f"unknown type {unknown[0]!r}: use one of {', '.join(QUERY_TYPES)}")
    return out


@dataclass(frozen=True)
class ArticleQuery:
    """What a client asks of ``/articles`` (and ``wire search``); lists are ORed, fields ANDed.

    Values are made canonical on creation, so two spellings of one query are one query (and
    share cursors).
    """

    q: str | None = None
    agency: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    subject: tuple[str, ...] = ()  # a subject code ("medtop:11000000") or name ("Politik")
    type: tuple[str, ...] = ()  # text, picture, graphic (empty: every type)
    pubstatus: tuple[str, ...] = ()  # empty: what a reader sees by default (visibility.py)
    cluster: str | None = None
    has_images: bool | None = None
    urgency: int | None = None  # the highest urgency number wanted: 1 flash only, 2 urgent too
    ids: tuple[str, ...] = ()  # only these articles (the desk matches a changed story by id)
    since: datetime | None = None  # versioncreated >= since
    until: datetime | None = None  # versioncreated < until
    sort: Sort | None = None  # default: relevance with q, newest without
    parsed: Node | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        q = (self.q or "").strip() or None
        set_ = object.__setattr__
        set_(self, "q", q)
        set_(self, "parsed", parse_query(q) if q else None)
        set_(self, "agency", _agencies(self.agency))
        set_(self, "source", _agencies(self.source))
        set_(self, "language", _lower(self.language))
        set_(self, "subject", tuple(dict.fromkeys(s.strip() for s in self.subject if s.strip())))
        set_(self, "type", _types(self.type))
        set_(self, "pubstatus", visible_pubstatuses(self.pubstatus))
        set_(self, "ids", tuple(dict.fromkeys(i for i in self.ids if i)))
        if self.urgency is not None and not 1 <= self.urgency <= 9:
            raise QueryError("urgency must be a number from 1 (flash) to 9")
        if self.sort == "relevance" and not q:
            raise QueryError("sort=relevance needs a text query (q)")
        if self.since and self.until and self.since >= self.until:
            raise QueryError("since must be earlier than until")

    @property
    def effective_sort(self) -> Sort:
        return self.sort or ("relevance" if self.q else "newest")

    @property
    def stem_languages(self) -> tuple[str, ...]:
        """The stemming languages the text is matched in (see wire.storage.search.tokens)."""
        return search_languages(self.language)

    def fingerprint(self) -> str:
        """A short hash of the query, so a cursor is only accepted by the query that made it."""
        data = asdict(self)
        data.pop("parsed", None)
        for added in ("type", "urgency", "ids"):  # unset: the fingerprint (and cursors) of before
            if not data[added]:
                data.pop(added)
        data["sort"] = self.effective_sort
        blob = json.dumps(data, default=str, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:12]


def subject_condition(subjects: tuple[str, ...]) -> ColumnElement[bool]:
    """An article has one of these subjects, by code or name, case-insensitive."""
    lowered = _lower(subjects)
    return exists().where(
        ArticleSubject.article_id == ArticleRow.id,
        or_(
            ArticleSubject.code.in_(subjects),
            func.lower(ArticleSubject.code).in_(lowered),
            func.lower(ArticleSubject.name).in_(lowered),
        ),
    )


URGENCIES = range(1, 10)  # IPTC urgency: 1 most urgent (flash) .. 9 least


def urgencies(highest: int) -> list[int]:
    """The urgency values of "``highest`` or more pressing": an equality list, not ``<=``.

    Each value is then an equality on the (urgency, versioncreated, id) index, walked newest
    first. With ``urgency <= n`` SQLite's planner (no histogram) walks the time index through
    the routine copy instead, reading every row when the flashes are old: bench/desk/urgency.py.
    """
    return [u for u in URGENCIES if u <= highest]


def filter_conditions(query: ArticleQuery, *, tagged: bool = False) -> list[ColumnElement[bool]]:
    """The query's filters (not its text) as conditions on ``articles``.

    With ``tagged`` (a PostgreSQL text search) the language, source, agency and has_images
    filters are left out: the text query carries them as tag tokens of ``search_vector``
    (``postgres.tag_query``), as FTS5's does on SQLite. Checked again on the rows, they
    tempted the planner to AND a bitmap of every article in the language into the search.
    """
    conds: list[ColumnElement[bool]] = [ArticleRow.pubstatus.in_(query.pubstatus)]
    if query.agency and not tagged:
        conds.append(
            exists().where(
                ArticleAgency.article_id == ArticleRow.id, ArticleAgency.agency.in_(query.agency)
            )
        )
    if query.source and not tagged:
        conds.append(ArticleRow.source.in_(query.source))
    if query.language and not tagged:
        conds.append(ArticleRow.language.in_(query.language))
    if query.subject:
        conds.append(subject_condition(query.subject))
    if query.type:
        conds.append(ArticleRow.type.in_(query.type))
    if query.cluster:
        conds.append(ArticleRow.cluster_id == query.cluster)
    if query.has_images is not None and not tagged:
        conds.append(ArticleRow.has_images.is_(query.has_images))
    if query.urgency is not None:
        conds.append(ArticleRow.urgency.in_(urgencies(query.urgency)))
    if query.ids:
        conds.append(ArticleRow.id.in_(query.ids))
    if query.since:
        conds.append(ArticleRow.versioncreated >= query.since)
    if query.until:
        conds.append(ArticleRow.versioncreated < query.until)
    return conds
