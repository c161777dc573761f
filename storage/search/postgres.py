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

from wire.storage.filters import ArticleQuery
from wire.storage.search.fts5 import filter_tag, may_reach_tag
from wire.storage.search.matching import AnyOf, Match, Tokens

# Tokens are letters and digits only (tokens.py): safe between quotes in a tsquery literal.


def render(match: Match) -> str:
    """A tsquery literal of a token tree: ``&``, ``|``, ``!``, ``<->`` phrases, ``:*``."""
    if isinstance(match, Tokens):
        *head, last = match.tokens
        # Filter tags (weight D, "z" + letters + hex) are in no text: a prefix that could
        # reach them is held to the text's weights, A to C (a weight makes GIN recheck every
        # candidate's whole vector, so only such a prefix pays it).
        star = (":*ABC" if may_reach_tag(last) else ":*") if match.prefix else ""
        parts = [*(f"'{t}'" for t in head), f"'{last}'{star}"]
        return parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")"
    if isinstance(match, AnyOf):
        if len(match.items) == 1:
            return render(match.items[0])
        return "(" + " | ".join(render(m) for m in match.items) + ")"
    parts = [render(m) for m in match.must] + [f"!{render(m)}" for m in match.must_not]
    return parts[0] if len(parts) == 1 else "(" + " & ".join(parts) + ")"


def tag_query(query: ArticleQuery) -> str:
    """The query's language, source, agency and has_images filters as tag tokens of the
    vector (migration i17t_pg_filter_tags; the same tokens as FTS5's tags), ANDed: the GIN
    index intersects them with the words, so a filtered search visits only rows it keeps."""
    parts = []
    for prefix, values in (("lg", query.language), ("so", query.source), ("ag", query.agency)):
        if values:
            parts.append("(" + " | ".join(f"'{filter_tag(prefix, v)}'" for v in values) + ")")
    if query.has_images is not None:
        parts.append(f"'zim{int(query.has_images)}'")
    return " & ".join(parts)


def text_condition(
    match: Match, tags: str = ""
) -> tuple[ColumnElement[bool], ColumnElement[float]]:
    """(where clause, score) of a text query and its filter tags; a lower score ranks
    higher. The score is the words' alone: the tags are in no headline or lead."""
    words = render(match)
    tsq = cast(bindparam(None, words, String), TSQUERY)
    where = cast(bindparam(None, f"{words} & {tags}" if tags else words, String), TSQUERY)
    vector: ColumnElement[Any] = literal_column("articles.search_vector")
    ranked: ColumnElement[Any] = literal_column("articles.rank_vector")
    score = cast(-func.ts_rank(ranked, tsq, type_=Float), DOUBLE_PRECISION)
    return vector.op("@@")(where), score
