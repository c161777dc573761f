"""Finish an adapter's record: clean text, resolve agencies, split credits, dates to UTC.

One pure function, :func:`normalise`; the rules live in the small modules it calls.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from wire.config import FeedSettings
from wire.normalise.agencies import find_signature, split_agencies
from wire.normalise.credits import apply_credit
from wire.normalise.dates import to_utc
from wire.normalise.rights import rights_in_text
from wire.normalise.text import clean_text, detect_language, html_to_text, sanitize_html
from wire.record import Article, compute_content_hash, make_id


def _clean_opt(value: str | None) -> str | None:
    if value is None:
        return None
    return clean_text(value) or None


def resolve_attribution(article: Article, default_source: str | None) -> list[str]:
    """Agency codes in order: explicit codes, then credit strings, then the feed's default."""
    codes: list[str] = []
    for item in [*article.agencies, *article.credit_strings]:
        for code in split_agencies(item):
            if code not in codes:
                codes.append(code)
    if not codes and default_source:
        codes = split_agencies(default_source) or [default_source]
    return codes


def normalise(article: Article, settings: FeedSettings, now: datetime) -> Article:
    """The canonical form of one record; ``now`` is the ingest time (UTC)."""
    a = replace(article)
    a.feed = settings.feed
    a.kicker = _clean_opt(a.kicker)
    a.headline = clean_text(a.headline or "")
    a.lead = _clean_opt(a.lead)
    a.dateline = _clean_opt(a.dateline)
    if a.dateline:
        a.dateline = a.dateline.rstrip(" ,;:-–—") or None
    a.byline = _clean_opt(a.byline)
    a.ednote = _clean_opt(a.ednote)
    a.key_points = [p for p in (clean_text(k) for k in a.key_points) if p]
    if a.body_html:
        a.body_html = sanitize_html(a.body_html)
        if not a.body_text:
            a.body_text = html_to_text(a.body_html)
    a.body_text = "\n\n".join(
        p for p in (clean_text(x) for x in (a.body_text or "").split("\n\n")) if p
    )
    # A trailing agency signature ("... (sda/dpa)") is attribution, not story text.
    signature = find_signature(a.body_text)
    if signature:
        a.body_text, codes = signature
        a.credit_strings = [*a.credit_strings, *codes]
    a.agencies = resolve_attribution(a, settings.source)
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
