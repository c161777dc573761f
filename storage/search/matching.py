"""A parsed query as the tokens it matches: the one matching rule both stores render.

Each term becomes the alternatives of its tokens in the languages searched (see
:mod:`.tokens`): ``Wahlen`` in German and English articles is ``wahl | wahlen``. A prefix
keeps its folded form and adds its stems, so ``Wahlen*`` finds the stem ``wahl`` too. The
renderers (:mod:`.fts5`, :mod:`.postgres`) only spell this tree in their syntax.
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
    langs = [*languages, UNSTEMMED] if term.prefix else list(languages)
    found: dict[Tokens, None] = {}
    for lang in langs:
        toks = tuple(t for t in (token(w, lang) for w in term.words) if t)
        if toks:
            found[Tokens(toks, term.prefix)] = None
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
