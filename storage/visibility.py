"""What a reader may see, now: the one rule every list, article view and the change feed apply.

- **Statuses of a list.** Lists (``/articles``, ``wire search``, the Atom and ninjs lists, a
  cluster's members) show usable stories unless the reader asks for withheld or canceled ones
  (``pubstatus``), so a CMS that pulls a list as it is never republishes a kill
  (:func:`visible_pubstatuses`). Kills still travel on the change feed
  (:mod:`wire.storage.changes`), and an article's own URL still answers, saying what it is
  (:func:`notice_of`).
- **Embargo.** An embargoed story (``articles.embargoed`` after the clock) is stored but not
  returned: not in lists, searches, clusters, nor by id. The condition is plain SQL on the
  clock (:func:`released`, :func:`sqlite_released`), so it holds with no daemon running.
- **Kills withdraw.** A killed story (pubstatus ``canceled``) is shown as a tombstone:
  headline, kill note and time, no text and no pictures; its earlier versions too
  (:func:`withdrawn`, :func:`killed_view`).
- **Audit.** An auditor (an admin token that asks explicitly, or ``wire show --audit``) sees
  embargoed stories and killed text; the statuses of a list still follow ``pubstatus``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select

from wire.errors import QueryError
from wire.record import PUBSTATUSES, parse_iso
from wire.storage.models import ArticleRow, utcnow

ALL = "all"  # pubstatus=all: every status
DEFAULT_PUBSTATUSES = ("usable",)
NOTICES = {
    "canceled": "this story was killed by its agency (pubstatus canceled): do not publish it",
    "withheld": "this story is withheld by its agency (pubstatus withheld): do not publish it",
}

# What a tombstone keeps of a killed record; everything else is emptied.
TOMBSTONE_KEEPS = frozenset(
    {
        "id", "type", "source", "agencies", "unresolved_agencies", "producers", "feed", "guid",
        "url", "version", "pubstatus",
        "headline", "language", "ednote", "embargoed", "usage_terms", "copyright_notice",
        "firstcreated", "versioncreated", "ingested_at", "content_hash", "cluster_id",
    }
)  # fmt: skip


# ``articles`` under its own name, built once: never correlated with the outer query, and
# cheap to use (an ORM alias costs more to build than the query costs to run).
_HELD = ArticleRow.__table__.alias("embargoed_articles")


@dataclass(frozen=True)
class Viewer:
    """Who reads, and when: ``audit`` sees embargoed stories and killed text."""

    audit: bool = False
    now: datetime | None = None  # the clock; None: the time of the read

    def clock(self) -> datetime:
        return self.now or utcnow()


READER = Viewer()  # every read token, the publishers and the CLI by default
AUDITOR = Viewer(audit=True)


def visible_pubstatuses(asked: Sequence[str]) -> tuple[str, ...]:
    """The statuses a list shows: the ones asked for (any case; ``all``), else usable only."""
    wanted = [s.strip().lower() for s in asked if s.strip()]
    bad = [s for s in wanted if s not in (*PUBSTATUSES, ALL)]
    if bad:
        raise QueryError(
            f"unknown pubstatus {bad[0]!r}; expected one of: {', '.join((*PUBSTATUSES, ALL))}"
        )
    if not wanted:
        return DEFAULT_PUBSTATUSES
    if ALL in wanted:
        return PUBSTATUSES
    return tuple(dict.fromkeys(wanted))


def notice_of(pubstatus: str) -> str | None:
    """What an article's own view says about it: why it must not be published, if so."""
    return NOTICES.get(pubstatus)


def released(viewer: Viewer) -> list[ColumnElement[bool]]:
    """Conditions on ``articles``: no embargo, or an embargo that has passed.

    Written as "not among the (few) stories still under embargo", found once through
    ``ix_articles_embargoed``: the newest-first scans keep reading their covering
    (versioncreated, id) index instead of every row's embargo column.
    """
    if viewer.audit:
        return []
    held = select(_HELD.c.id).where(_HELD.c.embargoed > viewer.clock())
    return [ArticleRow.id.not_in(held)]


def sqlite_released(viewer: Viewer) -> tuple[str, dict[str, Any]]:
    """The same for SQLite's raw search SQL: `` AND {} NOT IN (...)`` to format with the
    column holding the ``article_keys.key`` (``s.rowid``, ``k.key``), so a ranked search needs
    no join; the few stories still under embargo are found once."""
    if viewer.audit:
        return "", {}
    return (
        " AND {} NOT IN (SELECT key FROM article_keys WHERE article_id IN "
        "(SELECT id FROM articles WHERE embargoed > :embargo_clock))",
        {"embargo_clock": viewer.clock()},
    )


def is_released(record: Mapping[str, Any] | Any, viewer: Viewer) -> bool:
    """Whether a record (dict or row) may be shown to ``viewer`` now."""
    if viewer.audit:
        return True
    value = record.get("embargoed") if isinstance(record, Mapping) else record.embargoed
    if value is None:
        return True
    when = parse_iso(value) if isinstance(value, str) else value
    return bool(when <= viewer.clock())


def tombstone(record: Mapping[str, Any]) -> dict[str, Any]:
    """A killed record as readers see it: who, what headline, the kill note and when."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if key in TOMBSTONE_KEEPS:
            out[key] = value
        elif isinstance(value, list):
            out[key] = []
        elif key == "body_text":
            out[key] = ""
        else:
            out[key] = None
    return out


def withdrawn(
    record: dict[str, Any], viewer: Viewer, *, killed: bool | None = None
) -> dict[str, Any]:
    """The record, or its tombstone when the story is killed (``killed``: the article's
    current state, for an earlier version; default: the record's own pubstatus)."""
    if viewer.audit:
        return record
    if killed is None:
        killed = record.get("pubstatus") == "canceled"
    return tombstone(record) if killed else record


def killed_view(current: Mapping[str, Any], record: Mapping[str, Any]) -> dict[str, Any]:
    """An earlier version of a killed story: its tombstone, with the kill's note and time."""
    out = tombstone(record)
    out.update(
        pubstatus="canceled",
        ednote=current.get("ednote"),
        versioncreated=current.get("versioncreated"),
    )
    return out
