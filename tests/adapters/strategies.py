"""Hypothesis strategies for hostile input shaped like each wire format.

Shaped, not random: a random byte string is rejected at the first byte, so most strategies
build documents that get deep into an adapter (the format's element and key names, the
namespaces it checks, the attributes it reads) and then put the trouble where the values go:
lone surrogates, control characters, numbers of thousands of digits, wrong types, missing
fields, random nesting, entity declarations and odd encodings (UTF-16/32 with and without a
byte order mark, 8-bit text declared as UTF-8).
"""

from __future__ import annotations

import json
import re
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from hypothesis import strategies as st

# --- text and scalars ------------------------------------------------------------------

# Strings that broke (or nearly broke) something once: keep them in every draw's reach.
NASTY_STRINGS = [
    "",
    " ",
    "Cl\ud800imate",  # a lone surrogate, as a JSON "\ud800" escape gives it
    "\udfff",
    "\x00",
    "a\x00b",
    "\ufeff",
    "\u0085\u2028\u2029",
    "9" * 5000,
    "-" + "9" * 5000,
    "1e400",
    "²",  # a digit for str.isdigit(), not for int()
    "١٢",
    "NaN",
    "&lol;",
    "&amp;&#0;&#xD800;&#1114112;",
    "]]>",
    "<!ENTITY x 'y'>",
    "<p onclick='x()'>Bern (sda) - Text.</p><script>alert(1)</script>",
    "<div>" * 300 + "x" + "</div>" * 300,
    "Bern (sda/dpa) - Der Bundesrat hat am Montag entschieden. (sda/dpa)",
    "PARIS, 30 août (AFP) - Le gouvernement a annoncé.",
    "Mon, 02 Sep 2024 08:00:00 +0200",
    "2024-09-02T08:00:00.123456789+02:00",
    "30.02.2024 25:61",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+14:00",
    "99999999999999999999",
    "2147483648",
    "medtop:20000106",
    "http://cv.iptc.org/newscodes/mediatopic/",
    "KEYSTONE/Peter Schneider",
    "x" * 3000,
]

# Every character, surrogates and controls included.
any_char = st.characters(codec=None, exclude_categories=())
wild_text = st.one_of(
    st.sampled_from(NASTY_STRINGS),
    st.text(any_char, max_size=40),
    st.text(st.sampled_from("aé €\x01\x02\x03\x04\n\r\t(/)-:.,<>&\"'"), max_size=40),
)
huge_ints = st.one_of(
    st.integers(),
    st.sampled_from([2**31, 2**63, -(2**63) - 1, 10**100, 10**4000, -1, 0]),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    huge_ints,
    st.floats(allow_nan=True, allow_infinity=True),
    wild_text,
)

# --- encodings -------------------------------------------------------------------------

ENCODINGS = [
    "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le",
    "utf-32-be", "latin-1", "cp1252",
]  # fmt: skip


def encode(text: str, encoding: str) -> bytes:
    """``text`` in ``encoding``, lone surrogates kept (UTF) or replaced (8-bit)."""
    errors = "surrogatepass" if encoding.startswith("utf") else "replace"
    return text.encode(encoding, errors)


encodings = st.sampled_from(ENCODINGS)

# --- JSON ------------------------------------------------------------------------------

NINJS_KEYS = [
    "uri", "urn", "guid", "entry_id", "type", "version", "urgency", "pubstatus", "headline",
    "headlines", "descriptions", "bodies", "body_html", "body_text", "article_html",
    "description_text", "description_html", "teaser", "kicker", "headline_kicker", "language",
    "dateline", "located", "byline", "by", "firstcreated", "versioncreated", "version_created",
    "updated", "subject", "subjects", "person", "place", "organisation", "event", "object",
    "categories", "infosource", "infosources", "copyrightholder", "creditline",
    "associations", "renditions", "href", "url", "width", "height", "sizeinbytes", "size",
    "value", "role", "contenttype", "name", "scheme", "code", "qcode", "literal", "rel",
    "caption", "copyrightnotice", "entries", "items", "data", "@type", "@graph",
]  # fmt: skip
json_keys = st.one_of(st.sampled_from(NINJS_KEYS), st.text(any_char, max_size=8))
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(json_keys, children, max_size=6),
    ),
    max_leaves=25,
)
# A JSON integer literal no Python int conversion takes (written in place of this marker).
HUGE_LITERAL = "@@5000-digit-number@@"
_numbers = st.one_of(
    huge_ints,
    st.sampled_from([HUGE_LITERAL, "2", " 7 ", "²", "9" * 5000, "-3", "1.5", ""]),
    st.floats(),
)
_ITEM_FIELDS = {key: json_values for key in NINJS_KEYS[:40]}
_ITEM_FIELDS.update(version=_numbers, urgency=_numbers)
_GOOD_ITEM = {
    "uri": st.just("urn:newsml:dpa.com:20240902:240902-99-001"),
    "headline": st.just("Bundesrat verabschiedet Vorlage"),
    "body_text": st.just("Bern (dpa) - Der Bundesrat hat am Montag entschieden."),
}
ninjs_items = st.one_of(
    st.fixed_dictionaries({}, optional=_ITEM_FIELDS),
    st.fixed_dictionaries(
        _GOOD_ITEM, optional={k: v for k, v in _ITEM_FIELDS.items() if k not in _GOOD_ITEM}
    ),
    json_values,
)


@st.composite
def ninjs_documents(draw: st.DrawFn) -> bytes:
    """One item, an array of them, or a wrapper object; any encoding, ASCII escapes or not."""
    items = draw(st.lists(ninjs_items, min_size=1, max_size=4))
    shape = draw(st.sampled_from(["one", "array", "entries", "items", "data"]))
    doc: Any = items[0] if shape == "one" else items if shape == "array" else {shape: items}
    text = json.dumps(doc, ensure_ascii=draw(st.booleans()))
    text = text.replace(f'"{HUGE_LITERAL}"', "7" * 5000)
    if draw(st.booleans()):
        return encode(text, "utf-8")
    return encode(text, draw(encodings))


# --- XML -------------------------------------------------------------------------------


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_chars(value: str) -> str:
    return _NOT_XML.sub("", value)


def _xml_text(value: str, raw: bool) -> str:
    return value if raw else escape(value)


def xml_documents(
    root: str,
    namespaces: str,
    tags: list[str],
    attributes: list[str],
    skeletons: tuple[str, ...] = (),
) -> st.SearchStrategy[bytes]:
    """Documents whose root is ``root`` (with ``namespaces`` declared) and whose body is a
    random tree of the format's own element and attribute names, or one of ``skeletons``: a
    valid item with ``{text}``, ``{attr}`` and ``{tree}`` slots filled at random (so that
    the adapter reads far enough to meet the bad values)."""
    # Two in three documents hold only characters XML allows and declare their encoding
    # right, so they parse and their values reach the mapping; the third is hostile throughout.
    clean = st.one_of(
        st.sampled_from(TYPICAL),
        wild_text.map(_xml_chars),
        st.sampled_from(NASTY_STRINGS).map(_xml_chars),
    )
    hostile = st.one_of(clean, st.sampled_from(NASTY_STRINGS), wild_text)
    return st.one_of(
        _xml_document(root, namespaces, tags, attributes, skeletons, clean, well_formed=True),
        _xml_document(root, namespaces, tags, attributes, skeletons, clean, well_formed=True),
        _xml_document(root, namespaces, tags, attributes, skeletons, hostile, well_formed=False),
    )


def _xml_document(
    root: str,
    namespaces: str,
    tags: list[str],
    attributes: list[str],
    skeletons: tuple[str, ...],
    values: st.SearchStrategy[str],
    well_formed: bool,
) -> st.SearchStrategy[bytes]:
    raw_chance = 0 if well_formed else 20  # text written without escaping, 1 in 21
    texts = st.tuples(values, st.integers(0, 20)).map(
        lambda t: _xml_text(t[0], raw_chance > 0 and t[1] == raw_chance)
    )

    tree = markup(tags, attributes, values, texts, st.sampled_from(tags).map(lambda t: f"<{t}/>"))

    @st.composite
    def skeleton(draw: st.DrawFn) -> str:
        out = draw(st.sampled_from(skeletons))
        for slot, filler in (("{attr}", values.map(quoteattr)), ("{text}", texts)):
            while slot in out:
                out = out.replace(slot, draw(filler), 1)
        while "{tree}" in out:
            out = out.replace("{tree}", "".join(draw(st.lists(tree, max_size=2))), 1)
        return out

    bodies = st.lists(st.one_of(tree, skeleton()) if skeletons else tree, max_size=5)

    @st.composite
    def document(draw: st.DrawFn) -> bytes:
        body = "".join(draw(bodies))
        encoding = draw(encodings)
        if well_formed:
            prolog, declared = "", encoding.replace("-sig", "")
        else:
            prolog = draw(st.sampled_from(PROLOGS))
            declared = draw(st.sampled_from([encoding, "UTF-8", "UTF-16", "ISO-8859-1", "bogus"]))
        decl = draw(st.sampled_from(["", f'<?xml version="1.0" encoding="{declared}"?>\n']))
        if well_formed and encoding not in ("utf-8", "utf-8-sig") and not decl:
            decl = f'<?xml version="1.0" encoding="{declared}"?>\n'
        text = f"{decl}{prolog}<{root} {namespaces}>{body}</{root}>"
        if not well_formed and draw(st.booleans()):
            text = text[: draw(st.integers(0, len(text)))]  # truncated
        return encode(text, encoding)

    return document()


def markup(
    tags: list[str],
    attributes: list[str],
    values: st.SearchStrategy[str],
    texts: st.SearchStrategy[str],
    leaves: st.SearchStrategy[str],
) -> st.SearchStrategy[str]:
    """Random nesting of ``tags`` with up to three of ``attributes`` each, and text between."""

    def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.builds(
            _element,
            st.sampled_from(tags),
            st.dictionaries(st.sampled_from(attributes), values, max_size=3),
            st.lists(st.one_of(children, texts), max_size=4),
        )

    return st.recursive(leaves, element, max_leaves=30)


def _element(tag: str, attrs: dict[str, str], content: list[str]) -> str:
    attributes = "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())
    return f"<{tag}{attributes}>{''.join(content)}</{tag}>"


# Values the adapters expect, so that a draw gets past the first check to the next one.
TYPICAL = [
    "stat:usable", "stat:canceled", "ninat:text", "ninat:picture", "1", "3", "de-CH", "fr",
    "image/jpeg", "text/plain", "text/html", "https://img.example-wire.test/a.jpg", "a.jpg",
    "highRes", "photographer", "originatingSource", "enclosure", "image", "embargoed",
    "urn:newsml:sda.ch:20241104:1", "20241104T101500+0100", "xhtml", "html",
]  # fmt: skip

PROLOGS = [
    "",
    "",
    '<!DOCTYPE nitf SYSTEM "nitf-3-5.dtd">\n',
    '<!DOCTYPE x [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n',
    '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n',
    '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
    '"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n',
    "<!-- a comment -->\n",
]

RSS_ITEM = (
    "<channel><title>{text}</title><language>{text}</language><item><title>{text}</title>"
    "<guid>{text}</guid><link>{text}</link><pubDate>{text}</pubDate><author>{text}</author>"
    "<description>{text}</description><content:encoded>{text}</content:encoded>"
    "<media:content url={attr} medium={attr}><media:credit role={attr}>{text}</media:credit>"
    "</media:content><enclosure url={attr} type={attr}/>{tree}</item></channel>",
)
ATOM_ENTRY = (
    "<entry><id>{text}</id><title type={attr}>{text}</title><updated>{text}</updated>"
    "<published>{text}</published><author><name>{text}</name></author><summary>{text}</summary>"
    "<content type={attr}>{text}</content><link rel={attr} href={attr}/>"
    "<category term={attr} scheme={attr}/>{tree}</entry>",
)
NEWSML_ITEM = (
    "<itemSet><newsItem guid={attr} version={attr}><itemMeta><itemClass qcode={attr}/>"
    "<pubStatus qcode={attr}/><versionCreated>{text}</versionCreated><edNote>{text}</edNote>"
    "<link rel={attr} residref={attr} href={attr} contenttype={attr}/>{tree}</itemMeta>"
    "<contentMeta><headline role={attr}>{text}</headline><urgency>{text}</urgency>"
    "<language tag={attr}/><infoSource role={attr} literal={attr}/><creditline>{text}"
    "</creditline><subject qcode={attr}><name>{text}</name></subject>{tree}</contentMeta>"
    "<contentSet><inlineData contenttype={attr}>{text}</inlineData><remoteContent href={attr}"
    " width={attr} height={attr} rendition={attr}/>{tree}</contentSet></newsItem>"
    "<packageItem guid={attr}><groupSet><group><itemRef residref={attr}/></group></groupSet>"
    "</packageItem></itemSet>",
)
NITF_DOCUMENT = (
    "<head><title>{text}</title><docdata><doc-id id-string={attr}/><urgency ed-urg={attr}/>"
    "<du-key version={attr}/><date.issue norm={attr}/><doc.copyright holder={attr}/>"
    "<ed-msg info={attr}/></docdata></head><body><body.head><hedline><hl1>{text}</hl1></hedline>"
    "<byline>{text}</byline><dateline>{text}<story.date norm={attr}/></dateline>"
    "<abstract><p>{text}</p></abstract></body.head><body.content><p>{text}</p>"
    "<media media-type={attr}><media-reference source={attr} width={attr} height={attr}/>"
    "<media-caption>{text}</media-caption></media>{tree}</body.content><body.end>"
    "<tagline>{text}</tagline></body.end></body>",
)

rss_documents = st.one_of(
    xml_documents(
        "rss",
        'version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/"',
        [
            "channel",
            "item",
            "title",
            "link",
            "guid",
            "description",
            "pubDate",
            "author",
            "category",
            "source",
            "enclosure",
            "content:encoded",
            "media:content",
            "media:group",
            "media:thumbnail",
            "media:credit",
            "media:description",
            "media:title",
            "media:copyright",
            "dc:creator",
            "dc:rights",
            "dc:date",
            "language",
        ],
        ["url", "href", "type", "medium", "role", "domain", "isPermaLink", "scheme", "width"],
        RSS_ITEM,
    ),
    xml_documents(
        "feed",
        'xmlns="http://www.w3.org/2005/Atom" xml:lang="de-CH"',
        [
            "entry",
            "title",
            "id",
            "link",
            "summary",
            "content",
            "updated",
            "published",
            "author",
            "name",
            "category",
            "rights",
            "source",
        ],
        ["href", "rel", "type", "term", "scheme", "label", "xml:lang"],
        ATOM_ENTRY,
    ),
)

newsml_documents = xml_documents(
    "newsMessage",
    'xmlns="http://iptc.org/std/nar/2006-10-01/" xmlns:xhtml="http://www.w3.org/1999/xhtml"',
    ["itemSet", "newsItem", "packageItem", "itemMeta", "itemClass", "pubStatus", "edNote",
     "firstCreated", "versionCreated", "provider", "link", "contentMeta", "headline",
     "description", "creditline", "by", "dateline", "located", "name", "subject", "urgency",
     "language", "infoSource", "slugline", "contentSet", "inlineXML", "inlineData",
     "remoteContent", "groupSet", "group", "itemRef", "rightsInfo", "copyrightHolder",
     "xhtml:html", "xhtml:body", "xhtml:p", "nitf", "body", "body.content", "p"],
    ["guid", "version", "qcode", "uri", "literal", "role", "rank", "tag", "xml:lang",
     "contenttype", "href", "width", "height", "rendition", "residref", "rel", "title"],
    NEWSML_ITEM,
)  # fmt: skip

nitf_documents = xml_documents(
    "nitf",
    'xmlns="http://iptc.org/std/NITF/2006-10-18/"',
    ["head", "title", "docdata", "doc-id", "du-key", "urgency", "date.issue", "date.release",
     "doc.copyright", "ed-msg", "pubdata", "tobject", "tobject.subject", "meta", "body",
     "body.head", "hedline", "hl1", "hl2", "byline", "dateline", "story.date", "abstract",
     "distributor", "body.content", "p", "block", "media", "media-reference",
     "media-caption", "media-producer", "media-metadata", "table", "tr", "td", "body.end",
     "tagline", "note", "a", "em"],
    ["id-string", "version", "ed-urg", "norm", "management-status", "holder", "info",
     "date.publication", "tobject.subject.refnum", "tobject.subject.detail", "media-type",
     "source", "mime-type", "width", "height", "name", "value", "content", "xml:lang",
     "baselang", "href", "colspan"],
    NITF_DOCUMENT,
)  # fmt: skip

# --- HTML ------------------------------------------------------------------------------

_HTML_TAGS = ["div", "article", "main", "section", "p", "h1", "h2", "span", "figure", "img",
              "figcaption", "small", "ul", "li", "time", "a", "nav", "aside", "header"]  # fmt: skip
_HTML_ATTRS = ["class", "id", "itemprop", "rel", "src", "data-src", "srcset", "alt",
               "datetime", "href", "lang"]  # fmt: skip
_HTML_CLASSES = ["kicker", "lead", "byline", "credit", "dateline", "key-points", "comments",
                 "teaser", "article-body", "source", "caption"]  # fmt: skip


_CHARSETS = ["", '<meta charset="utf-8">', '<meta charset="x-bogus">', '<meta charset="utf-16">',
             '<meta charset="iso-8859-1">']  # fmt: skip
# schema.org article objects as news sites embed them, every value possibly hostile.
json_ld = st.fixed_dictionaries(
    {"@type": st.sampled_from(["NewsArticle", "Article", ["ReportageNewsArticle"], "WebPage"])},
    optional={
        key: json_values
        for key in ["headline", "description", "articleBody", "author", "creator",
                    "datePublished", "dateModified", "image", "keywords", "articleSection",
                    "inLanguage", "url", "mainEntityOfPage", "sourceOrganization", "@graph"]
    },
)  # fmt: skip


@st.composite
def html_documents(draw: st.DrawFn) -> bytes:
    """An article page: random markup of the names the adapter reads, JSON-LD and meta tags."""
    attr_values = st.one_of(st.sampled_from(_HTML_CLASSES), wild_text)
    texts = wild_text.map(escape)

    body = draw(st.lists(markup(_HTML_TAGS, _HTML_ATTRS, attr_values, texts, texts), max_size=4))
    ld = draw(st.lists(st.one_of(json_ld, json_values), max_size=2))
    scripts = "".join(
        f'<script type="application/ld+json">{json.dumps(v, default=str)}</script>' for v in ld
    )
    metas = "".join(
        f"<meta property={quoteattr(k)} content={quoteattr(v)}>"
        for k, v in draw(
            st.dictionaries(
                st.sampled_from(
                    [
                        "og:title",
                        "og:image",
                        "article:published_time",
                        "source",
                        "keywords",
                        "author",
                        "og:url",
                        "description",
                    ]
                ),
                wild_text,
                max_size=3,
            )
        ).items()
    )
    charset = draw(st.sampled_from(_CHARSETS))
    text = (
        f"<!DOCTYPE html><html lang={quoteattr(draw(wild_text))}><head>{charset}{metas}"
        f"{scripts}</head><body>{''.join(body)}</body></html>"
    )
    return encode(text, draw(encodings))


# --- plain text and IPTC 7901 -----------------------------------------------------------

_TEXT_LINES = [
    "Weissrussland", "Putin sichert Lukaschenko Unterstützung zu", "Keystone-SDA", "sda/dpa",
    "Von Anna Muster, dpa", "Aktualisiert am 14.09.2020, 15:30", "Bern -",
    "Der Bundesrat hat am Montag eine Vorlage verabschiedet, die nun ans Parlament geht.",
    "Das Wichtigste in Kürze", "• Erster Punkt", "Kommentare", "MEHR IN NEWS",
    "Foto: KEYSTONE/Peter Schneider", "(sda/dpa)", "",
]  # fmt: skip
text_lines = st.one_of(st.sampled_from(_TEXT_LINES), wild_text)


@st.composite
def text_documents(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(text_lines, max_size=20))
    sep = draw(st.sampled_from(["\n", "\r\n", "\r", "\n\n"]))
    return encode(sep.join(lines), draw(encodings))


_7901_HEADERS = ["bdt0231 3 pl 412  dpa 0231", "FRA0412 4 POL 389 /AFP-PX12", "sda-0815 2 pol 230",
                 "xx0000 z abc 99999999", "a1 1 b 1"]  # fmt: skip


@st.composite
def iptc7901_documents(draw: st.DrawFn) -> bytes:
    """Messages framed by SOH/STX/ETX/EOT, with frames dropped or doubled at random."""
    messages = []
    for _ in range(draw(st.integers(1, 3))):
        header = draw(st.one_of(st.sampled_from(_7901_HEADERS), wild_text))
        body = "\n".join(draw(st.lists(text_lines, max_size=12)))
        post = draw(st.sampled_from(["301405 GMT AOU 24", "121405 Mär 24", "999999 Foo 99", ""]))
        frame = draw(st.lists(st.sampled_from("\x01\x02\x03\x04"), min_size=4, max_size=4))
        if draw(st.booleans()):
            frame = ["\x01", "\x02", "\x03", "\x04"]
        messages.append(f"{frame[0]}{header}\n{frame[1]}{body}{frame[2]}{post}{frame[3]}")
    return encode("".join(messages), draw(encodings))
