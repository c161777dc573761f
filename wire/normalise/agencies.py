"""The agency registry: many spellings of one agency ("SDA", "Keystone-SDA", "ats") to one code.

The data lives in ``wire/normalise/data/agencies.toml`` (the world's agencies, their names,
credit forms, web domains and IPTC provider QCodes); ops add agencies and aliases in
``config.toml`` (``[[agencies]]``, :class:`wire.config.AgencyConfig`) without a release.

A name is resolved by its spelling, an IPTC QCode or URI ("nprov:AFP"), a web domain or URL
("ansa.it"), or an agency name with a desk after it ("PA Sport", "Reuters Breakingviews").
A name no agency claims becomes a stable slug code marked unresolved ("x-lokalagentur-muster");
the raw name travels beside it in the record, never as the code itself.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal
from urllib.parse import urlsplit

from wire.feedsettings import AgencyConfig

Kind = Literal["agency", "producer", "unresolved"]
UNRESOLVED_PREFIX = "x-"

# Separators between agencies in a compound credit ("sda/dpa", "AFP, Reuters", "dpa und AFP").
# The hyphen is never one: "Keystone-SDA" and "dpa-AFX" are single agencies.
_SEPARATORS = re.compile(r"\s*[/,;&+|]\s*|\s+(?:und|and|et)\s+", re.IGNORECASE)
_BRACKETS = "()[]{}<>"
# Editor initials before the agency in German-language signatures: "(xy/sda)".
_INITIALS = re.compile(r"[a-zäöü]{2,4}")
# Labels and rights marks before a name: "Photo: AAP", "© 2024 AFP", "Copyright Reuters".
_LABEL = re.compile(
    r"^(?:(?:photo|foto|bild|image|source|quelle|credit|crédit|créditos?)\s*:\s*|"
    r"(?:©|\(c\)|copyright)\s*:?\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\b[\s,]*)?)",
    re.IGNORECASE,
)
_NPROV_URI = re.compile(r"^https?://cv\.iptc\.org/newscodes/newsprovider/([^/\s]+)/?$", re.I)
_DOMAIN = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$")


_MEMO_SIZE = 20_000  # names and credits remembered per registry (then it starts again)


@lru_cache(maxsize=_MEMO_SIZE)
def _key(name: str) -> str:
    """Lookup form: case- and accent-insensitive, spaces/hyphens/underscores alike."""
    if name.isascii():  # NFKD changes no ASCII text, and casefold is lower there
        plain = name.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", name)
        plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _KEY_SEPARATORS.sub("-", plain).strip("-. ")


_KEY_SEPARATORS = re.compile(r"[\s\-_‐‑–—]+")


def slug_code(name: str) -> str:
    """The stable unresolved code of a name: "Lokalagentur Muster" -> "x-lokalagentur-muster".

    Names without Latin letters or digits get a short hash, so the code is stable too.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", _key(name)).strip("-")[:60].strip("-")
    if not slug:
        slug = hashlib.sha256(name.strip().encode()).hexdigest()[:10]
    return UNRESOLVED_PREFIX + slug


def is_unresolved(code: str) -> bool:
    return code.startswith(UNRESOLVED_PREFIX)


@dataclass(frozen=True)
class Agency:
    """One registry entry."""

    code: str
    name: str
    kind: str = "agency"  # agency | producer
    country: str | None = None
    names: dict[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    credits: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    qcodes: tuple[str, ...] = ()

    def spellings(self) -> list[str]:
        return [self.code, self.name, *self.names.values(), *self.aliases, *self.credits]


@dataclass(frozen=True)
class Resolution:
    """What one name in a credit turned out to be."""

    code: str
    name: str  # the name as it came (trimmed)
    kind: Kind


@dataclass
class Registry:
    """Agencies by code plus the indexes that resolve names, QCodes and domains to codes."""

    agencies: dict[str, Agency] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # alias key -> code
    qcodes: dict[str, str] = field(default_factory=dict)  # "nprov:afp" -> code
    domains: dict[str, str] = field(default_factory=dict)  # "ansa.it" -> code
    desks: frozenset[str] = frozenset()
    # Answers already given: a feed repeats a handful of credits over its items ("sda/dpa").
    memo: dict[str, str | None] = field(default_factory=dict, repr=False, compare=False)
    credits: dict[str, tuple[Resolution, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def add(self, agency: Agency, *, override: bool = False) -> None:
        """Index an agency; a spelling claimed by two packaged agencies is a data error,
        while ops entries (``override``) take a spelling over."""
        if is_unresolved(agency.code):
            raise ValueError(f"agency code {agency.code!r} uses the unresolved prefix")
        self.memo.clear()
        self.credits.clear()
        self.agencies[agency.code] = agency
        for index, values in (
            (self.names, [_key(s) for s in agency.spellings()]),
            (self.qcodes, [q.casefold() for q in agency.qcodes]),
            (self.domains, [_host(d) for d in agency.domains]),
        ):
            for value in values:
                if value and not override and index.get(value, agency.code) != agency.code:
                    raise ValueError(f"{value!r} is claimed by {index[value]} and {agency.code}")
                if value:
                    index[value] = agency.code
        for qcode in agency.qcodes:  # "nprov:AFP" is also written as a plain name
            self.names.setdefault(_key(qcode), agency.code)

    def lookup(self, name: str) -> str | None:
        """The registered code of one name, or None."""
        if name in self.memo:
            return self.memo[name]
        code = self._lookup(name)
        if len(self.memo) >= _MEMO_SIZE:
            self.memo.clear()
        self.memo[name] = code
        return code

    def _lookup(self, name: str) -> str | None:
        text = _unlabel(name)
        key = _key(text)
        if not key:
            return None
        code = self.names.get(key)
        if code:
            return code
        uri = _NPROV_URI.match(text)
        if uri:
            return self.qcodes.get(f"nprov:{uri.group(1)}".casefold())
        host = _host(text)
        if host:
            return self._by_domain(host)
        return self._by_desk(key)

    def _by_domain(self, host: str) -> str | None:
        parts = host.split(".")
        for i in range(len(parts) - 1):
            code = self.domains.get(".".join(parts[i:]))
            if code:
                return code
        return None

    def _by_desk(self, key: str) -> str | None:
        """ "pa-sport" -> pa: desk words dropped from the end while the rest is no agency."""
        tokens = key.split("-")
        while len(tokens) > 1 and tokens[-1] in self.desks:
            tokens.pop()
            code = self.names.get("-".join(tokens))
            if code:
                return code
        return None


def _host(text: str) -> str | None:
    """The host of a URL, domain or e-mail address ("https://www.ansa.it/x" -> "ansa.it")."""
    value = text.strip().casefold()
    if "@" in value and "://" not in value:
        value = value.rsplit("@", 1)[1]
    if "://" in value:
        value = urlsplit(value).hostname or ""
    value = value.rstrip("/").removeprefix("www.")
    return value if _DOMAIN.fullmatch(value) else None


def _entry(code: str, data: dict[str, Any]) -> Agency:
    return Agency(
        code=code,
        name=data["name"],
        kind=data.get("kind", "agency"),
        country=data.get("country"),
        names=dict(data.get("names", {})),
        aliases=tuple(data.get("aliases", ())),
        credits=tuple(data.get("credits", ())),
        domains=tuple(data.get("domains", ())),
        qcodes=tuple(data.get("qcodes", ())),
    )


@cache
def _packaged() -> tuple[tuple[Agency, ...], frozenset[str]]:
    text = resources.files("wire.normalise").joinpath("data/agencies.toml").read_text("utf-8")
    data = tomllib.loads(text)
    desks = frozenset(_key(d) for d in data.pop("desks", []))
    return tuple(_entry(code, entry) for code, entry in data.items()), desks


@cache
def registry(extra: tuple[AgencyConfig, ...] = ()) -> Registry:
    """The packaged registry with ops' ``[[agencies]]`` entries on top (built once per set).

    An extra entry with a known code adds spellings (and may rename it); a new code adds an
    agency. Extra spellings win over packaged ones.
    """
    agencies, desks = _packaged()
    reg = Registry(desks=desks)
    for agency in agencies:
        reg.add(agency)
    for item in extra:
        base = reg.agencies.get(item.code) or Agency(code=item.code, name=item.name or item.code)
        reg.add(
            Agency(
                code=item.code,
                name=item.name or base.name,
                kind=item.kind or base.kind,
                country=item.country or base.country,
                names=base.names,
                aliases=(*base.aliases, *item.aliases),
                credits=base.credits,
                domains=(*base.domains, *item.domains),
                qcodes=(*base.qcodes, *item.qcodes),
            ),
            override=True,
        )
    return reg


def _strip(name: str) -> str:
    """Whitespace and enclosing brackets off: "(sda) " -> "sda"."""
    return name.strip().strip(_BRACKETS + " \t").strip()


def _unlabel(name: str) -> str:
    """Brackets and a leading label or rights mark off: "(c) 2024 Reuters" -> "Reuters"."""
    return _strip(_LABEL.sub("", name.strip())) or _strip(name)


def _lookup(name: str, reg: Registry | None = None) -> str | None:
    return (reg or registry()).lookup(name)


def resolve_agency(name: str, reg: Registry | None = None) -> str | None:
    """The agency code for ``name``; an unknown name gets its unresolved slug code, an empty
    one None."""
    cleaned = _unlabel(name or "")
    if not cleaned:
        return None
    return _lookup(cleaned, reg) or slug_code(cleaned)


def registered_code(name: str, reg: Registry | None = None) -> str | None:
    """The registry's code for ``name``, or None: :func:`resolve_agency` without making an
    unknown name's slug (credit lines ask this of every photographer's name)."""
    cleaned = _unlabel(name or "")
    return _lookup(cleaned, reg) if cleaned else None


def is_known(code: str, reg: Registry | None = None) -> bool:
    """A registered code (an agency or a producer), not an unresolved slug."""
    return code in (reg or registry()).agencies


def is_producer(code: str, reg: Registry | None = None) -> bool:
    agency = (reg or registry()).agencies.get(code)
    return agency is not None and agency.kind == "producer"


def display_name(code: str, reg: Registry | None = None) -> str:
    """The printable name of a code; unknown codes print as themselves."""
    agency = (reg or registry()).agencies.get(code)
    return agency.name if agency else code


def all_agencies(reg: Registry | None = None) -> dict[str, str]:
    """Every registered code with its display name, in registry order."""
    return {code: a.name for code, a in (reg or registry()).agencies.items()}


def _parts(credit: str) -> list[str]:
    return [p for p in (_strip(x) for x in _SEPARATORS.split(_strip(credit))) if p]


def _drop_initials(parts: list[str], reg: Registry | None = None) -> list[str]:
    """Leading editor initials ("xy" in "xy/sda") go when a known agency follows them."""
    i = 0
    while i < len(parts) and _INITIALS.fullmatch(parts[i]) and not _lookup(parts[i], reg):
        i += 1
    if 0 < i < len(parts) and any(_lookup(p, reg) for p in parts[i:]):
        return parts[i:]
    return parts


def _resolution(code: str | None, name: str, reg: Registry) -> Resolution:
    if code is None:
        return Resolution(slug_code(name), name, "unresolved")
    return Resolution(code, name, "producer" if is_producer(code, reg) else "agency")


def resolve_credit(credit: str, reg: Registry | None = None) -> list[Resolution]:
    """Every name of a compound credit in order, deduplicated by code.

    "sda/dpa" -> keystone-sda, dpa. A credit naming no known agency at all is one unresolved
    name (not cut into pieces); a mixed one keeps its unknown parts as unresolved names.
    """
    reg = reg or registry()
    known = reg.credits.get(credit)
    if known is not None:
        return list(known)
    found = _resolve_credit(credit, reg)
    if len(reg.credits) >= _MEMO_SIZE:
        reg.credits.clear()
    reg.credits[credit] = tuple(found)
    return found


def _resolve_credit(credit: str, reg: Registry) -> list[Resolution]:
    whole = _unlabel(credit or "")
    if not whole:
        return []
    code = reg.lookup(whole)
    if code or "://" in whole:
        return [_resolution(code, whole, reg)]
    parts = _drop_initials(_parts(whole), reg)
    resolved = [(reg.lookup(p), p) for p in parts]
    if not any(c for c, _ in resolved):
        return [_resolution(None, whole, reg)]
    out: dict[str, Resolution] = {}
    for c, p in resolved:
        res = _resolution(c, p, reg)
        out.setdefault(res.code, res)
    return list(out.values())


def split_agencies(credit: str, reg: Registry | None = None) -> list[str]:
    """Codes of a compound credit in order: "sda/dpa" -> ["keystone-sda", "dpa"]."""
    return [r.code for r in resolve_credit(credit, reg)]


def _signature_codes(candidate: str) -> list[str] | None:
    """Codes if every part (after editor initials) is a known agency, else None."""
    parts = _drop_initials(_parts(candidate))
    codes = [_lookup(p) for p in parts]
    if not codes or not all(codes):
        return None
    return list(dict.fromkeys(c for c in codes if c))


# "(sda/dpa)" or "[AFP]" closing the text.
_PAREN_SIG = re.compile(r"[(\[]\s*([^()\[\]\n]{1,60}?)\s*[)\]]\s*$")
# "sda/dpa" closing the text after a sentence end, a line break, or alone.
_BARE_SIG = re.compile(
    r"(?:^|(?<=[.!?»«\"“”')\]])\s+|\n\s*)([^\s.!?()\[\]\n][^.!?()\[\]\n]{0,59})\s*$"
)


def find_signature(text: str) -> tuple[str, list[str]] | None:
    """Split an agency signature off the end of a body: "... gesagt. (sda/dpa)".

    Returns (text without the signature, agency codes), or None when the end of the text is
    not a signature made wholly of known agencies (with optional leading editor initials).
    """
    if not text:
        return None
    for pattern, start in ((_PAREN_SIG, _paren_start(text)), (_BARE_SIG, _bare_start(text))):
        m = pattern.search(text, start) if start is not None else None
        if m:
            codes = _signature_codes(m.group(1))
            if codes:
                return text[: m.start()].rstrip(), codes
    return None


def find_signature_reference(text: str) -> tuple[str, list[str]] | None:
    """:func:`find_signature` searching the whole text (the tests' reference)."""
    if not text:
        return None
    for pattern in (_PAREN_SIG, _BARE_SIG):
        m = pattern.search(text)
        if m:
            codes = _signature_codes(m.group(1))
            if codes:
                return text[: m.start()].rstrip(), codes
    return None


# Both signature patterns end the text, so a search need not try every position of a long
# body: these give the first position a match can start at (None: none can), found from the
# end. Searching from there finds the very match a search of the whole text finds.


def _paren_start(text: str) -> int | None:
    """A bracketed signature closes on the last non-space character and opens on the bracket
    before it (its inside holds no bracket)."""
    end = len(text.rstrip())
    if end == 0 or text[end - 1] not in ")]":
        return None
    return max(0, *(text.rfind(c, 0, end - 1) for c in "()[]"))


def _bare_start(text: str) -> int | None:
    """A bare signature of at most 60 characters ends on the last non-space character; its
    match starts with the run of spaces before it, or at the text's start."""
    end = len(text.rstrip())
    if end == 0:
        return None
    at = max(0, end - 60)
    while at > 0 and text[at - 1].isspace():
        at -= 1
    return at
