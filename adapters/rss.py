"""RSS 0.9x/1.0/2.0 and Atom feeds.

feedparser reads the dialects and their dates; when the feed is well-formed XML the item
elements are read as well, because feedparser merges Media RSS ``media:description`` into the
item summary and flattens per-picture credits into one list.
"""

from __future__ import annotations

import calendar
import functools
import io
import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from lxml import etree

from wire.adapters import feedtree
from wire.adapters.base import FeedSettings, ItemSpans, fallback_guid
from wire.adapters.xmlsafe import localname, parse_xml, refuse_entities, text_of, xml_text
from wire.errors import AdapterError
from wire.normalise.agencies import find_signature, is_known, split_agencies
from wire.normalise.dates import parse_date
from wire.normalise.text import clean_text, html_to_text
from wire.record import Article, Image, ParseResult, Rejected, Subject

ATOM = "http://www.w3.org/2005/Atom"
RSS1 = "http://purl.org/rss/1.0/"
RSS090 = "http://my.netscape.com/rdf/simple/0.9/"
MEDIA = ("http://search.yahoo.com/mrss/", "http://search.yahoo.com/mrss")
DC = "http://purl.org/dc/elements/1.1/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_HEAD_RSS = re.compile(rb"<rss[\s>]")
_HEAD_ATOM = re.compile(rb"<(?:[\w-]+:)?feed[\s>]")
_HEAD_RDF = re.compile(rb"<rdf:RDF[\s>]")
_RAW_ITEM = re.compile(rb"<(?:[\w-]+:)?(item|entry)[\s>].*?</(?:[\w-]+:)?\1\s*>", re.DOTALL)
_RAW_ITEM_START = re.compile(rb"<(?:[\w-]+:)?(?:item|entry)[\s>]")
# HTML attributes feedparser resolves against the feed's address, and an attribute value
# that does not start with a scheme (quotes as HTML, escaped HTML or CDATA write them). A
# payload without such a pair needs no resolving pass (a fifth of feedparser's time).
_URI_ATTR_END = re.compile(
    rb"(?<![\w-])(?:href|src|cite|action|background|longdesc|codebase|classid|data|usemap|"
    rb"profile|poster)\s*\Z",
    re.IGNORECASE,
)
_RELATIVE_VALUE = re.compile(
    rb"=\s*(?:\"|'|&quot;|&#34;|&#x22;|&apos;|&#39;|&#x27;)?+(?![a-zA-Z][a-zA-Z0-9+.-]*:)"
)
_IMAGE_EXT = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|tiff?)(?:[?#].*)?$", re.IGNORECASE)
# "Bern - ", "Moskau/Minsk (dpa) - ", "BAMAKO - " opening agency copy.
_DATELINE = re.compile(
    r"^(?P<place>[A-ZÄÖÜÉÈ][\w'’.]*(?:[ /-][A-ZÄÖÜÉÈ][\w'’.]*){0,3})"
    r"(?:\s*\((?P<credit>[^()]{2,40})\))?\s+[-–—]\s+(?=\S)"
)
_CONTENT_TAGS = (
    "{http://purl.org/rss/1.0/modules/content/}encoded",
    f"{{{ATOM}}}content",
    "{http://www.w3.org/1999/xhtml}body",
)
_CODE_LIKE = re.compile(r"^[\w.:/-]*\d[\w.:/-]*$")  # "20000560", "medtop:04000000"
_IPTC_CV = re.compile(r"^https?://cv\.iptc\.org/newscodes/([\w-]+)/?$")
_IPTC_ALIAS = {"mediatopic": "medtop", "subjectcode": "subj", "genre": "genre"}
_MRSS_DEFAULT_SCHEME = "http://search.yahoo.com/mrss/category_schema"


class RssAdapter:
    """RSS and Atom through feedparser, fed bytes only (it never fetches)."""

    name = "rss"
    # Read well-formed feeds from the lxml tree (feedtree); False: feedparser reads every feed
    # (the reference, which tests/adapters/test_rss_tree.py compares the tree path with).
    tree = True

    def sniff(self, data: bytes, filename: str | None = None) -> float:
        try:
            # Decoded first, so a UTF-16 or UTF-32 feed is recognised too.
            head = xml_text(data[:4096]).encode("utf-8", "replace").lstrip(b" \t\r\n")
            if _HEAD_RSS.search(head):
                return 0.95
            if _HEAD_ATOM.search(head) and ATOM.encode() in head:
                return 0.95
            if _HEAD_RDF.search(head) and (RSS1.encode() in head or RSS090.encode() in head):
                return 0.95
            name = (filename or "").lower()
            if head.startswith(b"<?xml") and name.endswith((".rss", ".atom", ".rdf")):
                return 0.6
        except Exception:
            return 0.0
        return 0.0

    def parse(self, data: bytes, settings: FeedSettings) -> list[ParseResult]:
        if not data or data.isspace():  # strip() would copy the payload
            raise AdapterError("empty payload: no feed to read")
        if len(data) > settings.max_bytes:
            raise AdapterError(f"feed is larger than the {settings.max_bytes}-byte limit")
        refuse_entities(data)
        root: etree._Element | None = _tree_of(data)
        if root is None:
            try:
                root = parse_xml(data, entities_refused=True)
            except AdapterError:
                root = None  # not well-formed: feedparser's loose parser may still read items
        if root is not None and next(root.iter(etree.Entity), None) is not None:
            root = None  # HTML entities from an unloaded DTD (RSS 0.91): feedparser knows them
        base = settings.location if _is_url(settings.location) else None
        resolving = bool(base) and _may_hold_relative_uris(data)
        tree = (
            feedtree.read(root, base) if root is not None and self.tree and not resolving else None
        )
        if tree is not None:
            feed, entries, bozo = tree[0], tree[1], False
        else:
            feed, entries, bozo = _feedparser(data, base, resolving)
        elements = _item_elements(root, len(entries))
        raws, complete = _raw_items(data, len(entries), elements)
        channel = _Channel.of(feed, root)
        results: list[ParseResult] = []
        for i, entry in enumerate(entries):
            el = elements[i] if elements else None
            guid = entry.get("id") or entry.get("link") or None
            if bozo and i >= complete:
                raw = _raw_of(raws[i], el, entry)
                results.append(Rejected("item is cut off: the feed ends inside it", raw, guid))
                continue
            try:
                results.append(_article(entry, el, channel, settings))
            except _Reject as exc:
                results.append(Rejected(str(exc), _raw_of(raws[i], el, entry), guid))
            except Exception as exc:  # a reading bug costs this item only, never the feed
                reason = f"unreadable item: {type(exc).__name__}: {exc}"
                results.append(Rejected(reason, _raw_of(raws[i], el, entry), guid))
        return results

    def item_spans(self, data: bytes) -> ItemSpans | None:
        """Each item's (or entry's) bytes, when the payload is well-formed XML whose items
        the byte scan finds exactly: same number, same names, same lines as lxml's.

        Anything less certain (malformed feed, entities, an item's text that looks like an
        item tag) returns None and the feed is parsed whole.
        """
        try:
            root = parse_xml(data)
        except AdapterError:
            return None
        _last.tree = (data, root)  # parse() of the same payload reads this tree again
        elements = _item_elements(root, None)
        matches = list(_RAW_ITEM.finditer(data))
        if not elements or len(matches) != len(elements):
            return None
        line, at = 1, 0
        for el, match in zip(elements, matches, strict=True):
            line += data.count(b"\n", at, match.start())
            at = match.start()
            if localname(el) != match.group(1).decode() or el.sourceline != line:
                return None
            if not _closed_sections(match.group(0)):
                return None  # the match starts or ends inside a CDATA section or comment
        return ItemSpans(data, tuple(m.span() for m in matches))


def _feedparser(data: bytes, base: str | None, resolving: bool) -> tuple[Any, list[Any], bool]:
    """(feed, entries, bozo) as feedparser reads the payload; raises AdapterError when it
    holds no feed at all."""
    import feedparser  # only for feeds the tree reader leaves to it

    try:
        # A BytesIO, never bytes: feedparser opens a bytes value that names a file.
        parsed = feedparser.parse(
            io.BytesIO(data),
            response_headers={"content-location": base} if base else {},
            resolve_relative_uris=resolving,
            sanitize_html=False,  # normalisation sanitises body_html with the house rules
        )
    except Exception as exc:  # feedparser is meant not to raise; some bytes still make it
        raise AdapterError(f"unreadable feed: {exc}") from None
    entries = parsed.entries
    if not entries:
        if parsed.bozo and not parsed.version:
            raise AdapterError(f"not an RSS or Atom feed: {_bozo_reason(parsed)}")
        if not parsed.version:
            raise AdapterError("not an RSS or Atom feed (no channel, feed or items found)")
        if parsed.bozo:
            raise AdapterError(f"malformed feed with no readable items: {_bozo_reason(parsed)}")
    return parsed.feed, entries, bool(parsed.bozo)


_last = threading.local()  # the tree item_spans() made, for parse() of the same bytes object


def _tree_of(data: bytes) -> etree._Element | None:
    """The tree :meth:`RssAdapter.item_spans` made of this very bytes object, once: the
    pipeline cuts a payload into items and then parses it, and one XML pass is enough."""
    last = getattr(_last, "tree", None)
    _last.tree = None
    return last[1] if last is not None and last[0] is data else None


class _Reject(Exception):
    """One item cannot become a record; the message is the reject reason."""


@dataclass
class _Channel:
    language: str | None = None
    publisher_credits: list[str] = field(default_factory=list)
    rights: str | None = None  # the channel's <copyright> / dc:rights / atom:rights

    @classmethod
    def of(cls, feed: Any, root: etree._Element | None) -> _Channel:
        lang = feed.get("language") or (root.get(XML_LANG) if root is not None else None)
        publisher = feed.get("publisher") or ""
        credits = [publisher] if _agency_only(publisher) else []
        return cls(_language(lang), credits, _plain(feed.get("rights") or "") or None)


def _article(
    entry: Any, el: etree._Element | None, channel: _Channel, settings: FeedSettings
) -> Article:
    title = _plain(entry.get("title") or "")
    lead = _plain(_summary(entry, el))
    body_html, body_text = _content(entry) if _has_content(el) else (None, "")
    if not title and not body_text and not lead:
        raise _Reject("item has neither a title nor any content")
    credits: list[str] = []
    people: list[str] = []
    for name in _author_names(entry):
        person, agencies = split_byline(name)
        credits.extend(agencies)
        if person:
            people.append(person)
    source = entry.get("source") or {}
    if isinstance(source, dict) and _agency_only(source.get("title") or ""):
        credits.append(source["title"])
    publisher = entry.get("publisher") or ""
    if _agency_only(publisher):
        credits.append(publisher)
    dateline, dateline_credit = leading_dateline(body_text)
    if dateline_credit:
        credits.append(dateline_credit)
    signature = find_signature(body_text or lead)
    if signature:
        if body_text:
            body_text = signature[0]
        else:
            lead = signature[0]
        credits.append("/".join(signature[1]))
    if not credits:
        credits = list(channel.publisher_credits)
    first = _when(entry, "published", settings.timezone)
    updated = _when(entry, "updated", settings.timezone)
    headline = title or _first_sentence(lead or body_text)
    guid = entry.get("id") or entry.get("link") or _hash_guid(headline, first or updated)
    return Article(
        guid=guid,
        url=entry.get("link") or None,
        headline=headline,
        lead=lead or None,
        body_text=body_text,
        body_html=body_html,
        dateline=dateline,
        byline=", ".join(dict.fromkeys(people)) or None,
        subjects=_subjects(entry.get("tags") or []),
        firstcreated=first,
        versioncreated=updated,
        language=_entry_language(entry, el) or channel.language,
        images=_images_xml(el) if el is not None else _images_fp(entry),
        credit_strings=list(dict.fromkeys(credits)),
        copyright_notice=_plain(entry.get("rights") or "") or channel.rights,
    )


def leading_dateline(text: str) -> tuple[str | None, str | None]:
    """(place, agency credit) of agency copy opening "Bern - " or "Moskau (dpa) - "."""
    m = _DATELINE.match(text or "")
    if not m:
        return None, None
    credit = m.group("credit")
    return m.group("place"), credit if credit and _agency_only(credit) else None


def split_byline(name: str) -> tuple[str | None, list[str]]:
    """("Claire Martin", ["AFP"]) from "Claire Martin, AFP"; an agency-only byline is all credit."""
    name = clean_text(name or "")
    if not name or _agency_only(name):
        return None, [name] if name else []
    people: list[str] = []
    agencies: list[str] = []
    for part in re.split(r"\s*[,;/|]\s*", name):
        if part:
            (agencies if _agency_only(part) else people).append(part)
    return ", ".join(people) or None, agencies


def _may_hold_relative_uris(data: bytes) -> bool:
    """False only when no HTML attribute of the payload can hold a relative URI (a byte scan,
    so a payload in UTF-16 or UTF-32 always counts as holding one)."""
    if b"\x00" in data[:4] or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    for value in _RELATIVE_VALUE.finditer(data):
        name_end = value.start()
        while name_end and data[name_end - 1] in b" \t\r\n":
            name_end -= 1
        if _URI_ATTR_END.search(data[max(0, name_end - 12) : name_end]):
            return True
    return False


def _is_url(value: str | None) -> bool:
    return bool(value) and str(value).startswith(("http://", "https://"))


def _bozo_reason(parsed: Any) -> str:
    exc = parsed.get("bozo_exception")
    return str(exc) if exc else "unreadable"


def _agency_only(name: str) -> bool:
    """True when every part of ``name`` is a known agency ("SDA/AFP", "Keystone-SDA")."""
    codes = split_agencies(name) if name and name.strip() else []
    return bool(codes) and all(is_known(c) for c in codes)


def _has_agency(name: str) -> bool:
    return any(is_known(c) for c in split_agencies(name))


def _plain(value: str) -> str:
    """Feed titles and summaries may carry markup; the record's fields are plain text."""
    if not value:
        return ""
    if "<" in value:
        value = " ".join(html_to_text(value).split("\n\n"))
    return clean_text(value)


def _item_elements(root: etree._Element | None, count: int | None) -> list[etree._Element]:
    """The item/entry elements in document order, when there are ``count`` of them (any
    number for None): only then do they line up with feedparser's entries."""
    if root is None:
        return []
    found = list(root.iter(*_ITEM_TAGS))
    return found if count in (None, len(found)) else []


_ITEM_TAGS = ("item", f"{{{RSS1}}}item", f"{{{RSS090}}}item", f"{{{ATOM}}}entry")


def _raw_items(data: bytes, count: int, elements: list[etree._Element]) -> tuple[list[bytes], int]:
    """Each item's own bytes for the reject log, and how many items are complete (from the
    tree, the bytes are made when an item is rejected: see :func:`_raw_of`)."""
    if elements:
        return [b""] * count, count
    spans = [m.group(0) for m in _RAW_ITEM.finditer(data)]
    starts = [m.start() for m in _RAW_ITEM_START.finditer(data)]
    raws = list(spans[:count])
    for i in range(len(raws), count):
        raws.append(data[starts[i] :] if i < len(starts) else b"")
    return raws, min(len(spans), count)


def _raw_of(raw: bytes, el: etree._Element | None, entry: Any) -> bytes:
    """A rejected item's bytes: its element's, its span's, else feedparser's entry as JSON."""
    if el is not None:
        raw = etree.tostring(el, encoding="utf-8", with_tail=False)
    return raw or _dumps(entry)


def _closed_sections(raw: bytes) -> bool:
    """True when every CDATA section and comment opened in ``raw`` also closes in it."""
    return raw.count(b"<![CDATA[") == raw.count(b"]]>") and raw.count(b"<!--") == raw.count(b"-->")


def _children(el: etree._Element, ns: str | tuple[str, ...], name: str) -> list[etree._Element]:
    """``el``'s children of that name, in document order (lxml filters them in C)."""
    return list(el.iterchildren(*_tags(ns, name)))


@functools.cache
def _tags(ns: str | tuple[str, ...], name: str) -> tuple[str, ...]:
    spaces = (ns,) if isinstance(ns, str) else ns
    return tuple(dict.fromkeys(f"{{{n}}}{name}" for n in spaces))


def _summary(entry: Any, el: etree._Element | None) -> str:
    """The item's own description/summary (never a picture's media:description)."""
    if el is None:
        return str(entry.get("summary") or "")
    for ns, name in (("", "description"), (RSS1, "description"), (ATOM, "summary")):
        tag = name if not ns else f"{{{ns}}}{name}"
        child = next(el.iterchildren(tag), None)  # as el.find(tag), without ElementPath
        if child is not None:
            if ns == ATOM and child.get("type") == "xhtml":
                return " ".join(child.itertext())
            return child.text or ""
    return ""


def _has_content(el: etree._Element | None) -> bool:
    """Whether the item carries a body; feedparser files a second description as content."""
    if el is None:
        return True
    return next(el.iterchildren(*_CONTENT_TAGS), None) is not None


def _content(entry: Any) -> tuple[str | None, str]:
    """(body_html, body_text) from content:encoded or Atom content."""
    for part in entry.get("content") or []:
        value = part.get("value") or ""
        if not value.strip():
            continue
        if part.get("type") in ("text/plain", "text"):
            paras = [clean_text(p) for p in re.split(r"\n\s*\n", value)]
            return None, "\n\n".join(p for p in paras if p)
        return value, html_to_text(value)
    return None, ""


def _author_names(entry: Any) -> list[str]:
    names = [a.get("name") for a in entry.get("authors") or [] if isinstance(a, dict)]
    names = [clean_text(n) for n in names if n]
    if not names and entry.get("author"):
        names = [clean_text(entry["author"])]
    return [n for n in names if n]


def _when(entry: Any, key: str, tz: str) -> datetime | None:
    # dict.get: feedparser's own get() maps a missing "updated" to "published" (deprecated).
    raw = dict.get(entry, key)
    if isinstance(raw, str) and raw.strip():
        dt = parse_date(raw, tz)
        if dt is not None:
            return dt
    parsed = dict.get(entry, f"{key}_parsed")
    if f"{key}_parsed" not in entry and isinstance(raw, str) and raw.strip():
        from feedparser.datetimes import _parse_date  # the tree reader's entries: rare forms

        parsed = _parse_date(raw)
    if isinstance(parsed, time.struct_time):
        try:
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
        except (ValueError, OverflowError, OSError):  # "9999-12-31T23:59-23:59" is year 10000
            return None
    return None


def _hash_guid(headline: str, when: datetime | None) -> str:
    stamp = when.isoformat() if when else ""
    return fallback_guid("rss:", headline, stamp, length=None)


def _first_sentence(text: str, limit: int = 140) -> str:
    """A stand-in headline for title-less items: the text's first sentence, cut at a word."""
    first = re.split(r"(?<=[.!?])\s", text.split("\n\n", 1)[0], maxsplit=1)[0]
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0] + "…"


def _subjects(tags: list[Any]) -> list[Subject]:
    out: list[Subject] = []
    for tag in tags:
        term = clean_text(tag.get("term") or "")
        scheme = (tag.get("scheme") or "").strip()
        if scheme == _MRSS_DEFAULT_SCHEME:
            scheme = ""
        label = clean_text(tag.get("label") or "") or ("" if _CODE_LIKE.match(term) else term)
        if not term and not label:
            continue
        code = _code(scheme, term) if scheme and term else None
        subject = Subject(code=code, name=label or None)
        if subject not in out:
            out.append(subject)
    return out


def _code(scheme: str, term: str) -> str | None:
    """``scheme:term``; IPTC vocabularies as their usual QCode alias ("medtop:20000106")."""
    if scheme == _MRSS_DEFAULT_SCHEME:
        return None
    m = _IPTC_CV.match(scheme)
    if m:
        return f"{_IPTC_ALIAS.get(m.group(1), m.group(1))}:{term}"
    if scheme.endswith(("/", "#")):
        return scheme + term
    return f"{scheme}:{term}"


def _language(value: str | None) -> str | None:
    """The primary subtag ("de-ch" -> "de"), the form detect_language gives too."""
    if not value:
        return None
    primary = re.split(r"[-_]", value.strip())[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def _entry_language(entry: Any, el: etree._Element | None) -> str | None:
    if entry.get("language"):
        return _language(entry["language"])
    if el is not None and el.get(XML_LANG):
        return _language(el.get(XML_LANG))
    return None


# --- pictures --------------------------------------------------------------------------


def _is_image(url: str | None, mime: str | None, medium: str | None) -> bool:
    if not url:
        return False
    if medium:
        return medium == "image"
    if mime:
        return mime.lower().startswith("image/")
    return bool(_IMAGE_EXT.search(url))


@dataclass
class _MediaText:
    """Media RSS text elements at one level (item, group or content): the nearest wins."""

    title: str | None = None
    description: str | None = None
    credits: list[tuple[str, str | None]] = field(default_factory=list)
    copyright: str | None = None

    @classmethod
    def of(
        cls,
        el: etree._Element,
        outer: _MediaText | None = None,
        kids: dict[str, list[etree._Element]] | None = None,
    ) -> _MediaText:
        outer = outer or cls()
        kids = _media_children(el) if kids is None else kids
        if not kids.keys() & _TEXT_NAMES:  # nothing of its own: the outer level's texts
            return cls(outer.title, outer.description, outer.credits, outer.copyright)
        title = _first_text(kids, "title")
        desc = _first_text(kids, "description")
        credits = [(t, c.get("role")) for c in kids.get("credit", ()) if (t := text_of(c))]
        rights = _first_text(kids, "copyright")
        return cls(
            title=_plain(title) if title else outer.title,
            description=_plain(desc) if desc else outer.description,
            credits=credits or outer.credits,
            copyright=rights or outer.copyright,
        )

    def image(self, href: str) -> Image:
        names = [t for t, _ in self.credits]
        creator = next(
            (t for t, role in self.credits if role == "photographer" and not _has_agency(t)),
            None,
        )
        agencies = [self.copyright] if self.copyright and _agency_only(self.copyright) else []
        if any(_has_agency(t) for t in names):
            agencies = []  # the credit line names them, in its own order
        return Image(
            href=href,
            alt=self.title,
            agencies=agencies,
            caption=self.description,
            credit="/".join(dict.fromkeys(names)) or None,
            creator=creator,
            copyright_holder=self.copyright,
            copyright_notice=self.copyright,
        )


_TEXT_NAMES = frozenset({"title", "description", "credit", "copyright"})  # what of() reads


def _media_children(el: etree._Element) -> dict[str, list[etree._Element]]:
    """``el``'s Media RSS children by local name, each list in document order (one pass
    over the children, where asking for each name made one pass per name)."""
    out: dict[str, list[etree._Element]] = {}
    for child in el.iterchildren(*_MEDIA_ANY):  # lxml picks them in C: no proxy for the rest
        tag = child.tag
        out.setdefault(tag[tag.index("}") + 1 :], []).append(child)
    return out


_MEDIA_ANY = tuple(f"{{{ns}}}*" for ns in MEDIA)  # any element of either Media RSS namespace


def _first_text(kids: dict[str, list[etree._Element]], name: str) -> str | None:
    for child in kids.get(name, ()):
        if child.get("type") == "html":
            return child.text
        value = text_of(child)
        if value:
            return value
    return None


def _images_xml(item: etree._Element) -> list[Image]:
    """Media RSS content/thumbnails, enclosures and Atom enclosure links with their texts."""
    item_kids = _media_children(item)
    base = _MediaText.of(item, kids=item_kids)
    rights = next((t for c in _children(item, DC, "rights") if (t := text_of(c))), None)
    if rights and not base.copyright:
        base.copyright = rights
    images: list[Image] = []
    seen: set[str] = set()

    def add(img: Image) -> None:
        if img.href and img.href not in seen:
            seen.add(img.href)
            images.append(img)

    levels = [(base, item_kids)]
    for group in item_kids.get("group", ()):
        group_kids = _media_children(group)
        levels.append((_MediaText.of(group, base, group_kids), group_kids))
    for texts, kids in levels:
        for c in kids.get("content", ()):
            url = c.get("url")
            if _is_image(url, c.get("type"), c.get("medium")) and url:
                add(_MediaText.of(c, texts).image(url.strip()))
    if not images:
        for texts, kids in levels:
            for t in kids.get("thumbnail", ()):
                url = t.get("url")
                if url:
                    add(_MediaText.of(t, texts).image(url.strip()))
    for enc in item.iter("enclosure", f"{{{ATOM}}}link"):
        if enc.tag != "enclosure" and enc.get("rel") != "enclosure":
            continue
        url = enc.get("url") or enc.get("href")
        if _is_image(url, enc.get("type"), None) and url:
            add(base.image(url.strip()))
    return images


def _images_fp(entry: Any) -> list[Image]:
    """Pictures from feedparser's flattened fields (used when the XML is not well-formed)."""
    credits = [c.get("content") for c in entry.get("media_credit") or [] if c.get("content")]
    credit = "/".join(dict.fromkeys(credits)) or None
    # feedparser gives <media:copyright url="..."> as its attributes (a dict, the text lost)
    media_rights = entry.get("media_copyright")
    rights = (media_rights if isinstance(media_rights, str) else None) or entry.get("rights")
    rights = rights or None
    urls: list[str] = []
    for m in entry.get("media_content") or []:
        if _is_image(m.get("url"), m.get("type"), m.get("medium")):
            urls.append(m["url"])
    if not urls:
        urls += [t["url"] for t in entry.get("media_thumbnail") or [] if t.get("url")]
    for link in entry.get("links") or []:
        if link.get("rel") == "enclosure" and _is_image(link.get("href"), link.get("type"), None):
            urls.append(link["href"])
    return [
        Image(href=u.strip(), credit=credit, copyright_holder=rights, copyright_notice=rights)
        for u in dict.fromkeys(urls)
    ]


def _dumps(entry: Any) -> bytes:
    return json.dumps(entry, default=str, ensure_ascii=False).encode()


ADAPTER = RssAdapter()
