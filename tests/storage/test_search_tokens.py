"""The search tokens of a text are those of its words one by one (``token``), however the
store makes them: the words of a text stemmed in one call, the made ones kept across texts."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wire.storage.search import tokens as search_tokens
from wire.storage.search.tokens import MAX_TOKEN_CHARS, token, tokens, words

LANGUAGES = ["de", "fr", "it", "en", "rm", None]
AWKWARD = (
    "Häuser Polizeiüberwachung GOUVERNEMENTS élections città perché Straße STRASSE ﬁnance "
    "Ĳssel ½ ² x_y __init__ snake_case_word Zürich-West 2026 3G Œuvre œuvre naïve "
    "İstanbul ǅemal ﬃ ℌ Ⅻ ①  Hôtel-de-Ville l'État dell'Unione " + "ä" * (MAX_TOKEN_CHARS + 7)
)


def one_by_one(text: str, language: str | None) -> list[str]:
    """The reference: each word's ``token``, split into words."""
    lang = search_tokens.base_language(language)
    return [t for w in words(text) for t in re.findall(r"[^\W_]+", token(w, lang))]


@pytest.fixture(autouse=True)
def _new_cache() -> None:
    search_tokens._seen.clear()


@pytest.mark.parametrize("language", LANGUAGES)
def test_awkward_words_make_the_tokens_of_each_word_alone(language: str | None) -> None:
    assert tokens(AWKWARD, language) == one_by_one(AWKWARD, language)
    assert tokens(AWKWARD, language) == one_by_one(AWKWARD, language)  # (from the cache)


@given(
    texts=st.lists(st.text(max_size=80), min_size=1, max_size=6),
    language=st.sampled_from(LANGUAGES),
)
@settings(max_examples=400, deadline=None)
def test_any_texts_make_the_tokens_of_each_word_alone(
    texts: list[str], language: str | None
) -> None:
    search_tokens._seen.clear()
    for text in texts:  # the later texts meet the words of the earlier ones in the cache
        assert tokens(text, language) == one_by_one(text, language)


def test_the_cache_stays_bounded_and_a_text_longer_than_it_still_gets_all_its_tokens(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(search_tokens, "SEEN_WORDS", 5)
    first = "Wahlen Bundesrat Parlament Kanton"
    assert tokens(first, "de") == one_by_one(first, "de")
    assert len(search_tokens._seen["de"]) == 4
    second = "Gemeinden Wahlen Abstimmung Initiative"  # 3 new words: the cache starts again
    assert tokens(second, "de") == one_by_one(second, "de")
    assert set(search_tokens._seen["de"]) == set(words(second))
    longer = "eins zwei drei vier fünf sechs sieben acht"
    assert tokens(longer, "de") == one_by_one(longer, "de")


def test_a_cache_emptied_by_another_thread_between_learning_and_lookup_still_gives_the_tokens(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The cache is shared and bounded: another writer may clear it just after this text's
    words were learned. The text still gets its tokens (made for it alone), not a KeyError."""
    learn = search_tokens._learn

    def learn_then_cleared(seen: dict[str, tuple[str, ...]], found: list[str], lang: str) -> None:
        learn(seen, found, lang)
        if seen is search_tokens._seen.get(lang):
            seen.clear()  # what another thread's full cache does

    monkeypatch.setattr(search_tokens, "_learn", learn_then_cleared)
    text = "Der Bundesrat beschliesst neue Klimaziele für die Kantone"
    assert tokens(text, "de") == one_by_one(text, "de")
