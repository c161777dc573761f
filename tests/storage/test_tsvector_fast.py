"""The tsvector literal built list by list equals the one built position by position."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wire.storage.search.tokens import PG_MAX_POSITION, SearchDocument, tokens

token_lists = st.lists(st.sampled_from(["bern", "rat", "zürich", "x", "wahl"]), max_size=400)


@given(token_lists, token_lists, token_lists)
@settings(max_examples=300, deadline=None)
def test_tsvector_equals_the_reference(
    headline: list[str], lead: list[str], body: list[str]
) -> None:
    doc = SearchDocument(headline=headline, lead=lead, body=body)
    assert doc.tsvector() == doc.tsvector_reference()


def test_long_texts_clip_positions_and_cap_slots_as_the_reference() -> None:
    body = ["a", "b", "c"] * (PG_MAX_POSITION // 2)  # past the last position, 256+ per token
    doc = SearchDocument(headline=["a"] * 300, lead=["z"], body=body)
    assert doc.tsvector() == doc.tsvector_reference()


def test_tokens_of_new_and_known_words() -> None:
    text = "Der Bundesrat hat entschieden. Der Bundesrat tagt. Œuvre ﬁnal 2026"
    first = tokens(text, "de")
    assert first == tokens(text, "de")  # the second time every word is known
    assert first[:2] == ["der", "bundesrat"]
