"""XML parsing with entities, DTD loading and network access off, for every XML adapter."""

from __future__ import annotations

import codecs
import re

from lxml import etree

from wire.errors import AdapterError

_ENTITY = re.compile(r"<!ENTITY", re.IGNORECASE)
# _ENTITY on UTF-8 bytes: the same matches as on the decoded text. Its case rules let "I"
# match "İ" (U+0130) and "ı" (U+0131) too, no other letter of the word anything but itself;
# an ASCII byte always decodes to its character, even beside bytes that do not decode.
_ENTITY_UTF8 = re.compile(rb"<![Ee][Nn][Tt](?:[Ii]|\xc4[\xb0\xb1])[Tt][Yy]")
_DOCTYPE_EXTERNAL = re.compile(rb"<!DOCTYPE[^>\[]*\b(SYSTEM|PUBLIC)\b", re.IGNORECASE)
_DECLARED = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
# How an XML parser tells the encoding before it can read a declaration (XML 1.0 appendix F):
# a byte order mark, else the bytes of "<?" or "<" in each wide encoding.
_SIGNATURES = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
    (b"\x4c\x6f\xa7\x94", "cp037"),  # "<?xm" in EBCDIC
)


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


_REFUSED = "refused: the XML declares entities in a DOCTYPE (entity expansion)"


def _encoding(data: bytes) -> str:
    """Byte order mark or wide-encoding signature first, then the declared encoding, else
    UTF-8 (a wide encoding declared in 8-bit bytes is a mistake lxml's callers repair)."""
    for signature, encoding in _SIGNATURES:
        if data.startswith(signature):
            return encoding
    m = _DECLARED.match(data.lstrip()[:512])
    declared = m.group(1).decode("ascii").lower() if m else "utf-8"
    try:
        codecs.lookup(declared)
    except LookupError:
        return "utf-8"
    return "utf-8" if declared.startswith(("utf-16", "utf-32", "ucs")) else declared


def xml_text(data: bytes) -> str:
    """The document's characters, decoded the way an XML parser decodes them; bytes that do
    not decode become U+FFFD."""
    try:
        return data.decode(_encoding(data), "replace")
    except (LookupError, ValueError):
        return data.decode("utf-8", "replace")


def refuse_entities(data: bytes) -> None:
    """Raise when a payload declares entities (billion laughs, external entities, XXE).

    Read on the decoded document, so a UTF-16 or UTF-32 payload cannot pass; :func:`parse_xml`
    also refuses any entity lxml found in the document's DTD, whatever the encoding.
    """
    if b"<!ENTITY" in data:
        raise AdapterError(_REFUSED)
    if _encoding(data) in ("utf-8", "utf-8-sig"):  # the bytes tell, without decoding them
        found = _ENTITY_UTF8.search(data) is not None
    else:
        found = _ENTITY.search(xml_text(data)) is not None
    if found:
        raise AdapterError(_REFUSED)


def parse_xml(data: bytes, *, entities_refused: bool = False) -> etree._Element:
    """Parse untrusted XML; entity declarations are refused outright (billion laughs, XXE).

    A DOCTYPE naming an external DTD (common in NITF) is tolerated: the DTD is never loaded.
    ``entities_refused``: the caller has just run :func:`refuse_entities` on these very bytes
    (it decodes and scans the whole payload: once is enough).
    """
    if not entities_refused:
        refuse_entities(data)
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise AdapterError(f"malformed XML: {exc.msg or exc}") from None
    except ValueError as exc:
        raise AdapterError(f"unreadable XML: {exc}") from None
    if root is None:
        raise AdapterError("empty XML document")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and next(iter(dtd.iterentities()), None) is not None:
        raise AdapterError(_REFUSED)
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
    if len(el):
        value = " ".join("".join(el.itertext()).split())
    else:  # no child of any kind (len counts comments and the rest): its text is all of it
        text = el.text
        value = " ".join(text.split()) if text else ""
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
