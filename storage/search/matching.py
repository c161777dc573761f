"""A parsed query as the tokens it matches: the one matching rule both stores render.

Each term becomes the alternatives of its tokens in the languages searched (see
:mod:`.tokens`): ``Wahlen`` in German and English articles is ``wahl | wahlen``. A prefix
term matches the tokens that start with its folded form as typed (``Wahlk*``: ``wahlkampf``)
and, as whole tokens, what the word itself would match (``Wahlen*``: the stem ``wahl``), so
the index is only ever asked for tokens starting with what the user typed: a stem taken as
a prefix could be much shorter (``Popes*`` would find ``pop*``, "popular"). The renderers
(:mod:`.fts5`, :mod:`.postgres`) only spell this tree in their syntax.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from wire.storage.search.language import And, Node, Not, Or, Term
from wire.storage.search.tokens import UNSTEMMED, token


@dataclass(frozen=True)
class Tokens:
    """Tokens in this order (one: a word; several: a phrase); ``prefix``: the last one is."""

    tokens: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Match, ...]


@dataclass(frozen=True)
class AllOf:
    """Every item of ``must`` matches and none of ``must_not`` does."""

    must: tuple[Match, ...]
    must_not: tuple[Match, ...] = ()


Match = Tokens | AnyOf | AllOf


def _alternatives(term: Term, languages: Sequence[str]) -> Match:
    found: dict[Tokens, None] = {}
    *before, last = term.words
    typed = token(last, UNSTEMMED) if term.prefix else ""
    for lang in languages:
        head = tuple(t for t in (token(w, lang) for w in before) if t)
        stem = token(last, lang)
        if typed:  # the folded prefix as typed (stems of longer words that keep it)
            found[Tokens((*head, typed), prefix=True)] = None
        if stem and not (typed and stem.startswith(typed)):  # the word's own stem, whole
            found[Tokens((*head, stem))] = None
        elif not stem and not typed and head:  # the last word folds to nothing
            found[Tokens(head, term.prefix)] = None
    options = tuple(found)
    return options[0] if len(options) == 1 else AnyOf(options)


def to_match(node: Node, languages: Sequence[str]) -> Match:
    """The token tree of a parsed query for articles in these stemming languages."""
    if isinstance(node, Term):
        return _alternatives(node, languages)
    if isinstance(node, Or):
        return AnyOf(tuple(to_match(item, languages) for item in node.items))
    if isinstance(node, Not):  # only inside an AND (the parser checks)
        return AllOf((), (to_match(node.item, languages),))
    assert isinstance(node, And)
    must = tuple(to_match(i, languages) for i in node.items if not isinstance(i, Not))
    must_not = tuple(to_match(i.item, languages) for i in node.items if isinstance(i, Not))
    return AllOf(must, must_not)


def all_tokens(match: Match) -> list[Tokens]:
    """Every token group of a match, negated ones included."""
    if isinstance(match, Tokens):
        return [match]
    if isinstance(match, AnyOf):
        return [t for item in match.items for t in all_tokens(item)]
    return [t for item in (*match.must, *match.must_not) for t in all_tokens(item)]
