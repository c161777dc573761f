"""Property tests: no input makes an adapter, normalisation or the reject path raise.

Every adapter gets arbitrary bytes and documents built in its own format's shape (see
``tests/adapters/strategies.py``); so does the ``auto`` path through
``wire.ingest.parsing``. The contract checked each time (the adapter protocol's):

- an adapter returns records or ``Rejected`` results, or raises ``AdapterError`` with a
  sentence; never any other exception;
- ``normalise`` takes whatever an adapter returned and gives a record that any store can
  hold (valid Unicode, no NUL character);
- what ``parse_payload`` returns is ready to store: records pass ``validate``, rejects carry
  a reason in valid text and the raw bytes.

Example counts come from the Hypothesis profile (tests/conftest.py): modest in CI,
``WIRE_HYPOTHESIS_PROFILE=hunt`` for a long local search.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.adapters import strategies as shaped
from wire import adapters
from wire.adapters.base import Adapter, FeedSettings, SplitsItems
from wire.errors import AdapterError
from wire.ingest.parsing import MAX_GUID_BYTES, MAX_VERSION, parse_new, parse_payload, validate
from wire.normalise.article import normalise
from wire.record import Article, Rejected

SETTINGS = FeedSettings(
    feed="props", location="https://feeds.example-wire.test/news/feed.xml", language=None
)
NOW = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
FILENAMES = st.sampled_from(
    [None, "a.xml", "a.json", "a.html", "a.txt", "a.7901", "a.rss", "a.gz", "a.jpg"]
)


def strings(value: Any) -> Iterator[str]:
    """Every string inside a JSON-ready value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(k)
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def assert_storable_text(text: str) -> None:
    text.encode("utf-8")  # no lone surrogate
    assert "\x00" not in text


# Reasons the catch-alls give (parsing's and the adapters' own) when something raised that
# should not have: clean, but each one is a bug the property tests are here to find.
CAUGHT_BUGS = ("could not be read (", "normalisation failed", "unreadable item:")


def assert_clean_reject(reject: Rejected) -> None:
    assert isinstance(reject.raw, bytes)
    assert reject.reason.strip(), "a reject needs a reason"
    assert not any(marker in reject.reason for marker in CAUGHT_BUGS), reject.reason
    assert_storable_text(reject.reason)
    if reject.guid is not None:
        assert_storable_text(reject.guid)


def assert_storable_record(article: Article) -> None:
    for text in strings(article.to_dict()):
        assert_storable_text(text)
    article.to_json().encode("utf-8")


def assert_fits_the_store(article: Article) -> None:
    """What the store's columns take: a 32-bit version, urgency 0-9, an indexable guid."""
    assert validate(article) is None
    assert 1 <= article.version <= MAX_VERSION
    assert article.urgency is None or 0 <= article.urgency <= 9
    assert len(article.guid.encode("utf-8")) <= MAX_GUID_BYTES
    assert_storable_record(article)


def check_adapter(adapter: Adapter, data: bytes) -> None:
    """The adapter contract on ``data``, then normalisation of every record it gave."""
    try:
        results = adapter.parse(data, SETTINGS)
    except AdapterError as exc:
        assert str(exc).strip(), "AdapterError needs a sentence"
        return
    assert isinstance(results, list)
    for result in results:
        if isinstance(result, Rejected):
            assert_clean_reject(result)
            continue
        assert isinstance(result, Article)
        assert_storable_record(normalise(result, SETTINGS, NOW))
    if isinstance(adapter, SplitsItems):
        spans = adapter.item_spans(data)
        assert spans is None or all(0 <= s <= e <= len(data) for s, e in spans.spans)


def check_pipeline(data: bytes, fmt: str = "auto", filename: str | None = None) -> None:
    """What ``wire.ingest.parsing`` hands the store: valid records and clean rejects only."""
    for result in parse_payload(data, SETTINGS, fmt, filename, NOW):
        if isinstance(result, Rejected):
            assert_clean_reject(result)
        else:
            assert_fits_the_store(result)


# --- arbitrary bytes -------------------------------------------------------------------


@given(data=st.binary(max_size=3000), name=st.sampled_from(adapters.names()))
def test_any_bytes_give_records_or_clean_rejects(data: bytes, name: str) -> None:
    check_adapter(adapters.get(name), data)


@given(data=st.binary(max_size=3000), filename=FILENAMES)
@example(data=b"\x1f\x8b\x08\x00\x00\x00", filename="a.gz")  # truncated gzip
@example(data=b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)), filename="a.html")
def test_any_bytes_through_auto_parsing(data: bytes, filename: str | None) -> None:
    check_pipeline(data, "auto", filename)


@given(data=st.binary(max_size=2000), name=st.sampled_from(adapters.names()))
def test_any_bytes_through_parsing_with_a_named_format(data: bytes, name: str) -> None:
    check_pipeline(data, name)


# --- documents shaped like each format ---------------------------------------------------


@given(data=shaped.ninjs_documents())
@example(data=b'[{"uri": "a", "headline": "Cl\\ud800imate", "body_text": "x"}]')
@example(data=b'{"uri": "a", "headline": "h", "version": "' + b"9" * 5000 + b'"}')
@example(data=b'{"uri": "a", "headline": "h", "version": ' + b"9" * 5000 + b"}")
@example(data=b'{"uri": "a", "headline": "h", "urgency": "\xc2\xb2"}')
def test_ninjs_documents(data: bytes) -> None:
    check_adapter(adapters.get("ninjs"), data)
    check_pipeline(data, "ninjs")
    check_pipeline(data)


# format -> (documents shaped like it, a file name the auto path may sniff by)
SHAPED = {
    "rss": (shaped.rss_documents, None),
    "newsml": (shaped.newsml_documents, None),
    "nitf": (shaped.nitf_documents, None),
    "html": (shaped.html_documents(), "page.html"),
    "iptc7901": (shaped.iptc7901_documents(), None),
    "text": (shaped.text_documents(), "page.txt"),
}


@pytest.mark.parametrize("name", list(SHAPED))
@given(data=st.data())
def test_documents_shaped_like_each_format(name: str, data: st.DataObject) -> None:
    documents, filename = SHAPED[name]
    document = data.draw(documents, label="document")
    check_adapter(adapters.get(name), document)
    check_pipeline(document, name)
    check_pipeline(document, "auto", filename)


@given(data=st.one_of(shaped.rss_documents, shaped.newsml_documents, shaped.ninjs_documents()))
@example(  # found by Hypothesis: feedparser's UTC struct_time of this date is in year 10000
    data=b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>urn:1</id><title>T</title>'
    b"<published>9999-12-31T23:59:59-23:59</published></entry></feed>"
)
def test_incremental_parse_never_raises(data: bytes) -> None:
    """The daemon's path: items known from the last poll left out of the parse."""
    first = parse_new(data, SETTINGS, "auto", None, NOW)
    again = parse_new(data, SETTINGS, "auto", None, NOW, known=set(first.digests[::2]))
    for result in again.results:
        if isinstance(result, Rejected):
            assert_clean_reject(result)
        else:
            assert_fits_the_store(result)
