"""XML parsing with entities, DTD loading and network access off, for every XML adapter."""

from __future__ import annotations

import re

from lxml import etree

from wire.errors import AdapterError

_DOCTYPE_ENTITY = re.compile(rb"<!DOCTYPE[^>\[]*\[[^\]]*<!ENTITY", re.IGNORECASE | re.DOTALL)
_DOCTYPE_EXTERNAL = re.compile(rb"<!DOCTYPE[^>\[]*\b(SYSTEM|PUBLIC)\b", re.IGNORECASE)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def refuse_entities(data: bytes) -> None:
    """Raise when a payload declares entities (billion laughs, external entities, XXE)."""
    if _DOCTYPE_ENTITY.search(data[:65536]) or b"<!ENTITY" in data:
        raise AdapterError("refused: the XML declares entities in a DOCTYPE (entity expansion)")


def parse_xml(data: bytes) -> etree._Element:
    """Parse untrusted XML; entity declarations are refused outright (billion laughs, XXE).

    A DOCTYPE naming an external DTD (common in NITF) is tolerated: the DTD is never loaded.
    """
    refuse_entities(data)
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise AdapterError(f"malformed XML: {exc.msg or exc}") from None
    except ValueError as exc:
        raise AdapterError(f"unreadable XML: {exc}") from None
    if root is None:
        raise AdapterError("empty XML document")
    return root


def has_external_dtd(data: bytes) -> bool:
    return bool(_DOCTYPE_EXTERNAL.search(data[:4096]))


def localname(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def text_of(el: etree._Element | None) -> str | None:
    """All text below an element, whitespace-collapsed; None when empty or missing."""
    if el is None:
        return None
    value = " ".join("".join(el.itertext()).split())
    return value or None


def remove_keeping_tail(el: etree._Element) -> None:
    """Take an element out of its tree, keeping the text that follows it in place."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)
