"""PostgreSQL's list of search tokens (``search_terms``, migration i17e_pg_search_terms): a
prefix search becomes an OR of whole tokens.

GIN answers a prefix (``'frei':*``) by first uniting the postings of every lexeme that starts
with it, over all time, and only then intersecting them with the days of a probe's range:
"freitag" alone is in 184,000 of a million stories, ~50 ms a probe. A whole lexeme's
postings are skipped through by the day column instead (~1.6 ms a probe). So the query looks
up the tokens that start with the prefix in this table (a btree range scan, ``COLLATE "C"``:
the byte order of UTF-8, which is code point order, the order in which a tsvector's
lexemes compare) and, up to ``EXPAND_UP_TO`` of them, asks for those tokens by name.

The writer keeps the list complete: every text token it writes to ``search_vector`` is in
the table in the same transaction (``record_terms``). The term column has a plain index,
not a unique one: an insert into a unique index waits for another transaction's
uncommitted insert of the same key, so two writers storing stories with the same new word
would wait for each other's commit (and deadlock, each waiting for the other's rows or
terms). The writer adds only the terms no committed row has (``NOT EXISTS``, which never
waits); two writers adding the same new term at the same moment both list it, and the
lookup reads distinct terms. A token may outlive every article that had it (retention,
kills): an OR of a token no article has matches what it would without it. Filter tags
(weight D, the trigger's) are not terms. SQLite has no such table: FTS5 keeps a prefix
index of its own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, bindparam, event, text
from sqlalchemy.orm import Session, SessionTransaction

# Whole tokens a prefix is spelt out as at most; a prefix with more keeps GIN's partial
# match (``:*``). Measured on the 1M bench store (README "Query benchmark", session 10).
EXPAND_UP_TO = 256
# Terms a process remembers per store as committed (~100 bytes each: ~10 MB, inside the
# daemon's memory budget); past this it starts over, and the next batches send their
# tokens again (the listed ones are skipped by the index, a few ms a batch).
KNOWN_TERMS = 100_000
TABLE_TTL = 60.0  # seconds a process trusts that a store has no term table (an old store)


@cache
def _insert() -> Any:
    """The statement adding new terms, built at first use: its ARRAY type is PostgreSQL's
    dialect, which a SQLite process never imports (~35 ms)."""
    from sqlalchemy.dialects.postgresql import ARRAY, TEXT

    return text(
        "INSERT INTO search_terms (term) SELECT t FROM unnest(:terms) AS t"
        ' WHERE NOT EXISTS (SELECT 1 FROM search_terms s WHERE s.term = t COLLATE "C")'
    ).bindparams(bindparam("terms", type_=ARRAY(TEXT)))


@cache
def _lookup() -> Any:
    """The statement spelling prefixes out as terms, built at first use (as :func:`_insert`)."""
    from sqlalchemy.dialects.postgresql import ARRAY, TEXT

    return text(
        "SELECT p.prefix, t.term FROM unnest(:prefixes, :uppers) AS p(prefix, hi)"
        " CROSS JOIN LATERAL (SELECT DISTINCT term FROM search_terms"
        ' WHERE term >= p.prefix COLLATE "C" AND term < p.hi COLLATE "C"'
        " ORDER BY term LIMIT :cap) AS t"  # the column's collation is C
    ).bindparams(bindparam("prefixes", type_=ARRAY(TEXT)), bindparam("uppers", type_=ARRAY(TEXT)))


_EXISTS = text("SELECT to_regclass('search_terms') IS NOT NULL")

_lock = threading.Lock()
_known: WeakKeyDictionary[Any, set[str]] = WeakKeyDictionary()  # per engine: committed terms
# Per session transaction (a savepoint too): the terms it inserted, not committed yet.
_pending: WeakKeyDictionary[SessionTransaction, set[str]] = WeakKeyDictionary()
_has_table: WeakKeyDictionary[Any, tuple[bool, float]] = WeakKeyDictionary()
_HOOKED = "wire_search_terms_hooked"


def record_terms(session: Session, conn: Connection, terms: Iterable[str]) -> None:
    """Add ``terms`` to PostgreSQL's term list in the session's transaction: one INSERT of
    those this process does not know to be committed and no committed row has (it waits
    for no other writer). Remembered as committed only once the outermost transaction
    commits: a savepoint or transaction that rolls back forgets them, so no term of a stored
    article is ever missing."""
    if conn.dialect.name != "postgresql":
        return
    engine = conn.engine
    with _lock:
        known = _known.setdefault(engine, set())
        new = sorted(set(terms) - known)
    if not new:
        return
    conn.execute(_insert(), {"terms": new})
    trans = session.get_nested_transaction() or session.get_transaction()
    if trans is None:  # not in a transaction: the statement committed on its own
        _remember(engine, new)
        return
    _pending.setdefault(trans, set()).update(new)
    if not session.info.get(_HOOKED):
        session.info[_HOOKED] = True
        event.listen(session, "after_commit", _committed)
        event.listen(session, "after_transaction_end", _ended)


def _committed(session: Session) -> None:
    # Fired by the transaction committing (the innermost: a released savepoint, or the
    # outermost transaction), before it closes.
    trans = session.get_nested_transaction() or session.get_transaction()
    if trans is None:
        return
    terms = _pending.pop(trans, None)
    if not terms:
        return
    if trans.parent is not None:  # a savepoint: its terms commit with its parent, or not
        _pending.setdefault(trans.parent, set()).update(terms)
        return
    bind = session.get_bind()
    _remember(getattr(bind, "engine", bind), terms)


def _ended(_session: Session, trans: SessionTransaction) -> None:
    _pending.pop(trans, None)  # rolled back (a commit took them already)


def _remember(engine: Any, terms: Iterable[str]) -> None:
    with _lock:
        known = _known.setdefault(engine, set())
        if len(known) > KNOWN_TERMS:
            known.clear()
        known.update(terms)


def upper_bound(prefix: str) -> str | None:
    """The least string after every string that starts with ``prefix`` in code point order
    (None: there is none, ``prefix`` is all U+10FFFF, no letter)."""
    head = prefix
    while head:
        nxt = ord(head[-1]) + 1
        if 0xD800 <= nxt <= 0xDFFF:  # surrogates are no characters of a text
            nxt = 0xE000
        if nxt <= 0x10FFFF:
            return head[:-1] + chr(nxt)
        head = head[:-1]
    return None


def has_table(session: Session) -> bool:
    """Whether the store has the term list (a store before migration i17e has not)."""
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)
    cached = _has_table.get(engine)
    if cached is not None and (cached[0] or time.monotonic() - cached[1] < TABLE_TTL):
        return cached[0]
    found = bool(session.execute(_EXISTS).scalar())
    _has_table[engine] = (found, time.monotonic())
    return found


def expansions(
    session: Session, prefixes: Sequence[str], up_to: int = EXPAND_UP_TO
) -> dict[str, tuple[str, ...]]:
    """Each prefix with at most ``up_to`` terms starting with it: those terms, in order (none:
    no text has a token starting with it). A prefix with more terms, or any prefix on a
    store without the list, is left out (it stays a partial match)."""
    bounds = {p: hi for p in set(prefixes) if p and (hi := upper_bound(p)) is not None}
    if not bounds or not has_table(session):
        return {}
    wanted = sorted(bounds)
    found: dict[str, list[str]] = {p: [] for p in wanted}
    params = {"prefixes": wanted, "uppers": [bounds[p] for p in wanted], "cap": up_to + 1}
    for prefix, term in session.execute(_lookup(), params):
        found[prefix].append(term)
    return {p: tuple(ts) for p, ts in found.items() if len(ts) <= up_to}
