"""One query language, one matching rule: the same query finds the same articles on SQLite
and PostgreSQL (stemmed per the article's language, case- and accent-folded)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from tests.api.factory import english, french, make_article, put
from tests.storage.test_writer import article as writer_article
from wire.ingest.fingerprint import text_fingerprint
from wire.record import Article
from wire.storage import writer
from wire.storage.db import Database
from wire.storage.filters import ArticleQuery
from wire.storage.reads import find_ids
from wire.storage.search.fts5 import may_reach_tag
from wire.storage.search.language import QuerySyntaxError
from wire.storage.search.tokens import tombstone_document


def _corpus() -> dict[str, Article]:
    """Real-shaped stories in German, French, English, Italian and Spanish (no stemmer)."""
    return {
        "de_minsk": make_article(1),  # Lukaschenko will Putin in Moskau treffen; Gesprächen
        "de_wahl": make_article(
            2,
            kicker=None,
            headline="Putin äussert sich in Sotschi zu den Wahlen",
            lead="Der Kreml sieht keinen Grund zur Sorge.",
            body_text="Der russische Präsident sprach am Montag vor Journalisten über die Wahl.",
        ),
        "fr_budget": french(3),  # Le Conseil fédéral présente son budget; dépenses
        "fr_moscou": french(
            4,
            headline="Poutine reçoit Loukachenko à Moscou",
            lead="Les présidents ont parlé des élections.",
            body_text="Le président russe a reçu son homologue biélorusse au Kremlin.",
        ),
        "en_barrier": english(5),  # Rotterdam closes its storm barrier; arms; shipping
        "en_moscow": english(
            6,
            kicker=None,
            headline="Putin meets Lukashenko in Moscow",
            lead="The presidents discussed the elections.",
            body_text="Putin and Lukashenko met at the Kremlin on Sunday.",
        ),
        "it_mosca": english(
            7,
            guid="ansa:7",
            source="ansa",
            agencies=["ansa"],
            kicker=None,
            headline="Putin incontra Lukashenko a Mosca",
            lead="I presidenti hanno parlato delle elezioni.",
            body_text="L'incontro al Cremlino è durato tre ore.",
            language="it",
        ),
        "es_moscu": english(
            8,
            guid="efe:8",
            source="efe",
            agencies=["efe"],
            kicker=None,
            headline="Putin se reúne con Lukashenko en Moscú",
            lead="Los presidentes hablaron de las elecciones.",
            body_text="La reunión en el Kremlin duró tres horas.",
            language="es",
        ),
    }


# query, filters, the stories it finds (on both stores)
CASES: list[tuple[str, dict[str, str], set[str]]] = [
    ("Putin Moskau", {}, {"de_minsk"}),
    ("Putin AND Moskau", {}, {"de_minsk"}),
    ("putin moskau", {}, {"de_minsk"}),  # case
    ("Putin NOT Moskau", {}, {"de_wahl", "en_moscow", "it_mosca", "es_moscu"}),
    ("Putin -Moskau -Moscow -Mosca", {}, {"de_wahl", "es_moscu"}),
    ("Moskau OR Moscow OR Moscou", {}, {"de_minsk", "en_moscow", "fr_moscou"}),
    ("(Moskau OR Mosca) Putin", {}, {"de_minsk", "it_mosca"}),
    ('"Putin in Moskau"', {}, {"de_minsk"}),
    ('"Moskau Putin"', {}, set()),  # a phrase keeps its order
    ('"Wladimir Put"*', {}, {"de_minsk"}),  # prefix as the last word of a phrase
    ("Lukasch*", {}, {"de_minsk"}),
    ("Lukash*", {}, {"en_moscow", "it_mosca", "es_moscu"}),
    ("Wahlen", {}, {"de_wahl"}),  # German stem "wahl": "Wahlen" and "Wahl" alike
    ("Wahl", {"language": "de"}, {"de_wahl"}),
    ("Gespräch", {}, {"de_minsk"}),  # "Gesprächen"
    ("GESPRACHE", {}, {"de_minsk"}),  # case and umlaut folded
    ("dépense", {}, {"fr_budget"}),  # "dépenses"
    ("depenses", {"language": "FR"}, {"fr_budget"}),
    ("election", {}, {"fr_moscou", "en_moscow"}),  # French "élections", English "elections"
    ("elezione", {}, {"it_mosca"}),  # Italian stem
    ("elecciones", {}, {"es_moscu"}),  # Spanish: folded, not stemmed: whole words
    ("eleccion", {}, set()),
    ("arm", {}, {"en_barrier"}),  # English stem of "arms"
    ("Moscú", {}, {"es_moscu"}),
    ("moscu", {}, {"es_moscu"}),  # accents folded without a stemmer too
    ("Kremlin", {}, {"fr_moscou", "en_moscow", "es_moscu"}),
    (
        "Kremlin OR Cremlino OR Kreml",
        {},
        {"de_minsk", "de_wahl", "fr_moscou", "en_moscow", "it_mosca", "es_moscu"},
    ),
    ("Putin", {"agency": "DPA"}, {"de_minsk", "de_wahl"}),  # agency aliases, any case
    ("Putin", {"agency": "Keystone-SDA"}, {"de_minsk", "de_wahl"}),
    ("Putin", {"agency": "sda"}, {"de_minsk", "de_wahl"}),
    ("Putin", {"language": "IT"}, {"it_mosca"}),
    ("Putin", {"subject": "politik"}, {"de_minsk", "de_wahl"}),  # subject name, any case
    ("NEAR Putin", {}, set()),  # FTS5 and tsquery syntax are words here
    ("Putin & Moskau |", {}, {"de_minsk"}),
    ("Putin:* & x", {}, set()),
    ("Rotterdam storm", {"has_images": "false"}, {"en_barrier"}),
]


def _ids(db: Database, q: str, filters: dict[str, str], labels: dict[str, str]) -> set[str]:
    """``filters``: one agency, language or subject each; ``has_images`` (any value) is False."""
    assert set(filters) <= {"agency", "language", "subject", "has_images"}, filters

    def one(name: str) -> tuple[str, ...]:
        return (filters[name],) if name in filters else ()

    query = ArticleQuery(
        q=q,
        agency=one("agency"),
        language=one("language"),
        subject=one("subject"),
        has_images=False if "has_images" in filters else None,
    )
    with db.reader() as s:
        return {labels[i] for i in find_ids(s, query, limit=100).ids}


def test_a_table_of_queries_finds_the_same_articles_on_sqlite_and_postgresql(
    sqlite_url: str, pg_url: str
) -> None:
    _assert_same_on_both(sqlite_url, pg_url, _corpus(), CASES)


def _assert_same_on_both(
    sqlite_url: str,
    pg_url: str,
    corpus: dict[str, Article],
    cases: list[tuple[str, dict[str, str], set[str]]],
) -> None:
    labels = {a.id: name for name, a in corpus.items()}
    stores = [Database(sqlite_url), Database(pg_url)]
    try:
        for db in stores:
            for article in corpus.values():
                put(db, article)
        wrong = []
        for q, filters, expected in cases:
            found = [_ids(db, q, filters, labels) for db in stores]
            if found != [expected, expected]:
                wrong.append((q, filters, found))
        assert wrong == []
    finally:
        for db in stores:
            db.dispose()


def _story(n: int, language: str, headline: str, body: str) -> Article:
    """A story whose words are only these (no kicker, lead or boilerplate body)."""
    make = {"de": make_article, "en": english, "fr": french}.get(language, english)
    return make(n, guid=f"urn:prefix:{n}", kicker=None, headline=headline, lead=None,
                body_text=body, language=language)  # fmt: skip


def _prefix_corpus() -> dict[str, Article]:
    return {
        "en_pope": _story(21, "en", "Pope Francis visits Geneva", "Crowds lined the road."),
        "en_popular": _story(22, "en", "Popular anger grows", "Crowds filled the square."),
        "de_wahl": _story(23, "de", "Die Wahl ist entschieden", "Der Rat zählte die Stimmen."),
        "de_wahlen": _story(24, "de", "Wahlen in Bern verschoben", "Der Rat entschied so."),
        "de_wahlkampf": _story(25, "de", "Der Wahlkampf beginnt", "Plakate hängen überall."),
        "de_freitag": _story(26, "de", "Am Freitag frei", "Der Rat tagt nicht."),
        "de_freunde": _story(27, "de", "Alte Freunde treffen sich", "Der Rat tagt nicht."),
        "fr_presid": _story(
            28, "fr", "L'élection présidentielle aura lieu en avril", "Un électeur attend."
        ),
        "it_elezione": _story(29, "it", "Una elezione regionale", "Ogni elettore vota."),
    }


# A prefix term: tokens starting with its folded form, or the stems of the word itself
# whole (a stem shorter than what was typed is no prefix: "Popes*" is no "pop*").
PREFIX_CASES: list[tuple[str, dict[str, str], set[str]]] = [
    ("Popes*", {}, {"en_pope"}),  # English stem "pope"; "popular" is not "pope..."
    ("Pope*", {}, {"en_pope"}),
    ("Pop*", {}, {"en_pope", "en_popular"}),
    ("Popular*", {}, {"en_popular"}),
    ("Wahlen*", {}, {"de_wahl", "de_wahlen"}),  # German stem "wahl", whole
    ("Wahl*", {}, {"de_wahl", "de_wahlen", "de_wahlkampf"}),
    ("Wahlk*", {}, {"de_wahlkampf"}),
    ("Wahlkämpfe*", {"language": "de"}, {"de_wahlkampf"}),  # stem "wahlkampf", folded
    ("Frei*", {}, {"de_freitag"}),  # Italian stem "fre" finds no "Freunde"
    ("Freund*", {}, {"de_freunde"}),
    ("présidentielles*", {}, {"fr_presid"}),  # French stem "presidentiel": the singular
    ("élections*", {}, {"fr_presid"}),  # stem "elect": "élection"
    ("electeurs*", {"language": "fr"}, {"fr_presid"}),
    ("elezioni*", {}, {"it_elezione"}),  # Italian stem "elezion": "elezione"
    ("elettori*", {}, {"it_elezione"}),
    ("regionali*", {}, {"it_elezione"}),
    ('"Die Wahlen"*', {}, {"de_wahl"}),  # a phrase's last word: its stem whole too
    ('"Der Wahlk"*', {}, {"de_wahlkampf"}),
    ('"Pope Fran"*', {}, {"en_pope"}),
    ('"Popular ang"*', {"language": "en"}, {"en_popular"}),
]


def test_a_prefix_finds_what_was_typed_and_the_word_itself_not_a_shorter_stem(
    sqlite_url: str, pg_url: str
) -> None:
    _assert_same_on_both(sqlite_url, pg_url, _prefix_corpus(), PREFIX_CASES)


def test_a_prefix_term_is_its_folded_prefix_and_its_stems_whole() -> None:
    from wire.storage.search.language import parse_query
    from wire.storage.search.matching import AnyOf, Tokens, to_match

    def match(q: str, *languages: str) -> object:
        return to_match(parse_query(q), languages)

    assert match("Popes*", "de", "en", "fr", "it", "") == AnyOf(
        (Tokens(("popes",), prefix=True), Tokens(("pop",)), Tokens(("pope",)))
    )
    assert match("Wahlk*", "de", "en") == Tokens(("wahlk",), prefix=True)  # stem = prefix
    assert match("Straße*", "de") == AnyOf((Tokens(("strasse",), prefix=True), Tokens(("strass",))))
    assert match('"Wladimir Putins"*', "de") == AnyOf(
        (Tokens(("wladimir", "putins"), prefix=True), Tokens(("wladimir", "putin")))
    )


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ('"unterminated', "the double quote at position 1 is never closed"),
        ("Putin (Moskau", "the '(' at position 7 is never closed"),
        ("-Moskau", "NOT (or -word) needs a word that must match beside it"),
        ("Putin OR NOT Moskau", "NOT (or -word) needs a word that must match beside it"),
        ("Putin AND", "AND at position 7 needs a word after it"),
        ("AND Putin", "AND at position 1 needs a word before it"),
        ("((((((((((((((((((((((x))))))))))))))))))))))", "more than 20 parentheses"),
    ],
)
def test_unreadable_queries_say_why_in_one_sentence(q: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        ArticleQuery(q=q)
    assert str(caught.value).startswith(message) or message in str(caught.value)


def test_migration_i17_retokenises_an_existing_store_and_downgrades(db_url: str) -> None:
    from alembic import command
    from sqlalchemy import text

    from wire.storage.db import alembic_config, make_engine

    db = Database(db_url)
    corpus = _corpus()
    for article in corpus.values():
        put(db, article)
    labels = {a.id: name for name, a in corpus.items()}
    engine = make_engine(db_url)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "i14_media")
        if conn.dialect.name == "sqlite":  # the raw text is back in the index
            head = conn.execute(text("SELECT headline FROM articles_search")).scalars().all()
            assert "Putin äussert sich in Sotschi zu den Wahlen" in head
        else:  # the generated, PostgreSQL-stemmed vector is back
            kind = conn.execute(
                text(
                    "SELECT is_generated FROM information_schema.columns WHERE table_schema ="
                    " current_schema() AND table_name = 'articles' AND column_name = "
                    "'search_vector'"
                )
            ).scalar_one()
            assert kind == "ALWAYS"
        command.upgrade(cfg, "head")
    for q, filters, expected in CASES:
        assert _ids(db, q, filters, labels) == expected, q
    db.dispose()
    engine.dispose()


def test_migration_i16_takes_text_of_earlier_kills_out_of_the_index(db_url: str) -> None:
    from datetime import timedelta

    from alembic import command

    from tests.api.factory import T0
    from wire.storage.db import alembic_config, make_engine
    from wire.storage.visibility import AUDITOR

    db = Database(db_url)
    killed = put(db, make_article(1)).article_id
    put(db, make_article(1, pubstatus="canceled", versioncreated=T0 + timedelta(1)))
    live = put(db, make_article(2)).article_id

    def found(q: str) -> list[str]:
        with db.reader() as s:
            query = ArticleQuery(q=q, pubstatus=("all",))
            return sorted(find_ids(s, query, viewer=AUDITOR).ids)

    engine = make_engine(db_url)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "i20w_parallel_feed")  # a store written before the kill rule
    assert found("Wirtschaftshilfen") == sorted([killed, live])
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    assert found("Wirtschaftshilfen") == [live]
    assert found("Lukaschenko") == sorted([killed, live])  # the tombstone's headline
    db.dispose()
    engine.dispose()


def test_a_headline_match_ranks_before_a_body_only_match(db: Database) -> None:
    """Relevance on both stores: the word in the headline beats the word only in the body
    (PostgreSQL ranks by the small headline-and-lead vector, migration i17_rank_vector)."""
    body_only = make_article(
        1,
        headline="Bundesrat tagt in Bern",
        lead="Sitzung am Morgen.",
        body_text="Am Rande ging es auch um Gletscher und Klimaschutz.",
    )
    headline = make_article(
        2,
        headline="Gletscher schmelzen schneller als erwartet",
        lead="Eine Studie zeigt es.",
        body_text="Die Messungen in Bern.",
    )
    for article in (body_only, headline):
        put(db, article)
    with db.reader() as s:
        ids = find_ids(s, ArticleQuery(q="Gletscher"), limit=10).ids
    assert ids == [headline.id, body_only.id]
    if db.engine.dialect.name == "postgresql":
        with db.reader() as s:
            small = s.execute(
                text("SELECT rank_vector::text FROM articles WHERE id = :i"), {"i": body_only.id}
            ).scalar_one()
        assert "gletsch" not in small  # body tokens stay out of the rank vector


def test_postgresql_vectors_carry_the_filter_tags_and_filtered_searches_use_them(
    pg_url: str,
) -> None:
    """Migration i17t: language, source, agency and has_images ride in ``search_vector`` as
    positionless tokens (FTS5's tags), kept in step when a filtered column changes, and never
    in ``rank_vector``."""
    from sqlalchemy import update

    from wire.storage.models import ArticleRow

    db = Database(pg_url)
    de = put(db, make_article(1)).article_id
    en = put(db, english(2)).article_id

    def vector(article_id: str, column: str = "search_vector") -> str:
        with db.reader() as s:
            sql = text(f"SELECT {column}::text FROM articles WHERE id = :i")
            return str(s.execute(sql, {"i": article_id}).scalar_one())

    tags = vector(de)
    assert "'zlg6465'" in tags  # "de" in hex
    assert "'zag" + b"dpa".hex() + "'" in tags
    assert "'zim1'" in tags and "zlg" not in vector(de, "rank_vector")

    def found(agency: tuple[str, ...] = (), language: tuple[str, ...] = ()) -> list[str]:
        query = ArticleQuery(q="Lukaschenko OR Rotterdam", agency=agency, language=language)
        with db.reader() as s:
            return sorted(find_ids(s, query).ids)

    assert found(language=("de",)) == [de]
    assert found(agency=("dpa",)) == [de]
    assert found(language=("en",)) == [en]
    with db.session() as s:  # a filtered column changes without a new vector
        s.execute(update(ArticleRow).where(ArticleRow.id == de).values(language="fr"))
    assert "'zlg6465'" not in vector(de) and "'zlg6672'" in vector(de)
    assert found(language=("de",)) == []
    assert found(language=("fr",)) == [de]
    db.dispose()


def test_only_a_prefix_of_a_tags_shape_may_reach_a_tag() -> None:
    for prefix in ("z", "za", "zag", "zag64", "zlg", "zlg6465", "zso6", "zps", "zi", "zim", "zim1"):
        assert may_reach_tag(prefix), prefix
    for prefix in ("zb", "zimm", "zimme", "zim2", "zagx", "zlgxy", "zuri", "zebra", "moser", "a"):
        assert not may_reach_tag(prefix), prefix


def _search_rows(url: str, through_view: bool) -> list[list[Any]]:
    """The article keys, the FTS5 rows and a ranked search of a SQLite store after the writer
    stored a batch of new articles, a new version and a kill, and retention replaced a text;
    ``through_view``: with the search rows written through the ``articles_fts`` view, as
    before session 14 (its INSTEAD OF triggers: the reference)."""
    db = Database(url)
    view_insert = text(
        "INSERT INTO articles_fts (article_id, headline, lead, body) "
        "VALUES (:id, :headline, :lead, :body)"
    )
    with pytest.MonkeyPatch.context() as patch:
        if through_view:
            patch.setattr(
                writer,
                "insert_fts5_rows",
                lambda conn, rows: conn.execute(view_insert, rows),
            )
            patch.setattr(
                writer, "_FTS_DELETE", text("DELETE FROM articles_fts WHERE article_id = :id")
            )
        first = [
            writer_article(guid="urn:a", agencies=["keystone-sda", "dpa"]),
            writer_article(
                guid="urn:b", agencies=[], images=[], language=None, body_text="Anderes."
            ),
            writer_article(guid="urn:c", source=None, feed="other", body_text="Ein dritter Text."),
        ]
        with db.session() as s:
            writer.store_articles(s, [(a, text_fingerprint(a)) for a in first])
        for later in (
            writer_article(
                guid="urn:a", headline="Neue Fassung", agencies=["dpa"], body_text="Neu."
            ),
            writer_article(guid="urn:c", source=None, feed="other", pubstatus="canceled"),
        ):
            with db.session() as s:
                writer.store_article(s, later, text_hash=text_fingerprint(later))
        with db.session() as s:
            writer.replace_search_text(
                s, [(first[1].id, tombstone_document("Nur der Titel", None))]
            )
    with db.reader() as s:
        rows = [
            list(s.execute(text(f"SELECT * FROM {table} ORDER BY rowid")).all())
            for table in ("article_keys", "articles_search")
        ]
        rows.append(
            list(
                s.execute(
                    text(
                        "SELECT rowid, bm25(articles_search) FROM articles_search "
                        "WHERE articles_search MATCH 'text OR neu OR titel' ORDER BY rank"
                    )
                ).all()
            )
        )
    db.dispose()
    return rows


def test_search_rows_written_directly_are_those_the_view_wrote(tmp_path: Path) -> None:
    """SQLite's search rows go straight into ``articles_search`` (one statement a step for a
    batch; the view's trigger made FTS5 flush a segment per row): the same keys, rows and
    ranking as through the view, for new articles, a new version, a kill and a purged text."""
    view = _search_rows(f"sqlite:///{tmp_path / 'view.db'}", through_view=True)
    direct = _search_rows(f"sqlite:///{tmp_path / 'direct.db'}", through_view=False)
    assert direct == view
    keys, search, ranked = direct
    assert len(keys) == len(search) == 3
    assert search[0][:3] == ("neu fassung", "treff in moskau geplant", "neu")  # the new version
    assert search[1][:3] == ("nur der titel", "", "")  # the purged text: its headline only
    assert [rowid for rowid, _ in ranked] == [1, 2]  # "neu", "text"; the kill matches neither
