"""ninjs 1.x, 2.x and 3.x (IPTC News in JSON) and dpa-digitalwires entries into raw articles.

One mapper reads all four shapes because real feeds mix them: ninjs 1.x (``headline``,
``body_html``, ``associations`` as an object), ninjs 2.x (``headlines``/``bodies`` lists,
``associations`` as a list), ninjs 3.x (2.x with camelCase keys: ``versionCreated``,
``contentType``, ``infoSources``; read by lower-casing its keys, see :func:`ninjs_major`) and
dpa-digitalwires (``urn``, ``article_html``, ``teaser``, ``categories``). A payload is one
object, an array of them, or a wrapper such as the wireQ response ``{"entries": [...]}``.
An item with wrongly typed fields is rejected on its own; the rest of the batch is still read.
"""

from __future__ import annotations

import json
import math
import re
import reprlib
from datetime import datetime
from typing import Any

from wire.adapters.base import FeedSettings
from wire.errors import AdapterError
from wire.normalise.agencies import is_known, resolve_agency, split_agencies
from wire.normalise.credits import split_caption
from wire.normalise.dates import parse_date
from wire.normalise.storykey import UPDATES_REL, story_link
from wire.normalise.text import html_to_text
from wire.record import Article, Image, Link, ParseResult, PubStatus, Rejected, Rendition, Subject

# Keys whose presence in the first bytes marks a ninjs or digitalwires payload.
_MARKERS = (
    b'"uri"', b'"headline"', b'"headlines"', b'"versioncreated"', b'"firstcreated"',
    b'"body_html"', b'"body_text"', b'"bodies"', b'"pubstatus"', b'"entry_id"', b'"urn"',
    b'"version_created"', b'"article_html"', b'"associations"', b'"description_text"',
    b'"versionCreated"', b'"firstCreated"', b'"contentCreated"', b'"pubStatus"',
)  # fmt: skip
# Keys only ninjs 3.x spells in camelCase (2.x writes them in lower case).
_V3_KEYS = ("versionCreated", "firstCreated", "contentCreated", "pubStatus", "copyrightHolder",
            "copyrightNotice", "usageTerms", "edNote", "infoSources", "representationType",
            "altIds", "trustIndicators", "rightsInfo")  # fmt: skip
_SCHEMA_VERSION = re.compile(r"ninjs-schema_([0-9]{1,3})\.")
_DECLARED_MAJOR = re.compile(r"([0-9]{1,3})(?:\.|$)")
_WRAPPER_KEYS = ("entries", "items", "data")
# Whole numbers (version, urgency) fit the store's 32-bit columns; JSON integers longer than
# _MAX_DIGITS are read as floats (Python refuses to convert integers of over 4,300 digits).
_MAX_WHOLE = 2**31 - 1
_MAX_DIGITS = 100
_ID_KEYS = ("uri", "urn", "guid", "entry_id")
# Pubstatus spellings seen in feeds ("stat:canceled" qcodes lose their prefix first).
_PUBSTATUS: dict[str, PubStatus] = {
    "usable": "usable",
    "withheld": "withheld",
    "canceled": "canceled",
    "cancelled": "canceled",
}
_NOT_ARTICLES = {"video", "audio"}
_MEDIA_TYPES = {"picture", "graphic"}  # items that become media records
_PICTURE_TYPES = {"picture", "image", "graphic"}
_KICKER_ROLES = {"kicker", "overline", "dachzeile", "surtitre", "roofline"}
_LEAD_ROLES = {"", "lead", "summary", "teaser", "abstract", "text", "description", "intro"}
# Subject-like ninjs arrays (all are nar:subject in the schema), 1.x and 2.x spellings.
_SUBJECT_KEYS = ("subject", "subjects", "person", "people", "organisation", "organisations",
                 "place", "places", "event", "events", "object", "objects")  # fmt: skip
# digitalwires category types that are subjects (the rest are routing and workflow data).
_DW_SUBJECT_TYPES = {"dnltype:dpasubject", "dnltype:geosubject", "dnltype:keyword",
                     "dnltype:person", "dnltype:organisation", "dnltype:subject"}  # fmt: skip
# IPTC NewsCodes scheme URIs and their customary qcode aliases.
_IPTC_CV = re.compile(r"^https?://cv\.iptc\.org/newscodes/([^/]+)/?(.*)$")
_CV_ALIASES = {"mediatopic": "medtop", "subjectcode": "subj", "product": "prod"}
# digitalwires dateline: "Berlin (dpa) - ", "New York (dpa/AP) – ".
_DATELINE = re.compile(r"^\s*(?P<place>[^()]*?)\s*(?:\((?P<credit>[^()]{1,60})\))?\s*[-–—:]?\s*$")
_DATELINE_SPAN = re.compile(r'<span\b[^>]*\bclass="dateline"[^>]*>', re.IGNORECASE)
_SPAN_TAG = re.compile(r"<(/?)span\b[^>]*>", re.IGNORECASE)


class _Bad(Exception):
    """One item cannot be mapped; the message is the reject reason."""


def _json_int(literal: str) -> int | float:
    """A JSON integer; an absurdly long one as a float (inf), which no field accepts."""
    return int(literal) if len(literal) <= _MAX_DIGITS else float(literal)


def _show(value: Any) -> str:
    """A value as a reject reason quotes it: short, whatever its size or type."""
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:40] + "…")
    if isinstance(value, float | int) and not isinstance(value, bool):
        return repr(value) if abs(value) < 10**30 else "a number too large to hold"
    return _kind(value)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return "null"


def _str(obj: dict[str, Any], key: str, where: str = "") -> str | None:
    value = obj.get(key)
    if value is None or isinstance(value, str):
        return value
    raise _Bad(f"{where}{key!r} must be a string, not {_kind(value)}")


def _list(obj: dict[str, Any], key: str, where: str = "") -> list[Any]:
    value = obj.get(key)
    if value is None:
        return []
    if isinstance(value, list):
        return value
    raise _Bad(f"{where}{key!r} must be an array, not {_kind(value)}")


def _objects(obj: dict[str, Any], key: str, where: str = "") -> list[dict[str, Any]]:
    items = _list(obj, key, where)
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise _Bad(f"{where}{key!r}[{i}] must be an object, not {_kind(item)}")
    return items


def _whole(obj: dict[str, Any], key: str, where: str = "") -> int | None:
    """A whole number that feeds send as a number or a string ("2")."""
    value = obj.get(key)
    if value is None or value == "":
        return None
    digits = value.strip() if isinstance(value, str) else ""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        number = int(value)
    elif digits.isascii() and digits.isdigit() and len(digits) <= _MAX_DIGITS:
        number = int(digits)  # ASCII only: "²" is a digit to isdigit(), not to int()
    elif digits.isascii() and digits.isdigit():
        raise _Bad(f"{where}{key!r} is too large ({len(digits)} digits)")
    elif isinstance(value, float) and math.isinf(value):  # a JSON number of over 300 digits
        raise _Bad(f"{where}{key!r} is too large (over 300 digits)")
    else:
        raise _Bad(f"{where}{key!r} must be a whole number, not {_show(value)}")
    if number < 0:
        raise _Bad(f"{where}{key!r} must not be negative, got {_show(number)}")
    if number > _MAX_WHOLE:
        raise _Bad(f"{where}{key!r} is too large ({_show(number)}, over {_MAX_WHOLE})")
    return number


def _date(obj: dict[str, Any], key: str, tz: str) -> datetime | None:
    text = _str(obj, key)
    if not text or not text.strip():
        return None
    parsed = parse_date(text, tz)
    if parsed is None:
        raise _Bad(f"{key!r} is not a date: {_show(text)}")
    return parsed


def _text(value: str | None) -> str | None:
    return value if value and value.strip() else None


def _by_role(
    entries: list[dict[str, Any]], where: str, roles: set[str] | None = None
) -> list[tuple[str, str, str]]:
    """(role, contenttype, value) of 2.x headline/description/body entries, roles filtered."""
    out = []
    for entry in entries:
        value = _str(entry, "value", where)
        role = (_str(entry, "role", where) or "").lower()
        ctype = (_str(entry, "contenttype", where) or "").lower()
        if value and (roles is None or role.split(":")[-1] in roles):
            out.append((role, ctype, value))
    return out


def _is_html(role: str, ctype: str) -> bool:
    return "html" in ctype or (not ctype and "html" in role)


def _qcode(scheme: str | None, code: str | None) -> str | None:
    """``medtop:20000106`` from an IPTC scheme URI, ``scheme:code`` or the URI otherwise."""
    if not code:
        return None
    if not scheme:
        m = _IPTC_CV.match(code)
        if m and m.group(2):
            return f"{_CV_ALIASES.get(m.group(1), m.group(1))}:{m.group(2)}"
        return code
    m = _IPTC_CV.match(scheme)
    if m and not m.group(2):
        return f"{_CV_ALIASES.get(m.group(1), m.group(1))}:{code}"
    if "://" in scheme:
        return f"{scheme.rstrip('/')}/{code}"
    return f"{scheme.rstrip(':')}:{code}"


def _subjects(item: dict[str, Any]) -> list[Subject]:
    out: list[Subject] = []
    for key in _SUBJECT_KEYS:
        for i, entry in enumerate(_list(item, key)):
            where = f"{key}[{i}] "
            if isinstance(entry, str):
                subject = Subject(name=entry)
            elif isinstance(entry, dict):
                name = _str(entry, "name", where)
                code = _qcode(_str(entry, "scheme", where), _str(entry, "code", where))
                code = code or _qcode(None, _str(entry, "uri", where))
                code = code or _str(entry, "literal", where) or _str(entry, "qcode", where)
                subject = Subject(code=code, name=name)
            else:
                raise _Bad(f"{key}[{i}] must be an object, not {_kind(entry)}")
            if (subject.code or subject.name) and subject not in out:
                out.append(subject)
    for entry in _objects(item, "categories"):
        if _str(entry, "type", "categories ") in _DW_SUBJECT_TYPES:
            subject = Subject(code=_str(entry, "qcode"), name=_str(entry, "name"))
            if (subject.code or subject.name) and subject not in out:
                out.append(subject)
    return out


def _renditions(assoc: dict[str, Any], where: str) -> list[dict[str, Any]]:
    raw = assoc.get("renditions")
    if raw is None:
        return []
    if isinstance(raw, dict):  # ninjs 1.x: {name: rendition}
        values = list(raw.values())
        for name, value in raw.items():
            if not isinstance(value, dict):
                raise _Bad(f"{where}rendition {_show(name)} must be an object, not {_kind(value)}")
        return values
    return _objects(assoc, "renditions", where)


def _largest_href(renditions: list[dict[str, Any]], where: str) -> str | None:
    """The biggest rendition's link: by pixel area, then byte size, then list order."""
    best: tuple[float, float] | None = None
    href: str | None = None
    for r in renditions:
        link = _str(r, "href", where) or _str(r, "url", where)
        if not link:
            continue
        w, h, size, size2 = (_measure(r.get(k)) for k in ("width", "height", "sizeinbytes", "size"))
        score = (w * h or w or h, size or size2)
        if best is None or score > best:
            best, href = score, link
    return href


def _measure(value: Any) -> float:
    """A rendition's width, height or size for comparing; 0 when it is no usable number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    try:
        number = float(value)
    except OverflowError:  # an integer beyond any float
        return math.inf
    return number if number > 0 else 0.0  # NaN and negatives count as nothing


def _image(assoc: dict[str, Any], where: str) -> Image:
    headlines = _by_role(_objects(assoc, "headlines", where), where)
    caption = _str(assoc, "description_text", where) or _str(assoc, "caption", where)
    descriptions = _by_role(_objects(assoc, "descriptions", where), where)
    # ninjs 2.x has no creditline field: the credit is a description with role "creditline".
    credit_lines = [v for r, _c, v in descriptions if r.split(":")[-1].endswith("creditline")]
    if not caption:
        plain = [
            v
            for r, c, v in descriptions
            if not _is_html(r, c) and not r.split(":")[-1].endswith("creditline")
        ]
        caption = next(iter(plain), None)
    return Image(
        href=_largest_href(_renditions(assoc, where), where),
        alt=_text(_str(assoc, "headline", where) or next((v for *_, v in headlines), None)),
        caption=_text(caption),
        credit=_text(
            _str(assoc, "creditline", where)
            or next(iter(credit_lines), None)
            or _str(assoc, "copyrightnotice", where)
        ),
        creator=_text(_str(assoc, "byline", where) or _str(assoc, "by", where)),
        copyright_holder=_text(_str(assoc, "copyrightholder", where)),
        usage_terms=_usage_terms(assoc, where),
        copyright_notice=_text(_str(assoc, "copyrightnotice", where)),
    )


def _associations(item: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    raw = item.get("associations")
    if raw is None:
        return []
    if isinstance(raw, dict):  # ninjs 1.x: {name: item}
        pairs = list(raw.items())
    elif isinstance(raw, list):  # ninjs 2.x / digitalwires: [{name?, ...}]
        pairs = [(str(i), a) for i, a in enumerate(raw)]
    else:
        raise _Bad(f"'associations' must be an object or an array, not {_kind(raw)}")
    for name, assoc in pairs:
        if not isinstance(assoc, dict):
            raise _Bad(f"association {_show(name)} must be an object, not {_kind(assoc)}")
    return pairs


def _images(item: dict[str, Any]) -> list[Image]:
    images = []
    for name, assoc in _associations(item):
        where = f"association {_show(name)} "
        kind = (_str(assoc, "type", where) or "").lower()
        if kind in _PICTURE_TYPES:
            images.append(_image(assoc, where))
    return images


def _links(item: dict[str, Any]) -> list[Link]:
    """Associations that name another item by its uri: links the reader resolves by guid."""
    links = []
    for name, assoc in _associations(item):
        where = f"association {name!r} "
        ref = _str(assoc, "uri", where) or _str(assoc, "guid", where)
        if ref and ref.strip():
            kind = (_str(assoc, "type", where) or "").lower()
            links.append(Link(ref.strip(), "picture" if kind == "image" else kind or "link"))
    return links


def _story_links(article: Article, item: dict[str, Any]) -> None:
    """The story this item updates (Superdesk's ``evolvedfrom``: the guid of the item it was
    rewritten from) and the story key of its ``slugline``, with the slugline's status words
    as signals."""
    previous = _str(item, "evolvedfrom")
    if previous and previous.strip() and previous.strip() != article.guid:
        article.links.append(Link(previous.strip(), UPDATES_REL))
    key, signals = story_link(_str(item, "slugline"))
    if key is not None:
        article.links.append(key)
    article.signals = list(dict.fromkeys([*article.signals, *signals]))


def _rendition_list(item: dict[str, Any]) -> list[Rendition]:
    out = []
    for r in _renditions(item, ""):
        href = _str(r, "href") or _str(r, "url")
        if href:
            width, height = _whole(r, "width"), _whole(r, "height")
            ctype = _str(r, "contenttype") or _str(r, "mimetype")
            out.append(Rendition(href, _str(r, "name") or _str(r, "rel"), ctype, width, height))
    return out


def _media(article: Article, item: dict[str, Any], kind: str) -> Article:
    """A picture or graphic item as a media record: the item is its own image, its caption
    (credit split off) the body a search finds, its files the renditions."""
    image = _image(item, "")
    article.type = "graphic" if kind == "graphic" else "picture"
    article.images = [image]
    article.renditions = _rendition_list(item)
    article.body_text = split_caption(image.caption or "")[0] or article.body_text
    article.lead = None if article.lead == image.caption else article.lead
    if not (article.headline or article.body_text or image.href):
        raise _Bad(f"the {kind} item has neither a headline, a caption nor a rendition")
    return article


def _split_dateline(text: str | None) -> tuple[str | None, str | None]:
    """("Berlin", "dpa") from "Berlin (dpa) - "; a plain place name passes through."""
    if not text or not text.strip():
        return None, None
    m = _DATELINE.match(text)
    credit = m.group("credit") if m else None
    if not m or (credit and not any(is_known(c) for c in split_agencies(credit))):
        return text.strip(" \t-–—:") or None, None  # "Paris (France)" stays whole
    return (m.group("place") or None), credit


def _drop_dateline_span(html: str) -> tuple[str, str | None]:
    """digitalwires repeats the dateline as ``<span class="dateline">`` in the body: cut it."""
    start = _DATELINE_SPAN.search(html)
    if not start:
        return html, None
    depth = 0
    for tag in _SPAN_TAG.finditer(html, start.start()):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            inner = re.sub(r"<[^>]+>", "", html[start.end() : tag.start()])
            return html[: start.start()] + html[tag.end() :], inner
    return html, None


def _byline_agency(byline: str | None) -> str | None:
    """The agency closing a byline ("Von Anna Muster, dpa"), only when it is a known one."""
    if not byline or "," not in byline:
        return None
    tail = byline.rsplit(",", 1)[1].strip()
    code = resolve_agency(tail)
    return tail if code and is_known(code) else None


def _infosources(item: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Info source names split into (originating, others) by their role."""
    first: list[str] = []
    rest: list[str] = []
    entries = [*_objects(item, "infosource"), *_objects(item, "infosources")]
    entries += [c for c in _objects(item, "categories") if c.get("type") == "dnltype:infosource"]
    for entry in entries:
        name = _str(entry, "name", "infosource ") or _str(entry, "literal", "infosource ")
        role = (_str(entry, "role") or _str(entry, "rel") or "").lower()
        if name:
            (first if "orig" in role or "contentsource" in role else rest).append(name)
    return first, rest


def _credits(item: dict[str, Any], dateline_credit: str | None, byline: str | None) -> list[str]:
    """Attribution strings, the originating agency first (normalisation resolves them)."""
    originating, others = _infosources(item)
    providers = [
        name
        for c in _objects(item, "categories")
        if c.get("type") == "dnltype:provider" and (name := _str(c, "name"))
    ]
    ordered = [
        *originating,
        dateline_credit,
        _byline_agency(byline),
        _str(item, "copyrightholder"),
        _str(item, "creditline"),
        *others,
        *providers,
    ]
    out: list[str] = []
    for credit in ordered:
        if credit and credit.strip() and credit.strip() not in out:
            out.append(credit.strip())
    return out


def _guid(item: dict[str, Any]) -> str:
    for key in _ID_KEYS:
        value = _str(item, key)
        if value and value.strip():
            return value.strip()
    raise _Bad("item has no identifier (uri, urn, guid or entry_id)")


def _pubstatus(item: dict[str, Any]) -> PubStatus:
    raw = _str(item, "pubstatus")
    if raw is None or not raw.strip():
        return "usable"
    status = _PUBSTATUS.get(raw.strip().lower().split(":")[-1])
    if status is None:
        raise _Bad(f"unknown pubstatus {_show(raw)} (expected usable, withheld or canceled)")
    return status


def ninjs_major(item: dict[str, Any]) -> int:
    """The ninjs major version of an item: its ``$schema``/``standard``, else its key style
    (camelCase keys are 3.x, ``headlines``/``bodies`` lists 2.x, else 1.x)."""
    standard = item.get("standard")
    declared = standard.get("version") if isinstance(standard, dict) else None
    schema = item.get("$schema") or (standard.get("schema") if isinstance(standard, dict) else "")
    # A major version of at most a few ASCII digits: a 5,000-digit or "²" version is no
    # version, and int() would refuse it (over 4,300 digits) or misread it.
    m = _DECLARED_MAJOR.match(declared) if isinstance(declared, str) else None
    if m:
        return int(m.group(1))
    m = _SCHEMA_VERSION.search(schema) if isinstance(schema, str) else None
    if m:
        return int(m.group(1))
    if any(key in item for key in _V3_KEYS):
        return 3
    return (
        2 if isinstance(item.get("headlines"), list) or isinstance(item.get("bodies"), list) else 1
    )


def _usage_terms(obj: dict[str, Any], where: str = "") -> str | None:
    """``usageterms`` (3.x ``usageTerms``), else the address ``rightsinfo.linkedrights``
    (3.x ``rightsInfo.linkedRights``) points to for the terms; ``encodedrights`` is a
    machine rights expression (ODRL), no statement a desk can read."""
    stated = _text(_str(obj, "usageterms", where))
    rights = obj.get("rightsinfo")
    if stated or not isinstance(rights, dict):
        return stated
    return _text(_str(rights, "linkedrights", f"{where}rightsinfo: "))


def _lower_keys(value: Any) -> Any:
    """ninjs 3.x as 2.x: every object key in lower case ("versionCreated" -> "versioncreated")."""
    if isinstance(value, dict):
        return {str(k).lower(): _lower_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower_keys(v) for v in value]
    return value


def _article(item: dict[str, Any], settings: FeedSettings) -> Article:
    if ninjs_major(item) >= 3:
        item = _lower_keys(item)
    guid = _guid(item)
    kind = (_str(item, "type") or "").lower()
    if kind in _NOT_ARTICLES:
        raise _Bad(f"a ninjs {kind} item is not an article")
    version = _whole(item, "version")
    urgency = _whole(item, "urgency")
    headlines = _by_role(_objects(item, "headlines"), "headlines ")
    descriptions = _by_role(_objects(item, "descriptions"), "descriptions ", _LEAD_ROLES)
    bodies = _by_role(_objects(item, "bodies"), "bodies ")
    main = [v for r, _, v in headlines if r.split(":")[-1] == "main"]
    main += [v for r, _, v in headlines if r.split(":")[-1] not in _KICKER_ROLES]
    kickers = [v for r, _, v in headlines if r.split(":")[-1] in _KICKER_ROLES]
    headline = _str(item, "headline")
    kicker = _str(item, "kicker") or _str(item, "headline_kicker") or next(iter(kickers), None)
    lead = _str(item, "teaser") or _str(item, "description_text")
    lead = lead or next((v for r, c, v in descriptions if not _is_html(r, c)), None)
    lead_html = _str(item, "description_html") or next(
        (v for r, c, v in descriptions if _is_html(r, c)), None
    )
    lead = lead or (html_to_text(lead_html) if lead_html else None)
    body_html = _str(item, "body_html") or _str(item, "article_html")
    body_html = body_html or next((v for r, c, v in bodies if _is_html(r, c)), None)
    body_text = _str(item, "body_text")
    body_text = body_text or next((v for r, c, v in bodies if not _is_html(r, c)), None)
    dateline_raw = _str(item, "dateline")
    if body_html:
        body_html, span = _drop_dateline_span(body_html)
        dateline_raw = dateline_raw or span
    place, dateline_credit = _split_dateline(dateline_raw or _str(item, "located"))
    byline = _str(item, "byline") or _str(item, "by")
    article = Article(
        guid=guid,
        version=version if version is not None else 1,
        source_version=version is not None,
        pubstatus=_pubstatus(item),
        kicker=_text(kicker),
        headline=headline or next(iter(main), "") or "",
        lead=_text(lead),
        body_text=body_text or "",
        body_html=_text(body_html),
        language=_text(_str(item, "language")),
        dateline=_text(place),
        byline=_text(byline),
        subjects=_subjects(item),
        urgency=urgency if urgency and 1 <= urgency <= 9 else None,
        ednote=_text(_str(item, "ednote")),
        firstcreated=_date(item, "firstcreated", settings.timezone)
        or _date(item, "contentcreated", settings.timezone),
        versioncreated=(
            _date(item, "versioncreated", settings.timezone)
            or _date(item, "version_created", settings.timezone)
            or _date(item, "updated", settings.timezone)
        ),
        images=_images(item),
        links=_links(item),
        credit_strings=_credits(item, dateline_credit, byline),
        embargoed=_date(item, "embargoed", settings.timezone),
        usage_terms=_usage_terms(item),
        copyright_notice=_text(_str(item, "copyrightnotice")),
    )
    _story_links(article, item)
    if kind in _MEDIA_TYPES:
        return _media(article, item, kind)
    has_text = article.headline.strip() or article.body_text.strip() or article.body_html
    if not has_text and article.pubstatus == "usable":
        raise _Bad("item has neither a headline nor a body")
    return article


def _items(doc: Any) -> list[Any]:
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        if any(key in doc for key in _ID_KEYS):
            return [doc]
        for key in _WRAPPER_KEYS:
            if isinstance(doc.get(key), list):
                return list(doc[key])
        return [doc]
    raise AdapterError(f"the payload is {_kind(doc)} in JSON, not a ninjs object or array")


def _raw(item: Any) -> bytes:
    """An item's JSON for the reject log; a lone surrogate stays the escape it came as."""
    try:
        return json.dumps(item, ensure_ascii=False).encode("utf-8", "backslashreplace")
    except (RecursionError, ValueError):  # nested about as deep as the parser reads
        return reprlib.repr(item).encode("utf-8", "backslashreplace")


def _item_guid(item: Any) -> str | None:
    if isinstance(item, dict):
        for key in _ID_KEYS:
            if isinstance(item.get(key), str) and item[key].strip():
                return str(item[key]).strip()
    return None


class NinjsAdapter:
    """ninjs 1.x/2.x/3.x and dpa-digitalwires JSON."""

    name = "ninjs"

    def sniff(self, data: bytes, filename: str | None = None) -> float:
        head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
        if head[:1] not in (b"{", b"["):
            return 0.0
        hits = sum(marker in head for marker in _MARKERS)
        if hits >= 2:
            return 0.9
        return 0.5 if hits == 1 else 0.1

    def parse(self, data: bytes, settings: FeedSettings) -> list[ParseResult]:
        if len(data) > settings.max_bytes:
            raise AdapterError(
                f"the payload is {len(data)} bytes, over the {settings.max_bytes} limit"
            )
        try:
            doc = json.loads(data.decode("utf-8-sig"), parse_int=_json_int)
        except UnicodeDecodeError as exc:
            raise AdapterError(f"the payload is not UTF-8 text: {exc.reason}") from None
        except json.JSONDecodeError as exc:
            raise AdapterError(
                f"the payload is not valid JSON ({exc.msg}, line {exc.lineno} column {exc.colno})"
            ) from None
        except RecursionError:
            raise AdapterError(
                "the JSON nests deeper than wire reads (about a thousand levels)"
            ) from None
        results: list[ParseResult] = []
        for index, item in enumerate(_items(doc)):
            if not isinstance(item, dict):
                reason = f"item {index} is {_kind(item)}, not a ninjs object"
                results.append(Rejected(reason, _raw(item)))
                continue
            try:
                results.append(_article(item, settings))
            except _Bad as exc:
                results.append(Rejected(f"item {index}: {exc}", _raw(item), _item_guid(item)))
            except Exception as exc:  # a mapping bug costs this item only, never the batch
                reason = f"item {index}: unreadable item: {type(exc).__name__}: {exc}"
                results.append(Rejected(reason, _raw(item), _item_guid(item)))
        return results


ADAPTER = NinjsAdapter()
