"""Article pages in HTML: structured data first (JSON-LD, OpenGraph), then the markup.

JSON-LD and meta tags carry clean headline, dates, author and language; the reader-visible
parts (kicker, lead, key points, body, pictures with credits) come from the ``<article>``
markup with the page furniture (navigation, teasers, comments, share buttons) left out.
lxml's HTML parser never fetches anything.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lhtml

from wire.adapters.base import FeedSettings
from wire.adapters.rss import leading_dateline, split_byline
from wire.adapters.text import END_MARKERS, KEY_POINT_MARKERS
from wire.errors import AdapterError
from wire.normalise.agencies import find_signature, is_known, split_agencies
from wire.normalise.dates import parse_date
from wire.normalise.text import clean_text
from wire.record import Article, Image, ParseResult, Rejected, Subject

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
    r"(?:^|[\s_-])(?:\w+-)?(?:lead|intro|standfirst|chapeau|lede|summary)(?:$|[\s_-])",
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
_BLOCK_TAGS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre")
_HTML_TAG = re.compile(rb"<(?:!doctype\s+html|html|head|body|article)[\s>/]")
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_SOURCE_META = (
    "source", "dc.source", "dcterms.source", "article:source", "original-source",
    "syndication-source", "news:source", "agency",
)  # fmt: skip


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
        if not data.strip():
            raise AdapterError("empty payload: no page to read")
        root = _parse(data)
        page = _Page(root, settings)
        article = page.article()
        if article is None:
            return [Rejected("the page has a headline but no article text", data, page.guid())]
        return [article]


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
    return text.casefold().rstrip(":") in END_MARKERS or bool(_SECTION_TEASER.match(text))


def _names(value: Any) -> list[str]:
    """Names from a JSON-LD author/creator value (string, object or list of either)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        name = value.get("name")
        return [name] if isinstance(name, str) else []
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _ld_objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        for v in value:
            yield from _ld_objects(v)
    elif isinstance(value, dict):
        yield value
        yield from _ld_objects(value.get("@graph"))


def _ld_type(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.rsplit("/", 1)[-1].lower() for k in kinds if isinstance(k, str)}


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

    # --- structured data ---------------------------------------------------------------

    def _json_ld(self) -> dict[str, Any]:
        for script in self.root.iter("script"):
            if (script.get("type") or "").lower() != "application/ld+json":
                continue
            try:
                data = json.loads(script.text or "")
            except ValueError:
                continue
            for obj in _ld_objects(data):
                if _ld_type(obj) & _ARTICLE_TYPES:
                    return obj
        return {}

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
        """The ``<article>`` (or articleBody/main) holding the most paragraph text."""
        candidates = list(self.root.iter("article"))
        candidates += self.root.xpath('//*[@itemprop="articleBody"]')
        if not candidates:
            candidates = list(self.root.iter("main"))
        if not candidates:
            return None
        return max(candidates, key=lambda el: sum(len(_text(p)) for p in el.iter("p")))

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
        kicker_el = self.find(_KICKER)
        kicker = _text(kicker_el) or None
        h1 = next(iter(self.scope().iter("h1")), None)
        if h1 is None:
            h1 = next(iter(self.root.iter("h1")), None)
        headline = _text(h1, [kicker_el] if kicker_el is not None else [])
        if h1 is not None:
            self.used.add(h1)
        if kicker_el is not None:
            self.used.add(kicker_el)
        if not headline:
            ld = self.ld.get("headline")
            headline = clean_text(ld) if isinstance(ld, str) else ""
        if not headline:
            headline = clean_text(self.m("og:title", "twitter:title") or "")
        if not headline:
            title = next(iter(self.root.iter("title")), None)
            headline = re.split(r"\s+[|–—]\s+", _text(title))[0] if title is not None else ""
        if not kicker:
            prefix, sep, _ = headline.partition(":")
            if sep and 0 < len(prefix.split()) <= 3:
                kicker = prefix.strip()
        return kicker, headline

    def lead_and_dateline(self) -> tuple[str | None, str | None]:
        lead_el = None
        for el in self.scope().iter("p", "div", "span", "section", "h2"):
            if el in self.skip or el in self.used or not _LEAD.search(_classes(el)):
                continue
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

    def images(self) -> list[Image]:
        images: list[Image] = []
        seen: set[str] = set()
        for fig in self.scope().iter("figure"):
            if fig in self.skip:
                continue
            img = next(iter(fig.iter("img")), None)
            if img is None:
                continue
            src = next(
                (v for k in ("data-src", "data-lazy-src", "data-original", "src")
                 if (v := img.get(k)) and not v.startswith("data:")),
                None,
            )  # fmt: skip
            if not src and img.get("srcset"):
                src = img.get("srcset").split(",")[0].split()[0]
            href = self.absolute(src)
            if not href or href in seen:
                continue
            seen.add(href)
            cap = next(iter(fig.iter("figcaption")), None)
            credit_els = []
            if cap is not None:
                credit_els = [
                    el
                    for el in cap.iter()
                    if el is not cap
                    and isinstance(el.tag, str)
                    and (el.tag in ("small", "cite") or _CREDIT.search(_classes(el)))
                ]
            credit = " ".join(t for el in credit_els if (t := _text(el))) or None
            if credit:
                credit = credit.strip("()[] ") or None
            caption = _text(cap, credit_els) or None
            alt = clean_text(img.get("alt") or "") or None
            images.append(Image(href=href, alt=alt, caption=caption, credit=credit))
        if images:
            return images
        return self._structured_images()

    def _structured_images(self) -> list[Image]:
        """The page's lead picture from JSON-LD or OpenGraph when the markup has no figure."""
        value = self.ld.get("image")
        for obj in value if isinstance(value, list) else [value]:
            href: Any
            credit: Any
            if isinstance(obj, str):
                href, caption, credit, holder = obj, None, None, None
            elif isinstance(obj, dict):
                href = obj.get("url") or obj.get("contentUrl")
                caption = obj.get("caption") or obj.get("description")
                credit = obj.get("creditText")
                holder = next(iter(_names(obj.get("copyrightHolder"))), None)
                credit = credit or next(iter(_names(obj.get("author"))), None)
            else:
                continue
            if isinstance(href, str) and (url := self.absolute(href)):
                return [
                    Image(
                        href=url,
                        caption=caption if isinstance(caption, str) else None,
                        credit=credit if isinstance(credit, str) else None,
                        copyright_holder=holder,
                    )
                ]
        og = self.absolute(self.m("og:image", "og:image:url", "twitter:image"))
        if og:
            return [Image(href=og, alt=self.m("og:image:alt", "twitter:image:alt"))]
        return []

    def body(self) -> tuple[list[str], str | None]:
        """Body paragraphs and their HTML, furniture and what other fields used left out."""
        if self.body_el is None:
            return self._fallback_body(), None
        taken = set(self.used)
        for el in list(self.used):
            taken.update(el.iter())
        paragraphs: list[str] = []
        html_parts: list[str] = []
        open_list: Any = None
        for el in self.body_el.iter(*_BLOCK_TAGS):
            if el in self.skip or el in taken or self._in_figure(el):
                continue
            if any(isinstance(d.tag, str) and d.tag in _BLOCK_TAGS for d in el.iterdescendants()):
                continue  # its inner blocks are read one by one
            text = _text(el)
            if not text:
                continue
            if _is_end(text):
                break
            if _READ_ALSO.match(text):
                continue
            paragraphs.append(text)
            parent = el.getparent() if el.tag == "li" else None
            if parent is not open_list and open_list is not None:
                html_parts.append(f"</{open_list.tag}>")
                open_list = None
            if parent is not None and open_list is None:
                tag = parent.tag if parent.tag in ("ul", "ol") else "ul"
                html_parts.append(f"<{tag}>")
                open_list = parent
            html_parts.append(
                etree.tostring(el, method="html", encoding="unicode", with_tail=False)
            )
        if open_list is not None:
            html_parts.append(f"</{open_list.tag}>")
        if not paragraphs:
            return self._fallback_body(), None
        return paragraphs, "\n".join(html_parts)

    def _in_figure(self, el: Any) -> bool:
        return any(a.tag == "figure" for a in el.iterancestors())

    def _fallback_body(self) -> list[str]:
        """JSON-LD articleBody, then trafilatura, for pages without usable article markup."""
        body = self.ld.get("articleBody")
        if isinstance(body, str) and body.strip():
            parts = re.split(r"\n\s*\n", body) if "\n\n" in body else body.split("\n")
            return [p for p in (clean_text(x) for x in parts) if p]
        return _trafilatura(self.root)

    def guid(self) -> str | None:
        return self.canonical()

    def article(self) -> Article | None:
        kicker, headline = self.kicker_and_headline()
        lead, dateline = self.lead_and_dateline()
        key_points = self.key_points()
        byline, credits = self.byline_and_credits()
        body, body_html = self.body()
        if lead and body and body[0] == lead:
            body = body[1:]
        # Extractors (trafilatura) often hand the headline back as the first paragraph.
        body = [p for p in body if p != headline]
        if not headline and not body:
            raise AdapterError("no article found in the page: no headline and no article text")
        if not body and not lead:
            return None
        if body:
            signature = find_signature(body[-1])
            if signature:
                credits.append("/".join(signature[1]))
                if signature[0].strip():
                    body[-1] = signature[0].strip()
                else:
                    body.pop()
        if dateline is None and body:
            dateline, credit = leading_dateline(body[0])
            if credit:
                credits.append(credit)
        published, modified = self.dates()
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
            body_html=body_html,
            dateline=dateline,
            byline=byline,
            subjects=self.subjects(),
            firstcreated=published,
            versioncreated=modified,
            language=self.language(),
            images=self.images(),
            credit_strings=list(dict.fromkeys(credits)),
        )


def _hash_guid(headline: str, first: str) -> str:
    return "html:" + hashlib.sha1(f"{headline}\n{first}".encode()).hexdigest()[:24]


def _trafilatura(root: Any) -> list[str]:
    """trafilatura's main-text extraction; empty when it is unavailable or finds nothing."""
    try:
        import trafilatura
    except ImportError:
        return _loose_paragraphs(root)
    try:
        text = trafilatura.extract(root, include_comments=False, include_tables=False)
    except Exception:  # third-party heuristics: any failure means "no extraction"
        text = None
    if not text:
        return _loose_paragraphs(root)
    return [p for p in (clean_text(x) for x in text.split("\n")) if p]


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
