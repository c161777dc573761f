"""The fast paths of parsing and normalisation give exactly what the plain forms give.

Each shortcut (one-pass ``clean_text``, the signature search from the text's end, bare
paragraphs without the HTML parser, the mapped language model) has its reference beside it;
these tests hold them equal on generated text and, all at once, on the records of the
``bench/parse`` agency feed.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import FunctionType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.parse.feed import make_feed
from wire.adapters.base import FeedSettings
from wire.ingest.parsing import parse_payload
from wire.normalise import credits, dates, langmodel, status
from wire.normalise import text as text_mod
from wire.normalise.agencies import find_signature, find_signature_reference
from wire.normalise.text import (
    LANGUAGES,
    clean_paragraphs,
    clean_paragraphs_reference,
    clean_text,
    clean_text_reference,
    html_to_text,
    html_to_text_parsed,
    sanitize_html,
    sanitize_html_reference,
)
from wire.record import Article

ROOT = Path(__file__).resolve().parents[2]

# Characters the shortcuts treat specially, beside ordinary letters.
_TRICKY = (
    "ab Zä\n\t\r\x0b\x0c\x1c\x1f\x85\x00\x07\x7f\x9f\u00a0\u00ad\u1680\u2000\u200a\u200b"
    "\u200c\u200d\u200e\u2028\u2029\u202f\u205f\u2060\u2064\u3000\ufeff\ufdd0\ufffe\u0301"
    "\U0001f600&;#<>/\"'=().!?[]»"
)
_PIECES = ["&amp;", "&nbsp;", "&#133;", "&#0;", "&shy;", "&lt;", "sda", "dpa", "AFP", "xy",
           "Keystone-SDA", " und ", "  ", "\n\n", "(sda)", "[AFP]", "(xy/sda)", "<p>", "</p>",
           "<br>", "<b>"]  # fmt: skip
tricky_text = st.lists(
    st.one_of(st.sampled_from(list(_TRICKY)), st.sampled_from(_PIECES), st.text(max_size=3)),
    max_size=40,
).map("".join)


@given(tricky_text)
@settings(max_examples=500, deadline=None)
def test_clean_text_equals_the_step_by_step_form(value: str) -> None:
    assert clean_text(value) == clean_text_reference(value)


@given(tricky_text)
@settings(max_examples=500, deadline=None)
def test_clean_paragraphs_equals_the_paragraph_by_paragraph_form(value: str) -> None:
    assert clean_paragraphs(value) == clean_paragraphs_reference(value)


@given(st.lists(st.text(st.sampled_from(list("ab ZäéÉ.\u0301\u00e9")), max_size=30), max_size=8))
@settings(max_examples=300, deadline=None)
def test_clean_paragraphs_of_clean_looking_bodies(paragraphs: list[str]) -> None:
    value = "\n\n".join(paragraphs)
    assert clean_paragraphs(value) == clean_paragraphs_reference(value)


@given(st.text(st.sampled_from(list("x .")), max_size=200), tricky_text)
@settings(max_examples=500, deadline=None)
def test_signature_search_from_the_end_equals_the_whole_search(head: str, tail: str) -> None:
    value = head + tail
    assert find_signature(value) == find_signature_reference(value)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", " ", "\n", "\t", "\r\n"]),
            tricky_text.map(lambda t: t.replace("<", "")),
        ),
        min_size=1,
        max_size=5,
    )
)
@settings(max_examples=500, deadline=None)
def test_bare_paragraphs_read_as_the_html_parser_reads_them(paragraphs: list[Any]) -> None:
    raw = "".join(f"{space}<p>{body}</p>" for space, body in paragraphs)
    assert html_to_text(raw) == html_to_text_parsed(raw)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", " ", "\n", "\t"]), tricky_text.map(lambda t: t.replace("<", ""))
        ),
        min_size=1,
        max_size=5,
    )
)
@settings(max_examples=500, deadline=None)
def test_bare_paragraphs_pass_the_sanitiser_unchanged(paragraphs: list[Any]) -> None:
    raw = "".join(f"{space}<p>{body}</p>" for space, body in paragraphs)
    assert sanitize_html(raw) == sanitize_html_reference(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "<p>Bern (sda) - Der Bundesrat hat entschieden.</p><p>(sda)</p>",
        "<p>Eins</p>\n<p> </p>\n<p>Zwei\u00a0drei</p>\n",
        "<p>A &amp; B</p>",  # an entity: the parser reads it
        "<p>Fett <b>und</b> dünn</p>",  # markup: the parser reads it
        "Text ohne Absatz",
    ],
)
def test_html_to_text_examples(raw: str) -> None:
    assert html_to_text(raw) == html_to_text_parsed(raw)


def _texts() -> list[str]:
    pairs = ROOT / "bench" / "dedup" / "pairs.jsonl"
    out: list[str] = []
    for line in pairs.read_text(encoding="utf-8").splitlines()[:400]:
        pair = json.loads(line)
        for side in ("a", "b"):
            item = pair[side]
            out += [item["headline"], " ".join([item["headline"], item["body"]])]
    return out


def test_mapped_language_model_guesses_as_py3langid_builds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written to the cache, then mapped: the same classes and the same scores, and a second
    load maps the file instead of rebuilding it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    built = langmodel._built(LANGUAGES)
    mapped = langmodel.load(LANGUAGES)
    assert list((tmp_path / "wire").glob("langid-*.bin"))
    assert isinstance(mapped.tk_nextmove, memoryview)  # mapped, not built
    assert mapped.nb_classes == built.nb_classes
    for sample in _texts()[:300]:
        assert mapped.classify(sample[:500]) == built.classify(sample[:500])
    monkeypatch.setattr(langmodel, "_built", lambda languages: pytest.fail("rebuilt"))
    again = langmodel.load(LANGUAGES)
    assert again.classify("Der Bundesrat hat am Mittwoch entschieden") == built.classify(
        "Der Bundesrat hat am Mittwoch entschieden"
    )


def test_a_damaged_cache_file_is_built_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    langmodel.load(LANGUAGES)
    (cached,) = (tmp_path / "wire").glob("langid-*.bin")
    cached.write_bytes(cached.read_bytes()[:1000])  # cut off
    ident = langmodel.load(LANGUAGES)
    assert ident.classify("Il Consiglio federale ha deciso mercoledì di prorogare")[0] == "it"
    assert cached.stat().st_size > 1_000_000


def test_unwritable_cache_still_gives_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    ident = langmodel.load(LANGUAGES)
    assert ident.classify("Le Conseil fédéral a décidé mercredi de prolonger")[0] == "fr"


def test_bench_feed_records_equal_the_reference_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """The records of ``bench/parse``'s agency feed (no declared language: every item's
    language is guessed) with the fast paths, and with each replaced by its reference."""
    data, _langs = make_feed(400)
    settings_ = FeedSettings(feed="parse", timezone="Europe/Zurich", location="agency.rss")
    now = datetime(2026, 12, 6, tzinfo=UTC)

    def records() -> list[dict[str, Any]]:
        out = parse_payload(data, settings_, "rss", "agency.rss", now)
        assert all(isinstance(r, Article) for r in out)
        return [r.to_dict() for r in out if isinstance(r, Article)]

    fast = records()
    references = {
        clean_text: clean_text_reference,
        clean_paragraphs: clean_paragraphs_reference,
        find_signature: find_signature_reference,
        html_to_text: html_to_text_parsed,
        sanitize_html: sanitize_html_reference,
    }
    for name, module in list(sys.modules.items()):
        if name.startswith("wire.") and module is not None:
            for attr, value in list(vars(module).items()):
                if isinstance(value, FunctionType) and value in references:
                    monkeypatch.setattr(module, attr, references[value])
    monkeypatch.setattr(text_mod, "_identifier", langmodel._built(LANGUAGES))
    reference = records()
    assert len(fast) == 400
    assert fast == reference


_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "mon", "Wednesday"]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
           "nov", "NOV", "Sept", "März"]  # fmt: skip


@given(
    st.sampled_from(["", *(d + ", " for d in _DAYS), "Wed "]),
    st.integers(0, 40),
    st.sampled_from(_MONTHS),
    st.sampled_from([2026, 1999, 2000, 99, 26, 10000, 1000]),
    st.tuples(st.integers(0, 25), st.integers(0, 61), st.integers(0, 61)),
    st.sampled_from(
        ["+0000", "-0000", "+0100", "-0530", "+2400", "GMT", "CEST", "Z", "", "+01:00"]
    ),
    st.booleans(),
)
@settings(max_examples=1000, deadline=None)
def test_common_rss_dates_read_as_email_utils_reads_them(
    day_name: str,
    day: int,
    month: str,
    year: int,
    clock: tuple[int, int, int],
    zone: str,
    padded: bool,
) -> None:
    """The one-expression reading of "Wed, 25 Nov 2026 12:00:00 +0000" gives what the
    general path (ISO first, then ``email.utils.parsedate_tz``) gives, on that form and on
    near misses of it."""
    h, m, s = clock
    hms = f"{h:02d}:{m:02d}:{s:02d}" if padded else f"{h}:{m}:{s}"
    text = f"{day_name}{day} {month} {year} {hms} {zone}".strip()
    fast = dates.parse_date(text, "Europe/Zurich")
    never = re.compile(r"(?!)")
    pattern = dates._RFC822_COMMON
    try:
        dates._RFC822_COMMON = never
        reference = dates.parse_date(text, "Europe/Zurich")
    finally:
        dates._RFC822_COMMON = pattern
    assert fast == reference
    if fast is not None:
        assert reference is not None
        assert fast.utcoffset() == reference.utcoffset()


# Captions and credit lines: separators, labels, "via" in the cases the regular expressions'
# case rules fold together ("İ", "ı" match "i"), and ordinary words.
_CREDIT_PIECES = ["/", ",", ";", "|", "(", ")", " via ", " VİA ", " vıa ", "via", ":", "©",
                  "(c) ", "(C)", "copyright", "COPYRİGHT", "Foto", "Foto: ", "Bild:", " ", ".",
                  "  ", "\u00a0", "KEYSTONE", "dpa", "Peter Schneider", "Rosenheim", "13 Tote",
                  "- ", " – ", "zvg"]  # fmt: skip
credit_text = st.lists(
    st.one_of(st.sampled_from(_CREDIT_PIECES), st.text(max_size=2)), max_size=12
).map("".join)


@given(credit_text)
@settings(max_examples=1000, deadline=None)
def test_credit_parts_without_a_separator_are_the_split_parts(value: str) -> None:
    """``_parts`` skips the split where no separator can match; the split gives the same."""
    split = [p for p in (x.strip(" .") for x in credits._PART_SEP.split(value)) if p]
    assert credits._parts(value) == split


@given(credit_text)
@settings(max_examples=1000, deadline=None)
def test_a_caption_with_a_label_holds_what_the_label_hint_looks_for(value: str) -> None:
    """``split_caption`` looks for labels only where ``_LABEL_HINT`` finds something: every
    caption a label search matches in is such a caption."""
    if credits._LABEL_AT.search(value):
        assert credits._LABEL_HINT.search(value)


_HEADLINE_PIECES = ["Eds", "eds:", "Anm. d. Red.:", "n.d.l.r.", " note", ":", "corrected",
                    "UPDATE 2", "Refiled", " ", "\u00a0", "(", ")", "[", "]", "{", "}", "<", ">",
                    "FLASH-", "Bern", "Wahl"]  # fmt: skip


@given(st.lists(st.one_of(st.sampled_from(_HEADLINE_PIECES), st.text(max_size=2)), max_size=15))
@settings(max_examples=1000, deadline=None)
def test_status_notes_and_trailing_words_need_a_bracket(pieces: list[str]) -> None:
    """``split_status`` looks for "(Eds: ...)" notes and a bracketed trailing word only in a
    headline holding "(" or "[": without one neither search can match."""
    headline = "".join(pieces)
    if "(" not in headline and "[" not in headline:
        assert not status._EDS.search(headline)
        assert not status._TRAILING.search(headline)
