"""Image credits: split them off captions, and read creator, agencies and rights holder.

Captions arrive with the credit glued on ("... Weissrussland. - dpa", "(KEYSTONE/Peter
Schneider)", "Foto: dpa/Michael Kappeler"). A tail is only taken as a credit when it reads
like one (a known agency, "zvg", a label such as "Foto:", or "©"); a caption that merely
contains a dash keeps its text.

"zvg" (zur Verfügung gestellt: provided by a third party, typically the subject) names no
agency; such a credit gets ``copyright_holder="zvg"`` so consumers can tell handouts apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from wire.normalise.agencies import (
    display_name,
    is_known,
    registered_code,
    slug_code,
    split_agencies,
)
from wire.normalise.text import clean_text
from wire.record import Image


@dataclass(frozen=True)
class Credit:
    """What a credit line says: the photographer, the agencies (codes, in order), the rights."""

    creator: str | None = None
    agencies: tuple[str, ...] = ()
    copyright_holder: str | None = None
    # (unresolved code, raw name) of organisations no registry entry claims, in credit order.
    unresolved: tuple[tuple[str, str], ...] = ()


ZVG = "zvg"
_ZVG = re.compile(r"z\.?\s?v\.?\s?g\.?|zur\s+verf(?:ü|ue)gung\s+gestellt", re.IGNORECASE)
_LABEL = re.compile(
    r"(?:Fotos?|Bild(?:er)?|Photos?|Fotografie|Fotograf(?:in)?|Photographer|Bildquelle|Quelle|"
    r"Source|Image|Cr[ée]dits?(?:\s+photo)?|Photo\s+credit|Fotonachweis|"
    r"Bildnachweis|Grafik|Infografik|Graphic|Graphique|Gráfico)\s*:\s*",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(r"(?:©|\(c\)|\bcopyright\b)\s*:?\s*", re.IGNORECASE)
# Between the parts of a credit line: "KEYSTONE/EPA/John Doe", "AFP, Fabrice Coffrini",
# "Peter Klaunzer (Keystone)", "John Doe via Reuters".
_PART_SEP = re.compile(r"\s*[/,;|()]\s*|\s+via\s+", re.IGNORECASE)
# Boilerplate around a copyright notice: "© 2020 The Associated Press. All rights reserved."
_YEAR = re.compile(r"^\d{4}(?:\s*[-–]\s*\d{4})?\b[\s,]*")
# "All rights reserved" in en/de/fr/it, as a regex alternation (html and fingerprint use it too).
RIGHTS_RESERVED = (
    "all rights reserved|alle rechte vorbehalten|tous droits réservés|tutti i diritti riservati"
)
_RESERVED = re.compile(rf"[\s.,;]*(?:{RIGHTS_RESERVED})[\s.]*$", re.IGNORECASE)
_NAME_TOKEN = re.compile(r"[^\W\d_][\w.'’\-]*")
# Words in credit lines that are not people: "AFP/HO", "dpa/Archiv", "Reuters/Pool".
_NOT_A_PERSON = {
    "handout", "ho", "pool", "file", "files", "archiv", "archive", "archivbild",
    "symbolbild", "screenshot", "illustration", "montage", "grafik", "str", "stringer",
    "file photo", "archivfoto",
}  # fmt: skip
# A part no registry entry claims but that names an organisation, not a person: a picture
# agency, a photo service, a publisher ("Bildagentur Beispiel", "Studio Muster", "XY Images").
_ORGANISATION = re.compile(
    r"agentur|agency|agence|agenzia|\b(?:photos?|fotos?|press|presse|images|pictures|"
    r"bild(?:er)?|news|media|studios?|verlag)\b|\S\s+(?:gmbh|ag|sa|ltd|inc|llc)\.?$",
    re.IGNORECASE,
)
_TRAILING_JUNK = " \t-–—|,;:/"
MAX_CREDIT_WORDS = 12


def _is_zvg(part: str) -> bool:
    return bool(_ZVG.fullmatch(part.strip(" .()")))


def _agency_code(part: str) -> str | None:
    """The registered code ``part`` names, or None."""
    code = registered_code(part)
    return code if code and is_known(code) else None


def _name_like(part: str) -> bool:
    words = part.split()
    return 0 < len(words) <= 5 and all(_NAME_TOKEN.fullmatch(w) for w in words)


def _parts(body: str) -> list[str]:
    if not _may_separate(body):  # one part: no split (most captions are such prose)
        whole = body.strip(" .")
        return [whole] if whole else []
    return [p for p in (x.strip(" .") for x in _PART_SEP.split(body)) if p]


def _may_separate(body: str) -> bool:
    """False only when ``_PART_SEP`` cannot match in ``body``: none of its separator
    characters, and no "via" in any case (the regular expression's own case rules decide)."""
    return any(c in body for c in _SEPARATORS) or _VIA.search(body) is not None


_SEPARATORS = "/,;|()"  # _PART_SEP's characters
_VIA = re.compile("via", re.IGNORECASE)


def _unlabelled_credit(body: str, first_must_be_agency: bool) -> bool:
    """An unlabelled text reads as a credit: agencies/zvg plus at most photographer names."""
    if len(body.split()) > MAX_CREDIT_WORDS:  # prose: no need to cut it into parts
        return False
    parts = _parts(body)
    if not parts:
        return False
    marked = False
    for i, part in enumerate(parts):  # the first part that settles it ends the reading
        mark = bool(_agency_code(part)) or _is_zvg(part)
        if not mark and ((i == 0 and first_must_be_agency) or not _name_like(part)):
            return False
        marked = marked or mark
    return marked


def _labelled_credit(body: str) -> bool:
    """After "Foto:" or "©" the label says it is a credit; only guard against prose."""
    body = body.strip()
    return bool(body) and len(body) <= 100 and len(body.split()) <= MAX_CREDIT_WORDS


@lru_cache(maxsize=4096)
def _normalise_credit(credit: str) -> str:
    """A credit as printed, minus a leading label: "Foto: dpa" -> "dpa", "(c) APA" -> "© APA"."""
    credit = clean_text(credit).strip(_TRAILING_JUNK + ".")
    if re.fullmatch(r"[(\[][^()\[\]]*[)\]]", credit):
        credit = credit[1:-1].strip(_TRAILING_JUNK + ".")
    while m := _LABEL.match(credit):
        credit = credit[m.end() :]
    m = _COPYRIGHT.match(credit)
    if m:
        credit = "© " + _YEAR.sub("", _RESERVED.sub("", credit[m.end() :]))
    return credit.strip(_TRAILING_JUNK + ".").strip()


def _credit_body(text: str, strict: bool) -> str | None:
    """``text`` as a credit line if it is one (labelled, ©, or unlabelled), else None."""
    text = text.strip().strip(_TRAILING_JUNK + ".")
    m = _LABEL.match(text) or _COPYRIGHT.match(text)
    if m:
        return _normalise_credit(text) if _labelled_credit(text[m.end() :]) else None
    if _unlabelled_credit(text, first_must_be_agency=strict):
        return _normalise_credit(text)
    return None


def _caption_rest(caption: str) -> str:
    return caption.rstrip(_TRAILING_JUNK).strip()


# A label or © after a boundary: start, punctuation, or a dash separator.
_LABEL_AT = re.compile(
    r"(?:^|(?<=[.!?)»«\"“”;,|\-–—/:])\s*|\s)(?=" + _LABEL.pattern + r"|©|\(c\)\s|copyright\b)",
    re.IGNORECASE,
)
# What any match of _LABEL_AT holds, with its case rules: _LABEL's colon, ©, "(c)" or "copyright".
_LABEL_HINT = re.compile(r":|©|\(c\)|copyright", re.IGNORECASE)
_TRAILING_PAREN = re.compile(r"\s*[(\[]([^()\[\]]{1,120})[)\]]\.?\s*$")
_DASH = re.compile(r"\s[-–—]\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?»«\"“”])\s+")


def split_caption(text: str) -> tuple[str, str | None]:
    """(caption without its credit, the credit or None). Only credit-like tails are cut."""
    caption = clean_text(text or "")
    if not caption:
        return "", None
    whole = _credit_body(caption, strict=True)
    if whole:
        return "", whole
    # "... Foto: dpa/Michael Kappeler", "... © APA/Hans Klaus Techt" (every label ends in a
    # colon: without one, a © or a "(c)" or "copyright" none can match)
    labels = _LABEL_AT.finditer(caption) if _LABEL_HINT.search(caption) else ()
    for m in reversed(list(labels)):
        tail = caption[m.end() :]
        before = caption[: m.start()].rstrip()
        loose = bool(before) and not before.endswith(tuple('.!?)»«"“”;,|-–—/:'))
        credit = _credit_body(tail, strict=False)
        # After a plain word ("Berlin Foto: ..."), insist on a known agency or zvg.
        if credit and (
            not loose or _unlabelled_credit(_normalise_credit(tail).lstrip("© "), False)
        ):
            return _caption_rest(caption[: m.start()]), credit
        break
    # "(KEYSTONE/Peter Schneider)", "(AP Photo/Evan Vucci)", "(zvg)", "(Foto: dpa)"
    paren = _TRAILING_PAREN.search(caption)
    if paren:
        credit = _credit_body(paren.group(1), strict=False)
        if credit:
            return _caption_rest(caption[: paren.start()]), credit
    # After the last dash, read loosely: "... Weissrussland. - dpa", "... - Keystone / Gaetan
    # Bally"; after the last sentence, strictly: "... in Berlin. REUTERS/Fabrizio Bensch".
    for separator, strict in ((_DASH, False), (_SENTENCE_END, True)):
        found = list(separator.finditer(caption))
        if found:
            credit = _credit_body(caption[found[-1].end() :], strict=strict)
            if credit:
                return _caption_rest(caption[: found[-1].start()]), credit
    return caption, None


@lru_cache(maxsize=4096)  # a feed prints a handful of credit lines over and over
def parse_credit(credit: str) -> Credit:
    """Read a credit line: "KEYSTONE/EPA/John Doe" -> agencies (keystone-sda, epa), "John Doe".

    The rights holder is the first name after "©", else the first agency's display name,
    else "zvg" for handouts, else unknown (None).
    """
    text = _normalise_credit(credit or "")
    if not text:
        return Credit()
    copyrighted = text.startswith("©")
    body = text.lstrip("© ").strip()
    agencies: list[str] = []
    unresolved: dict[str, str] = {}
    people: list[str] = []
    zvg = False
    parts = _parts(body)
    for part in parts:
        code = _agency_code(part)
        if code is None and part.casefold() not in _NOT_A_PERSON and _ORGANISATION.search(part):
            code = slug_code(part)  # an agency the registry does not know: not a person
            unresolved.setdefault(code, part)
        if code:
            if code not in agencies:
                agencies.append(code)
        elif _is_zvg(part):
            zvg = True
        elif part.casefold() not in _NOT_A_PERSON:
            people.append(part)
    holder: str | None = None
    if copyrighted and parts:
        first = _agency_code(parts[0])
        holder = display_name(first) if first else parts[0]
    elif agencies:
        holder = unresolved.get(agencies[0]) or display_name(agencies[0])
    elif zvg:
        holder = ZVG
    return Credit(
        creator=" / ".join(people) or None,
        agencies=tuple(agencies),
        copyright_holder=holder,
        unresolved=tuple(unresolved.items()),
    )


def _without_suffix(caption: str, credit: str) -> str:
    """Drop an explicit credit the caption repeats at its end."""
    for tail in (f"({credit})", credit):
        if credit and caption.endswith(tail) and len(caption) > len(tail):
            return _caption_rest(caption[: -len(tail)])
    return caption


def apply_credit(image: Image) -> Image:
    """A new Image with the credit split off the caption and read into its parts.

    The adapter's explicit values win: its ``credit`` over one found in the caption, its
    ``creator``/``agencies``/``copyright_holder`` over what the credit line says.
    """
    caption, found = split_caption(image.caption or "")
    explicit = _normalise_credit(image.credit or "")
    if explicit:
        caption = _without_suffix(caption, explicit)
    parsed = [parse_credit(c) for c in (explicit, found) if c]
    agencies: list[str] = []
    for raw in image.agencies:
        for code in split_agencies(raw):
            if code not in agencies:
                agencies.append(code)
    if not agencies:
        agencies = list(next((p.agencies for p in parsed if p.agencies), ()))
    out = _copy(image)
    out.href = (image.href or "").strip() or None
    out.alt = clean_text(image.alt or "") or None
    out.caption = caption or None
    out.credit = explicit or found or None
    out.creator = clean_text(image.creator or "") or next(
        (p.creator for p in parsed if p.creator), None
    )
    out.agencies = agencies
    out.copyright_holder = clean_text(image.copyright_holder or "") or next(
        (p.copyright_holder for p in parsed if p.copyright_holder), None
    )
    return out


def _copy(image: Image) -> Image:
    """A shallow copy, as ``dataclasses.replace`` makes it without its field walk and
    ``__init__`` call (a few microseconds a picture)."""
    cls = type(image)
    new = cls.__new__(cls)
    new.__dict__.update(image.__dict__)
    return new
