"""Finish an adapter's record: clean text, resolve agencies, split credits, dates to UTC.

One pure function, :func:`normalise`; the rules live in the small modules it calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import datetime
from typing import Any

from wire.feedsettings import FeedSettings
from wire.normalise.agencies import Registry, find_signature, registry, resolve_credit
from wire.normalise.credits import apply_credit
from wire.normalise.dates import to_utc
from wire.normalise.rights import rights_in_text
from wire.normalise.status import split_status
from wire.normalise.text import (
    clean_paragraphs,
    clean_text,
    detect_language,
    html_to_text,
    sanitize_html,
)
from wire.record import Article, compute_content_hash, make_id, storable_text


def _clean_opt(value: str | None) -> str | None:
    if value is None:
        return None
    return clean_text(value) or None


@dataclass
class Attribution:
    """Who made an item: agency codes in credit order, the raw names of the unresolved ones,
    and producers that are not agencies."""

    agencies: list[str] = field(default_factory=list)
    unresolved: dict[str, str] = field(default_factory=dict)
    producers: list[str] = field(default_factory=list)


def resolve_attribution(
    article: Article, default_source: str | None, reg: Registry | None = None
) -> Attribution:
    """Explicit codes, then credit strings, then the domain of the item's URL, then the
    feed's default. The feed's default is ops' own code and is kept as given."""
    reg = reg or registry()
    out = Attribution()
    for item in [*article.agencies, *article.credit_strings]:
        for res in resolve_credit(item, reg):
            if res.kind == "producer":
                if res.code not in out.producers:
                    out.producers.append(res.code)
            elif res.code not in out.agencies:
                out.agencies.append(res.code)
                if res.kind == "unresolved":
                    out.unresolved[res.code] = res.name
    if not out.agencies and article.url:
        code = reg.lookup(article.url)
        if code and code not in out.producers:
            out.agencies.append(code)
    if not out.agencies and default_source:
        out.agencies.append(reg.lookup(default_source) or default_source)
    return out


def _apply_status(a: Article) -> None:
    """Status words ("1ST LEAD", "EIL:", "(Eds: ...)") from the headline to signals, the
    editors' note and the urgency (the more urgent of the item's and the words')."""
    status = split_status(a.headline)
    if status.headline == a.headline or not status.headline:
        return
    a.headline = status.headline
    a.signals = list(dict.fromkeys([*a.signals, *status.signals]))
    a.ednote = "; ".join(filter(None, [status.ednote, a.ednote])) or None
    if status.urgency is not None:
        a.urgency = min(a.urgency or status.urgency, status.urgency)


def _storable(value: Any) -> Any:
    """A copy with every string made storable (:func:`wire.record.storable_text`): no later
    step (the sanitiser, the hash, the store) then meets a lone surrogate or a NUL."""
    if isinstance(value, str):
        return storable_text(value)
    if isinstance(value, list):
        return [_storable(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: _storable(getattr(value, f.name)) for f in fields(value)})
    return value


def _copy(article: Article) -> Article:
    """``copy.copy`` of a record, without its pickling protocol (the same shallow copy)."""
    cls = type(article)
    new = cls.__new__(cls)
    new.__dict__.update(article.__dict__)
    return new


def all_text(value: Any) -> str:
    """Every string of a record (lists and nested records included) in one string, so one
    regular-expression search can tell that none needs mending (the usual case)."""
    parts: list[str] = []
    _collect(value, parts)
    return "\x1f".join(parts)


def _collect(value: Any, parts: list[str]) -> None:
    append = parts.append
    for v in vars(value).values():
        kind = type(v)
        if kind is str:
            append(v)
        elif kind is list:
            for x in v:
                if type(x) is str or isinstance(x, str):
                    append(x)
                elif hasattr(type(x), "__dataclass_fields__"):
                    _collect(x, parts)
        elif v is None or kind in _SCALARS:
            continue
        elif isinstance(v, str):
            append(v)
        elif hasattr(kind, "__dataclass_fields__"):
            _collect(v, parts)


_SCALARS = frozenset({int, bool, float, dict, datetime})  # no text of a record's to collect


def normalise(
    article: Article, settings: FeedSettings, now: datetime, text: str | None = None
) -> Article:
    """The canonical form of one record; ``now`` is the ingest time (UTC); ``text`` is
    ``all_text(article)`` when the caller has it already."""
    text = all_text(article) if text is None else text
    clean = storable_text(text) is text
    a: Article = _copy(article) if clean else _storable(article)
    a.feed = settings.feed
    a.kicker = _clean_opt(a.kicker)
    a.headline = clean_text(a.headline or "")
    a.lead = _clean_opt(a.lead)
    a.dateline = _clean_opt(a.dateline)
    if a.dateline:
        a.dateline = a.dateline.rstrip(" ,;:-–—") or None
    a.byline = _clean_opt(a.byline)
    a.ednote = _clean_opt(a.ednote)
    _apply_status(a)
    a.key_points = [p for p in (clean_text(k) for k in a.key_points) if p]
    if a.body_html:
        a.body_html = sanitize_html(a.body_html)
        if not a.body_text:
            a.body_text = html_to_text(a.body_html)
    a.body_text = clean_paragraphs(a.body_text or "")
    # A trailing agency signature ("... (sda/dpa)") is attribution, not story text.
    signature = find_signature(a.body_text)
    if signature:
        a.body_text, codes = signature
        a.credit_strings = [*a.credit_strings, *codes]
    attribution = resolve_attribution(a, settings.source, registry(settings.agencies))
    a.agencies, a.producers = attribution.agencies, attribution.producers
    a.unresolved_agencies = attribution.unresolved
    a.source = a.agencies[0] if a.agencies else None
    a.images = [apply_credit(img) for img in a.images]
    a.firstcreated = to_utc(a.firstcreated, settings.timezone)
    a.versioncreated = to_utc(a.versioncreated, settings.timezone)
    a.firstcreated = a.firstcreated or a.versioncreated
    a.versioncreated = a.versioncreated or a.firstcreated
    a.ingested_at = now
    # Embargo and usage lines in the copy itself (IPTC 7901, agency RSS), when no field said;
    # the note as sent, before cleaning joined its lines.
    in_text = rights_in_text(
        [article.ednote, article.lead, a.body_text],
        reference=a.versioncreated or now,
        tz=settings.timezone,
    )
    a.embargoed = to_utc(a.embargoed, settings.timezone) or in_text.embargoed
    a.usage_terms = _clean_opt(a.usage_terms) or in_text.usage_terms
    a.copyright_notice = _clean_opt(a.copyright_notice)
    if not a.language:
        a.language = settings.language or detect_language(
            " ".join(filter(None, [a.headline, a.lead, a.body_text]))
        )
    a.guid = a.guid.strip()
    a.id = make_id(settings.source or a.source or settings.feed, a.guid)
    a.content_hash = compute_content_hash(a)
    return a
