"""The dedup text keys: boilerplate removal, the exact-duplicate fingerprint, shingled words."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from wire.ingest import fingerprint
from wire.ingest.fingerprint import (
    _BOILERPLATE,
    SENTENCE_ENDS,
    _boilerplate,
    boilerplate_memo,
    fold,
    fold_keeping_digits,
    shingle_words,
    strip_boilerplate,
    text_fingerprint,
    tokenise,
    words_of,
)
from wire.record import Article

BODY = (
    "Angesichts des Machtkampfes in Weissrussland will sich Staatschef Alexander Lukaschenko "
    "mit dem russischen Präsidenten Wladimir Putin treffen. Dazu sei in den kommenden Wochen "
    "ein Treffen in Moskau geplant, teilte der Kreml am Sonntag mit.\n\n"
    "Die beiden Politiker hatten zuletzt mehrfach telefoniert, so auch am Sonntag. Putin "
    "gratulierte demnach Lukaschenko zu seinem 66. Geburtstag."
)


def body(text: str) -> Article:
    return Article(guid="x", body_text=text, language="de")


def words(text: str, language: str = "de", **kw: int) -> list[str] | None:
    return shingle_words(
        kw.pop("headline", None),  # type: ignore[arg-type]
        None,
        text,
        language=language,
        min_words=kw.get("min_words", 5),
        max_words=kw.get("max_words", 1000),
    )


def test_fold_removes_case_and_accents() -> None:
    assert fold("Weißrussland ÉTAT Élysée Zürich") == "weissrussland etat elysee zurich"
    assert fold("Кремль") == "кремль"  # other scripts are kept, only lower-cased


# Non-ASCII runs of which one is part of another ("é" of "é½", "„" of "„ñ"), beside Swiss
# guillemets and typographic quotes.
TRICKY = "«Über» sagte er. «Die» Zürich‘s Café„ café„Ñ ½ x²½ Œuvre œ Genève… «Ökonomie» créé"


def folded_by_character(text: str) -> str:
    """The reference: every character decomposed and its combining marks dropped."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def test_fold_is_the_character_by_character_fold() -> None:
    assert fold(TRICKY) == folded_by_character(TRICKY)
    assert fold(TRICKY).startswith("«uber» sagte er. «die» zurich‘s cafe„ cafe„n 1⁄2 x21⁄2")


def test_fold_is_the_same_in_every_process() -> None:
    """Runs were replaced in a set's order, which string hashing changes from one process to
    the next: a parse worker and the store could fold one text two ways."""
    script = f"from wire.ingest.fingerprint import fold; print(ascii(fold({TRICKY!r})))"
    seen = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(6)
    }
    assert seen == {ascii(folded_by_character(TRICKY)) + "\n"}


def test_republished_copy_has_the_agency_fingerprint() -> None:
    agency = body(f"Moskau (Keystone-SDA) - {BODY} (sda/dpa)")
    partner = body(
        "Foto: Keystone/Peter Klaunzer\n\n"
        + BODY.replace("\n\n", "\n\n\n")  # other paragraph spacing
        + "\n\nLesen Sie auch: Proteste in Minsk gehen weiter\n\n"
        "© Keystone-SDA. Alle Rechte vorbehalten.\n\nKeystone-SDA"
    )
    shouty = body(BODY.upper().replace(".", " . "))
    assert text_fingerprint(agency) is not None
    assert text_fingerprint(agency) == text_fingerprint(partner) == text_fingerprint(shouty)


def test_a_changed_word_is_another_text() -> None:
    assert text_fingerprint(body(BODY)) != text_fingerprint(body(BODY.replace("Moskau", "Minsk")))


def test_short_bodies_have_no_fingerprint() -> None:
    assert text_fingerprint(body("")) is None
    assert text_fingerprint(body("Putin trifft Lukaschenko. (sda)")) is None


def test_boilerplate_in_the_four_languages_is_dropped() -> None:
    text = (
        "PARIS, 3 mai 2024 (AFP) - Le texte commence ici.\n\n"
        "(Reporting by John Smith; Editing by Jane Doe)\n\nAvec AFP\n\nMit Material von dpa\n\n"
        "Tutti i diritti riservati.\n\nLire aussi: autre chose\n\nFin du texte. (ats/afp)"
    )
    assert strip_boilerplate(text) == "Le texte commence ici.\n\nFin du texte."


def test_story_paragraphs_mentioning_credits_stay() -> None:
    long = (
        "Die Agentur AFP berichtete, das Copyright der Bilder liege beim Fotografen, der die "
        "Aufnahmen am Sonntag in Minsk gemacht habe, und nicht bei der Zeitung, die sie druckte."
    )
    assert strip_boilerplate(long) == long
    assert strip_boilerplate("Die Polizei hat Anzeige erstattet.") == (
        "Die Polizei hat Anzeige erstattet."
    )


def test_shingled_words_drop_stop_words_of_the_language_only() -> None:
    de = words("Der Krieg war lang und die Menschen waren müde, sagte er.", min_words=3)
    assert de == ["krieg", "lang", "menschen", "mude", "sagte", "."]
    en = words("The war was long and people die of hunger, he said.", "en", min_words=3)
    assert en is not None and "war" in en and "die" in en and "the" not in en
    it = words("Il governo ha approvato la riforma delle pensioni a Roma.", "it", min_words=3)
    assert it == ["governo", "approvato", "riforma", "pensioni", "roma", "."]


def test_sentence_ends_are_kept_as_markers() -> None:
    w = words("Erster Satz hier. Zweiter Satz dort!\nDritte Zeile", min_words=3)
    assert w is not None
    ends = [t for t in w if t in SENTENCE_ENDS]
    assert [t for i, t in enumerate(ends) if i == 0 or ends[i - 1] != t] == [".", "!", "\n"]
    assert "satz" in w and "zeile" in w


def test_too_little_text_or_a_table_gives_no_words() -> None:
    assert words("", min_words=25) is None
    assert words("Eilmeldung", min_words=25) is None
    table = "\n".join(
        f"{i}. FC Team{i} {30 - i} {20 - i} 3 {i} {60 - i}:{20 + i} {63 - 3 * i}" for i in range(12)
    )
    assert words(f"Super League, Tabelle:\n{table}", min_words=5) is None
    prose = words(BODY, min_words=25)
    assert prose is not None and "66" in prose  # numbers in prose are kept


def test_huge_bodies_are_cut_to_max_words() -> None:
    huge = (BODY + "\n\n") * 20_000  # ~ 700,000 words
    w = words(huge, min_words=25, max_words=500)
    assert w is not None
    assert len(w) <= 500


TRAILERS = [
    " (Reporting by Anna Smith in Berlin; Editing by John Doe)",
    " (Reporting by Anna Smith; Additional reporting by Ken Lee; Writing by Jo Ma; Editing by "
    "Bo Li and Al Hu)",
    " (sda)",
    " dpa xy yz",
    " © AFP",
    " kkt/sda",
    " (ANSA).",
    " Riproduzione riservata © Copyright ANSA",
    " (Avec AFP)",
    "\n\ndpa xy yz",
    "\n\n(Reporting by Anna Smith; Editing by John Doe)",
]


def test_trailers_and_signatures_do_not_change_the_fingerprint() -> None:
    plain = text_fingerprint(body(BODY))
    for trailer in TRAILERS:
        assert text_fingerprint(body(BODY + trailer)) == plain, trailer
        # also after a signed paragraph: "... Geburtstag. (sda)\n\ndpa xy yz"
        assert text_fingerprint(body(BODY + " (sda)" + trailer)) == plain, trailer


# What agencies' systems close a story with, as paragraphs of their own after the text.
CLOSING_LINES = [
    "\n\ndpa lby yymm z2 mw",  # dpa: desk and routing codes
    "\n\n(Schluss) tig/sm\n\nAPA0156 2026-12-01/11:22",  # APA: end mark, editors, number
    "\n\nENDS",
    "\n\n-0-",
    " (AGI)\n\nRed/Cop\n\n011045 DIC 26",  # AGI: signature, desk, filing time
    "\n\nSPO NG01 LPZ 302301 NOV 26",  # ANSA: section, routing, filing time
    "\n\n(Redazione Milano, in redazione Valentina Za)",
    "\n\n(Reporting by Anna Smith, anna.smith@example.com, +41 44 000 00 00)",
    "\n\nSul sito www.reuters.it le altre notizie Reuters in italiano. Le top news anche su "
    "www.twitter.com/reuters_italia",
]


def test_agency_closing_lines_do_not_change_the_fingerprint() -> None:
    """A copy re-sent with other routing codes or another filing time is the same text: the
    closing paragraphs are off what the fingerprint hashes (issue 21's trailer copies)."""
    plain = text_fingerprint(body(BODY))
    for closing in CLOSING_LINES:
        assert text_fingerprint(body(BODY + closing)) == plain, closing
        assert text_fingerprint(body(BODY + " (sda)" + closing)) == plain, closing


def test_a_last_paragraph_of_story_text_is_no_closing_line() -> None:
    """Only the closing lines' own shapes go: a story's last paragraph naming a web site, or
    a short one in capitals, stays in the text."""
    for last in (
        "Weitere Informationen und alle Termine gibt es auf der Website www.example.ch.",
        "Das Amt nennt mehr News unter https://example.ch, auch zu den Schulen.",
        "ZUM THEMA GIBT ES KEINE NEUEN ZAHLEN.",
    ):
        assert text_fingerprint(body(BODY + "\n\n" + last)) != text_fingerprint(body(BODY)), last


def test_story_text_ending_like_an_agency_name_stays() -> None:
    ending = BODY + " Das sagte ein Sprecher der dpa."
    assert text_fingerprint(body(ending)) != text_fingerprint(body(BODY))


def test_the_fingerprint_covers_the_lead_unless_it_repeats_the_body() -> None:
    first = BODY.split("\n\n")[0]
    plain = text_fingerprint(body(BODY))
    teaser = Article(guid="x", lead=first, body_text=BODY, language="de")
    assert text_fingerprint(teaser) == plain  # a page's teaser repeats the first paragraph
    new_lead = Article(
        guid="x",
        lead="Der weissrussische Staatschef reist nach Moskau: Das Treffen mit Putin ist für "
        "die kommende Woche angesetzt, bestätigte der Kreml am Montag.",
        body_text=BODY,
        language="de",
    )
    assert text_fingerprint(new_lead) != plain  # a 1ST LEAD is news
    retitled = Article(guid="y", headline="Ganz neuer Titel", body_text=BODY, language="de")
    assert text_fingerprint(retitled) == plain  # the headline never counts


def test_the_boilerplate_test_is_the_pattern_search() -> None:
    """``_boilerplate`` skips the search where no mark says it can match: the same answer as
    ``_BOILERPLATE.search`` on furniture, story text, every case form and the letters that
    match more under IGNORECASE than in lower case."""
    samples = [
        "© AFP 2024", "(c) 2024 dpa", "Copyright Keystone-SDA", "Alle Rechte vorbehalten.",
        "All rights reserved", "Tous droits réservés", "Tutti i diritti riservati",
        "Quelle: dpa", "Fotos: Keystone", "Mehr zum Thema", "Lesen Sie auch: Der Fall X",
        "Read more: the story", "Lire aussi : la suite", "Leggi anche il resto",
        "Dieser Artikel wurde automatisch erstellt.", "This story was updated.",
        "Cet article a été mis à jour.", "Questo articolo è stato aggiornato.",
        "Folgen Sie uns auf X", "Follow us on X", "Suivez-nous sur X", "Seguici su X",
        "(Reporting by Jane Doe; Editing by John Roe)", "Mit Material von dpa",
        "Avec l'AFP", "Con ANSA", "Abonnieren Sie unseren Newsletter",
        "Der Bundesrat hat am Mittwoch entschieden.", "Le Conseil fédéral a décidé mercredi.",
        "Il governo ha deciso mercoledì.", "The council decided on Wednesday.",
        "Photographer Jane Doe said", "Textile exports rose", "Sources said the talks failed",
        "newſletter", "NEWſLETTER HEUTE", "Dıeser Artikel wurde geändert", "DİESER ARTIKEL WURDE",
        "Folgen ſie uns", "Thıs story was", "Follow uſ on X", "Copyrıght AFP", "",
    ]  # fmt: skip
    for text in samples:
        for form in (text, text.upper(), text.lower(), text.title(), f"Vorab. {text}"):
            assert _boilerplate(form) == (_BOILERPLATE.search(form) is not None), form


def test_tokenise_gives_the_words_and_sentence_ends_of_the_pattern() -> None:
    """The split that replaces the regular expression where a text is ASCII (once its quotes
    and dashes are spaces) gives its tokens exactly, and the others go to the pattern."""
    pattern = re.compile(r"\w+|[.!?;:…\n]")
    texts = [
        fold(BODY),
        fold(TRICKY),
        "a-b c_d\t(e) 12,5%\r\n\nf.g!h?i;j:k\x0b\x1cl  m\n",
        "«gare» – 3 x’y „z“",  # quotes and dashes only: the split
        "cœur ørsted. s… ok",  # a letter outside ASCII, an ellipsis: the pattern
        "",
        "\n\n.",
    ]
    for text in texts:
        assert tokenise(text) == pattern.findall(text), text


def test_fold_keeps_the_digits_flag_of_each_run() -> None:
    """Folding character by character (the usual text) says the digits are kept; a run that
    makes digits ("½") or vanishes (a lone combining mark) says they are not."""
    assert fold_keeping_digits("Zürich «Café» 12,5") == ("zurich «cafe» 12,5", True)
    assert fold_keeping_digits("Zürich 3½") == ("zurich 31⁄2", False)
    assert fold_keeping_digits("1\u03012")[1] is False


# ASCII word and non-word characters, quotes, dashes, spaces and letters outside ASCII
_MIXED = "aZ9_ .-,\t\n\x1c\x7f«»–’„“ßéœ²½…\u00a0\u2009\u3000жΩ\ud800"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(_MIXED)))
def test_words_of_is_the_word_pattern(text: str) -> None:
    """The split that replaces ``\\w+`` where a text is ASCII once its non-word characters
    are spaces gives the pattern's words exactly (non-ASCII letters, digits such as "²",
    spaces outside ASCII, a lone surrogate)."""
    assert words_of(text) == re.findall(r"\w+", text)
    assert words_of(fold(text)) == re.findall(r"\w+", fold(text))


def test_words_of_agency_copy_is_the_word_pattern() -> None:
    for text in (BODY, TRICKY, fold(BODY), fold(TRICKY), "", "...", "a_b c-d 12,5% «x»"):
        assert words_of(text) == re.findall(r"\w+", text), text


def test_the_boilerplate_memo_gives_the_same_texts_in_its_thread_only() -> None:
    """Inside ``boilerplate_memo`` each body is cleaned once, to the same text as without it;
    the memo is this thread's and is gone at the exit (a nested memo keeps the outer one)."""
    bodies = [BODY, f"{BODY}\n\n© AFP", "Berlin (dpa) - Kurz.\n\n(sda/dpa)", ""]
    plain = [strip_boilerplate(b) for b in bodies]
    with boilerplate_memo():
        assert [strip_boilerplate(b) for b in bodies] == plain
        assert set(fingerprint._memo.table) == set(bodies)
        with boilerplate_memo():
            assert strip_boilerplate(bodies[1]) is strip_boilerplate(bodies[1])
        assert set(fingerprint._memo.table) == set(bodies)
        seen: list[object] = []
        worker = threading.Thread(
            target=lambda: seen.append(getattr(fingerprint._memo, "table", None))
        )
        worker.start()
        worker.join()
        assert seen == [None]
    assert getattr(fingerprint._memo, "table", None) is None
    assert [strip_boilerplate(b) for b in bodies] == plain
