"""Text search on PostgreSQL: the token tree as a tsquery over ``articles.search_vector``.

``search_vector`` is a ``simple`` tsvector of the article's search tokens (:mod:`.tokens`,
written by the writer, migration i17): headline weight A, lead B, body C. The tsquery is
given as a literal of the same tokens (a cast, no parser or stemmer of PostgreSQL's in
between), so it matches exactly what FTS5 matches on SQLite.

Matches are ranked by ``ts_rank`` over ``rank_vector``, the headline and lead part of the
vector, small and inline (migration i17_rank_vector): ranking over ``search_vector`` itself
detoasted every match's whole body vector and cost ~20 times the match. A story that
matches in its body only ranks after those matching in headline or lead.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Float, String, bindparam, cast, func, literal_column
from sqlalchemy.dialects.postgresql import DOUBLE_PRECISION, TSQUERY

from wire.storage.search.matching import AnyOf, Match, Tokens

# Tokens are letters and digits only (tokens.py): safe between quotes in a tsquery literal.


def render(match: Match) -> str:
    """A tsquery literal of a token tree: ``&``, ``|``, ``!``, ``<->`` phrases, ``:*``."""
    if isinstance(match, Tokens):
        *head, last = match.tokens
        parts = [*(f"'{t}'" for t in head), f"'{last}'" + (":*" if match.prefix else "")]
        return parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")"
    if isinstance(match, AnyOf):
        if len(match.items) == 1:
            return render(match.items[0])
        return "(" + " | ".join(render(m) for m in match.items) + ")"
    parts = [render(m) for m in match.must] + [f"!{render(m)}" for m in match.must_not]
    return parts[0] if len(parts) == 1 else "(" + " & ".join(parts) + ")"


def text_condition(match: Match) -> tuple[ColumnElement[bool], ColumnElement[float]]:
    """(where clause, score) of a text query; a lower score ranks higher."""
    tsq = cast(bindparam(None, render(match), String), TSQUERY)
    vector: ColumnElement[Any] = literal_column("articles.search_vector")
    ranked: ColumnElement[Any] = literal_column("articles.rank_vector")
    score = cast(-func.ts_rank(ranked, tsq, type_=Float), DOUBLE_PRECISION)
    return vector.op("@@")(tsq), score
