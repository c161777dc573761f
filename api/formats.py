"""Output formats of the API: ninjs 2.x JSON (default), Atom 1.0, and the canonical record.

Every function here takes the canonical record (``Article.to_dict()`` shape, as stored in
``article_versions.record`` or built by ``wire.storage.reads.article_dict``) and nothing else, so
the API, the change feed and the publishers render one record the same way.

ninjs 2.x is strict (``unevaluatedProperties: false``), so only its own property names are
used: the 1.x ``description_text``/``creditline`` of a picture become ``descriptions`` with the
roles ``caption`` and ``creditline``; wire's own data (versions, sightings, cluster) stays in
the response envelope, outside the ninjs object.
"""

from __future__ import annotations

import html
import mimetypes
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from lxml import etree

from wire.normalise.agencies import display_name
from wire.record import iso
from wire.storage.visibility import notice_of

FORMATS = ("ninjs", "atom", "wire")
NINJS_STANDARD = {
    "name": "ninjs",
    "version": "2.1",
    "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json",
}
# QCode scheme aliases of IPTC NewsCodes and their URIs (the ninjs adapter reads them back).
IPTC_SCHEMES = {
    "medtop": "http://cv.iptc.org/newscodes/mediatopic/",
    "subj": "http://cv.iptc.org/newscodes/subjectcode/",
    "genre": "http://cv.iptc.org/newscodes/genre/",
    "prod": "http://cv.iptc.org/newscodes/product/",
}
ORIGINATOR_ROLE = "http://cv.iptc.org/newscodes/infosourcerole/originfo"

ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_NS = "http://search.yahoo.com/mrss/"
WIRE_NS = "urn:wire:atom:1"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ATOM_TYPE = "application/atom+xml"
# Characters XML 1.0 cannot carry at all (control characters): dropped from every text.
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def negotiate(fmt: str | None, accept: str | None) -> str:
    """The output format: ``format=`` wins, then the Accept header, then ninjs JSON."""
    if fmt:
        name = fmt.strip().lower()
        if name == "json":
            return "ninjs"
        if name not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")
        return name
    accept = (accept or "").lower()
    if ATOM_TYPE in accept or ("application/xml" in accept and "json" not in accept):
        return "atom"
    return "ninjs"


ARTICLE_URN = "urn:wire:article:"


def article_uri(article_id: str) -> str:
    return f"{ARTICLE_URN}{article_id}"


def article_id_of(id_or_uri: str) -> str:
    """The article id of an id or of the ninjs/Atom ``uri`` this API emits for it."""
    return id_or_uri.removeprefix(ARTICLE_URN)


# --- ninjs 2.x ----------------------------------------------------------------------------


def _paragraphs_html(text: str) -> str:
    # Escaping the whole text once (escapes never make or break "\n\n" or whitespace) is the
    # same as escaping each paragraph, at a fraction of the calls on a long story.
    return "".join(f"<p>{p}</p>" for p in html.escape(text).split("\n\n") if p.strip())


def _subject(subject: dict[str, Any]) -> dict[str, Any] | None:
    code, name = subject.get("code"), subject.get("name")
    out: dict[str, Any] = {}
    if name:
        out["name"] = name
    if code:
        scheme, _, rest = code.partition(":")
        if scheme in IPTC_SCHEMES and rest and not rest.startswith("//"):
            out["uri"] = IPTC_SCHEMES[scheme] + rest
        elif code.startswith(("http://", "https://")):
            out["uri"] = code
        else:
            out["literal"] = code
    return out or None


def _infosources(codes: Sequence[str], *, first_originates: bool) -> list[dict[str, Any]]:
    out = []
    for i, code in enumerate(codes):
        entry: dict[str, Any] = {"name": display_name(code), "literal": code}
        if first_originates and i == 0:
            entry["role"] = ORIGINATOR_ROLE
        out.append(entry)
    return out


def _media_type(href: str | None) -> str | None:
    if not href:
        return None
    guessed, _ = mimetypes.guess_type(href.split("?", 1)[0])
    return guessed if guessed and guessed.startswith("image/") else None


def _picture(record: dict[str, Any], index: int, image: dict[str, Any]) -> dict[str, Any]:
    href = image.get("href")
    pic: dict[str, Any] = {
        "name": f"picture{index + 1}",
        "uri": href or f"{article_uri(record.get('id') or '')}:picture:{index + 1}",
        "type": "picture",
    }
    if image.get("alt"):
        pic["headlines"] = [{"role": "main", "value": image["alt"]}]
    descriptions = []
    if image.get("caption"):
        descriptions.append(
            {"role": "caption", "contenttype": "text/plain", "value": image["caption"]}
        )
    if image.get("credit"):
        descriptions.append(
            {"role": "creditline", "contenttype": "text/plain", "value": image["credit"]}
        )
    if descriptions:
        pic["descriptions"] = descriptions
    if image.get("creator"):
        pic["by"] = image["creator"]
    if image.get("copyright_holder"):
        pic["copyrightholder"] = image["copyright_holder"]
    if image.get("copyright_notice"):
        pic["copyrightnotice"] = image["copyright_notice"]
    if image.get("usage_terms"):
        pic["usageterms"] = image["usage_terms"]
    if image.get("agencies"):
        pic["infosources"] = _infosources(image["agencies"], first_originates=False)
    if href:
        rendition: dict[str, Any] = {"name": "original", "href": href}
        if mtype := _media_type(href):
            rendition["contenttype"] = mtype
        pic["renditions"] = [rendition]
    return pic


def _updates(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The story a lead/update/correction updates, as an association named "updates"."""
    target = record.get("updates")
    if not isinstance(target, dict) or not target.get("id"):
        return []
    out: dict[str, Any] = {"name": "updates", "uri": article_uri(target["id"]), "type": "text"}
    if target.get("headline"):
        out["headlines"] = [{"role": "main", "value": target["headline"]}]
    if target.get("guid"):
        out["altids"] = [{"role": "guid", "value": target["guid"]}]
    return [out]


def to_ninjs(record: dict[str, Any]) -> dict[str, Any]:
    """The canonical record as a ninjs 2.x object (only schema properties, no nulls)."""
    body_text = record.get("body_text") or ""
    headlines = [{"role": "main", "value": record.get("headline") or ""}]
    if record.get("kicker"):
        headlines.append({"role": "kicker", "value": record["kicker"]})
    descriptions = []
    if record.get("lead"):
        descriptions.append(
            {"role": "summary", "contenttype": "text/plain", "value": record["lead"]}
        )
    if record.get("key_points"):
        items = "".join(f"<li>{html.escape(p)}</li>" for p in record["key_points"])
        descriptions.append(
            {"role": "keypoints", "contenttype": "text/html", "value": f"<ul>{items}</ul>"}
        )
    bodies = []
    body_html = record.get("body_html") or (_paragraphs_html(body_text) if body_text else "")
    if body_html:
        bodies.append(
            {
                "role": "main",
                "contenttype": "text/html",
                "wordcount": len(body_text.split()),
                "charcount": len(body_text),
                "value": body_html,
            }
        )
    if body_text:
        bodies.append({"role": "main", "contenttype": "text/plain", "value": body_text})
    urgency = record.get("urgency")
    subjects = [s for s in (_subject(x) for x in record.get("subjects") or []) if s]
    out: dict[str, Any] = {
        "uri": article_uri(record.get("id") or ""),
        "standard": NINJS_STANDARD,
        "type": record.get("type") or "text",  # text, picture or graphic
        "representationtype": "full",
        "version": str(record.get("version") or 1),
        "firstcreated": record.get("firstcreated"),
        "versioncreated": record.get("versioncreated"),
        "pubstatus": record.get("pubstatus") or "usable",
        "embargoed": record.get("embargoed"),
        "ednote": record.get("ednote"),
        "copyrightnotice": record.get("copyright_notice"),
        "usageterms": record.get("usage_terms"),
        "urgency": urgency if isinstance(urgency, int) and 1 <= urgency <= 9 else None,
        "language": record.get("language"),
        "headlines": headlines,
        "descriptions": descriptions,
        "bodies": bodies,
        "by": record.get("byline"),
        "located": record.get("dateline"),
        "subjects": subjects,
        "infosources": _infosources(record.get("agencies") or [], first_originates=True),
        "associations": [
            _picture(record, i, img) for i, img in enumerate(record.get("images") or [])
        ]
        + _updates(record),
        "renditions": (
            [{"name": "web", "href": record["url"], "contenttype": "text/html"}]
            if record.get("url")
            else []
        ),
        "altids": [
            {"role": role, "value": record[key]}
            for role, key in (("wire", "id"), ("guid", "guid"))
            if record.get(key)
        ],
    }
    return {k: v for k, v in out.items() if v not in (None, [], "")}


def render_item(record: dict[str, Any] | None, fmt: str) -> Any:
    """One record in a JSON format: ninjs, or the canonical record itself (``wire``)."""
    if record is None:
        return None
    return to_ninjs(record) if fmt == "ninjs" else record


# --- Atom 1.0 -----------------------------------------------------------------------------


def _clean(value: Any) -> str:
    return _NOT_XML.sub("", str(value))


def _el(parent: etree._Element, tag: str, text: Any = None, **attrs: Any) -> etree._Element:
    el = etree.SubElement(parent, tag, {k: _clean(v) for k, v in attrs.items() if v is not None})
    if text is not None:
        el.text = _clean(text)
    return el


def _atom(tag: str) -> str:
    return f"{{{ATOM_NS}}}{tag}"


def _media(tag: str) -> str:
    return f"{{{MEDIA_NS}}}{tag}"


def _wire(tag: str) -> str:
    return f"{{{WIRE_NS}}}{tag}"


def _now() -> str:
    return iso(datetime.now(UTC)) or ""


def _entry(
    parent: etree._Element | None, record: dict[str, Any], change: dict[str, Any] | None = None
) -> etree._Element:
    """An Atom entry for one record; with ``change``, the change feed's seq and kind too."""
    nsmap = {None: ATOM_NS, "media": MEDIA_NS, "wire": WIRE_NS}
    entry = (
        etree.Element(_atom("entry"), nsmap=nsmap)
        if parent is None
        else etree.SubElement(parent, _atom("entry"))
    )
    if record.get("language"):
        entry.set(XML_LANG, _clean(record["language"]))
    _el(entry, _atom("id"), article_uri(record.get("id") or ""))
    _el(entry, _atom("title"), record.get("headline") or "", type="text")
    updated = record.get("versioncreated") or record.get("ingested_at") or _now()
    _el(entry, _atom("updated"), updated)
    if record.get("firstcreated"):
        _el(entry, _atom("published"), record["firstcreated"])
    authors = [record["byline"]] if record.get("byline") else []
    authors = authors or [display_name(c) for c in record.get("agencies") or []]
    for name in authors or ["wire"]:
        author = _el(entry, _atom("author"))
        _el(author, _atom("name"), name)
    if record.get("url"):
        _el(entry, _atom("link"), rel="alternate", type="text/html", href=record["url"])
    for subject in record.get("subjects") or []:
        term = subject.get("code") or subject.get("name")
        if term:
            _el(entry, _atom("category"), term=term, label=subject.get("name"))
    for code in record.get("agencies") or []:
        _el(entry, _atom("category"), scheme="urn:wire:agency", term=code, label=display_name(code))
    rights = "; ".join(filter(None, [record.get("copyright_notice"), record.get("usage_terms")]))
    if rights:
        _el(entry, _atom("rights"), rights, type="text")
    if record.get("lead"):
        _el(entry, _atom("summary"), record["lead"], type="text")
    body_text = record.get("body_text") or ""
    body_html = record.get("body_html") or _paragraphs_html(body_text)
    if body_html:
        _el(entry, _atom("content"), body_html, type="html")
    elif not record.get("url"):
        # RFC 4287 4.1.1: an entry without content has a rel=alternate link; a kill (or any
        # bodiless record) without a URL says what it is instead.
        said = notice_of(record.get("pubstatus") or "") or record.get("lead") or ""
        _el(entry, _atom("content"), said or record.get("headline") or "", type="text")
    for image in record.get("images") or []:
        _media_content(entry, image)
    _el(entry, _wire("pubstatus"), record.get("pubstatus") or "usable")
    _el(entry, _wire("version"), record.get("version") or 1)
    if record.get("kicker"):
        _el(entry, _wire("kicker"), record["kicker"])
    if record.get("dateline"):
        _el(entry, _wire("dateline"), record["dateline"])
    if record.get("urgency") is not None:
        _el(entry, _wire("urgency"), record["urgency"])
    if record.get("ednote"):
        _el(entry, _wire("ednote"), record["ednote"])
    if record.get("embargoed"):
        _el(entry, _wire("embargoed"), record["embargoed"])
    updates = record.get("updates")
    if isinstance(updates, dict) and updates.get("id"):  # the story a lead/update updates
        _el(entry, _wire("updates"), article_uri(updates["id"]), guid=updates.get("guid"))
    if change is not None:
        _el(entry, _wire("seq"), change["seq"])
        _el(entry, _wire("kind"), change["kind"])
    return entry


def _media_content(entry: etree._Element, image: dict[str, Any]) -> None:
    if not image.get("href"):
        return
    content = _el(
        entry,
        _media("content"),
        url=image["href"],
        medium="image",
        type=_media_type(image["href"]),
    )
    if image.get("alt"):
        _el(content, _media("title"), image["alt"], type="plain")
    if image.get("caption"):
        _el(content, _media("description"), image["caption"], type="plain")
    if image.get("credit"):
        _el(content, _media("credit"), image["credit"])
    if image.get("creator") and image.get("creator") != image.get("credit"):
        _el(content, _media("credit"), image["creator"], role="photographer", scheme="urn:ebu")
    if image.get("copyright_holder"):
        _el(content, _media("copyright"), image["copyright_holder"])


def atom_feed(
    *,
    title: str,
    feed_id: str,
    self_url: str,
    records: Iterable[tuple[dict[str, Any], dict[str, Any] | None]],
    next_url: str | None = None,
) -> bytes:
    """An Atom 1.0 feed of (record, change-or-None) pairs, with rel=next for the next page."""
    nsmap = {None: ATOM_NS, "media": MEDIA_NS, "wire": WIRE_NS}
    feed = etree.Element(_atom("feed"), nsmap=nsmap)
    _el(feed, _atom("id"), feed_id)
    _el(feed, _atom("title"), title, type="text")
    updated_el = _el(feed, _atom("updated"), _now())
    _el(feed, _atom("generator"), "wire", uri="https://github.com/wire-ingest")
    _el(feed, _atom("link"), rel="self", type=ATOM_TYPE, href=self_url)
    if next_url:
        _el(feed, _atom("link"), rel="next", type=ATOM_TYPE, href=next_url)
    latest = ""
    for record, change in records:
        entry = _entry(feed, record, change)
        stamp = entry.findtext(_atom("updated")) or ""
        latest = max(latest, stamp)
    if latest:
        updated_el.text = latest
    return etree.tostring(feed, xml_declaration=True, encoding="utf-8", pretty_print=True)


def atom_entry(record: dict[str, Any]) -> bytes:
    """A standalone Atom entry document (RFC 4287 section 4.1.2) for one record."""
    entry = _entry(None, record)
    return etree.tostring(entry, xml_declaration=True, encoding="utf-8", pretty_print=True)
