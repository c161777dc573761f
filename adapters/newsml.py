"""IPTC NewsML-G2 2.x: news items and packages, alone or in a ``newsMessage``.

A message often carries a story together with its pictures, tied by a ``packageItem``
(``groupSet/group/itemRef``) or by the story's own ``itemMeta/link``. Pictures tied to a story
become that story's ``images`` and ``links``; every picture and graphic is also emitted as a
media record of its own (``type`` picture/graphic, caption as body, itself as the image, its
files as renditions), so a picture arriving alone is kept and linked too. Packages are
containers, never articles. Video and audio items are read like text items (their body, if
any; no image). Concept, knowledge, planning and catalog items are not news and are skipped.
One unreadable item becomes a ``Rejected`` carrying the item's XML; the others are still
parsed.

``edNote`` (all of them, joined) goes to ``ednote``; ``itemMeta/embargoed`` to ``embargoed``;
``rightsInfo/usageTerms`` and ``rightsInfo/copyrightNotice`` (in the item's language when
several) to ``usage_terms`` and ``copyright_notice``, on pictures to the image's. Not mapped
because the record has no field for them (yet): ``genre``, ``keyword``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator

from lxml import etree

from wire.adapters.base import FeedSettings
from wire.adapters.nitf import (
    absolute,
    as_int,
    attr,
    date_of,
    primary_language,
    read_body,
    read_xml,
    root_tag,
    xml_lang,
)
from wire.adapters.xmlsafe import localname, remove_keeping_tail, text_of
from wire.errors import AdapterError
from wire.normalise.credits import parse_credit, split_caption
from wire.normalise.storykey import UPDATES_REL, story_link
from wire.record import Article, Image, Link, ParseResult, PubStatus, Rejected, Rendition, Subject

NAR = "http://iptc.org/std/nar/2006-10-01/"
_ROOTS = ("newsMessage", "newsItem", "packageItem")
_NEWS = ("newsItem", "packageItem")
_PICTURE_CLASSES = ("picture", "graphic")
_STATUS: dict[str, PubStatus] = {"usable": "usable", "withheld": "withheld", "canceled": "canceled"}

# Headline roles that mean "the line above the headline" (no single IPTC code; agencies vary).
_KICKER_ROLES = {"overline", "kicker", "catchline", "dachzeile", "spitzmarke", "surtitre"}
_SUB_ROLES = {"sub", "subheadline", "subtitle", "subline", "deck", "standfirst"}
_LEAD_DESCRIPTIONS = {"summary", "teaser", "abstract", "lead", "intro"}
_LEAD_CLASSES = {"lead", "teaser", "summary", "intro", "abstract", "standfirst"}
# infoSource order: the originator first (an "orig..." role, or no role at all: NewsML-G2 says
# "if a party did anything other than originate information a role ... must be applied"), then
# content sources (whose material went in), then suppliers, distributors and the like.
_ORIGIN_ROLES = re.compile(r"orig", re.IGNORECASE)
_CONTENT_ROLES = re.compile(r"contentsource|infosource", re.IGNORECASE)
# remoteContent renditions in order of preference when sizes do not decide.
_RENDITIONS = {
    "highres": 5, "print": 4, "original": 4, "preview": 3, "web": 2, "thumb": 0, "thumbnail": 0,
}  # fmt: skip


class ItemError(ValueError):
    """One item cannot become a record; the message is the reject reason."""


# ---------------------------------------------------------------------------------------------
# Small readers.


def _q(name: str) -> str:
    return f"{{{NAR}}}{name}"


def _all(el: etree._Element | None, path: str) -> Iterator[etree._Element]:
    """Elements along a ``/`` path of NewsML-G2 names (direct children at each step)."""
    if el is None:
        return
    head, _, rest = path.partition("/")
    for c in el.iterchildren(_q(head)):
        if rest:
            yield from _all(c, rest)
        else:
            yield c


def _one(el: etree._Element | None, path: str) -> etree._Element | None:
    return next(_all(el, path), None)


def _text(el: etree._Element | None, path: str) -> str | None:
    return text_of(_one(el, path))


def _code(value: str | None) -> str:
    """The local part of a QCode or URI: "stat:usable" -> "usable", ".../ninature/text"."""
    value = (value or "").strip()
    return re.split(r"[:/#]", value.rstrip("/"))[-1].lower() if value else ""


def _qcode(el: etree._Element | None) -> str | None:
    return attr(el, "qcode") or attr(el, "uri")


def _roles(el: etree._Element) -> set[str]:
    return {_code(r) for r in (el.get("role") or el.get("roleuri") or "").split() if r}


def _party(el: etree._Element | None) -> str | None:
    """A party's name: ``name`` child, else ``@literal``, else the QCode's local part."""
    if el is None:
        return None
    name = _text(el, "name") or attr(el, "literal")
    if name:
        return name
    code = _qcode(el)
    return re.split(r"[:/#]", code.rstrip("/"))[-1] if code else None


def _in_language(elements: Iterator[etree._Element], language: str | None) -> str | None:
    """The text of the element in ``language``, else of one without a language, else the first."""
    found = [(primary_language(xml_lang(e)), text_of(e)) for e in elements]
    found = [(lang, text) for lang, text in found if text]
    for wanted in (language, None):
        for lang, text in found:
            if lang == wanted:
                return text
    return found[0][1] if found else None


def _name_in(el: etree._Element, language: str | None) -> str | None:
    """The ``name`` child in the item's language, else one without a language, else the first."""
    return _in_language(_all(el, "name"), language)


def _rights_text(item: etree._Element, name: str, language: str | None) -> str | None:
    """``rightsInfo/<name>`` in the item's language (an item may carry several blocks)."""
    return _in_language(_all(item, f"rightsInfo/{name}"), language)


# ---------------------------------------------------------------------------------------------
# Item metadata.


def _item_class(item: etree._Element) -> str:
    if localname(item) == "packageItem":
        return "composite"
    return _code(_qcode(_one(item, "itemMeta/itemClass"))) or "text"


def _version(item: etree._Element) -> tuple[int, bool]:
    raw = attr(item, "version")
    if raw is None:
        return 1, False
    number = as_int(raw)
    if number is None or number < 1:
        raise ItemError(f"item version {raw!r} is not a whole number of 1 or more")
    return number, True


def _pubstatus(item: etree._Element) -> PubStatus:
    el = _one(item, "itemMeta/pubStatus")
    if el is None:
        return "usable"  # the NewsML-G2 default
    word = _code(_qcode(el))
    status = _STATUS.get(word)
    if status is None:
        raise ItemError(f"unknown pubStatus {_qcode(el)!r}")
    return status


def _language(item: etree._Element) -> str | None:
    meta = _one(item, "contentMeta")
    candidates = [
        attr(_one(meta, "language"), "tag"),
        xml_lang(item),
        xml_lang(meta),
        *(xml_lang(c) for c in _all(item, "contentSet/inlineXML")),
    ]
    return next((lang for lang in map(primary_language, candidates) if lang), None)


def _headlines(
    meta: etree._Element | None, language: str | None
) -> tuple[str, str | None, str | None]:
    """(headline, kicker, sub-headline) from ``contentMeta/headline`` roles."""
    main: list[tuple[int, int, int, str]] = []
    kicker = sub = None
    for i, el in enumerate(_all(meta, "headline")):
        text = text_of(el)
        if not text:
            continue
        roles = _roles(el)
        if roles & _KICKER_ROLES:
            kicker = kicker or text
        elif roles & _SUB_ROLES:
            sub = sub or text
        else:
            lang_miss = int(
                bool(language) and primary_language(xml_lang(el)) not in (None, language)
            )
            rank = as_int(attr(el, "rank")) or 0
            main.append((lang_miss, rank, i, text))
    headline = min(main)[3] if main else ""
    return headline, kicker, sub


def _subjects(meta: etree._Element | None, language: str | None) -> list[Subject]:
    subjects: list[Subject] = []
    for el in _all(meta, "subject"):
        subject = Subject(code=_qcode(el), name=_name_in(el, language))
        if (subject.code or subject.name) and subject not in subjects:
            subjects.append(subject)
    return subjects


def _description(meta: etree._Element | None, roles: set[str]) -> str | None:
    for el in _all(meta, "description"):
        if _roles(el) & roles:
            return text_of(el)
    return None


def _credit_strings(
    item: etree._Element, signed: list[str] | None = None, carriers: list[str] | None = None
) -> list[str]:
    """Originating sources first, then other information sources, an inline NITF tagline
    (``signed``), the creditline's agencies, NITF distributors (``carriers``) and the provider
    last; normalisation resolves these into agency codes."""
    meta = _one(item, "contentMeta")
    sources = []
    for i, el in enumerate(_all(meta, "infoSource")):
        roles = _roles(el)
        if not roles or any(_ORIGIN_ROLES.search(r) for r in roles):
            rank = 0
        elif any(_CONTENT_ROLES.search(r) for r in roles):
            rank = 1
        else:
            rank = 2
        name = _party(el)
        if name:
            sources.append((rank, i, name))
    credits = [name for _, _, name in sorted(sources)] + list(signed or [])
    creditline = _text(meta, "creditline")
    if creditline:
        # Only the agencies: a creditline also names photographers, who are not sources.
        credits += list(parse_credit(creditline).agencies)
    credits += list(carriers or [])
    provider = _party(_one(item, "itemMeta/provider"))
    if provider:
        credits.append(provider)
    return credits


# ---------------------------------------------------------------------------------------------
# Content.


def _strip_namespaces(el: etree._Element) -> etree._Element:
    el = copy.deepcopy(el)
    for node in el.iter():
        if isinstance(node.tag, str):
            node.tag = localname(node)
            for key in [k for k in node.attrib if k.startswith("{")]:
                del node.attrib[key]
    etree.cleanup_namespaces(el)
    return el


def _xhtml(html_el: etree._Element) -> tuple[str | None, str | None]:
    """(body HTML, lead) from an XHTML document: the page header (which repeats the headline
    and byline) is dropped, and a lead paragraph (``p.lead``/``p.teaser``) moves to the lead."""
    body = next((b for b in html_el.iter() if localname(b) == "body"), html_el)
    body = _strip_namespaces(body)
    for header in list(body.iter("header")):
        remove_keeping_tail(header)
    lead = None
    for p in body.iter("p"):
        if set((p.get("class") or "").lower().split()) & _LEAD_CLASSES:
            lead = text_of(p)
            remove_keeping_tail(p)
            break
    parts = [(body.text or "").strip()]
    for block in body:
        parts.append(etree.tostring(block, encoding="unicode", method="html", with_tail=False))
        parts.append((block.tail or "").strip())
    html = "\n".join(p for p in parts if p)
    return html or None, lead


def _plain_paragraphs(text: str) -> str:
    """inlineData text: blank lines separate paragraphs; without any, each line is one."""
    text = text.replace("\r\n", "\n").strip()
    blocks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    return "\n\n".join(" ".join(b.split()) for b in blocks if b.strip())


def _content(item: etree._Element, article: Article, settings: FeedSettings) -> str | None:
    """Fill body/lead/byline/dateline from the best ``contentSet`` rendition; returns a lead
    found in the body (XHTML lead paragraph or NITF abstract)."""
    content_set = _one(item, "contentSet")
    if content_set is None:
        return None
    xhtml = nitf = html_data = text_data = None
    for el in content_set:
        name = localname(el)
        ctype = (el.get("contenttype") or "").lower()
        if name == "inlineXML":
            inner = next((c for c in el if isinstance(c.tag, str)), None)
            if inner is not None and localname(inner) == "html" and xhtml is None:
                xhtml = inner
            elif inner is not None and localname(inner) == "nitf" and nitf is None:
                nitf = inner
        elif name == "inlineData":
            if "html" in ctype and html_data is None:
                html_data = el.text or ""
            elif ctype in ("", "text/plain") and text_data is None:
                text_data = el.text or ""
    if xhtml is not None:
        article.body_html, lead = _xhtml(xhtml)
        return lead
    if nitf is not None:
        parts = read_body(nitf, settings)
        article.body_html, article.body_text = parts.body_html, parts.body_text
        article.headline = article.headline or parts.headline or ""
        article.byline = article.byline or parts.byline
        article.dateline = article.dateline or parts.dateline
        article.images += parts.images
        article.credit_strings = _credit_strings(item, parts.signed, parts.distributors)
        return parts.lead or parts.subheadline
    if html_data and html_data.strip():
        article.body_html = html_data.strip()
    elif text_data:
        article.body_text = _plain_paragraphs(text_data)
    return None


def _rendition_href(item: etree._Element, settings: FeedSettings) -> str | None:
    """The largest picture rendition (by pixels, then by rendition name: highRes first)."""
    best: tuple[int, int, int] | None = None
    href = None
    for i, rc in enumerate(_all(item, "contentSet/remoteContent")):
        link = attr(rc, "href")
        ctype = (attr(rc, "contenttype") or "image/").lower()
        if not link or not ctype.startswith("image/"):
            continue
        area = (as_int(attr(rc, "width")) or 0) * (as_int(attr(rc, "height")) or 0)
        rank = _RENDITIONS.get(_code(attr(rc, "rendition")), 1)
        key = (area, rank, -i)
        if best is None or key > best:
            best, href = key, link
    return absolute(href, settings)


def _renditions(item: etree._Element, settings: FeedSettings) -> list[Rendition]:
    """Every image file of a picture item, as listed (``contentSet/remoteContent``)."""
    out = []
    for rc in _all(item, "contentSet/remoteContent"):
        href = absolute(attr(rc, "href"), settings)
        ctype = attr(rc, "contenttype")
        if href and (ctype or "image/").lower().startswith("image/"):
            out.append(
                Rendition(
                    href=href,
                    name=re.split(r"[:/]", attr(rc, "rendition") or "")[-1] or None,
                    contenttype=ctype,
                    width=as_int(attr(rc, "width")),
                    height=as_int(attr(rc, "height")),
                )
            )
    return out


def picture_image(item: etree._Element, settings: FeedSettings) -> Image:
    """A picture item as an Image: caption, creditline, creator and rights kept apart."""
    meta = _one(item, "contentMeta")
    language = _language(item)
    headline, _, _ = _headlines(meta, language)
    caption = _description(meta, {"caption"}) or next(
        (t for t in (text_of(d) for d in _all(meta, "description")) if t), None
    )
    return Image(
        href=_rendition_href(item, settings),
        alt=headline or _text(item, "itemMeta/title"),
        caption=caption,
        credit=_text(meta, "creditline"),
        creator=_text(meta, "by") or _party(_one(meta, "creator")),
        copyright_holder=_party(_one(item, "rightsInfo/copyrightHolder")),
        usage_terms=_rights_text(item, "usageTerms", language),
        copyright_notice=_rights_text(item, "copyrightNotice", language),
    )


# ---------------------------------------------------------------------------------------------
# Items to records.


def _base(item: etree._Element, settings: FeedSettings) -> Article:
    """What every news item says about itself, whatever its content."""
    guid = attr(item, "guid")
    if not guid:
        raise ItemError(f"{localname(item)} has no guid")
    version, from_source = _version(item)
    meta = _one(item, "contentMeta")
    language = _language(item)
    headline, kicker, _ = _headlines(meta, language)
    first = _text(item, "itemMeta/firstCreated") or _text(meta, "contentCreated")
    urgency = as_int(_text(meta, "urgency"))
    located = _one(meta, "located")
    return Article(
        guid=guid,
        version=version,
        source_version=from_source,
        pubstatus=_pubstatus(item),
        kicker=kicker or _text(meta, "slugline"),
        headline=headline,
        dateline=_text(meta, "dateline")
        or (_text(located, "name") if located is not None else None),
        byline=_text(meta, "by"),
        ednote=" ".join(filter(None, (text_of(n) for n in _all(item, "itemMeta/edNote")))) or None,
        subjects=_subjects(meta, language),
        urgency=urgency if urgency is not None and 0 <= urgency <= 9 else None,
        firstcreated=date_of(first, settings),
        versioncreated=date_of(_text(item, "itemMeta/versionCreated"), settings),
        language=language,
        credit_strings=_credit_strings(item),
        embargoed=date_of(_text(item, "itemMeta/embargoed"), settings),
        usage_terms=_rights_text(item, "usageTerms", language),
        copyright_notice=_rights_text(item, "copyrightNotice", language),
    )


def story_article(
    item: etree._Element, pictures: list[etree._Element], settings: FeedSettings
) -> Article:
    """A text item with the pictures tied to it; ItemError carries a reject reason.

    The pictures are the story's ``images`` and its ``links`` (by guid), and its own
    ``itemMeta/link`` references to other items are links too: the media records they name
    may come in another message, before or after this one.
    """
    article = _base(item, settings)
    article.links = [Link(attr(p, "guid") or "", _item_class(p)) for p in pictures]
    for link in _all(item, "itemMeta/link"):
        ref = attr(link, "residref")
        if ref and all(x.guid != ref for x in article.links):
            rel = _code(attr(link, "rel")) or "link"
            # irel:previousVersion names the story this item updates under its new guid.
            article.links.append(Link(ref, UPDATES_REL if rel == "previousversion" else rel))
    meta = _one(item, "contentMeta")
    key, signals = story_link(_text(meta, "slugline"))
    if key is not None:
        article.links.append(key)
    article.signals = list(dict.fromkeys([*article.signals, *signals]))
    _, _, sub = _headlines(meta, article.language)
    body_lead = _content(item, article, settings)
    article.lead = body_lead or _description(meta, _LEAD_DESCRIPTIONS) or sub
    article.images = [picture_image(p, settings) for p in pictures] + article.images
    article.images += _linked_images(item, settings)
    article.headline = article.headline or _text(item, "itemMeta/title") or ""
    has_body = bool(article.body_text or article.body_html)
    if not article.headline and not has_body and article.pubstatus != "canceled":
        raise ItemError("the item has neither a headline nor a body")
    return article


def picture_article(item: etree._Element, settings: FeedSettings) -> Article:
    """A picture or graphic as a media record: its caption is the body (so it is found by
    search), the picture with its credit is its one image, its files are its renditions."""
    article = _base(item, settings)
    article.type = "graphic" if _item_class(item) == "graphic" else "picture"
    article.renditions = _renditions(item, settings)
    article.headline = article.headline or _text(item, "itemMeta/title") or ""
    image = picture_image(item, settings)
    # The body is the caption as a reader sees it; the credit stays on the image.
    article.body_text = split_caption(image.caption or "")[0]
    article.images = [image]
    if not article.headline and not article.body_text:
        raise ItemError("the picture item has neither a headline nor a caption")
    return article


def _linked_images(item: etree._Element, settings: FeedSettings) -> list[Image]:
    """``itemMeta/link`` straight to an image file (not to an item in this message)."""
    images = []
    for link in _all(item, "itemMeta/link"):
        href = attr(link, "href")
        if href and (attr(link, "contenttype") or "").lower().startswith("image/"):
            images.append(Image(href=absolute(href, settings), alt=attr(link, "title")))
    return images


def _items(root: etree._Element) -> list[etree._Element]:
    name = localname(root)
    if root.tag not in {_q(n) for n in _ROOTS}:
        namespace = etree.QName(root).namespace or "no namespace"
        raise AdapterError(
            f"not a NewsML-G2 document: the root element is <{name}> in {namespace}, "
            f"expected newsMessage, newsItem or packageItem in {NAR}"
        )
    if name != "newsMessage":
        return [root]
    wanted = {_q(n) for n in _NEWS}
    return [el for item_set in _all(root, "itemSet") for el in item_set if el.tag in wanted]


def _ties(items: list[etree._Element]) -> dict[str, list[str]]:
    """story guid -> picture guids, from packages (in group order) and the story's links."""
    kinds = {attr(i, "guid"): _item_class(i) for i in items if attr(i, "guid")}
    stories = {g for g, k in kinds.items() if k not in (*_PICTURE_CLASSES, "composite")}
    pictures = {g for g, k in kinds.items() if k in _PICTURE_CLASSES}
    ties: dict[str, list[str]] = {}

    def tie(story: str, picture: str) -> None:
        if picture not in ties.setdefault(story, []):
            ties[story].append(picture)

    for item in items:
        guid = attr(item, "guid")
        if localname(item) == "packageItem":
            refs = [attr(r, "residref") for r in item.iter(_q("itemRef"))]
            for story in (r for r in refs if r in stories):
                for picture in (r for r in refs if r in pictures):
                    tie(story, picture)  # type: ignore[arg-type]
        elif guid in stories:
            for link in _all(item, "itemMeta/link"):
                ref = attr(link, "residref")
                if ref in pictures:
                    tie(guid, ref)  # type: ignore[arg-type]
    return ties


class NewsMLAdapter:
    """NewsML-G2 2.x in the 2006-10-01 namespace (``newsMessage``, ``newsItem``,
    ``packageItem``); text stories in XHTML, NITF or plain text, pictures by reference."""

    name = "newsml"

    def sniff(self, data: bytes, filename: str | None = None) -> float:
        tag, head = root_tag(data)
        if tag not in _ROOTS:
            return 0.0
        # The right root in another (or no visible) namespace: too weak to pick on its own.
        return 1.0 if NAR.encode() in head else 0.1

    def parse(self, data: bytes, settings: FeedSettings) -> list[ParseResult]:
        if len(data) > settings.max_bytes:
            raise AdapterError(
                f"payload of {len(data)} bytes is above the {settings.max_bytes} limit"
            )
        items = _items(read_xml(data))
        ties = _ties(items)
        by_guid = {attr(i, "guid"): i for i in items if attr(i, "guid")}
        results: list[ParseResult] = []
        for item in items:
            guid = attr(item, "guid")
            kind = _item_class(item)
            if kind == "composite":
                continue
            try:
                if kind in _PICTURE_CLASSES:
                    results.append(picture_article(item, settings))
                else:
                    pictures = [by_guid[g] for g in ties.get(guid or "", [])]
                    results.append(story_article(item, pictures, settings))
            except Exception as exc:  # one bad item must not cost the others
                reason = str(exc) if isinstance(exc, ItemError) else f"unreadable item: {exc!r}"
                raw = etree.tostring(item, encoding="utf-8")
                results.append(Rejected(reason=reason, raw=raw, guid=guid))
        return results


ADAPTER = NewsMLAdapter()
