"""Property test: ``normalise`` takes any raw record an adapter could build and returns one
that any store can hold (lone surrogates and NUL made storable, out-of-range dates dropped),
never raising. The adapters' own records go through it in tests/adapters/test_properties.py.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.adapters import strategies as shaped
from tests.adapters.test_properties import NOW, SETTINGS, assert_storable_record
from wire.normalise.article import normalise
from wire.record import Article, Image, Subject

_opt_text = st.one_of(st.none(), shaped.wild_text)
_images = st.builds(
    Image,
    href=_opt_text,
    alt=_opt_text,
    caption=_opt_text,
    credit=_opt_text,
    creator=_opt_text,
    agencies=st.lists(shaped.wild_text, max_size=3),
    copyright_holder=_opt_text,
)
_dates = st.one_of(st.none(), st.datetimes(timezones=st.none() | st.timezones()))
raw_articles = st.builds(
    Article,
    guid=shaped.wild_text,
    url=_opt_text,
    version=shaped.huge_ints,
    kicker=_opt_text,
    headline=shaped.wild_text,
    lead=_opt_text,
    key_points=st.lists(shaped.wild_text, max_size=3),
    body_text=shaped.wild_text,
    body_html=_opt_text,
    language=_opt_text,
    dateline=_opt_text,
    byline=_opt_text,
    subjects=st.lists(st.builds(Subject, code=_opt_text, name=_opt_text), max_size=3),
    urgency=st.one_of(st.none(), shaped.huge_ints),
    ednote=_opt_text,
    firstcreated=_dates,
    versioncreated=_dates,
    images=st.lists(_images, max_size=2),
    credit_strings=st.lists(shaped.wild_text, max_size=3),
    agencies=st.lists(shaped.wild_text, max_size=2),
)


@given(article=raw_articles)
def test_normalise_takes_any_raw_record(article: Article) -> None:
    assert_storable_record(normalise(article, SETTINGS, NOW))
