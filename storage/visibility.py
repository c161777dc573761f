"""What a reader may see: the one rule every list and article view of the store applies.

Lists (``/articles``, ``wire search``, the Atom and ninjs lists, a cluster's members) show
usable stories unless the reader asks for withheld or canceled ones (``pubstatus``), so a CMS
that pulls a list as it is never republishes a kill. Kills still travel on the change feed
(:mod:`wire.storage.changes`), and an article's own URL still answers, saying what it is
(:func:`notice_of`).

Rules that narrow what a reader sees further (an embargo, a rights tombstone) belong here:
:func:`visible_pubstatuses` decides the statuses of a list, :func:`notice_of` what one
article's view says about itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from wire.errors import QueryError
from wire.record import PUBSTATUSES

ALL = "all"  # pubstatus=all: every status
DEFAULT_PUBSTATUSES = ("usable",)
NOTICES = {
    "canceled": "this story was killed by its agency (pubstatus canceled): do not publish it",
    "withheld": "this story is withheld by its agency (pubstatus withheld): do not publish it",
}


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
