"""The agency registry: many spellings of one agency ("SDA", "Keystone-SDA", "ats") to one code.

The data lives in ``wire/normalise/data/agencies.toml`` so adding an agency or an alias is a
data change.
Unknown names are kept verbatim, never dropped: a small agency we do not list is still
attribution a reader needs.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache
from importlib import resources

# Separators between agencies in a compound credit ("sda/dpa", "AFP, Reuters", "dpa und AFP").
# The hyphen is never one: "Keystone-SDA" and "dpa-AFX" are single agencies.
_SEPARATORS = re.compile(r"\s*[/,;&+|]\s*|\s+(?:und|and|et)\s+", re.IGNORECASE)
_BRACKETS = "()[]{}<>"
# Editor initials before the agency in German-language signatures: "(xy/sda)".
_INITIALS = re.compile(r"[a-zäöü]{2,4}")


def _key(name: str) -> str:
    """Lookup form: case- and accent-insensitive, spaces/hyphens/underscores alike."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return re.sub(r"[\s\-_‐‑–—]+", "-", plain).strip("-. ")


@cache
def _registry() -> tuple[dict[str, str], dict[str, str]]:
    """(code -> display name, alias key -> code), read once from the packaged TOML."""
    data_file = resources.files("wire.normalise").joinpath("data/agencies.toml")
    text = data_file.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    names: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for code, entry in data.items():
        names[code] = entry["name"]
        for alias in [code, entry["name"], *entry.get("aliases", [])]:
            key = _key(alias)
            if aliases.get(key, code) != code:
                raise ValueError(f"agency alias {alias!r} is claimed by {aliases[key]} and {code}")
            aliases[key] = code
    return names, aliases


def _strip(name: str) -> str:
    """Whitespace and enclosing brackets off: "(sda) " -> "sda"."""
    return name.strip().strip(_BRACKETS + " \t").strip()


def _lookup(name: str) -> str | None:
    return _registry()[1].get(_key(_strip(name)))


def resolve_agency(name: str) -> str | None:
    """The agency code for ``name``; an unknown name comes back verbatim, an empty one as None."""
    cleaned = _strip(name or "")
    if not cleaned:
        return None
    return _lookup(cleaned) or cleaned


def is_known(code: str) -> bool:
    return code in _registry()[0]


def display_name(code: str) -> str:
    """The printable name of a code; unknown codes (verbatim names) print as themselves."""
    return _registry()[0].get(code, code)


def all_agencies() -> dict[str, str]:
    """Every known code with its display name, in registry order."""
    return dict(_registry()[0])


def _parts(credit: str) -> list[str]:
    return [p for p in (_strip(x) for x in _SEPARATORS.split(_strip(credit))) if p]


def _drop_initials(parts: list[str]) -> list[str]:
    """Leading editor initials ("xy" in "xy/sda") go when a known agency follows them."""
    i = 0
    while i < len(parts) and _INITIALS.fullmatch(parts[i]) and not _lookup(parts[i]):
        i += 1
    if 0 < i < len(parts) and any(_lookup(p) for p in parts[i:]):
        return parts[i:]
    return parts


def split_agencies(credit: str) -> list[str]:
    """Codes of a compound credit in order, deduplicated: "sda/dpa" -> ["keystone-sda", "dpa"].

    A credit naming no known agency at all is kept whole (verbatim), not cut into pieces;
    a mixed one keeps its unknown parts verbatim next to the resolved codes.
    """
    whole = _strip(credit or "")
    if not whole:
        return []
    code = _lookup(whole)
    if code:
        return [code]
    parts = _drop_initials(_parts(whole))
    resolved = [(_lookup(p), p) for p in parts]
    if not any(c for c, _ in resolved):
        return [whole]
    out: list[str] = []
    for c, p in resolved:
        item = c or p
        if item not in out:
            out.append(item)
    return out


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
    for pattern in (_PAREN_SIG, _BARE_SIG):
        m = pattern.search(text)
        if m:
            codes = _signature_codes(m.group(1))
            if codes:
                return text[: m.start()].rstrip(), codes
    return None
