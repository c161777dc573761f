"""PostgreSQL's term list (migration i17e_pg_search_terms): a prefix spelt out as whole
tokens finds what the partial match finds, the writer keeps the list complete (rolled-back
batches included), and kills, retention and stores without the list stay right."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, text

from tests.api.factory import T0, english, make_article, put
from tests.storage.test_search import PREFIX_CASES, _prefix_corpus, _story
from wire.record import Article
from wire.storage.db import Database
from wire.storage.filters import ArticleQuery
from wire.storage.reads import find_ids
from wire.storage.search import terms
from wire.storage.search.matching import Tokens, to_match
from wire.storage.search.postgres import prefix_terms, render
from wire.storage.search.tokens import token
from wire.storage.writer import store_articles

# Prefixes of the tests' stories, some reaching many tokens ("d", "s"), a tag's shape
# ("zim", "z": the tags zim1 and zlg... are no terms), and none at all ("qqq").
MORE_PREFIXES = ["d*", "s*", "Fr*", "zim*", "z*", "qqq*", '"Alte Fr"*', "Putin OR Wahl*"]


def _corpus() -> dict[str, Article]:
    stories = _prefix_corpus()
    stories["en_zim"] = _story(41, "en", "Zim1 report published", "The zim1 code is text.")
    stories["de_minsk"] = make_article(1)
    stories["en_barrier"] = english(5)
    return stories


def _ids(db: Database, tsquery: str) -> set[str]:
    with db.reader() as s:
        sql = text("SELECT id FROM articles WHERE search_vector @@ CAST(:q AS tsquery)")
        return set(s.execute(sql, {"q": tsquery}).scalars())


def _term_list(db: Database) -> set[str]:
    with db.reader() as s:
        return set(s.execute(text("SELECT term FROM search_terms")).scalars())


def _text_tokens(db: Database) -> set[str]:
    """Every lexeme of a stored vector at a text position (weights A-C: no filter tag)."""
    sql = "SELECT word FROM ts_stat('SELECT search_vector FROM articles', 'ABC')"
    with db.reader() as s:
        return set(s.execute(text(sql)).scalars())


@contextmanager
def _statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def log(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", log)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", log)


def test_a_spelt_out_prefix_finds_what_the_partial_match_finds(pg_url: str) -> None:
    db = Database(pg_url)
    labels = {a.id: name for name, a in _corpus().items()}
    for article in _corpus().values():
        put(db, article)
    queries = [q for q, _, _ in PREFIX_CASES] + MORE_PREFIXES
    spelt_out = 0
    for q in queries:
        query = ArticleQuery(q=q)
        assert query.parsed is not None
        match = to_match(query.parsed, query.stem_languages)
        with db.reader() as s:
            spelt = prefix_terms(s, match)
            few = terms.expansions(s, list(spelt), up_to=1)
        partial = _ids(db, render(match))
        assert _ids(db, render(match, spelt)) == partial, q
        assert _ids(db, render(match, few)) == partial, q  # some spelt, some partial
        spelt_out += bool(spelt)
    assert spelt_out == len(queries)  # every prefix here has at most EXPAND_UP_TO tokens
    assert {labels[i] for i in _ids(db, render(_match("zim*")))} == {"en_zim"}  # no tag
    db.dispose()


def _match(q: str) -> Any:
    query = ArticleQuery(q=q)
    assert query.parsed is not None
    return to_match(query.parsed, query.stem_languages)


def test_a_prefix_is_spelt_as_its_terms_with_weights_only_where_a_tag_could_be() -> None:
    phrase = Tokens(("wladimir", "pu"), prefix=True)
    assert render(phrase, {"pu": ("puls", "putin")}) == "('wladimir' <-> ('puls' | 'putin'))"
    assert render(phrase, {}) == "('wladimir' <-> 'pu':*)"
    assert render(Tokens(("zi",), prefix=True), {"zi": ("zim1", "zins")}) == (
        "('zim1':ABC | 'zins')"
    )
    assert render(Tokens(("qqq",), prefix=True), {"qqq": ()}) == "'qqq'"  # no such token
    assert render(Tokens(("za",), prefix=True), {"za": ()}) == "'za':ABC"


def test_the_upper_bound_of_a_prefix_follows_every_string_with_it() -> None:
    assert terms.upper_bound("frei") == "frej"
    assert terms.upper_bound("stra\u00df") == "stra\u00e0"
    assert terms.upper_bound("a\U0010ffff") == "b"
    assert terms.upper_bound("\ud7ff") == "\ue000"
    assert terms.upper_bound("\U0010ffff") is None
    for word in ("frei", "freitag", "frei\U0010ffff", "frei0"):
        assert "frei" <= word < (terms.upper_bound("frei") or "")


def test_every_text_token_the_writer_writes_is_a_term_and_no_tag_is(pg_url: str) -> None:
    db = Database(pg_url)
    for article in _corpus().values():
        put(db, article)
    # a new version and a kill: their vectors' tokens too (the kill's: its headline only)
    new_text = "Neue Fassung mit Zwischenrufen."
    put(db, make_article(1, body_text=new_text, versioncreated=T0 + timedelta(1)))
    put(db, english(5, pubstatus="canceled", headline="Storm barrier story withdrawn",
                    versioncreated=T0 + timedelta(1)))  # fmt: skip
    listed = _term_list(db)
    assert _text_tokens(db) <= listed
    assert {"zwischenruf", "withdrawn", "zim1"} <= listed
    with db.reader() as s:
        everything = "SELECT word FROM ts_stat('SELECT search_vector FROM articles')"
        tags = set(s.execute(text(everything)).scalars()) - _text_tokens(db)
    assert tags and not tags & listed  # zlg..., zag..., zim0: in vectors, not terms
    db.dispose()


def test_known_terms_are_not_sent_again_and_rolled_back_ones_are(pg_url: str) -> None:
    db = Database(pg_url)
    put(db, _story(50, "de", "Quokkaparade in Bern", "Der Rat staunt über die Tiere."))
    with _statements(db) as sent:  # another story of the same words
        assert put(db, _story(51, "de", "Tiere in Bern", "Der Rat staunt: Quokkaparade.")).seq
    assert any("INSERT INTO articles" in s for s in sent)
    assert not any("search_terms" in s for s in sent)  # every token known and committed

    def batch(n: int, word: str) -> list[tuple[Article, str | None]]:
        return [(_story(n, "de", f"{word} gesichtet", f"Meldung {n}: {word}."), None)]

    # A savepoint rolled back (the pipeline's failed batch), and a whole transaction.
    with db.session() as s, pytest.raises(RuntimeError), s.begin_nested():
        store_articles(s, batch(52, "Wombatwanderung"))
        raise RuntimeError("the batch fails")
    with pytest.raises(RuntimeError), db.session() as s:
        store_articles(s, batch(53, "Koalakonzert"))
        with s.begin_nested():  # released, then its transaction rolls back
            store_articles(s, batch(54, "Emurennen"))
        raise RuntimeError("the transaction fails")
    words = {token(w, "de") for w in ("Wombatwanderung", "Koalakonzert", "Emurennen")}
    assert not words & _term_list(db)
    for n, word in ((55, "Wombatwanderung"), (56, "Koalakonzert"), (57, "Emurennen")):
        put(db, batch(n, word)[0][0])  # the same tokens: not taken for known
    assert words <= _term_list(db)
    assert _text_tokens(db) <= _term_list(db)
    with db.reader() as s:
        found = find_ids(s, ArticleQuery(q="Wombatw* OR Koalak* OR Emurenn*")).ids
    assert len(found) == 3
    # A released savepoint whose transaction commits: its tokens are known from then on.
    with db.session() as s, s.begin_nested():
        store_articles(s, batch(58, "Dingodrama"))
    with _statements(db) as sent:
        assert put(db, _story(59, "de", "Meldung 58", "Dingodrama gesichtet.")).seq
    assert not any("search_terms" in s for s in sent)
    db.dispose()


def test_kills_and_retention_leave_terms_that_find_nothing(db: Database) -> None:
    from tests.storage.test_retention import NOW, rules
    from wire.storage.retention import purge
    from wire.storage.visibility import AUDITOR

    def story(n: int, headline: str, body: str, **kw: Any) -> Article:
        return make_article(n, guid=f"urn:terms:{n}", kicker=None, headline=headline,
                            lead=None, body_text=body, **kw)  # fmt: skip

    killed = put(db, story(60, "Gletscherlauf im Wallis", "Die Murgangwarnung gilt.")).article_id
    later = T0 + timedelta(days=1)
    put(db, story(60, "Meldung zurückgezogen", "", pubstatus="canceled", versioncreated=later))
    old = put(db, story(61, "Lawinenbulletin erschienen", "Die Hangrutschung ruht.")).article_id

    def found(q: str) -> list[str]:
        with db.reader() as s:
            return find_ids(s, ArticleQuery(q=q, pubstatus=("all",)), viewer=AUDITOR).ids

    assert found("Murgang*") == [] and found("Gletscher*") == []  # withdrawn with the kill
    assert found("zurückgez*") == [killed]  # the tombstone's headline
    assert found("Lawinenb*") == [old] and found("Hangrutsch*") == [old]
    with db.session() as s:
        assert old in [a["id"] for a in purge(s, rules(days=30), now=NOW).articles]
    assert found("Lawinenb*") == [] and found("Hangrutsch*") == []
    if db.dialect == "postgresql":  # the terms outlive their articles: harmless
        assert {"murgangwarn", "hangrutsch"} & {t[:11] for t in _term_list(db)}


def test_migration_i17e_lists_the_stored_tokens_and_an_old_store_keeps_the_partial_match(
    pg_url: str,
) -> None:
    from alembic import command

    from wire.storage.db import alembic_config, make_engine

    db = Database(pg_url)
    labels = {a.id: name for name, a in _corpus().items()}
    for article in _corpus().values():
        put(db, article)

    def found(q: str) -> set[str]:
        with db.reader() as s:
            return {labels[i] for i in find_ids(s, ArticleQuery(q=q)).ids}

    expected = {q: found(q) for q, _, _ in PREFIX_CASES}
    engine = make_engine(pg_url)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "i17d_pg_search_days")
    db.dispose()
    db = Database(pg_url, create=False)  # a store before the list: prefixes as before
    with db.reader() as s:
        assert not terms.has_table(s)
        assert prefix_terms(s, _match("Wahl*")) == {}
    assert {q: found(q) for q, _, _ in PREFIX_CASES} == expected
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    db.dispose()
    db = Database(pg_url)
    listed = _term_list(db)
    assert listed == _text_tokens(db) and "wahlkampf" in listed  # no tag, every text token
    with db.reader() as s:
        assert prefix_terms(s, _match("Wahl*")) == {"wahl": ("wahl", "wahlkampf")}
    assert {q: found(q) for q, _, _ in PREFIX_CASES} == expected
    db.dispose()
    engine.dispose()


def test_two_open_writers_adding_the_same_new_words_never_wait_for_each_other(
    pg_url: str,
) -> None:
    """Parallel writers (wire.storage.feedseq): a writer whose transaction is still open
    holds no lock a second one storing the same new words would wait for."""
    db = Database(pg_url)
    first = _story(70, "de", "Yakherde im Tal", "Die Yakherde zieht weiter.")
    second = _story(71, "de", "Yakherde am Pass", "Die Yakherde rastet.")
    with db.session() as a:
        store_articles(a, [(first, None)])
        with db.session() as b:
            b.execute(text("SET LOCAL lock_timeout = '5s'"))  # a wait fails, never hangs
            store_articles(b, [(second, None)])
    with db.reader() as s:
        assert prefix_terms(s, _match("Yakh*")) == {"yakh": ("yakherd",)}
        assert len(find_ids(s, ArticleQuery(q="Yakh*")).ids) == 2
    db.dispose()
