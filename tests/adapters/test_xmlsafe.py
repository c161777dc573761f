"""The entity refusal reads UTF-8 payloads as bytes: the same verdict as the search of the
decoded text it stands for (``xmlsafe._ENTITY`` on ``xml_text``)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from wire.adapters import xmlsafe
from wire.errors import AdapterError

# Pieces of "<!ENTITY" in the forms the text search's case rules match or nearly match,
# bytes that do not decode, and the UTF-8 of "İ" and "ı" cut in two.
_PIECES = [b"<!", b"<", b"!", b"EN", b"en", b"Ent", b"T", b"t", b"I", b"i", b"\xc4\xb0",
           b"\xc4\xb1", b"\xc4", b"\xb0", b"TY", b"ty", b"Y", b"<![CDATA[", b"]]>", b"\xff",
           b"\xe0", b"\xc3\xa4", b" ", b"x"]  # fmt: skip
payloads = st.lists(st.sampled_from(_PIECES), max_size=30).map(b"".join)
_HEADS = [b"", b'<?xml version="1.0" encoding="UTF-8"?>', b"\xef\xbb\xbf",
          b'<?xml version="1.0" encoding="iso-8859-1"?>', b"\xff\xfe"]  # fmt: skip


def _refused(data: bytes) -> bool:
    try:
        xmlsafe.refuse_entities(data)
    except AdapterError:
        return True
    return False


@given(st.sampled_from(_HEADS), payloads)
@settings(max_examples=1500, deadline=None)
def test_the_refusal_is_the_decoded_texts_search(head: bytes, body: bytes) -> None:
    data = head + body
    assert _refused(data) == bool(xmlsafe._ENTITY.search(xmlsafe.xml_text(data)))


@pytest.mark.parametrize("data", [b"<r><!ENT\xc4\xb0TY x></r>", b"<!entity", b"<!Ent\xc4\xb1Ty"])
def test_entity_declarations_in_any_case_are_refused(data: bytes) -> None:
    assert _refused(data)


@pytest.mark.parametrize(
    "xml",
    [
        b"<a> x \n y </a>",
        b"<a/>",
        b"<a>   </a>",
        b"<a>x<b>y</b> z</a>",
        b"<a><!-- c --></a>",
        b"<a>x<?pi y?>z</a>",
        b"<a><![CDATA[ x ]]></a>",
    ],
)
def test_text_of_an_element_is_all_text_below_it(xml: bytes) -> None:
    el = etree.fromstring(xml)
    expected = " ".join("".join(el.itertext()).split()) or None
    assert xmlsafe.text_of(el) == expected
