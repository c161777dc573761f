"""NITF 3.x (News Industry Text Format): one story per document.

Also the body reader for NITF carried inside NewsML-G2 ``inlineXML`` (see ``wire.adapters.newsml``),
so the helpers that read a ``<nitf>`` tree (with or without the 2006 namespace) live here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin

from lxml import etree

from wire.adapters.base import FeedSettings, decode_text, fallback_guid
from wire.adapters.xmlsafe import localname, parse_xml, remove_keeping_tail, text_of
from wire.errors import AdapterError
from wire.normalise.agencies import find_signature, is_known, split_agencies
from wire.normalise.dates import looks_like_date, parse_date
from wire.normalise.rights import rights_in_text
from wire.normalise.storykey import story_link
from wire.normalise.text import html_to_text
from wire.record import Article, Image, ParseResult, PubStatus, Rejected, Subject

NITF_NS = "http://iptc.org/std/NITF/2006-10-18/"

# NITF docdata/@management-status -> our pubstatus; an embargo is "not yet usable".
_STATUS: dict[str, PubStatus] = {
    "usable": "usable",
    "embargoed": "usable",  # usable from its embargo time (date.release or the ed-msg)
    "withheld": "withheld",
    "canceled": "canceled",
    "cancelled": "canceled",
}


# ---------------------------------------------------------------------------------------------
# Reading bytes: shared with the NewsML-G2 adapter.

_DECL = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']", re.I)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")


def repair_encoding(data: bytes) -> bytes:
    """Fix the two encoding mistakes wire feeds make, so the text reads right instead of failing.

    * declared (or defaulted to) UTF-8 but the bytes are not UTF-8: they are read as
      Windows-1252 (Latin-1 for its five unassigned bytes), the usual culprit in European feeds;
    * declared UTF-16/32 without a byte order mark while the bytes are plainly 8-bit.

    Both come back as UTF-8 with a matching declaration; anything else is left to lxml.
    """
    if data.startswith(_BOMS):
        return data
    m = _DECL.match(data[:512])
    declared = m.group(1).decode("ascii").lower() if m else "utf-8"
    if declared.startswith(("utf-16", "utf-32", "ucs")):
        if b"\x00" in data[:512]:
            return data  # really wide, just without a BOM
    elif declared not in ("utf-8", "utf8"):
        return data
    else:
        try:
            data.decode("utf-8")
            return data
        except UnicodeDecodeError:
            pass
    text = decode_text(data)
    if m:
        start, end = m.span(1)
        text = text[:start] + "UTF-8" + text[end:]
    return text.encode("utf-8")


def read_xml(data: bytes) -> etree._Element:
    """``parse_xml`` after :func:`repair_encoding`, with HTML named entities made text.

    A DOCTYPE naming an external DTD (usual in NITF) lets ``&nbsp;``-style references
    through as unresolved entity nodes because the DTD is never loaded; they become their
    characters here (unknown names become nothing). Entity *declarations* stay refused.
    """
    root = parse_xml(repair_encoding(data))
    _resolve_named_entities(root)
    return root


def _resolve_named_entities(root: etree._Element) -> None:
    for ent in list(root.iter(etree.Entity)):
        value = html.unescape(f"&{ent.name};")
        replacement = ("" if value.startswith("&") else value) + (ent.tail or "")
        parent = ent.getparent()
        if parent is None:
            continue
        prev = ent.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + replacement
        else:
            parent.text = (parent.text or "") + replacement
        parent.remove(ent)


_SKIP_PROLOG = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)", re.S)
_FIRST_TAG = re.compile(rb"\s*<([A-Za-z_][\w.:-]*)")


def root_tag(data: bytes) -> tuple[str | None, bytes]:
    """The first element's name (prefix dropped) and the decoded-as-UTF-8 head, for sniffing:
    never raises (no name and no head when the bytes are no markup at all)."""
    try:
        return _root_tag(data)
    except Exception:  # sniffing never raises
        return None, b""


def _root_tag(data: bytes) -> tuple[str | None, bytes]:
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    elif head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    pos = 0
    while m := _SKIP_PROLOG.match(head, pos):
        if m.end() == pos:
            break
        pos = m.end()
    tag = _FIRST_TAG.match(head, pos)
    if not tag:
        return None, head
    return tag.group(1).decode("ascii", errors="ignore").rsplit(":", 1)[-1], head


# ---------------------------------------------------------------------------------------------
# Namespace-agnostic navigation (NITF comes with and without the 2006 namespace).


def children(el: etree._Element | None, name: str) -> Iterator[etree._Element]:
    if el is None:
        return
    for c in el:
        if localname(c) == name:
            yield c


def child(el: etree._Element | None, path: str) -> etree._Element | None:
    """The first element along a ``/``-separated path of local names."""
    for name in path.split("/"):
        el = next(children(el, name), None)
        if el is None:
            return None
    return el


def descendants(el: etree._Element | None, name: str) -> Iterator[etree._Element]:
    if el is None:
        return
    for d in el.iter():
        if d is not el and localname(d) == name:
            yield d


def attr(el: etree._Element | None, name: str) -> str | None:
    if el is None:
        return None
    value = (el.get(name) or "").strip()
    return value or None


def xml_lang(el: etree._Element | None) -> str | None:
    return attr(el, "{http://www.w3.org/XML/1998/namespace}lang") or attr(el, "lang")


def primary_language(tag: str | None) -> str | None:
    """ "de-CH" -> "de": the record stores ISO 639-1 codes, like language detection does."""
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def date_of(value: str | None, settings: FeedSettings) -> datetime | None:
    return parse_date(value, settings.timezone) if value else None


def as_int(value: str | None) -> int | None:
    try:
        return int(value.strip()) if value else None
    except ValueError:
        return None


def absolute(href: str | None, settings: FeedSettings) -> str | None:
    """Relative media links resolved against the feed URL (file locations are left alone)."""
    if not href:
        return None
    href = href.strip()
    base = settings.location or ""
    if base.startswith(("http://", "https://")) and "://" not in href:
        return urljoin(base, href)
    return href


# ---------------------------------------------------------------------------------------------
# The NITF body: body.head, body.content, body.end.

# NITF block and inline elements that have an HTML counterpart.
_HTML_TAG = {
    "p": "p", "hl1": "h2", "hl2": "h2", "bq": "blockquote", "pre": "pre", "ul": "ul",
    "ol": "ol", "li": "li", "dl": "dl", "dt": "dt", "dd": "dd", "table": "table",
    "caption": "caption", "thead": "thead", "tbody": "tbody", "tfoot": "tfoot", "tr": "tr",
    "th": "th", "td": "td", "hr": "hr", "br": "br", "em": "em", "q": "q", "a": "a",
    "sub": "sub", "sup": "sup",
}  # fmt: skip
# Not reader text: pictures are images, notes and footnotes are for editors.
_DROP = {"media", "note", "fn", "nitf-table-metadata", "colgroup", "col", "nitf-colgroup"}
_KEEP_ATTRS = {"a": ("href",), "td": ("colspan", "rowspan"), "th": ("colspan", "rowspan")}


@dataclass
class NitfBody:
    """What a ``<nitf>`` body says, before it is put on a record."""

    headline: str | None = None
    subheadline: str | None = None
    byline: str | None = None
    dateline: str | None = None
    story_date: str | None = None
    lead: str | None = None
    body_html: str | None = None
    body_text: str = ""
    images: list[Image] = field(default_factory=list)
    signed: list[str] = field(default_factory=list)  # body.end tagline, else a signature
    distributors: list[str] = field(default_factory=list)


def _to_html(src: etree._Element, out: etree._Element) -> None:
    """Copy NITF markup into HTML under ``out``; unknown inline markup keeps its text."""
    last: etree._Element | None = None

    def add_text(text: str | None) -> None:
        if not text:
            return
        if last is None:
            out.text = (out.text or "") + text
        else:
            last.tail = (last.tail or "") + text

    add_text(src.text)
    for el in src:
        if not isinstance(el.tag, str):
            add_text(el.tail)
            continue
        name = localname(el)
        if name in _DROP:
            add_text(el.tail)
            continue
        tag = _HTML_TAG.get(name)
        if tag is None:  # block, person, org, location, chron, money, ...: unwrap
            holder = etree.Element("span")
            _to_html(el, holder)
            add_text(holder.text)
            for moved in list(holder):
                out.append(moved)
                last = moved
            add_text(el.tail)
            continue
        new = etree.SubElement(out, tag)
        for key in _KEEP_ATTRS.get(tag, ()):
            if el.get(key):
                new.set(key, el.get(key) or "")
        _to_html(el, new)
        last = new
        add_text(el.tail)


def body_html(content: etree._Element | None) -> str | None:
    """``body.content`` as an HTML fragment (p, h2, lists, tables, quotes), or None if empty."""
    if content is None:
        return None
    wrapper = etree.Element("div")
    _to_html(content, wrapper)
    # Top-level blocks one per line; the source's indentation between them is noise.
    parts = [(wrapper.text or "").strip()]
    for block in wrapper:
        parts.append(etree.tostring(block, encoding="unicode", method="html", with_tail=False))
        parts.append((block.tail or "").strip())
    fragment = "\n".join(p for p in parts if p)
    return fragment or None


def _best_reference(media: etree._Element) -> etree._Element | None:
    refs = [r for r in children(media, "media-reference") if attr(r, "source")]
    if not refs:
        return None

    def size(r: etree._Element) -> tuple[int, int]:
        is_image = (attr(r, "mime-type") or "image/").startswith("image/")
        area = (as_int(attr(r, "width")) or 0) * (as_int(attr(r, "height")) or 0)
        return (int(is_image), area)

    return max(refs, key=size)  # max() keeps the first of equals: document order wins ties


def _metadata(media: etree._Element, *names: str) -> str | None:
    for meta in children(media, "media-metadata"):
        if (attr(meta, "name") or "").lower() in names:
            return attr(meta, "value")
    return None


def media_images(body: etree._Element | None, settings: FeedSettings) -> list[Image]:
    """Pictures in the body: the largest rendition, caption and credit kept apart."""
    images: list[Image] = []
    for media in descendants(body, "media"):
        kind = (attr(media, "media-type") or "image").lower()
        if kind not in ("image", "photo", "graphic", "picture"):
            continue
        ref = _best_reference(media)
        if ref is None:
            continue
        images.append(
            Image(
                href=absolute(attr(ref, "source"), settings),
                alt=attr(ref, "alternate-text"),
                caption=text_of(child(media, "media-caption")),
                credit=text_of(child(media, "media-producer")) or attr(ref, "source-credit"),
                creator=_metadata(media, "photographer", "creator", "byline", "author"),
                copyright_holder=attr(ref, "copyright")
                or _metadata(media, "copyright", "copyrightholder", "copyright-holder"),
            )
        )
    return images


# "(sda)", "(EFE).-" closing a dateline: the agency, not the place.
_DATELINE_CREDIT = re.compile(r"\(([^()]{1,40})\)[\s.\-–—:]*$")


def read_dateline(dateline: etree._Element | None) -> tuple[str | None, list[str]]:
    """The place of a dateline and the agencies it names: "Madrid, 15 mar (EFE).-" ->
    ("Madrid", ["EFE"]). Dates (``story.date`` and date-only parts) are not places."""
    if dateline is None:
        return None, []
    place = child(dateline, "location")
    if place is not None and text_of(place):
        text = text_of(place) or ""
    else:
        for date in list(descendants(dateline, "story.date")):
            remove_keeping_tail(date)
        text = text_of(dateline) or ""
    credits: list[str] = []
    m = _DATELINE_CREDIT.search(text)
    if m and all(is_known(c) for c in split_agencies(m.group(1))):
        credits, text = [m.group(1).strip()], text[: m.start()]
    parts = [p.strip(" -–—:.") for p in re.split(r"[,;]", text)]
    while parts and (not parts[-1] or looks_like_date(parts[-1])):
        parts.pop()
    place_text = ", ".join(parts).strip(" ,-–—:")
    return (place_text or None), credits


def _lead_paragraph(content: etree._Element | None) -> etree._Element | None:
    """The first ``<p>`` marked as the lead (NITF ``lede="true"``, NTB ``class="lead"``)."""
    for p in descendants(content, "p"):
        classes = (attr(p, "class") or "").lower().split()
        if (attr(p, "lede") or "").lower() == "true" or {"lead", "lede", "ingress"} & set(classes):
            return p
    return None


def read_body(nitf: etree._Element, settings: FeedSettings) -> NitfBody:
    """body.head (headlines, byline, dateline, abstract, distributor), content and tagline.

    The lead is the abstract, else a first paragraph marked as the lead (taken out of the
    body so it is not printed twice); the caller falls back to ``hl2``.
    """
    body = child(nitf, "body")
    head = child(body, "body.head")
    content = child(body, "body.content")
    hedline = child(head, "hedline")
    abstract = child(head, "abstract")
    lead = None
    if abstract is not None:
        paragraphs = [t for t in (text_of(p) for p in children(abstract, "p")) if t]
        lead = " ".join(paragraphs) or text_of(abstract)
    lead_p = _lead_paragraph(content) if not lead else None
    if lead_p is not None:
        lead = text_of(lead_p)
        remove_keeping_tail(lead_p)
    bylines = [t for t in (text_of(b) for b in children(head, "byline")) if t]
    dateline = child(head, "dateline")
    story_date = attr(child(dateline, "story.date"), "norm")
    place, dateline_credits = read_dateline(dateline)
    out = NitfBody(
        headline=text_of(child(hedline, "hl1")),
        subheadline=text_of(child(hedline, "hl2")),
        byline="; ".join(bylines) or None,
        dateline=place,
        story_date=story_date,
        lead=lead,
        body_html=body_html(content),
        images=media_images(content, settings),
    )
    out.body_text = html_to_text(out.body_html or "")
    taglines = [text_of(t) for t in children(child(body, "body.end"), "tagline")]
    out.signed = [t for t in taglines if t]
    if not out.signed:
        found = find_signature(out.body_text)
        if found:
            out.signed = list(found[1])
    out.signed += [c for c in dateline_credits if c not in out.signed]
    out.distributors = [t for t in (text_of(d) for d in children(head, "distributor")) if t]
    return out


# ---------------------------------------------------------------------------------------------
# The document: head metadata + body.


def _subjects(head: etree._Element | None) -> list[Subject]:
    """tobject.subject -> Subject("subj:<refnum>", the most specific of detail/matter/type)."""
    subjects: list[Subject] = []
    for s in descendants(child(head, "tobject"), "tobject.subject"):
        refnum = attr(s, "tobject.subject.refnum")
        name = (
            attr(s, "tobject.subject.detail")
            or attr(s, "tobject.subject.matter")
            or attr(s, "tobject.subject.type")
        )
        subject = Subject(code=f"subj:{refnum}" if refnum else None, name=name)
        if (subject.code or subject.name) and subject not in subjects:
            subjects.append(subject)
    return subjects


def _language(nitf: etree._Element) -> str | None:
    body = child(nitf, "body")
    for el in (nitf, child(nitf, "head"), body, child(body, "body.content")):
        lang = primary_language(xml_lang(el))
        if lang:
            return lang
    lang = primary_language(attr(nitf, "baselang"))
    if lang:
        return lang
    for meta in children(child(nitf, "head"), "meta"):
        if (attr(meta, "name") or "").lower() in ("language", "lang", "dc.language"):
            return primary_language(attr(meta, "content"))
    return None


def _fallback_guid(headline: str, issued: str | None) -> str:
    """No doc-id: a stable id from what identifies the story (corrections become new ids)."""
    return fallback_guid("nitf:", headline, issued or "", algorithm="sha256")


def _urgency(value: int | None) -> int | None:
    """NITF ed-urg runs 1 (most urgent) to 9; anything else says nothing."""
    return value if value is not None and 1 <= value <= 9 else None


def nitf_article(nitf: etree._Element, settings: FeedSettings) -> Article:
    """One ``<nitf>`` document as a raw record; ValueError carries a reject reason."""
    head = child(nitf, "head")
    docdata = child(head, "docdata")
    parts = read_body(nitf, settings)
    headline = parts.headline or text_of(child(head, "title")) or ""
    if not headline and not parts.body_text:
        raise ValueError("the NITF document has neither a headline nor body text")
    status_word = (attr(docdata, "management-status") or "usable").lower()
    status = _STATUS.get(status_word)
    if status is None:
        raise ValueError(f"unknown NITF management-status {status_word!r}")
    issued = attr(child(docdata, "date.issue"), "norm")
    released = attr(child(docdata, "date.release"), "norm")
    published = attr(child(head, "pubdata"), "date.publication")
    created = date_of(issued or released or published or parts.story_date, settings)
    ednote = attr(child(docdata, "ed-msg"), "info")
    embargoed = None
    if status_word == "embargoed":
        embargoed = date_of(released, settings) or _embargo_in_note(ednote, created, settings)
        if embargoed is None:
            status = "withheld"  # embargoed until a time nobody stated: not usable
    elif status_word == "usable":
        embargoed = _release_after_issue(released, issued, settings)
    version = as_int(attr(child(docdata, "du-key"), "version"))
    # du-key/@key: the dynamic-use key that names one story across its updates.
    story, story_signals = story_link(attr(child(docdata, "du-key"), "key"))
    guid = attr(child(docdata, "doc-id"), "id-string") or _fallback_guid(headline, issued)
    # Signed agencies first (they print the originating one first), then rights, then carrier.
    holder = attr(child(docdata, "doc.copyright"), "holder")
    credits = [*parts.signed, *([holder] if holder else []), *parts.distributors]
    return Article(
        guid=guid,
        version=version if version and version > 0 else 1,
        source_version=bool(version and version > 0),
        pubstatus=status,
        headline=headline,
        lead=parts.lead or parts.subheadline,
        body_text=parts.body_text,
        body_html=parts.body_html,
        byline=parts.byline,
        dateline=parts.dateline,
        subjects=_subjects(head),
        urgency=_urgency(as_int(attr(child(docdata, "urgency"), "ed-urg"))),
        ednote=ednote,
        firstcreated=created,
        versioncreated=created,
        language=_language(nitf),
        images=parts.images,
        credit_strings=credits,
        embargoed=embargoed,
        usage_terms=attr(child(docdata, "doc.rights"), "limitations"),
        copyright_notice=_copyright_notice(child(docdata, "doc.copyright")),
        links=[story] if story else [],
        signals=list(story_signals),
    )


def _release_after_issue(
    released: str | None, issued: str | None, settings: FeedSettings
) -> datetime | None:
    """``date.release`` after ``date.issue``: the spec's "date/time document is available to
    be released" (on receipt when absent), so a later one is a "not before" time even where
    the agency did not also set management-status="embargoed". Without an issue date there
    is nothing to compare with: no embargo."""
    release, issue = date_of(released, settings), date_of(issued, settings)
    return release if release and issue and release > issue else None


def _embargo_in_note(
    ednote: str | None, created: datetime | None, settings: FeedSettings
) -> datetime | None:
    """An embargo an ``ed-msg`` states ("Sperrfrist 18.00 Uhr"), from when the story was written."""
    reference = created or datetime.now(UTC)
    return rights_in_text([ednote], reference=reference, tz=settings.timezone).embargoed


def _copyright_notice(el: etree._Element | None) -> str | None:
    """``doc.copyright`` as printed: "(c) 2026 dpa" from its year and holder."""
    year, holder = attr(el, "year"), attr(el, "holder")
    return f"© {' '.join(filter(None, [year, holder]))}" if holder else None


class NitfAdapter:
    """NITF 3.x documents; an external DOCTYPE is fine (never loaded), entities are refused."""

    name = "nitf"

    def sniff(self, data: bytes, filename: str | None = None) -> float:
        return 1.0 if root_tag(data)[0] == "nitf" else 0.0

    def parse(self, data: bytes, settings: FeedSettings) -> list[ParseResult]:
        if len(data) > settings.max_bytes:
            raise AdapterError(
                f"payload of {len(data)} bytes is above the {settings.max_bytes} limit"
            )
        root = read_xml(data)
        if localname(root) != "nitf":
            raise AdapterError(f"not an NITF document: the root element is <{localname(root)}>")
        try:
            return [nitf_article(root, settings)]
        except ValueError as exc:
            guid = attr(child(root, "head/docdata/doc-id"), "id-string")
            return [Rejected(reason=str(exc), raw=data, guid=guid)]


ADAPTER = NitfAdapter()
