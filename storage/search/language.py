"""The query language of ``/articles?q=`` and ``wire search``, parsed once into a tree.

Syntax (README, "Query language"):

- ``Putin Moskau``: words; all must match (``AND`` between them is allowed, not needed).
- ``"Wladimir Putin"``: a phrase, its words in this order; ``Keystone-SDA`` (words joined by
  punctuation) is a phrase too.
- ``Lukasch*``: a prefix (also the last word of a phrase: ``"Wladimir Pu"*``).
- ``Putin OR Selenskyj``: either; ``OR`` binds weaker than the implicit AND.
- ``Putin NOT Moskau``, ``Putin -Moskau``: without; a query needs at least one word that
  must match beside each ``NOT``.
- ``(Putin OR Selenskyj) Moskau``: parentheses group.

``OR``, ``AND`` and ``NOT`` are operators in capitals only; other punctuation separates
words. A query this grammar cannot read raises :class:`QuerySyntaxError` with one sentence
that names the problem (the API and CLI add where the query came from).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wire.errors import QueryError

MAX_DEPTH = 20  # nested parentheses
MAX_TERMS = 64  # words, phrases and prefixes in one query
_WORD = re.compile(r"[^\W_]+")
_OPERATORS = ("OR", "AND", "NOT")


class QuerySyntaxError(QueryError):
    """The text of a query cannot be read; the message says why, in one sentence."""


@dataclass(frozen=True)
class Term:
    """A word (one entry in ``words``), a phrase (several), optionally a prefix (``word*``)."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


Node = Term | And | Or | Not


@dataclass(frozen=True)
class _Token:
    kind: str  # "term", "(", ")", "OR", "AND", "NOT"
    at: int  # 1-based position in the query, for messages
    term: Term | None = None


def _lex(q: str) -> list[_Token]:
    out: list[_Token] = []
    i, n = 0, len(q)
    while i < n:
        ch = q[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            out.append(_Token(ch, i + 1))
            i += 1
        elif ch == '"':
            end = q.find('"', i + 1)
            if end < 0:
                raise QuerySyntaxError(
                    f"the double quote at position {i + 1} is never closed; close the phrase"
                    " or remove the quote"
                )
            found = tuple(_WORD.findall(q[i + 1 : end]))
            prefix = end + 1 < n and q[end + 1] == "*"
            if not found:
                raise QuerySyntaxError(f"the phrase at position {i + 1} has no words")
            out.append(_Token("term", i + 1, Term(found, prefix)))
            i = end + 2 if prefix else end + 1
        elif ch == "-" and i + 1 < n and not q[i + 1].isspace() and q[i + 1] not in ")-":
            out.append(_Token("NOT", i + 1))
            i += 1
        else:
            start = i
            while i < n and not q[i].isspace() and q[i] not in '()"':
                i += 1
            run = q[start:i]
            if run in _OPERATORS:
                out.append(_Token(run, start + 1))
                continue
            found = tuple(_WORD.findall(run))
            if found:
                out.append(_Token("term", start + 1, Term(found, run.endswith("*"))))
            elif "*" in run:
                raise QuerySyntaxError(
                    f"the '*' at position {start + 1} must directly follow a word (Lukasch*)"
                )
    return out


class _Parser:
    """Recursive descent: query := or; or := and (OR and)*; and := unary ([AND] unary)*;
    unary := NOT unary | "(" or ")" | term."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> _Token:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def parse(self) -> Node:
        node = self.or_()
        tok = self.peek()
        if tok is not None:  # only a ")" stops or_() early
            raise QuerySyntaxError(f"the ')' at position {tok.at} has no matching '('")
        return node

    def or_(self) -> Node:
        items = [self.and_()]
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.take()
            items.append(self.and_(after=tok))
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_(self, after: _Token | None = None) -> Node:
        items: list[Node] = []
        while (tok := self.peek()) is not None and tok.kind not in (")", "OR"):
            if tok.kind == "AND":
                self.take()
                if not items:
                    raise QuerySyntaxError(f"AND at position {tok.at} needs a word before it")
                after = tok
                continue
            items.append(self.unary())
            after = None
        if after is not None and (not items or after.kind == "AND"):
            raise QuerySyntaxError(f"{after.kind} at position {after.at} needs a word after it")
        if not items:
            tok = self.peek()
            if tok is not None and tok.kind == "OR":
                raise QuerySyntaxError(f"OR at position {tok.at} needs a word before it")
            raise QuerySyntaxError("the query has no words to search for")
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node:
        tok = self.take()
        if tok.kind == "NOT":
            nxt = self.peek()
            if nxt is None or nxt.kind in (")", "OR", "AND"):
                raise QuerySyntaxError(f"NOT at position {tok.at} needs a word after it")
            return Not(self.unary())
        if tok.kind == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QuerySyntaxError(f"the query nests more than {MAX_DEPTH} parentheses")
            nxt = self.peek()
            if nxt is not None and nxt.kind == ")":
                raise QuerySyntaxError(f"the parentheses at position {tok.at} are empty")
            node = self.or_()
            close = self.peek()
            if close is None or close.kind != ")":
                raise QuerySyntaxError(f"the '(' at position {tok.at} is never closed")
            self.take()
            self.depth -= 1
            return node
        assert tok.term is not None
        return tok.term


def _flatten(node: Node) -> Node:
    """Nested ANDs and ORs merged, double negations dropped."""
    if isinstance(node, Not):
        inner = _flatten(node.item)
        return inner.item if isinstance(inner, Not) else Not(inner)
    if isinstance(node, And | Or):
        items: list[Node] = []
        for item in map(_flatten, node.items):
            items += item.items if type(item) is type(node) else [item]
        return type(node)(tuple(items))
    return node


def _check_negations(node: Node, *, in_and: bool = False) -> None:
    """Each NOT narrows a group that has a word that must match (no store can list "all
    articles without X" from its index)."""
    if isinstance(node, Not):
        if not in_and:
            raise QuerySyntaxError(
                "NOT (or -word) needs a word that must match beside it: Putin NOT Moskau"
            )
        _check_negations(node.item)
    elif isinstance(node, And):
        if all(isinstance(item, Not) for item in node.items):
            raise QuerySyntaxError(
                "NOT (or -word) needs a word that must match beside it: Putin NOT Moskau"
            )
        for item in node.items:
            _check_negations(item, in_and=True)
    elif isinstance(node, Or):
        for item in node.items:
            _check_negations(item)


def terms(node: Node) -> list[Term]:
    """Every term of a query, negated ones included, in order."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return terms(node.item)
    return [t for item in node.items for t in terms(item)]


def parse_query(q: str) -> Node:
    """The tree of a query; :class:`QuerySyntaxError` when it cannot be read."""
    node = _flatten(_Parser(_lex(q)).parse())
    _check_negations(node)
    if len(terms(node)) > MAX_TERMS:
        raise QuerySyntaxError(f"the query has more than {MAX_TERMS} words and phrases")
    return node
