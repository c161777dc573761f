"""Text search on PostgreSQL: the token tree as a tsquery over ``articles.search_vector``.

``search_vector`` is a ``simple`` tsvector of the article's search tokens (:mod:`.tokens`,
written by the writer, migration i17): headline weight A, lead B, body C. The tsquery is
given as a literal of the same tokens (a cast, no parser or stemmer of PostgreSQL's in
between), so it matches exactly what FTS5 matches on SQLite.

A prefix is spelt out as the whole tokens that start with it, looked up in the store's term
list (:mod:`.terms`), when there are few enough: GIN then skips through each token's
postings by the day column of a probe, instead of uniting the postings of every token with
the prefix over all time (``:*``, what a prefix with more tokens, or any on a store without
the list, still is). Both match the same articles.

Matches are ranked by ``ts_rank`` over ``rank_vector``, the headline and lead part of the
vector, small and inline (migration i17_rank_vector): ranking over ``search_vector`` itself
detoasted every match's whole body vector and cost ~20 times the match. A story that
matches in its body only ranks after those matching in headline or lead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Float, String, bindparam, cast, func, literal_column
from sqlalchemy.dialects.postgresql import DOUBLE_PRECISION, TSQUERY
from sqlalchemy.orm import Session

from wire.storage.filters import ArticleQuery
from wire.storage.search.fts5 import filter_tag, may_reach_tag
from wire.storage.search.matching import AnyOf, Match, Tokens, all_tokens
from wire.storage.search.terms import expansions

# Tokens are letters and digits only (tokens.py): safe between quotes in a tsquery literal.


def render(match: Match, spelt: Mapping[str, Sequence[str]] | None = None) -> str:
    """A tsquery literal of a token tree: ``&``, ``|``, ``!``, ``<->`` phrases, ``:*``.
    ``spelt``: prefixes as the whole tokens that start with them (:func:`prefix_terms`);
    another prefix is a partial match."""
    if isinstance(match, Tokens):
        *head, last = match.tokens
        if match.prefix and spelt is not None and last in spelt:
            # Filter tags (weight D) are no terms, but a term may be spelt like one
            # ("zag"): such a term is held to the text's weights, A to C.
            found = spelt[last] or (last,)  # none: a token no text has, matches nothing
            alts = [f"'{t}':ABC" if may_reach_tag(t) else f"'{t}'" for t in found]
            tail = alts[0] if len(alts) == 1 else "(" + " | ".join(alts) + ")"
        else:
            # Filter tags (weight D, "z" + letters + hex) are in no text: a prefix that could
            # reach them is held to the text's weights, A to C (a weight makes GIN recheck
            # every candidate's whole vector, so only such a prefix pays it).
            star = (":*ABC" if may_reach_tag(last) else ":*") if match.prefix else ""
            tail = f"'{last}'{star}"
        parts = [*(f"'{t}'" for t in head), tail]
        return parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")"
    if isinstance(match, AnyOf):
        if len(match.items) == 1:
            return render(match.items[0], spelt)
        return "(" + " | ".join(render(m, spelt) for m in match.items) + ")"
    parts = [render(m, spelt) for m in match.must]
    parts += [f"!{render(m, spelt)}" for m in match.must_not]
    return parts[0] if len(parts) == 1 else "(" + " & ".join(parts) + ")"


def prefix_terms(session: Session, match: Match) -> dict[str, tuple[str, ...]]:
    """The match's prefixes that are spelt out as whole tokens, with those tokens (see the
    module's docstring); an empty dict when it has no prefix."""
    prefixes = [t.tokens[-1] for t in all_tokens(match) if t.prefix]
    return expansions(session, prefixes) if prefixes else {}


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
    match: Match, tags: str = "", spelt: Mapping[str, Sequence[str]] | None = None
) -> tuple[ColumnElement[bool], ColumnElement[float]]:
    """(where clause, score) of a text query and its filter tags; a lower score ranks
    higher. The score is the words' alone: the tags are in no headline or lead. ``spelt``:
    prefixes as whole tokens (:func:`prefix_terms`) in the where clause; the score keeps
    the partial match: ``ts_rank`` divides by the number of the query's tokens, so the
    spelt-out tokens would weigh a prefix's neighbours in an AND differently."""
    words = render(match, spelt)
    tsq = cast(bindparam(None, render(match), String), TSQUERY)
    where = cast(bindparam(None, f"{words} & {tags}" if tags else words, String), TSQUERY)
    vector: ColumnElement[Any] = literal_column("articles.search_vector")
    ranked: ColumnElement[Any] = literal_column("articles.rank_vector")
    score = cast(-func.ts_rank(ranked, tsq, type_=Float), DOUBLE_PRECISION)
    return vector.op("@@")(where), score
