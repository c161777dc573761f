"""What the adapter tests share: one article out of a payload, and UTC times in one call."""

from __future__ import annotations

from datetime import UTC, datetime

from wire.adapters.base import Adapter, FeedSettings
from wire.record import Article


def one_article(adapter: Adapter, data: bytes, settings: FeedSettings) -> Article:
    """The one result of parsing ``data``, which must be an article."""
    (article,) = adapter.parse(data, settings)
    assert isinstance(article, Article), article
    return article


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=UTC)
