"""RSS and Atom entries read straight from the lxml tree, as feedparser would read them.

The RSS adapter parses every well-formed feed with lxml anyway (for pictures and raw items);
feedparser then read the same bytes a second time, with a SAX parser and a Python callback per
tag, which was most of the adapter's cost. This module gives the adapter the fields it takes
from feedparser (``entry`` and ``feed`` mappings with feedparser's keys and values) from the
tree it already has.

It reads only what it knows feedparser reads the same way: a feed with an element it has no
rule for (another namespace, a second title, an ``xml:base``, XHTML content, an author with
no name) gives None, and the adapter asks feedparser, which stays the reference. The test
``tests/adapters/test_rss_tree.py`` runs both paths on every RSS/Atom fixture and requires
equal records.
"""

from __future__ import annotations

import contextlib
import functools
import re
import urllib.parse
from typing import Any

from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
RSS1 = "http://purl.org/rss/1.0/"
RSS090 = "http://my.netscape.com/rdf/simple/0.9/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
MEDIA = "http://search.yahoo.com/mrss/"
MRSS_SCHEME = "http://search.yahoo.com/mrss/category_schema"
XHTML = "http://www.w3.org/1999/xhtml"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"

# An item's children this module reads, by (namespace, name); anything else -> feedparser.
_RSS_ITEM = {
    "title", "link", "description", "guid", "pubDate", "author", "category", "comments",
    "enclosure", "source",
}  # fmt: skip
_DC_ITEM = {"creator", "date", "subject", "rights", "publisher", "language", "contributor"}
_ATOM_ENTRY = {
    "id", "title", "link", "summary", "content", "author", "contributor", "published",
    "updated", "category", "rights",
}  # fmt: skip
# Media RSS elements whose only effect on feedparser's entry is pictures, tags or nothing
# (media:title and media:description can fill an entry's title or summary: not taken).
_MEDIA_OK = {"content", "thumbnail", "group", "credit", "copyright", "category", "keywords",
             "rating", "hash", "player", "text", "restriction", "license", "embed", "status",
             "price", "peerLink", "location", "rights", "scenes", "comments", "community",
             "responses", "backLinks", "subTitle"}  # fmt: skip
_MEDIA_TEXT = {"title", "description"}
_MEDIA_TAG_TAGS = tuple(f"{{{ns}}}{name}" for ns in (MEDIA, MEDIA + "/")
                        for name in ("category", "keywords"))  # fmt: skip
_SINGLE = {"title", "description", "guid", "summary", "content", "id", "source",
           "published", "updated", "pubDate", "date", "rights", "publisher", "language",
           "encoded"}  # fmt: skip
_EMAIL = re.compile(
    r"""(([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([a-zA-Z0-9\-]+\.)+))"""
    r"""([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?"""
)
_URIFIXER = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*://)(/*)(.*?)")
_MEDIA_SPACES = (MEDIA, MEDIA + "/")
_LINK_REF = re.compile(r"&([A-Za-z0-9_]+);")
# feedparser maps the C1 controls of Windows-1252 text to the characters they stand for.
_CP1252 = {
    c: bytes([c]).decode("cp1252", "ignore") or chr(c) for c in range(0x80, 0xA0)
}  # fmt: skip
_C1 = re.compile("[\x80-\x9f]")
# A UTF-8 lead byte and a continuation byte read as Latin-1: text encoded twice.
_MOJIBAKE = re.compile("[\xc2-\xf4][\x80-\xbf]")
_TEXT_TYPES = {"text/plain", "text/html", "application/xhtml+xml"}
_HTML_TYPES = {"text/html", "application/xhtml+xml"}


def escape(data: str, entities: dict[str, str] | None = None) -> str:
    """``xml.sax.saxutils.escape`` (whose module imports urllib.request and http.client)."""
    data = data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    for key, value in (entities or {}).items():
        data = data.replace(key, value)
    return data


class Unread(Exception):
    """The feed holds something this reader has no rule for: feedparser reads it."""


def read(
    root: etree._Element, base: str | None
) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """(feed, entries) as feedparser's ``parsed.feed`` and ``parsed.entries`` would give the
    fields the RSS adapter reads, or None when feedparser must read the feed."""
    try:
        feed, entries = _Reader(root, base).read()
    except Unread:
        return None
    return (feed, entries) if entries else None  # no items: feedparser says what it is


def _ns(tag: str) -> tuple[str, str]:
    """(namespace, local name) of a tag; remembered, as a feed repeats a few dozen tags."""
    found = _NAMES.get(tag)
    if found is None:
        if tag.startswith("{"):
            ns, name = tag[1:].split("}", 1)
            found = (ns, name)
        else:
            found = ("", tag)
        if len(_NAMES) < 10_000:
            _NAMES[tag] = found
    return found


_NAMES: dict[str, tuple[str, str]] = {}
# Whether any element of the tree carries an xml:base (in C: the tree reader has no rule).
_HAS_XML_BASE = etree.XPath("boolean(descendant-or-self::*/@xml:base)")


class _Reader:
    def __init__(self, root: etree._Element, base: str | None) -> None:
        self.root = root
        self.base = base or ""
        encoding = (root.getroottree().docinfo.encoding or "utf-8").lower()
        self.utf8 = encoding in ("utf-8", "utf8")

    def read(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        root = self.root
        if not isinstance(root.tag, str):
            raise Unread
        ns, name = _ns(root.tag)
        if next(root.iter(XML_BASE), None) is not None or _HAS_XML_BASE(root):
            raise Unread
        if ns == "" and name == "rss":
            channels = [c for c in root if c.tag == "channel"]
            if len(channels) != 1:
                raise Unread
            channel = channels[0]
            items = [c for c in channel if c.tag == "item"]
            if len(items) + len([c for c in root.iter("item")]) != 2 * len(items):
                raise Unread  # items outside the channel
            return self._rss_feed(channel, root, ""), [self._rss_item(i, "") for i in items]
        if ns == RDF and name == "RDF":
            kids = [c for c in root if isinstance(c.tag, str)]
            spaces = {_ns(c.tag)[0] for c in kids if _ns(c.tag)[1] in ("channel", "item")}
            if len(spaces) != 1 or not spaces <= {RSS1, RSS090}:
                raise Unread
            (space,) = spaces
            channel = next((c for c in kids if c.tag == f"{{{space}}}channel"), None)
            if channel is None:
                raise Unread
            items = [c for c in kids if c.tag == f"{{{space}}}item"]
            return self._rss_feed(channel, root, space), [self._rss_item(i, space) for i in items]
        if ns == ATOM and name == "feed":
            entries = [c for c in root if c.tag == f"{{{ATOM}}}entry"]
            return self._atom_feed(root), [self._atom_entry(e) for e in entries]
        raise Unread

    # --- text as feedparser hands it over -------------------------------------------------

    def text(self, el: etree._Element) -> str:
        """An element's text: stripped, a UTF-8 feed's double-encoded text repaired, the
        Windows-1252 controls mapped (what feedparser's ``pop`` does to every value)."""
        if len(el):
            raise Unread  # markup inside a text element: feedparser keeps it as markup
        return self.fix(el.text or "")

    def fix(self, value: str) -> str:
        value = value.strip()
        if value.isascii():
            return value  # neither double-encoded UTF-8 nor Windows-1252 controls
        if self.utf8 and _MOJIBAKE.search(value):  # else the round trip cannot succeed
            with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
                value = value.encode("iso-8859-1").decode("utf-8")
        return value.translate(_CP1252) if _C1.search(value) else value

    def xhtml(self, el: etree._Element) -> str:
        """Atom XHTML content as feedparser hands it over: the markup of the children, an
        enclosing ``div`` left out."""
        if (el.text or "").strip():
            raise Unread
        kids = [c for c in el if isinstance(c.tag, str)]
        if len(kids) != 1 or kids[0].tag != f"{{{XHTML}}}div" or (kids[0].tail or "").strip():
            raise Unread
        div = kids[0]
        parts = [escape(div.text or "")]
        for child in div:
            _markup(child, parts)
        return self.fix("".join(parts))

    def uri(self, value: str) -> str:
        at = value.find("://")
        # The fixer only drops slashes after the scheme's "://" (a scheme holds no colon, so
        # it is the first "://"): with no slash there the value stays as it is.
        if at >= 0 and value.startswith("/", at + 3):
            value = _URIFIXER.sub(r"\1\3", value)
        try:
            return urllib.parse.urljoin(self.base, value)
        except ValueError:
            return ""

    # --- channels ---------------------------------------------------------------------------

    def _rss_feed(
        self, channel: etree._Element, root: etree._Element, space: str
    ) -> dict[str, Any]:
        feed = _xml_lang(root)
        for child, ns, name in _elements(channel):
            if ns == space and name in ("language", "copyright"):
                feed["language" if name == "language" else "rights"] = self.text(child)
            elif ns == DC and name in ("language", "rights"):
                feed[name] = self.text(child)
            elif (ns == DC and name == "publisher") or (ns == space and name == "webMaster"):
                feed["publisher"] = self._person(self.text(child))
        return feed

    def _atom_feed(self, root: etree._Element) -> dict[str, Any]:
        feed = _xml_lang(root)
        for child, ns, name in _elements(root):
            if (ns == ATOM and name == "rights") or (ns == DC and name in ("rights",)):
                if child.get("type") not in (None, "text"):
                    raise Unread
                feed["rights"] = self.text(child)
            elif ns == DC and name == "language":
                feed["language"] = self.text(child)
            elif ns == DC and name == "publisher":
                feed["publisher"] = self._person(self.text(child))
        return feed

    @staticmethod
    def _person(value: str) -> str:
        if _EMAIL.search(value):
            raise Unread  # feedparser rewrites "name (email)" forms
        return value

    # --- items ------------------------------------------------------------------------------

    def _check(
        self, item: etree._Element, allowed: dict[str, set[str]]
    ) -> list[tuple[etree._Element, str, str]]:
        """Every child of ``item`` has a rule, singular fields appear once, and no media
        text element could stand in for a missing title or summary. Returns the children
        (:func:`_elements`), for the reader to walk without listing them again."""
        seen: set[tuple[str, str]] = set()
        elements = _elements(item)
        for child, ns, name in elements:
            if ns in _MEDIA_SPACES:
                if name not in _MEDIA_OK:
                    raise Unread
                for inner in child.iter():
                    if not isinstance(inner.tag, str):
                        continue
                    inner_ns, inner_name = _ns(inner.tag)
                    if inner_ns != ns:
                        raise Unread
                    if inner_name in _MEDIA_TEXT:
                        if inner_name == "title" and not _has(elements, "title"):
                            raise Unread
                        if inner_name == "description" and not _has(elements, "summary"):
                            raise Unread
                continue
            if name not in allowed.get(ns, ()):
                raise Unread
            if name in _SINGLE and (ns, name) in seen:
                raise Unread
            seen.add((ns, name))
            nested = name in ("enclosure", "link", "category", "content") or (
                ns == ATOM and name in ("author", "contributor")
            )
            if len(child) and not nested:
                raise Unread
        return elements

    def _rss_item(self, item: etree._Element, space: str) -> dict[str, Any]:
        elements = self._check(item, _rss_allowed(space))
        entry: dict[str, Any] = {}
        about = item.get(f"{{{RDF}}}about")
        if about:
            entry["id"] = about
        authors: list[dict[str, Any]] = []
        tags: list[dict[str, Any]] = []
        for child, ns, name in elements:
            if ns == space:
                if name == "title":
                    entry["title"] = self.text(child)
                elif name == "link":
                    if child.attrib:
                        raise Unread  # an href on an RSS link: feedparser's Atom rules
                    value = self.text(child)
                    value = self.uri(value) if value else value
                    if "&" in value:
                        value = _LINK_REF.sub(r"&\g<1>", value.replace("&amp;", "&"))
                    entry["link"] = value
                elif name == "guid":
                    is_link = child.get("isPermaLink", "true") == "true"
                    value = self.text(child)
                    entry["id"] = self.uri(value) if is_link and value else value
                    if is_link:
                        entry.setdefault("link", entry["id"])
                elif name == "description":
                    entry["summary"] = self.text(child)
                elif name == "pubDate":
                    entry["published"] = self.text(child)
                elif name == "author":
                    self._author(self.text(child), authors, entry)
                elif name == "category":
                    self._category(child, tags, _attr(child.get("domain")))
                elif name == "source":
                    title = self.text(child)
                    entry["source"] = {"title": title} if title else {}
            elif ns == DC:
                self._dublin_core(child, name, authors, tags, entry)
            elif ns == CONTENT:
                entry.setdefault("content", []).append(
                    {"type": "text/html", "value": self.text(child)}
                )
        self._media_tags(item, tags)
        if authors:
            entry["authors"] = authors
        if tags:
            entry["tags"] = tags
        return entry

    def _atom_entry(self, item: etree._Element) -> dict[str, Any]:
        elements = self._check(item, {ATOM: _ATOM_ENTRY, DC: _DC_ITEM})
        entry: dict[str, Any] = {}
        authors: list[dict[str, Any]] = []
        tags: list[dict[str, Any]] = []
        for child, ns, name in elements:
            if ns == ATOM:
                kind = _content_type(_attr(child.get("type")))
                if name in ("title", "summary", "rights", "content") and (
                    kind not in _TEXT_TYPES or child.get("mode") is not None
                ):
                    raise Unread  # feedparser decodes other types as base64
                if child.get("src") is not None or (
                    kind == "application/xhtml+xml" and name != "content"
                ):
                    raise Unread
                if name in ("title", "rights"):
                    entry[name] = self.text(child)
                elif name == "id":
                    value = self.text(child)
                    entry["id"] = self.uri(value) if value else value
                    entry.setdefault("link", entry["id"])
                elif name == "link":
                    if len(child) or not child.get("href") or {"url", "uri"} & set(child.attrib):
                        raise Unread  # feedparser reads such a link's text, or another attribute
                    rel = child.get("rel", "alternate")
                    href = child.get("href")
                    kind = _content_type(child.get("type") or "text/html")
                    if href is not None and rel == "alternate" and kind in _HTML_TYPES:
                        entry["link"] = self.uri(_attr(href) or "")
                elif name == "summary":
                    entry["summary"] = self.text(child)
                elif name == "content":
                    value = (
                        self.xhtml(child) if kind == "application/xhtml+xml" else self.text(child)
                    )
                    entry.setdefault("content", []).append({"type": kind, "value": value})
                elif name in ("published", "updated"):
                    entry[name] = self.text(child)
                elif name == "author":
                    names = [c for c in child if c.tag == f"{{{ATOM}}}name"]
                    others = [c for c in child if c.tag not in (f"{{{ATOM}}}name",
                              f"{{{ATOM}}}email", f"{{{ATOM}}}uri")]  # fmt: skip
                    if len(names) != 1 or others:
                        raise Unread
                    value = self.text(names[0])
                    if not value:
                        raise Unread
                    authors.append({"name": value})
                    entry["author"] = value
                elif name == "category":
                    if len(child) or (child.text or "").strip():
                        raise Unread
                    _add_tag(tags, _attr(child.get("term")), _attr(child.get("scheme")),
                             _attr(child.get("label")))  # fmt: skip
            elif ns == DC:
                self._dublin_core(child, name, authors, tags, entry)
        if authors:
            entry["authors"] = authors
        if tags:
            entry["tags"] = tags
        return entry

    def _dublin_core(
        self,
        child: etree._Element,
        name: str,
        authors: list[dict[str, Any]],
        tags: list[dict[str, Any]],
        entry: dict[str, Any],
    ) -> None:
        """Dublin Core in an RSS item or an Atom entry: the same keys feedparser gives."""
        if name == "creator":
            self._author(self.text(child), authors, entry)
        elif name == "date":
            entry["updated"] = self.text(child)
        elif name == "subject":
            self._category(child, tags, None)
        elif name in ("rights", "language"):
            entry[name] = self.text(child)
        elif name == "publisher":
            entry["publisher"] = self._person(self.text(child))

    def _author(self, value: str, authors: list[dict[str, Any]], entry: dict[str, Any]) -> None:
        """An RSS author or dc:creator: feedparser takes an e-mail address out of the name."""
        match = _EMAIL.search(value)
        if match:
            value = value.replace(match.group(0), "").replace("()", "").replace("<>", "")
            value = value.replace("&lt;&gt;", "").strip()
            if value[:1] == "(":
                value = value[1:]
            if value[-1:] == ")":
                value = value[:-1]
            value = value.strip()
        if not value:
            raise Unread  # no name: feedparser's author is then the address or nothing
        authors.append({"name": value})
        entry["author"] = value

    def _category(self, el: etree._Element, tags: list[dict[str, Any]], scheme: str | None) -> None:
        term = self.text(el)
        if scheme:
            tags.append({"term": term or None, "scheme": scheme, "label": None})
        elif term:
            _add_tag(tags, term, None, None)

    def _media_tags(self, item: etree._Element, tags: list[dict[str, Any]]) -> None:
        """media:category and media:keywords anywhere in the item are the entry's tags too
        (feedparser files them in document order with the item's own categories)."""
        found = list(item.iter(*_MEDIA_TAG_TAGS))
        if not found:
            return
        own = [
            c for c in item if isinstance(c.tag, str) and _ns(c.tag)[1] in ("category", "subject")
        ]
        if own:
            raise Unread  # the order of the two kinds would matter
        for el in found:
            if _ns(el.tag)[1] == "keywords":
                for term in self.text(el).split(","):
                    if term.strip():
                        _add_tag(tags, term.strip(), None, None)
            else:
                scheme = _attr(el.get("scheme", MRSS_SCHEME))
                term = self.text(el)
                label = _attr(el.get("label"))
                if term:
                    tags.append({"term": term, "scheme": scheme, "label": label})
                else:
                    _add_tag(tags, None, scheme, label)


@functools.cache
def _rss_allowed(space: str) -> dict[str, set[str]]:
    """The children an RSS item (of that namespace) may hold, by namespace."""
    return {space: _RSS_ITEM, DC: _DC_ITEM, CONTENT: {"encoded"}}


def _markup(el: etree._Element, parts: list[str]) -> None:
    """An XHTML element as markup without namespaces (feedparser's serialisation)."""
    if not isinstance(el.tag, str):
        raise Unread
    ns, name = _ns(el.tag)
    if ns != XHTML or any(k.startswith("{") for k in el.attrib):
        raise Unread
    attrs = "".join(f' {k}="{escape(v, {chr(34): "&quot;"})}"' for k, v in el.attrib.items())
    parts.append(f"<{name}{attrs}>")
    parts.append(escape(el.text or ""))
    for child in el:
        _markup(child, parts)
    parts.append(f"</{name}>")
    parts.append(escape(el.tail or ""))


def _attr(value: str | None) -> str | None:
    """An attribute value, as long as feedparser would hand it over unchanged."""
    if value is not None and _C1.search(value):
        raise Unread
    return value


def _has(elements: list[tuple[etree._Element, str, str]], what: str) -> bool:
    """Whether an item's children (:func:`_elements`) hold a title or summary of its own."""
    names = {"title": ("title",), "summary": ("description", "summary")}[what]
    return any(name in names and ns not in _MEDIA_SPACES for _c, ns, name in elements)


def _content_type(kind: str | None) -> str:
    kind = ("text" if kind is None else kind).lower()
    names = {"text": "text/plain", "plain": "text/plain", "html": "text/html",
             "xhtml": "application/xhtml+xml"}  # fmt: skip
    return names.get(kind, kind)


def _elements(parent: etree._Element) -> list[tuple[etree._Element, str, str]]:
    """``parent``'s child elements (comments and processing instructions skipped), each with
    its namespace and local name."""
    out = []
    for child in parent:
        tag = child.tag
        if isinstance(tag, str):
            ns, name = _NAMES.get(tag) or _ns(tag)
            out.append((child, ns, name))
    return out


def _xml_lang(root: etree._Element) -> dict[str, Any]:
    """The feed dict started with the root's ``xml:lang``, as feedparser reports it."""
    lang = root.get("{http://www.w3.org/XML/1998/namespace}lang")
    return {"language": lang.replace("_", "-")} if lang else {}


def _add_tag(
    tags: list[dict[str, Any]], term: str | None, scheme: str | None, label: str | None
) -> None:
    if not term and not scheme and not label:
        return
    value = {"term": term, "scheme": scheme, "label": label}
    if value not in tags:
        tags.append(value)
