"""Article pages in HTML: trafilatura for the text, the page's structured data for the rest.

trafilatura's ``bare_extraction`` finds the article text (it beats a markup walk of our own on
real pages: containers named "sidebar" or "paywall", paragraphs in ``div``s, empty teaser
``<article>``s). JSON-LD (``NewsArticle``, ``ImageObject``) and Open Graph give headline,
dates, author, language and picture credits. The project's own code does what no library
does: kicker, lead and key points of agency-style pages, taking those (and captions, credit
lines and furniture such as "BREAKING NEWS" or "Close") out of the extracted text, agency
attribution in the page ("(sda)", "Quelle: dpa", "© Keystone-SDA"), and credits split off
figure captions. Nothing is fetched: lxml's parser never loads anything, nor does the adapter.
"""

from __future__ import annotations

import codecs
import copy
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher
from html import escape
from typing import Any
from urllib.parse import urljoin, urlsplit

import trafilatura
from lxml import etree
from lxml import html as lhtml

from wire.adapters.base import FeedSettings, binary_kind, fallback_guid
from wire.adapters.rss import leading_dateline, split_byline
from wire.adapters.text import END_MARKERS, KEY_POINT_MARKERS
from wire.errors import AdapterError
from wire.normalise.agencies import find_signature, is_known, split_agencies
from wire.normalise.credits import RIGHTS_RESERVED, split_caption
from wire.normalise.dates import parse_date
from wire.normalise.text import clean_text, html_to_text, sanitize_html
from wire.record import Article, Image, ParseResult, Rejected, Subject, storable_text

_ARTICLE_TYPES = {
    "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "blogposting",
    "liveblogposting", "report",
}  # fmt: skip
# class/id words of page furniture; matched as whole words of the attribute.
_BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:nav|navigation|menu|breadcrumbs?|comments?|kommentare|related|teasers?|"
    r"share|sharing|social|newsletter|ads?|advert\w*|anzeige|promo|paywall|recommend\w*|"
    r"outbrain|taboola|more-articles|read-more|weiterlesen|footer|sidebar|banner|"
    r"cookie\w*|subscribe|tags?)(?:$|[\s_-])",
    re.IGNORECASE,
)
_FURNITURE_TAGS = {
    "nav", "aside", "footer", "form", "script", "style", "noscript", "iframe", "button",
    "svg", "template", "select", "input", "dialog",
}  # fmt: skip
_KICKER = re.compile(
    r"(?:^|[\s_-])(?:\w+-)?(?:kicker|overline|dachzeile|roofline|topline|eyebrow|spitzmarke)"
    r"(?:$|[\s_-])",
    re.IGNORECASE,
)
_LEAD = re.compile(
    r"(?:^|[\s_-])(?:\w+-)?(?:lead|intro|standfirst|chapeau|lede|summary|subtitle|subline|deck|"
    r"dek|abstract|excerpt|sapo|sommario|catenaccio)(?:$|[\s_-])",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"(?:^|[\s_-])(?:byline|author|autor|source|agency|quelle)(?:$|[\s_-])", re.I)
_CREDIT = re.compile(
    r"(?:^|[\s_-])(?:credit|copyright|photographer|source|quelle|byline)s?(?:$|[\s_-])", re.I
)
_DATELINE_CLASS = re.compile(r"(?:^|[\s_-])(?:dateline|ortsmarke|location)(?:$|[\s_-])", re.I)
_KEY_POINTS_CLASS = re.compile(r"(?:key-?points|keypoints|highlights|das-wichtigste)", re.I)
_BYLINE_PREFIX = re.compile(r"^(?:von|by|par|di|de|autor|author|quelle|source)\s*:?\s+", re.I)
_READ_ALSO = re.compile(
    r"^(?:lesen sie (?:auch|mehr)|mehr zum thema|weiterlesen|lire (?:aussi|également)|"
    r"à lire aussi|read (?:also|more)|see also|leggi anche)\b",
    re.IGNORECASE,
)
_SECTION_TEASER = re.compile(r"^(?:MEHR|MORE|PLUS|ALTRE|ALTRO)\b[^a-z]*$")
_SPACED = {
    "br", "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr", "section",
    "figcaption", "blockquote", "ul", "ol", "dd", "dt", "header", "article",
}  # fmt: skip
_HEADING_TAGS = ("h2", "h3", "h4", "h5", "h6", "p", "strong", "b", "span", "div", "section")
_HTML_TAG = re.compile(rb"<(?:!doctype\s+html|html|head|body|article)[\s>/]")
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_LD_DEPTH = 8  # JSON-LD nesting read for objects and names
_SOURCE_META = (
    "source", "dc.source", "dcterms.source", "article:source", "original-source",
    "syndication-source", "news:source", "agency",
)  # fmt: skip
# Short lines of page furniture that extractors keep: labels of banners, lightboxes, players.
_FURNITURE_LINE = re.compile(
    r"^(?:breaking(?: news)?|eilmeldung|dernière heure|ultim'ora|ultima ora|live|caption|close|"
    r"schliessen|schließen|fermer|chiudi|share|teilen|partager|condividi|advertisement|anzeige|"
    r"werbung|publicité|pubblicità|sponsored|(?:play|watch) video|video abspielen|"
    r"lire la vidéo|guarda il video|video|vidéo|audio|photo|foto|bild|image|gallery|galerie|"
    r"bildergalerie|zoom|vergrössern|vergrößern|agrandir|ingrandisci|print|drucken|imprimer|"
    r"stampa|copy link|link kopieren|copier le lien|copia link|subscribe|abonnieren|s'abonner|"
    r"abbonati|newsletter|\d+ (?:photos|fotos|bilder|images|immagini))[\s.:!]*$",
    re.IGNORECASE,
)
_MAX_FURNITURE_WORDS = 5
_MAX_TEASER_WORDS = 4  # "MEHR IN NEWS", "MORE FROM WORLD"
_MAX_FURNITURE_CHARS = 1000  # a container with more text is no teaser or player
# Classes of elements whose texts are furniture wherever they appear (a caption in the body).
_FURNITURE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:caption|credits?|copyright|label|byline|share|sharing|social|breaking|ads?|"
    r"advert\w*|anzeige|promo|teasers?|related|newsletter|lightbox|gallery|slideshow|"
    r"carousel|video|player|subscribe|login|tags?|legende|didascalia|bildunterschrift|"
    r"most-read|meistgelesen)(?:$|[\s_-])",
    re.IGNORECASE,
)
_PICTURE_CREDIT_CLASS = re.compile(
    r"(?:credit|copyright|photographer|fotograf|bildnachweis|bildquelle)", re.IGNORECASE
)
_CREDIT_ATTRIBUTES = ("data-credit", "data-copyright", "data-photographer", "data-source")
_FURNITURE_TEXT_TAGS = {"figcaption", "button", "nav", "aside", "footer", "label", "figure"}
_CAPTION_CLASS = re.compile(
    r"(?:caption|legende|légende|legend|didascalia|bildunterschrift|bildtext)", re.IGNORECASE
)
# A line that only names the agency: "Quelle: dpa", "Source : AFP", "© Keystone-SDA".
_ATTRIBUTION_LINE = re.compile(
    r"^(?:(?:quelle|source|fonte|sources|quellen|mit material von|avec|con|with|text)\s*:\s*|"
    r"©\s*(?:\d{4}\s*)?|\(c\)\s*|copyright\s*(?:\d{4}\s*)?)(?P<who>[^.!?]{2,60}?)[\s.]*$",
    re.IGNORECASE,
)
# The rights notice agencies append: "Copyright 2024 The Associated Press. All rights reserved."
_AP_NOTICE = "this material may not be published, broadcast, rewritten,? or redistributed"
_RIGHTS = re.compile(
    rf"[\s.,;]*(?:{RIGHTS_RESERVED}|{_AP_NOTICE}(?: without permission)?)[\s.]*", re.IGNORECASE
)
_COPYRIGHT_NOTICE = re.compile(r"^(?:©|\(c\)|copyright\b)\s*[^.!?]{0,60}$", re.IGNORECASE)
_NOTICE_START = re.compile(r"^(?:©|\(c\)|copyright\b|&copy;)", re.IGNORECASE)
_MARKUP = re.compile(rb"<(?:[a-zA-Z][\w:-]*|!doctype|!--)", re.IGNORECASE)
_ELLIPSIS = re.compile(r"(?:\s*(?:\.\.\.|…|\[…\]|\[\.\.\.\]))+$")
_WORD = re.compile(r"\w+")
_INLINE_SPACE = re.compile(r"\s+")
_DESCRIPTION_REPEATS = 0.8  # share of a description's words found at the start of the body
_TEXT_RECALL_FLOOR = 0.8  # below this share of JSON-LD articleBody words, trafilatura missed text
_SAME_TEXT = 0.95  # above this share of words in common, two texts are the same text


class HtmlAdapter:
    """One article per HTML page."""

    name = "html"

    def sniff(self, data: bytes, filename: str | None = None) -> float:
        try:
            head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
            name = (filename or "").lower()
            score = 0.0
            if head.startswith((b"<!doctype html", b"<html")):
                score = 0.9
            elif _HTML_TAG.search(head):
                score = 0.7
            if name.endswith((".html", ".htm", ".xhtml")):
                score = max(score, 0.6)
            return score
        except Exception:
            return 0.0

    def parse(self, data: bytes, settings: FeedSettings) -> list[ParseResult]:
        if len(data) > settings.max_bytes:
            raise AdapterError(f"page is larger than the {settings.max_bytes}-byte limit")
        _check_html(data)
        root = _parse(data)
        if root.xpath("//form//input[translate(@type, 'PASWORD', 'pasword') = 'password']"):
            # A feed URL answering with its sign-in page (an expired session, a paywall): no
            # article, and the source health must say so.
            raise AdapterError("a login page (a form asking for a password), not an article")
        page = _Page(root, settings)
        article = page.article()
        if article is None:
            return [Rejected("the page has a headline but no article text", data, page.guid())]
        return [article]


def _check_html(data: bytes) -> None:
    """Refuse bytes that are no HTML page (empty, an image, binary) before parsing them."""
    head = data[:4096]
    if not data.strip():
        raise AdapterError("empty payload: no page to read")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 text has NUL bytes
    what = binary_kind(head)
    if what:
        raise AdapterError(f"not an HTML page: the bytes are {what}")
    if b"\x00" in head:
        raise AdapterError("not an HTML page: binary data")
    if not _MARKUP.search(data[:65536]):
        raise AdapterError("not an HTML page: no markup")


def _encoding(data: bytes) -> str:
    """The page's declared charset, else UTF-8 when the bytes are valid UTF-8, else cp1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    m = _CHARSET.search(data[:8192])
    if m:
        name = m.group(1).decode("ascii", "replace").lower()
        try:
            return codecs.lookup(name).name
        except LookupError:
            pass
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _parse(data: bytes) -> Any:
    parser = lhtml.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, encoding=_encoding(data)
    )
    try:
        root = lhtml.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise AdapterError(f"unreadable HTML: {exc}") from None
    if root is None or not isinstance(root.tag, str):
        raise AdapterError("unreadable HTML: no document element")
    return root


def _text(el: Any, skip: Iterable[Any] = ()) -> str:
    """An element's visible text, whitespace-collapsed, leaving out ``skip`` subtrees."""
    if el is None:
        return ""
    skipped = set(skip)
    parts: list[str] = []

    def walk(node: Any, top: bool = False) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if not top and (node in skipped or tag in ("script", "style") or not tag):
            parts.append(node.tail or "")
            return
        spaced = tag in _SPACED
        parts.append(" " if spaced else "")
        parts.append(node.text or "")
        for child in node:
            walk(child)
        parts.append(" " if spaced else "")
        if not top:
            parts.append(node.tail or "")

    walk(el, top=True)
    return clean_text("".join(parts))


def _classes(el: Any) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".strip()


def _language(value: str | None) -> str | None:
    if not value:
        return None
    primary = re.split(r"[-_]", value.strip())[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def _agency_only(name: str) -> bool:
    codes = split_agencies(name) if name and name.strip() else []
    return bool(codes) and all(is_known(c) for c in codes)


def _is_end(text: str) -> bool:
    """Where the article ends: "Kommentare", "Read more", a short "MEHR ZÜRICH" (a longer
    upper-case line such as "PLUS DE 100 MORTS" is a subheading)."""
    if text.casefold().rstrip(":") in END_MARKERS:
        return True
    return len(text.split()) <= _MAX_TEASER_WORDS and bool(_SECTION_TEASER.match(text))


def _names(value: Any, depth: int = 0) -> list[str]:
    """Names from a JSON-LD author/creator value (string, object or list of either; lists in
    lists are read a few levels down, never as deep as a hostile page nests them)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        name = value.get("name")
        return [name] if isinstance(name, str) else []
    if isinstance(value, list) and depth < _LD_DEPTH:
        return [n for v in value for n in _names(v, depth + 1)]
    return []


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _storable_json(value: Any) -> Any:
    """Parsed JSON with every string storable (:func:`wire.record.storable_text`): a
    ``"\\ud800"`` escape decodes to a lone surrogate, which the sanitiser, the agency
    slugs' hash and every store refuse to encode."""
    if isinstance(value, str):
        return storable_text(value)
    if isinstance(value, list):
        return [_storable_json(v) for v in value]
    if isinstance(value, dict):
        return {storable_text(k): _storable_json(v) for k, v in value.items()}
    return value


def _ld_objects(value: Any) -> Iterator[dict[str, Any]]:
    """The JSON-LD objects in document order: top level, in lists and in ``@graph``, down to
    ``_LD_DEPTH`` levels (real pages nest two or three)."""
    stack = [(value, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > _LD_DEPTH:
            continue
        if isinstance(value, list):
            stack.extend((v, depth + 1) for v in reversed(value))
        elif isinstance(value, dict):
            yield value
            stack.append((value.get("@graph"), depth + 1))


def _resolved(value: Any, by_id: dict[str, dict[str, Any]], depth: int = 0) -> Any:
    """A JSON-LD value with references to other nodes of the page replaced by the nodes
    (in lists down to ``_LD_DEPTH`` levels)."""
    if isinstance(value, list) and depth < _LD_DEPTH:
        return [_resolved(v, by_id, depth + 1) for v in value]
    if isinstance(value, dict) and set(value) == {"@id"} and value["@id"] in by_id:
        return by_id[value["@id"]]
    return value


def _ld_type(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.rsplit("/", 1)[-1].lower() for k in kinds if isinstance(k, str)}


def _ld_text(value: Any, depth: int = 0) -> str | None:
    """A JSON-LD rights value as one line: a string, a ``CreativeWork``'s name (else its
    address), or the first of a list."""
    if isinstance(value, list) and depth < _LD_DEPTH:
        return next((t for v in value if (t := _ld_text(v, depth + 1))), None)
    if isinstance(value, dict):
        value = value.get("name") or value.get("url") or value.get("@id")
    return clean_text(value) or None if isinstance(value, str) else None


def _ld_rights(obj: dict[str, Any]) -> tuple[str | None, str | None]:
    """(usage terms, copyright notice) of a JSON-LD object: ``license``/``usageInfo``, and
    ``copyrightNotice`` or, without one, "© year holder" from ``copyrightHolder``."""
    usage = _ld_text(obj.get("usageInfo")) or _ld_text(obj.get("license"))
    notice = _ld_text(obj.get("copyrightNotice"))
    holder = next(iter(_names(obj.get("copyrightHolder"))), None)
    if notice is None and holder and clean_text(holder):
        year = obj.get("copyrightYear")
        year = str(year) if isinstance(year, int | str) and str(year).strip() else None
        notice = "© " + " ".join(filter(None, [year, clean_text(holder)]))
    return usage, notice


class _Page:
    """One parsed page and the lookups every field shares."""

    def __init__(self, root: Any, settings: FeedSettings) -> None:
        self.root = root
        self.settings = settings
        self.ld = self._json_ld()
        self.meta = self._meta()
        self.base = self._base()
        self.body_el = self._article_element()
        self.skip = self._furniture(self.body_el) if self.body_el is not None else set()
        self.used: set[Any] = set()  # elements already read as headline, lead, ...
        self.extracted = _extract(root)
        self.headline_el: Any = None
        self.description_lead = False
        self.text_shown = True  # False: the page shows no article text (JSON-LD only)

    # --- structured data ---------------------------------------------------------------

    def _json_ld(self) -> dict[str, Any]:
        """The page's JSON-LD article, its references ({"@id": ...}: Yoast's graphs) resolved."""
        objects: list[dict[str, Any]] = []
        for script in self.root.iter("script"):
            if (script.get("type") or "").lower() != "application/ld+json":
                continue
            try:
                objects += _ld_objects(_storable_json(json.loads(script.text or "")))
            except (ValueError, RecursionError):  # not JSON, or nested beyond reading
                continue
        by_id = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str) and len(o) > 1}
        article = next((o for o in objects if _ld_type(o) & _ARTICLE_TYPES), None)
        if article is None:
            return {}
        return {key: _resolved(value, by_id) for key, value in article.items()}

    def _meta(self) -> dict[str, list[str]]:
        meta: dict[str, list[str]] = {}
        for el in self.root.iter("meta"):
            key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
            value = el.get("content")
            if key and value and value.strip():
                meta.setdefault(key, []).append(value.strip())
            equiv = (el.get("http-equiv") or "").lower()
            if equiv == "content-language" and value:
                meta.setdefault("content-language", []).append(value)
        return meta

    def m(self, *keys: str) -> str | None:
        for key in keys:
            if self.meta.get(key):
                return self.meta[key][0]
        return None

    def _base(self) -> str | None:
        location = self.settings.location
        if location and location.startswith(("http://", "https://")):
            return location
        for el in self.root.iter("base"):
            if el.get("href"):
                return str(el.get("href"))
        return self.canonical()

    def canonical(self) -> str | None:
        for el in self.root.iter("link"):
            if "canonical" in (el.get("rel") or "").lower().split() and el.get("href"):
                return str(el.get("href")).strip()
        url = self.m("og:url") or self.ld.get("url") or self.ld.get("mainEntityOfPage")
        if isinstance(url, dict):
            url = url.get("@id")
        return url.strip() if isinstance(url, str) and url.startswith("http") else None

    def absolute(self, href: str | None) -> str | None:
        if not href or href.strip().startswith(("data:", "javascript:")):
            return None
        return urljoin(self.base, href.strip()) if self.base else href.strip()

    # --- where the article is ----------------------------------------------------------

    def _article_element(self) -> Any:
        """The ``<article>`` (or articleBody/main) holding the most text: teasers hold little."""
        candidates = list(self.root.iter("article"))
        candidates += self.root.xpath('//*[@itemprop="articleBody"]')
        if not candidates:
            candidates = list(self.root.iter("main"))
        if not candidates:
            return None
        return max(candidates, key=lambda el: len(_text(el)))

    def _furniture(self, scope: Any) -> set[Any]:
        """Every element inside ``scope`` that belongs to the page, not the article."""
        skip: set[Any] = set()
        for el in scope.iter():
            if not isinstance(el.tag, str) or el in skip or el is scope:
                continue
            if el.tag in _FURNITURE_TAGS or _BOILERPLATE.search(_classes(el)):
                skip.update(el.iter())
        return skip

    def scope(self) -> Any:
        return self.body_el if self.body_el is not None else self.root

    def find(self, pattern: re.Pattern[str], tags: tuple[str, ...] = ()) -> Any:
        for el in self.scope().iter(*tags) if tags else self.scope().iter():
            if isinstance(el.tag, str) and el not in self.skip and pattern.search(_classes(el)):
                return el
        return None

    # --- fields ------------------------------------------------------------------------

    def kicker_and_headline(self) -> tuple[str | None, str]:
        """The page's headline: the heading that the structured data names, else the best guess.

        JSON-LD, Open Graph, the ``<title>`` and trafilatura say what the headline is; the
        markup says where (and which kicker sits inside it). A site-name or promo ``<h1>``
        matches none of them.
        """
        kicker_el = self.find(_KICKER)
        kicker = _text(kicker_el) or None
        skip = [kicker_el] if kicker_el is not None else []
        stated, titles = self._named_headlines()
        headings = [
            el
            for el in (*self.scope().iter("h1"), *self.root.iter("h1", "h2"))
            if el not in self.skip
        ]
        named = stated + titles
        h1 = next(
            (el for name in named for el in headings if _same_headline(_text(el, skip), [name])),
            None,
        )  # the most trusted name first: trafilatura may name a promo's heading
        if h1 is None and not stated:
            h1 = next(iter(self.scope().iter("h1")), None)
            h1 = h1 if h1 is not None else next(iter(self.root.iter("h1")), None)
        headline = _text(h1, skip) if h1 is not None else ""
        self.headline_el = h1
        if h1 is not None:
            self.used.add(h1)
            inner = next(
                (el for el in h1.iter() if el is not h1 and _KICKER.search(_classes(el))), None
            )
            if inner is not None and kicker_el is None:
                kicker, headline = _text(inner) or None, _text(h1, [inner])
        if kicker_el is not None:
            self.used.add(kicker_el)
        if not headline and named:
            headline = named[0]  # no heading names it: trust the structured data
        if not kicker:
            prefix, sep, _ = headline.partition(":")
            if sep and 0 < len(prefix.split()) <= 3:
                kicker = prefix.strip()
        return kicker, headline

    def _named_headlines(self) -> tuple[list[str], list[str]]:
        """Headlines the page states outside its markup: JSON-LD and Open Graph (trusted),
        then the ``<title>`` and trafilatura's title (they may name the site instead)."""
        ld = self.ld.get("headline")
        stated = [ld if isinstance(ld, str) else "", self.m("og:title", "twitter:title") or ""]
        titles = []
        title = next(iter(self.root.iter("title")), None)
        if title is not None:
            titles.append(re.split(r"\s+[|–—-]\s+", _text(title))[0])
        if self.extracted is not None:
            titles.append(self.extracted.title or "")

        def unique(names: list[str]) -> list[str]:
            return list(dict.fromkeys(n for n in (clean_text(x) for x in names) if n))

        return unique(stated), unique(titles)

    def lead_and_dateline(self) -> tuple[str | None, str | None]:
        """The lead the page marks (a lead/intro/standfirst element in the article or by the
        headline), else the page's description; ``description_lead`` tells which."""
        lead_el = None
        self.description_lead = False
        places = [self.scope()]
        if self.headline_el is not None:
            places += list(self.headline_el.iterancestors())[:2]
        for el in (
            el for place in places for el in place.iter("p", "div", "span", "section", "h2")
        ):
            if el in self.skip or el in self.used or not _LEAD.search(_classes(el)):
                continue
            if _in_furniture(el):
                continue  # a teaser's lead, a video's summary
            if next(el.iter("img", "figure", "picture", "video"), None) is not None:
                continue  # a lead picture, not a lead paragraph
            if len(_text(el).split()) >= 5:
                lead_el = el
                break
        dateline_el = self.find(_DATELINE_CLASS)
        dateline = _text(dateline_el).rstrip(" ,–—-") or None
        if lead_el is not None:
            self.used.add(lead_el)
            skip = [dateline_el] if dateline_el is not None else []
            lead = _text(lead_el, skip).lstrip(" –—-").strip()
            if dateline_el is None:
                place, _credit = leading_dateline(lead)
                dateline = dateline or place
            return lead or None, dateline
        desc = self.ld.get("description")
        text = desc if isinstance(desc, str) else self.m("og:description", "description")
        self.description_lead = bool(text)
        return (clean_text(text) if text else None), dateline

    def key_points(self) -> list[str]:
        for el in self.scope().iter(*_HEADING_TAGS):
            if el in self.skip:
                continue
            is_box = bool(_KEY_POINTS_CLASS.search(_classes(el)))
            short = len(el) == 0 or el.tag not in ("div", "section")
            own = _text(el) if short and not is_box else ""
            is_heading = own.casefold().rstrip(":") in KEY_POINT_MARKERS
            if not (is_heading or is_box):
                continue
            lists = list(el.iter("ul", "ol")) if is_box else []
            if not lists:
                sib = el.getnext()
                while sib is not None and not isinstance(sib.tag, str):
                    sib = sib.getnext()
                if sib is not None and sib.tag in ("ul", "ol"):
                    lists = [sib]
            if not lists:
                continue
            self.used.add(el)
            points = []
            for lst in lists:
                self.used.add(lst)
                points += [t for li in lst.iter("li") if (t := _text(li))]
            if points:
                return points
        return []

    def byline_and_credits(self) -> tuple[str | None, list[str]]:
        credits: list[str] = []
        people: list[str] = []
        names = _names(self.ld.get("author")) + _names(self.ld.get("creator"))
        for el in self.scope().iter():
            if isinstance(el.tag, str) and (
                el.get("rel") == "author"
                or el.get("itemprop") == "author"
                or _BYLINE.search(_classes(el))
            ):
                if el in self.used or el in self.skip or self._in_figure(el):
                    continue  # a picture's "source" is its credit, not the article's
                text = _BYLINE_PREFIX.sub("", _text(el))
                self.used.update(el.iter())
                if text and len(text.split()) <= 8:
                    names.append(text)
        names += [v for key in ("author", "article:author") for v in self.meta.get(key, [])]
        if not names and self.extracted is not None and self.extracted.author:
            names = self.extracted.author.split(";")  # trafilatura's reading of the page
        for key in _SOURCE_META:
            credits += [v for v in self.meta.get(key, []) if _agency_only(v)]
        for org in _names(self.ld.get("sourceOrganization")):
            if _agency_only(org):
                credits.append(org)
        for name in names:
            name = clean_text(_BYLINE_PREFIX.sub("", name))
            if not name or name.startswith("http"):
                continue
            person, agencies = split_byline(name)
            credits += agencies
            if person:
                people.append(person)
        people = list(dict.fromkeys(people))
        return (", ".join(people) or None), list(dict.fromkeys(credits))

    def dates(self) -> tuple[datetime | None, datetime | None]:
        tz = self.settings.timezone

        def first(*values: Any) -> datetime | None:
            for v in values:
                if isinstance(v, str) and (dt := parse_date(v, tz)):
                    return dt
            return None

        times = [t.get("datetime") for t in self.scope().iter("time") if t not in self.skip]
        published = first(
            self.ld.get("datePublished"),
            self.m("article:published_time", "og:published_time", "date", "dc.date",
                   "dcterms.created", "pubdate"),
            *times[:1],
            self.extracted.date if self.extracted is not None else None,  # a date the page shows
        )  # fmt: skip
        modified = first(
            self.ld.get("dateModified"),
            self.m("article:modified_time", "og:updated_time", "last-modified", "dcterms.modified"),
        )
        return published, modified

    def subjects(self) -> list[Subject]:
        names: list[str] = []
        names += _strings(self.ld.get("articleSection"))
        names += self.meta.get("article:section", [])
        keywords = self.ld.get("keywords")
        if isinstance(keywords, str):
            names += keywords.split(",")
        else:
            names += _strings(keywords)
        names += self.meta.get("article:tag", [])
        for key in ("news_keywords", "keywords"):
            for value in self.meta.get(key, []):
                names += value.split(",")
        out: list[Subject] = []
        seen: set[str] = set()
        for name in names:
            name = clean_text(name)
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                out.append(Subject(code=None, name=name))
        return out

    def language(self) -> str | None:
        ld = self.ld.get("inLanguage")
        if isinstance(ld, dict):
            ld = ld.get("name") or ld.get("alternateName")
        return (
            _language(self.root.get("lang") or self.root.get("xml:lang"))
            or _language(ld if isinstance(ld, str) else None)
            or _language(self.m("og:locale", "content-language", "language", "dc.language"))
        )

    def rights(self) -> tuple[str | None, str | None]:
        """(usage terms, copyright notice) of the article: JSON-LD first, then
        ``<meta name="copyright">`` and ``rights``/``dc.rights``/``dcterms.rights`` (a rights
        line that reads as a notice, "© 2024 Keystone-SDA", is the notice)."""
        usage, notice = _ld_rights(self.ld)
        notice = notice or self.m("copyright", "dc.rights.copyright")
        lines = [
            x for key in ("rights", "dc.rights", "dcterms.rights") for x in self.meta.get(key, [])
        ]
        for line in map(clean_text, lines):
            if _NOTICE_START.match(line) or _RIGHTS.match(line):
                notice = notice or line
            else:
                usage = usage or line
        return usage, clean_text(notice) or None if notice else None

    def images(self) -> list[Image]:
        """The article's pictures with caption and credit; JSON-LD ``ImageObject``s fill in
        what the markup lacks (or add the lead picture); Open Graph when nothing else."""
        images: list[Image] = []
        for holder, img in self._pictures():
            href = self.absolute(_image_source(img))
            if not href or any(i.href == href for i in images):
                continue
            caption, credit = _caption_and_credit(holder)
            credit = credit or _attribute_credit(img)
            alt = clean_text(img.get("alt") or "") or None
            images.append(Image(href=href, alt=alt, caption=caption, credit=credit))
        front = 0  # JSON-LD's "image" is the lead picture: first, when the markup lacks it
        for found, lead_picture in self._structured_images():
            at = next((n for n, i in enumerate(images) if _same_picture(i.href, found.href)), None)
            if at is None:
                # a bare address is often one more crop of a picture already listed
                if found.credit or found.caption or not images:
                    images.insert(front if lead_picture else len(images), found)
                    front += lead_picture
                continue
            mine = images[at]
            images[at] = Image(
                href=mine.href,
                alt=mine.alt,
                caption=mine.caption or found.caption,
                credit=mine.credit or found.credit,
                creator=found.creator if not mine.credit else None,
                copyright_holder=found.copyright_holder if not mine.credit else None,
                usage_terms=found.usage_terms,
                copyright_notice=found.copyright_notice,
            )
        if images:
            return images
        og = self.absolute(self.m("og:image", "og:image:url", "twitter:image"))
        return [Image(href=og, alt=self.m("og:image:alt", "twitter:image:alt"))] if og else []

    def _pictures(self) -> Iterator[tuple[Any, Any]]:
        """(the element holding the picture and its caption, the ``<img>``) in the article:
        figures, and pictures beside an element classed as their caption or credit."""
        for img in self.scope().iter("img"):
            if img in self.skip:
                continue
            fig = next((a for a in img.iterancestors("figure")), None)
            if fig is not None:
                yield fig, img
                continue
            holder = img.getparent()
            if _attribute_credit(img):
                yield holder, img  # the picture names its credit itself
                continue
            for _ in range(3):
                if holder is None or holder is self.scope():
                    break
                if sum(1 for _ in holder.iter("img")) > 1:
                    break
                if any(_captions(el) for el in holder.iter() if isinstance(el.tag, str)):
                    yield holder, img
                    break
                holder = holder.getparent()

    def _structured_images(self) -> list[tuple[Image, bool]]:
        """The pictures JSON-LD names, with ``creditText``, ``creator``, ``copyrightHolder``,
        each with whether it is the article's own ``image`` (not ``associatedMedia``)."""
        out: list[tuple[Image, bool]] = []
        value = self.ld.get("image")
        media = self.ld.get("associatedMedia")
        values = [(v, True) for v in (value if isinstance(value, list) else [value])]
        values += [(v, False) for v in (media if isinstance(media, list) else [media])]
        for obj, lead_picture in values:
            if isinstance(obj, dict) and _ld_type(obj) - {"imageobject", "photograph"}:
                continue  # a VideoObject, an AudioObject
            if isinstance(obj, str):
                obj = {"url": obj}
            if not isinstance(obj, dict):
                continue
            href = obj.get("url") or obj.get("contentUrl")
            url = self.absolute(href) if isinstance(href, str) else None
            if not url:
                continue
            caption = obj.get("caption") or obj.get("description")
            credit = obj.get("creditText")
            creator = next(iter(_names(obj.get("creator")) + _names(obj.get("author"))), None)
            holder = next(iter(_names(obj.get("copyrightHolder"))), None)
            if not isinstance(credit, str) or not credit.strip():
                credit = "/".join(n for n in (holder, creator) if n) or None
            usage, notice = _ld_rights(obj)
            image = Image(
                href=url,
                caption=clean_text(caption) or None if isinstance(caption, str) else None,
                credit=clean_text(credit) if credit else None,
                creator=creator,
                copyright_holder=holder,
                usage_terms=usage,
                copyright_notice=notice,
            )
            out.append((image, lead_picture))
        return out

    def body(
        self,
        headline: str,
        kicker: str | None,
        lead: str | None,
        key_points: list[str],
        images: list[Image],
    ) -> tuple[list[_Block], list[str]]:
        """The article text as blocks, and the agencies its attribution names.

        trafilatura's text, cleaned of what other fields hold; JSON-LD ``articleBody`` when
        trafilatura missed much of it; loose paragraphs when neither has any text.
        """  # fmt: skip
        raw = _blocks(self.extracted.body, self.absolute) if self.extracted is not None else []
        clean = _Cleaner(self, headline, kicker, lead, key_points, images, raw)
        blocks, agencies = clean(raw)
        article_body = self.ld.get("articleBody")
        if isinstance(article_body, str) and article_body.strip():
            stated = [_Block("p", t) for t in _paragraphs(article_body)]
            found = " ".join(b.text for b in blocks)
            said = " ".join(b.text for b in stated)
            missed = _recall(found, said) < _TEXT_RECALL_FLOOR
            # trafilatura read the same text from the JSON-LD but ran its paragraphs together
            merged = len(stated) > len(blocks) and _recall(said, found) >= _SAME_TEXT
            if missed or merged:
                blocks, agencies = clean(stated)
                page = next(iter(self.root.iter("body")), None)
                self.text_shown = _recall(_text(page), said) >= 0.5  # or rendered by script
        if not blocks:
            blocks, agencies = clean([_Block("p", t) for t in _loose_paragraphs(self.root)])
        return blocks, agencies

    def furniture_texts(self, limit: int) -> set[str]:
        """Texts of page furniture (captions, labels, share bars, teasers, buttons, asides)
        and of every element inside it; a container longer than ``limit`` is no furniture."""
        texts: set[str] = set()
        for el in self.root.iter():
            if not isinstance(el.tag, str) or el.tag in ("html", "body"):
                continue
            if el.tag not in _FURNITURE_TEXT_TAGS and not _FURNITURE_CLASS.search(_classes(el)):
                continue
            if len(_text(el)) > limit:
                continue
            texts.update(
                t.casefold() for d in el.iter() if isinstance(d.tag, str) and (t := _text(d))
            )
        return texts

    def _description_is_lead(self, description: str, headline: str, body: list[str]) -> bool:
        """A meta/JSON-LD description is the lead only when the page shows it (or shows no
        text at all), and it is neither the headline nor the body's start cut short."""
        if _repeats_start(description, body) or _same_headline(description, [headline]):
            return False
        return not self.text_shown or self._shown(description)

    def _shown(self, text: str) -> bool:
        """Some element of the page's body reads ``text`` (or starts with it, cut short)."""
        want = len(_ELLIPSIS.sub("", text))
        page = next(iter(self.root.iter("body")), None)
        if page is None:
            return False
        for el in page.iter("p", "div", "span", "section", "h2", "h3", "strong"):
            if not 0.5 * want <= len(el.text_content()) <= 2 * want + 20:
                continue
            shown = _text(el)
            if _same_lead(shown, text) or _repeats_start(text, [shown]):
                return True
        return False

    def _in_figure(self, el: Any) -> bool:
        return any(a.tag == "figure" for a in el.iterancestors())

    def guid(self) -> str | None:
        return self.canonical()

    def article(self) -> Article | None:
        kicker, headline = self.kicker_and_headline()
        lead, dateline = self.lead_and_dateline()
        key_points = self.key_points()
        byline, credits = self.byline_and_credits()
        images = self.images()
        blocks, agencies = self.body(headline, kicker, lead, key_points, images)
        credits += agencies
        body = [b.text for b in blocks]
        if lead and self.description_lead:
            if self._description_is_lead(lead, headline, body):
                blocks = [b for b in blocks if not _same_lead(b.text, lead)]
                body = [b.text for b in blocks]
            else:
                lead = None
        if not headline and not body:
            raise AdapterError("no article found in the page: no headline and no article text")
        if not body and not lead:
            return None
        if dateline is None and body:
            dateline, credit = leading_dateline(body[0])
            if credit:
                credits.append(credit)
        published, modified = self.dates()
        usage_terms, copyright_notice = self.rights()
        url = self.canonical()
        location = self.settings.location
        if not url and location and location.startswith(("http://", "https://")):
            url = location
        return Article(
            guid=url or _hash_guid(headline, body[0] if body else lead or ""),
            url=url,
            kicker=kicker,
            headline=headline,
            lead=lead,
            key_points=key_points,
            body_text="\n\n".join(body),
            body_html=sanitize_html(_blocks_html(blocks)) or None,
            dateline=dateline,
            byline=byline,
            subjects=self.subjects(),
            firstcreated=published,
            versioncreated=modified,
            language=self.language(),
            images=images,
            credit_strings=list(dict.fromkeys(credits)),
            usage_terms=usage_terms,
            copyright_notice=copyright_notice,
        )


@dataclass(frozen=True)
class _Block:
    """One block of article text: a paragraph, heading, list item, quote or table row."""

    kind: str  # "p", "h2".."h6", "li", "blockquote", "tr", "pre"
    text: str
    group: int = 0  # the list a list item belongs to
    markup: str | None = None  # the text as inline HTML (links, bold, italics, line breaks)


class _Cleaner:
    """Takes out of extracted blocks what the page holds elsewhere or what is no article
    text: headline and kicker, the lead, key points, captions and credit lines, furniture
    labels, everything after a comments/read-more marker, and the agency attribution."""

    def __init__(
        self, page: _Page, headline: str, kicker: str | None, lead: str | None,
        key_points: list[str], images: list[Image], raw: list[_Block],
    ) -> None:  # fmt: skip
        self.lead = lead if not page.description_lead else None
        self.description = lead if page.description_lead else None
        kick = kicker or ""
        self.headlines = {
            h.casefold() for h in (headline, f"{kick} {headline}", f"{kick}: {headline}") if h
        }
        self.kicker = kick.casefold()
        self.points = {p.casefold() for p in key_points}
        pictures: set[str] = set()
        for img in images:
            caption, credit = img.caption or "", img.credit or ""
            pictures.update(x.casefold() for x in (caption, credit, f"{caption} {credit}") if x)
        self.pictures = pictures
        total = sum(len(b.text) for b in raw)
        self.furniture = page.furniture_texts(max(200, total // 2))

    def __call__(self, blocks: list[_Block]) -> tuple[list[_Block], list[str]]:
        start = next(
            (n for n, b in enumerate(blocks[:6]) if b.text.casefold() in self.headlines), None
        )
        if start is not None and all(len(b.text.split()) <= 12 for b in blocks[:start]):
            blocks = blocks[start + 1 :]  # kicker, date, byline over the headline
        out: list[_Block] = []
        for block in blocks:
            if self._dropped(block):
                continue
            if _is_end(block.text):
                if out:
                    break
                continue
            out.append(block)
        return _without_attribution(out)

    def _dropped(self, block: _Block) -> bool:
        text = block.text
        key = text.casefold()
        if key in self.headlines or key == self.kicker or key in self.furniture:
            return True
        if key in self.pictures or (block.kind == "li" and key in self.points):
            return True
        if self.points and key.rstrip(": ") in KEY_POINT_MARKERS:
            return True
        if self.lead and _same_lead(text, self.lead):
            return True
        if len(text.split()) <= _MAX_FURNITURE_WORDS and _FURNITURE_LINE.match(text):
            return True
        if _READ_ALSO.match(text):
            return True
        if find_signature(text) or _attribution(text):
            return False  # "(sda)", "Quelle: dpa": attribution, read at the end
        caption, credit = split_caption(text)
        return bool(credit) and not caption  # a credit line alone: "Foto: KEYSTONE/..."


def _without_attribution(blocks: list[_Block]) -> tuple[list[_Block], list[str]]:
    """The blocks without the agency attribution at their end, and the agencies it names:
    "... erheben. (sda)", a last line "Quelle: dpa", "© Keystone-SDA", "(ats/afp)"."""
    agencies: list[str] = []
    blocks = list(blocks)
    while blocks:
        last = blocks[-1]
        signature = find_signature(last.text)
        if signature:
            agencies[:0] = ["/".join(signature[1])]
            rest = signature[0].strip()
            if rest:
                blocks[-1] = _Block(last.kind, rest, last.group)
                break
            blocks.pop()
            continue
        who = _attribution(last.text)
        notice = _RIGHTS.sub("", last.text).strip()
        if who is None and notice and not _COPYRIGHT_NOTICE.match(notice):
            break
        if who:
            agencies[:0] = [who]
        blocks.pop()
    return blocks, agencies


def _attribution(text: str) -> str | None:
    """The agency a line names when it is only an attribution ("Quelle: dpa", "© AFP")."""
    m = _ATTRIBUTION_LINE.match(_RIGHTS.sub(" ", text).strip())
    who = m.group("who").strip() if m else ""
    return who if who and _agency_only(who) else None


def _same_lead(text: str, lead: str) -> bool:
    """A block that is the lead, maybe with the dateline before it ("Basel – Der ...")."""
    a, b = text.casefold(), lead.casefold()
    if not a or not b:
        return False
    if a == b:
        return True
    longer, shorter = (a, b) if len(a) >= len(b) else (b, a)
    if longer.endswith(shorter) and len(longer[: -len(shorter)].split()) <= 4:
        return True
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.9


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _recall(found: str, wanted: str) -> float:
    """The share of ``wanted``'s words (with their counts) that ``found`` has."""
    want = Counter(_words(wanted))
    if not want:
        return 1.0
    return sum((Counter(_words(found)) & want).values()) / sum(want.values())


def _repeats_start(description: str, body: list[str]) -> bool:
    """The description is the body's start (often cut, with "…"): fuzzy, on words."""
    desc = _words(_ELLIPSIS.sub("", description))
    if not desc or not body:
        return False
    start = _words(" ".join(body[:3]))[: len(desc) + 10]
    shared = sum((Counter(start) & Counter(desc)).values()) / len(desc)
    if shared >= _DESCRIPTION_REPEATS:
        return True
    head = " ".join(start[: len(desc)])
    return SequenceMatcher(None, " ".join(desc), head, autojunk=False).ratio() >= 0.8


def _paragraphs(text: str) -> list[str]:
    """JSON-LD articleBody as paragraphs (some sites put HTML in it)."""
    if re.search(r"<(?:p|br|div)\b", text, re.IGNORECASE):
        text = html_to_text(text)
    parts = re.split(r"\n\s*\n", text) if "\n\n" in text else text.split("\n")
    return [p for p in (clean_text(x) for x in parts) if p]


def _xml_text(el: Any) -> str:
    for lb in el.iter("lb"):
        lb.tail = " " + (lb.tail or "")
    return clean_text("".join(el.itertext()))


_INLINE_TAGS = {"#b": "strong", "#strong": "strong", "#i": "em", "#em": "em"}


def _inline_html(el: Any, absolute: Callable[[str | None], str | None]) -> str:
    """An XML block's content as inline HTML: trafilatura's ``hi`` (bold, italics), ``ref``
    (links, made absolute) and ``lb`` (line breaks); other elements give their text only."""

    def piece(text: str | None) -> str:
        return escape(_INLINE_SPACE.sub(" ", text or ""), quote=False)

    def walk(node: Any) -> str:
        out = piece(node.text)
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else ""
            inner = walk(child)
            if tag == "lb":
                out += "<br>"
            elif tag == "hi" and (name := _INLINE_TAGS.get((child.get("rend") or "").lower())):
                out += f"<{name}>{inner}</{name}>" if inner.strip() else inner
            elif tag == "ref" and (href := absolute(child.get("target"))) and inner.strip():
                out += f'<a href="{escape(href)}">{inner}</a>'
            else:
                out += inner
            out += piece(child.tail)
        return out

    return re.sub(r"\s*<br>\s*", "<br>", walk(el)).strip()


def _pre_text(el: Any) -> str:
    """A code block's text with its line breaks (trafilatura nests ``code`` in ``code``)."""
    return "".join(el.itertext()).strip("\n")


def _blocks(body: Any, absolute: Callable[[str | None], str | None]) -> list[_Block]:
    """trafilatura's XML body (p, head, list/item, quote, code, table/row/cell) as blocks."""
    out: list[_Block] = []
    if body is None:
        return out

    def walk(el: Any) -> None:
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == "list":
                group = len(out) + 1
                for item in child.findall("item"):
                    markup = _inline_html(item, absolute)
                    if text := _xml_text(item):
                        out.append(_Block("li", text, group, markup))
            elif tag == "head":
                rend = (child.get("rend") or "h2").lower()
                kind = rend if rend in ("h2", "h3", "h4", "h5", "h6") else "h2"
                markup = _inline_html(child, absolute)
                if text := _xml_text(child):
                    out.append(_Block(kind, text, markup=markup))
            elif tag == "code":
                code = _pre_text(child)
                if text := _xml_text(child):
                    out.append(_Block("pre", text, markup=escape(code, quote=False)))
            elif tag in ("p", "quote"):
                markup = _inline_html(child, absolute)
                if text := _xml_text(child):
                    out.append(_Block("blockquote" if tag == "quote" else "p", text, markup=markup))
            elif tag == "table":
                for row in child.iter("row"):
                    cells = [t for cell in row.iter("cell") if (t := _xml_text(cell))]
                    if cells:
                        out.append(_Block("tr", " | ".join(cells)))
            elif tag and len(child):
                walk(child)

    walk(body)
    return out


def _blocks_html(blocks: list[_Block]) -> str:
    """The blocks as simple HTML: paragraphs, headings, lists, quotes, code with its line
    breaks; each block's inline markup where the page had some, else its text."""
    parts: list[str] = []
    group = 0
    for block in blocks:
        text = block.markup or escape(block.text, quote=False)
        if block.kind == "li":
            if block.group != group:
                parts.append("</ul>" if group else "")
                parts.append("<ul>")
                group = block.group
            parts.append(f"<li>{text}</li>")
            continue
        if group:
            parts.append("</ul>")
            group = 0
        if block.kind == "blockquote":
            parts.append(f"<blockquote><p>{text}</p></blockquote>")
        elif block.kind == "pre":
            parts.append(f"<pre><code>{text}</code></pre>")
        elif block.kind == "tr":
            parts.append(f"<p>{text}</p>")
        else:
            parts.append(f"<{block.kind}>{text}</{block.kind}>")
    if group:
        parts.append("</ul>")
    return "\n".join(p for p in parts if p)


def _image_source(img: Any) -> str | None:
    src = next(
        (v for k in ("data-src", "data-lazy-src", "data-original", "src")
         if (v := img.get(k)) and not v.startswith("data:")),
        None,
    )  # fmt: skip
    if not src and img.get("srcset"):
        src = img.get("srcset").split(",")[0].split()[0]
    return src


def _caption_and_credit(holder: Any) -> tuple[str | None, str | None]:
    """A picture's caption and credit: from credit elements (``.credit``, ``<small>``,
    ``<cite>``) when the page marks one, else split off the caption's end."""
    cap = next(holder.iter("figcaption"), None)
    if cap is None:
        cap = next(
            (el for el in holder.iter() if isinstance(el.tag, str) and el is not holder
             and _CAPTION_CLASS.search(_classes(el))),
            None,
        )  # fmt: skip
    credit_els = [
        el
        for el in holder.iter()
        if el is not holder
        and el is not cap
        and isinstance(el.tag, str)
        and (
            _CREDIT.search(_classes(el))
            or (cap is not None and el.tag in ("small", "cite") and cap in el.iterancestors())
        )
    ]
    credit_els = [el for el in credit_els if not any(a in credit_els for a in el.iterancestors())]
    credit = " ".join(t for el in credit_els if (t := _text(el))) or None
    if credit:
        credit = split_caption(credit)[1] or credit.strip("()[] ") or None
    caption = _text(cap, credit_els) if cap is not None else ""
    if not credit and caption:
        caption, credit = split_caption(caption)
    return caption or None, credit


def _in_furniture(el: Any) -> bool:
    """The element sits in a teaser, a player, an aside or the like (small containers: an
    article classed "story--video" holds far more text than any teaser)."""
    return any(
        (a.tag in ("aside", "nav", "footer") or _FURNITURE_CLASS.search(_classes(a)))
        and len(a.text_content()) < _MAX_FURNITURE_CHARS
        for a in (el, *el.iterancestors())
        if isinstance(a.tag, str)
    )


def _captions(el: Any) -> bool:
    """The element is a picture's caption, or a credit line ("© AFP", "Foto: dpa"); an
    author's byline beside a portrait is neither."""
    if _CAPTION_CLASS.search(_classes(el)):
        return True
    return bool(_PICTURE_CREDIT_CLASS.search(_classes(el))) and bool(split_caption(_text(el))[1])


def _attribute_credit(img: Any) -> str | None:
    """A credit the ``<img>`` carries in a data attribute (``data-credit="KEYSTONE/..."``)."""
    for key in _CREDIT_ATTRIBUTES:
        value = clean_text(img.get(key) or "")
        if value:
            return split_caption(value)[1] or value
    return None


def _same_picture(a: str | None, b: str | None) -> bool:
    """The same picture at two addresses (a CDN host, or a relative path): same file name."""
    if not a or not b:
        return False
    if a == b:
        return True
    name = urlsplit(a).path.rsplit("/", 1)[-1]
    return bool(name) and name == urlsplit(b).path.rsplit("/", 1)[-1]


def _same_headline(text: str, named: list[str]) -> bool:
    """A heading's text is one of the headlines the page states (site suffixes aside)."""
    key = text.casefold()
    if not key:
        return False
    for name in named:
        other = name.casefold()
        if key == other:
            return True
        shorter, longer = sorted((key, other), key=len)
        if shorter in longer and len(shorter) >= 0.6 * len(longer):
            return True
        if SequenceMatcher(None, key, other, autojunk=False).ratio() >= 0.9:
            return True
    return False


def _hash_guid(headline: str, first: str) -> str:
    return fallback_guid("html:", headline, first, sep="\n")


_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def _extract(root: Any) -> Any:
    """trafilatura's ``bare_extraction`` of the page (a copy: it prunes the tree it reads);
    None when it finds nothing or fails."""
    try:
        return trafilatura.bare_extraction(
            copy.deepcopy(root),
            include_comments=False,
            include_formatting=True,
            include_links=True,
            include_tables=True,
            with_metadata=True,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception:  # third-party heuristics: any failure means "no extraction"
        return None


def _loose_paragraphs(root: Any) -> list[str]:
    """Last resort: prose paragraphs anywhere outside obvious page furniture."""
    body = next(iter(root.iter("body")), root)
    skip: set[Any] = set()
    for el in body.iter():
        if (
            isinstance(el.tag, str)
            and el not in skip
            and (
                el.tag in _FURNITURE_TAGS or el.tag == "header" or _BOILERPLATE.search(_classes(el))
            )
        ):
            skip.update(el.iter())
    out = []
    for p in body.iter("p"):
        text = _text(p)
        if p not in skip and len(text.split()) >= 8:
            if _is_end(text):
                break
            out.append(text)
    return out


ADAPTER = HtmlAdapter()
