"""Text hygiene: one clean line, safe HTML, HTML to paragraphs, and the language of a text.

Feeds deliver entities, no-break spaces, soft hyphens and stray control characters; readers
(and the content hash) should see none of them.
"""

from __future__ import annotations

import html
import re
import threading
import unicodedata
from typing import Any

import nh3

from wire.normalise import fastlid

# Spaces that are not ASCII spaces (NBSP, narrow NBSP, figure space, ...) become one.
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
# Invisible characters that carry no meaning in news text. ZWJ/ZWNJ stay: they shape
# emoji sequences and some scripts.
_INVISIBLE = re.compile(r"[\u00ad\u200b\u200e\u200f\u2060\u2061-\u2064\ufeff]")
_WS = re.compile(r"\s+")


# C0/C1 control characters (category Cc); whitespace controls become spaces.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_WS_CONTROLS = re.compile(r"[\t\n\r\f\v\x1c-\x1f\x85]")


def storable(s: str) -> str:
    """``s`` with what no database column takes escaped (lone surrogates, NUL), for the
    reasons and raw bytes of rejects: a reject must store whatever it rejects."""
    return s.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")


def _strip_controls(s: str) -> str:
    return _CONTROLS.sub("", _WS_CONTROLS.sub(" ", s))


# What clean_text drops outright: the invisibles, and the control characters that are not
# whitespace (the whitespace controls, like the odd spaces above, collapse with the rest).
_DROP = re.compile(
    r"[\u00ad\u200b\u200e\u200f\u2060\u2061-\u2064\ufeff\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]"
)


def clean_text(s: str) -> str:
    """One line: entities decoded, odd spaces and invisibles gone, whitespace collapsed.

    One pass where the text allows it: every character ``_SPACES`` and ``_WS_CONTROLS`` name
    is whitespace to ``str.split`` (the same set as the regular expressions' ``\\s``), so
    splitting and joining collapses them with the rest, as the step-by-step form does
    (``clean_text_reference``; tests compare the two)."""
    if not s:
        return ""
    if "&" in s:
        s = html.unescape(s)
    if not s.isascii():
        s = unicodedata.normalize("NFC", s)
        if not s.isprintable():  # every character _DROP names is a control or format one
            s = _DROP.sub("", s)
    elif _ASCII_DROP.search(s):
        s = _DROP.sub("", s)
    return " ".join(s.split())


_ASCII_DROP = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")


def clean_paragraphs(text: str) -> str:
    """Paragraphs (blank-line separated) each made one clean line, empty ones dropped.

    A body the adapter built from plain HTML paragraphs is mostly clean already: one test of
    the whole text stands for ten ``clean_text`` calls when it is (``clean_paragraphs_reference``
    is the paragraph-by-paragraph form; the tests compare). With the paragraph breaks read as
    spaces, a text that is printable (no whitespace but the ASCII space, no control or format
    character: every one ``clean_text`` drops), has no entity, no run of spaces and no space
    at either end, and is in NFC is what ``clean_text`` gives back."""
    if not text:
        return ""
    flat = text.replace("\n\n", " ")
    if (
        "&" not in text
        and flat.isprintable()
        and "  " not in flat
        and flat[0] != " "
        and flat[-1] != " "
        and (text.isascii() or unicodedata.is_normalized("NFC", text))
    ):
        return text
    return clean_paragraphs_reference(text)


def clean_paragraphs_reference(text: str) -> str:
    """:func:`clean_paragraphs` one paragraph at a time."""
    return "\n\n".join(p for p in (clean_text(x) for x in text.split("\n\n")) if p)


def clean_text_reference(s: str) -> str:
    """:func:`clean_text` step by step, as it was written first (the tests' reference)."""
    if not s:
        return ""
    s = html.unescape(s) if "&" in s else s
    s = unicodedata.normalize("NFC", s)
    s = _INVISIBLE.sub("", s)
    s = _SPACES.sub(" ", s)
    s = _strip_controls(s)
    return _WS.sub(" ", s).strip()


# The newsroom allow-list: structure and emphasis, links and pictures, simple tables.
_TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "b", "strong", "i", "em",
    "u", "sub", "sup", "a", "blockquote", "q", "cite", "figure", "figcaption", "img",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "span", "hr", "pre",
    "code",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "blockquote": {"cite"},
}


def sanitize_html(raw: str) -> str:
    """Body HTML reduced to the allow-list: no scripts, styles, event handlers or js: links.

    Bare paragraphs of plain text (most agency bodies) are returned as they are: the
    sanitiser would give them back unchanged (``sanitize_html_reference``; the tests compare).
    """
    if not raw:
        return ""
    if _SAFE_PARAGRAPHS.fullmatch(raw):
        return raw
    return sanitize_html_reference(raw)


def sanitize_html_reference(raw: str) -> str:
    """:func:`sanitize_html` through nh3 always."""
    if not raw:
        return ""
    return nh3.clean(
        raw,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


# Elements whose boundaries are paragraph breaks in the text form.
_BLOCKS = {
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "br", "ul", "ol",
    "table", "tr", "figure", "figcaption", "section", "article", "header", "footer",
    "aside", "pre", "hr", "dd", "dt", "dl", "address", "main", "nav",
}  # fmt: skip
_SKIP = {"script", "style", "noscript", "template", "head", "title", "iframe", "object"}


# Agency bodies are mostly bare paragraphs of plain text: "<p>...</p><p>...</p>". Those
# need no HTML parser; the text may hold no markup, entity or character the parser would
# change (controls, surrogates, non-characters).
_PLAIN_PARAGRAPHS = re.compile(
    r"[ \t\n\r]*(?:<p>[^<>&\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    r"\ud800-\udfff\ufdd0-\ufdef\ufeff\ufffe\uffff]*</p>[ \t\n\r]*)+"
)
_PARAGRAPH = re.compile(r"<p>([^<]*)</p>")
# Bare paragraphs the sanitiser returns unchanged: besides the above, no carriage return (the
# HTML parser makes it a line feed) and no no-break space (the serialiser writes &nbsp;), and
# only spaces, tabs and line feeds between the paragraphs.
_SAFE_PARAGRAPHS = re.compile(
    r"[ \t\n]*(?:<p>[^<>&\r\u00a0\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    r"\ud800-\udfff\ufdd0-\ufdef\ufeff\ufffe\uffff]*</p>[ \t\n]*)+"
)


def html_to_text(raw: str) -> str:
    """Plain text of an HTML fragment, one paragraph per block, separated by blank lines."""
    if not raw or not raw.strip():
        return ""
    if _PLAIN_PARAGRAPHS.fullmatch(raw):
        return "\n\n".join(p for p in (" ".join(t.split()) for t in _PARAGRAPH.findall(raw)) if p)
    return html_to_text_parsed(raw)


def html_to_text_parsed(raw: str) -> str:
    """:func:`html_to_text` through lxml's HTML parser: any fragment (the tests' reference
    for the bare-paragraph path)."""
    if not raw or not raw.strip():
        return ""
    from lxml import etree
    from lxml import html as lhtml

    parser = lhtml.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, encoding="utf-8"
    )
    try:
        # Bytes, so an XML encoding declaration inside the string cannot upset the parser.
        root = lhtml.document_fromstring(raw.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):
        return ""
    paragraphs: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        line = _WS.sub(" ", "".join(buffer)).strip()
        if line:
            paragraphs.append(line)
        buffer.clear()

    def walk(el: Any) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in _SKIP:
            pass
        elif tag in _BLOCKS:
            flush()
            buffer.append(el.text or "")
            for child in el:
                walk(child)
            flush()
        else:
            if tag in ("td", "th"):
                buffer.append(" ")  # table cells side by side, not run together
            buffer.append(el.text or "")
            for child in el:
                walk(child)
        buffer.append(el.tail or "")

    walk(root)
    flush()
    return "\n\n".join(paragraphs)


# Languages a European newsroom receives; restricting the model makes short texts reliable.
LANGUAGES = (
    "de", "fr", "it", "en", "es", "pt", "nl", "sv", "da", "no", "fi", "pl", "cs", "sk",
    "sl", "hr", "hu", "ro", "tr", "ru", "uk", "el", "ca", "ar", "zh", "ja",
)  # fmt: skip
MIN_LETTERS = 20  # fewer letters than this are too little evidence for a guess
# Characters of a story the guess reads: headline, lead and the body's start tell the language
# (no guess changed on bench/dedup's 1,318 texts at 300), and the model's walk costs per byte.
LANGUAGE_SAMPLE = 500

_identifier: Any = None
_lock = threading.Lock()


def _model() -> Any:
    """The py3langid model, loaded once on first use (mapped from the user's cache in
    milliseconds; built the first time, which takes about half a second)."""
    global _identifier
    with _lock:
        if _identifier is None:
            from wire.normalise import langmodel

            _identifier = langmodel.load(LANGUAGES)
        return _identifier


def _cld2(sample: str) -> str | None:
    """CLD2's best guess among :data:`LANGUAGES` (a few microseconds), or None when it has
    none or cannot read the text (it refuses some control characters)."""
    try:
        _reliable, _bytes, details = _pycld2().detect(sample, bestEffort=True)
    except Exception:
        return None
    _name, code, percent, _score = details[0]
    code = _CLD2_CODES.get(code, code.split("-")[0])
    # A mixed verdict ("en 52 %, fr 47 %" on a French market report full of index names)
    # is where CLD2 errs; py3langid decides those.
    return str(code) if percent >= CLD2_MIN_PERCENT and code in _ALLOWED else None


def _pycld2() -> Any:
    global _cld2_module
    if _cld2_module is None:
        import pycld2

        _cld2_module = pycld2
    return _cld2_module


_cld2_module: Any = None
# CLD2 is trusted on a story (headline, lead and the body's start), not on a headline alone,
# and only when it gives one language most of the text (bench/language).
CLD2_MIN_LETTERS = 200
CLD2_MIN_PERCENT = 90
_ALLOWED = frozenset(LANGUAGES)
_CLD2_CODES = {"nb": "no", "nn": "no", "iw": "he", "zh-Hant": "zh"}
# fastText is trusted on its most likely language when that is one of the newsroom's and it
# gives it this probability: a text of a headline and a lead or more (40 letters) at 0.5, a
# shorter one (a headline alone, where lid.176 takes "met la main sur" for Dutch and
# "Bourse de Paris: le CAC 40 termine en baisse" for Spanish) at 0.9. Lower floors cost
# headline accuracy on bench/language; these keep every language and form as py3langid's.
FASTTEXT_MIN_LETTERS = 40
FASTTEXT_MIN_PROB = 0.5
FASTTEXT_SHORT_MIN_PROB = 0.9


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text`` (read from its start), or None when it has too few letters.

    CLD2 (pycld2) guesses first, on stories with a clear verdict (a few microseconds);
    fastText (:mod:`wire.normalise.fastlid`) places most of the rest in tens of microseconds
    without numpy; py3langid, a millisecond and numpy's import the first time, decides only
    what fastText is unsure of (most of them headlines alone). Each step as accurate as
    py3langid alone on agency copy in every language and form (bench/language)."""
    sample = text[:LANGUAGE_SAMPLE]
    letters = sum(map(str.isalpha, sample)) if sample else 0
    if letters < MIN_LETTERS:
        return None
    fast = _cld2(sample) if letters >= CLD2_MIN_LETTERS else None
    if fast is not None:
        return fast
    guess = fastlid.guess(sample)
    if guess is not None:
        code, prob = guess
        floor = FASTTEXT_MIN_PROB if letters >= FASTTEXT_MIN_LETTERS else FASTTEXT_SHORT_MIN_PROB
        if prob >= floor and code in _ALLOWED:
            return code
    lang, _prob = _model().classify(sample)
    return str(lang)


def detect_language_langid(text: str) -> str | None:
    """py3langid alone, as before CLD2 (the baseline bench/language compares with)."""
    sample = text[:LANGUAGE_SAMPLE]
    if not sample or sum(map(str.isalpha, sample)) < MIN_LETTERS:
        return None
    lang, _prob = _model().classify(sample)
    return str(lang)
