"""What tells two stories apart: their numbers, names and headline words, beside shingles.

Template copy (one company's earnings for two quarters, two games' previews, two days'
weather or markets) shares its boilerplate word for word, so shingle similarity alone joins
it; what differs are the figures, the names, the dates and the headline's own words. A
rewrite by another agency is the opposite: other words, the same figures and names. So each
signed article also carries small sets of hashed tokens (:class:`Evidence`), and
:func:`wire.ingest.matching.judge` weighs them beside the similarity.

The extractor is deliberately cheap: a figure is read as its runs of digits ("1'250,5",
"1,250.5" and "1.250,5" all give "1", "250", "5"), a name is a capitalised word that is no stop
word (in German every noun: still content, never a function word), weekday and
month names count as names (they date a report), and so do quarters ("Q3", "third quarter").
A capitalised word that starts a sentence counts unless the text also writes it in lower case.
Tokens are folded and hashed to 32 bits.

Capitals tell names only in mixed-case copy: a Title Case headline (press-release wires) or one
in capitals, and lines in capitals (kickers, Reuters' BRIEF bullets, teletype), are left out of
the scan, so a headline word is a name where the text writes it as one; an item wholly in
capitals (IPTC 7901) gives its words, marked ``CAPS`` for the judge (:mod:`.matching`). A text
whose headline or lead names a stock index is a market report, marked ``MARKET``.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import chain, compress

import numpy as np

from wire.ingest.figures import figure_forms
from wire.ingest.fingerprint import (
    clean_lead,
    credit_dateline,
    fold,
    stop_words,
    strip_boilerplate,
)
from wire.ingest.results import without_lists
from wire.ingest.subjects import distinct, forms, needs

# A figure is its digit runs: "24'512", "24.512" and "24 512" all read "24", "512".
_DIGITS = re.compile(r"\d+")
# A capitalised word (Latin upper case: the languages wire reads; a plain class keeps the scan
# fast), and one that starts a sentence (or a line).
_CAPITAL = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’-]+")
_INITIAL = re.compile(r"[.!?:;»«\"\n][ \t]*([A-ZÀ-ÖØ-Þ][\w'’-]+)")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# Weekdays (German compounds such as "Dienstagmorgen" too) and dates ("12. Juni", "7 juillet",
# "June 12") in the four languages, read from the folded tokens into day tokens ("~wd1",
# "~d12.6"): two reports of one template, or a story and its follow-up, are told on other days.
_WEEKDAY_NAMES = (
    ("montag", "monday", "lundi", "lunedi"),
    ("dienstag", "tuesday", "mardi", "martedi"),
    ("mittwoch", "wednesday", "mercredi", "mercoledi"),
    ("donnerstag", "thursday", "jeudi", "giovedi"),
    ("freitag", "friday", "vendredi", "venerdi"),
    ("samstag", "sonnabend", "saturday", "samedi", "sabato"),
    ("sonntag", "sunday", "dimanche", "domenica"),
)
# German days take a part of the day ("Mittwochnachmittag", "Dienstagabend", "sonntags").
_GERMAN_DAYS = frozenset(names[0] for names in _WEEKDAY_NAMES) | {"sonnabend"}
_PARTS_OF_DAY = ("", "s", "morgen", "abend", "nachmittag", "vormittag", "mittag", "nacht", "fruh")
_WEEKDAY_OF = {
    name + part: n
    for n, names in enumerate(_WEEKDAY_NAMES)
    for name in names
    for part in (_PARTS_OF_DAY if name in _GERMAN_DAYS else ("",))
}
_MONTH_NAMES = (
    ("januar", "january", "janvier", "gennaio", "jan"),
    ("februar", "february", "fevrier", "febbraio", "feb"),
    ("marz", "march", "mars", "marzo", "mar"),
    ("april", "avril", "aprile", "apr"),
    ("mai", "maggio"),  # not "may": folded, the English month is the verb
    ("juni", "june", "juin", "giugno", "jun"),
    ("juli", "july", "juillet", "luglio", "jul"),
    ("august", "aout", "agosto", "aug"),
    ("september", "septembre", "settembre", "sep", "sept"),
    ("oktober", "october", "octobre", "ottobre", "oct"),
    ("november", "novembre", "nov"),
    ("dezember", "december", "decembre", "dicembre", "dec"),
)
_MONTH_OF = {name: n + 1 for n, names in enumerate(_MONTH_NAMES) for name in names}
# ANSA's datelines ("ROMA, 26 GEN"): Italian abbreviations, read in Italian copy only ("ago",
# "set" are English words).
_MONTH_OF_IT = {
    **_MONTH_OF,
    **{"gen": 1, "mag": 5, "giu": 6, "lug": 7, "ago": 8, "set": 9, "ott": 10, "dic": 12},
}
_DAY_WORDS = frozenset(_WEEKDAY_OF) | frozenset(_MONTH_OF_IT)
# Words that announce a day to come rather than tell the report's own ("à partir de vendredi",
# "dès lundi", "ab Montag", "from Friday", "a partire da lunedì", "starting Monday"): such a
# day is read, but not as the first day the text names (Evidence.day).
_ANNOUNCING = frozenset(("des", "ab", "from", "starting", "effective"))  # right before the day
_ANNOUNCING_2 = frozenset(("partir", "partire"))  # two before: "à partir de", "a partire da"
_TOKENS = re.compile(r"\w+|[.!?;:…\n]")
# Wire kickers and flags, shouted in mixed-case copy ("EIL:", "BREAKING -"): no names (folded).
_KICKERS = frozenset(
    "eil eilmeldung urgent breaking flash alert update lead roundup corr korr corrected "
    "correction berichtigung rectificatif ultimora".split()
)


# Quarters ("2Q", "Q3", "third quarter", "3. Quartal", "troisième trimestre", "terzo
# trimestre") read into "~q3": one company's results for two quarters are two reports.
_QUARTER_OF = {f"q{n}": n for n in range(1, 5)} | {f"{n}q": n for n in range(1, 5)}
_QUARTER_WORDS = frozenset(("quarter", "quartal", "quartals", "trimestre"))
_ORDINAL_OF = {
    **{w: 1 for w in ("first", "1st", "ersten", "erste", "premier", "primo", "1")},
    **{w: 2 for w in ("second", "2nd", "zweiten", "zweite", "deuxieme", "secondo", "2")},
    **{w: 3 for w in ("third", "3rd", "dritten", "dritte", "troisieme", "terzo", "3")},
    **{w: 4 for w in ("fourth", "4th", "vierten", "vierte", "quatrieme", "quarto", "4")},
}
_PERIOD_WORDS = frozenset(_QUARTER_OF) | _QUARTER_WORDS
_DATED_WORDS = _DAY_WORDS | _PERIOD_WORDS


def _day_of_month(token: str) -> int | None:
    token = token.removesuffix("er")  # "1er juillet"
    if token.isdigit() and len(token) <= 2 and 1 <= int(token) <= 31:
        return int(token)
    return None


def _days(tokens: list[str], language: str | None) -> tuple[list[str], list[str]]:
    """Day tokens of a text's folded tokens: "~wd1" for a Tuesday, "~d12.6" for 12 June (a
    month counts only beside a day of the month: "12. Juni", "June 12"); and its quarter
    tokens ("~q3" for "Q3", "3Q", "third quarter", "3. Quartal", "troisième trimestre",
    "terzo trimestre": the ordinal right before)."""
    if _DATED_WORDS.isdisjoint(tokens):
        return [], []
    months = _MONTH_OF_IT if (language or "")[:2].lower() == "it" else _MONTH_OF
    out: list[str] = []
    announced: list[str] = []  # days a text announces ("à partir de vendredi"): read last
    quarters: list[str] = []
    # Only the day words' places are visited (found at C speed): most tokens are none.
    for i in compress(range(len(tokens)), map(_DATED_WORDS.__contains__, tokens)):
        token = tokens[i]
        if token in _PERIOD_WORDS:
            n = _QUARTER_OF.get(token)
            if n is None and i:
                before = tokens[i - 2] if i >= 2 and tokens[i - 1] == "." else tokens[i - 1]
                n = _ORDINAL_OF.get(before)
            if n is not None:
                quarters.append(f"~q{n}")
            continue
        weekday = _WEEKDAY_OF.get(token)
        if weekday is not None:
            ahead = (i > 0 and tokens[i - 1] in _ANNOUNCING) or (
                i > 1 and tokens[i - 2] in _ANNOUNCING_2
            )
            (announced if ahead else out).append(f"~wd{weekday}")
            continue
        month = months.get(token)
        if month is None:
            continue
        before = tokens[i - 2] if i >= 2 and tokens[i - 1] == "." else tokens[i - 1] if i else ""
        day = _day_of_month(before)
        if day is None and i + 1 < len(tokens):
            day = _day_of_month(tokens[i + 1])
        if day is not None:
            out.append(f"~d{day}.{month}")
    # an announced day last: not the first
    return list(dict.fromkeys(out + announced)), list(dict.fromkeys(quarters))


WEEKDAYS = frozenset(zlib.crc32(f"~wd{n}".encode()) for n in range(7))
# The day and month words themselves, as names hash them ("tuesday", "juin"): they date a
# text, they do not tell what it is about.
DAY_WORDS = frozenset(zlib.crc32(w.encode()) for w in _DAY_WORDS)
DATES = frozenset(zlib.crc32(f"~d{d}.{m}".encode()) for d in range(1, 32) for m in range(1, 13))
# Marks the names of an item written in capitals: its words, not names (see _told, and
# wire.ingest.matching: the judge weighs them only against another text's names).
CAPS = zlib.crc32(b"~caps")
_CAPS = frozenset((CAPS,))
EMPTY: frozenset[int] = frozenset()  # the one empty set every article's sets share
QUARTERS = frozenset(zlib.crc32(f"~q{n}".encode()) for n in range(1, 5))
# Stock indexes, folded as names read them ("Ftse Mib" gives "ftse" and "mib"). A text whose
# headline or lead names one is a market report: it lists the moves of many companies, and the
# names and figures it shares with one company's story do not make it another account of that
# story (wire.ingest.matching). Its names carry the ``MARKET`` mark. Not here: names that are
# as often something else in a lead ("the Nikkei business daily reported", "Dow Jones
# Newswires", "Wall Street analysts").
_INDEX_NAMES = frozenset(
    "smi spi sli dax mdax sdax tecdax atx ftse mib stoxx eurostoxx cac topix kospi sensex ibex "
    "aex nasdaq".split()
)
INDEXES = frozenset(zlib.crc32(name.encode()) for name in _INDEX_NAMES)
MARKET = zlib.crc32(b"~market")
_MARKET = frozenset((MARKET,))
# Marks, among the forms, the headline subjects that tell the story from another of its kind
# (wire.ingest.subjects.distinct: "Glarus-Wahl", "Zugo"): a subject's hash XOR this key (the
# judge has the subject's hash, not the word), so the stored form stays as it was.
DISTINCT = zlib.crc32(b"~distinct")


def distinct_mark(subject: int) -> int:
    """The mark, among the forms, of a headline subject that tells its story apart."""
    return subject ^ DISTINCT


MAX_CHARS = 6000  # text read: evidence is in the first paragraphs
MAX_KEEP = 64  # hashed tokens kept per set (the first ones: headline and lead come first)


# One int object per distinct token hash: names and figures recur from article to article,
# so every set the index keeps (the seven days' articles) holds one int per distinct token
# instead of one per article, for the sets made here and those of signatures made elsewhere
# (a parse worker's, a stored one: Evidence.unpack). Bounded: emptied when full (what recurs
# comes back at once).
_INTS_MAX = 1 << 17  # about 9 MB at most
_ints: dict[int, int] = {}


def _shared(values: list[int]) -> list[int]:
    if len(_ints) + len(values) > _INTS_MAX:
        _ints.clear()
    return list(map(_ints.setdefault, values, values))  # (C speed: no Python call per int)


def _hashes_of(*groups: list[str]) -> list[frozenset[int]]:
    """Each group's first ``MAX_KEEP`` tokens hashed (crc32, shared ints: :func:`_shared`),
    as a set; all groups in one pass (one call each, not one a group)."""
    kept = [group[:MAX_KEEP] for group in groups]
    values = _shared(list(map(zlib.crc32, map(str.encode, chain.from_iterable(kept)))))
    out: list[frozenset[int]] = []
    start = 0
    for group in kept:
        end = start + len(group)
        out.append(frozenset(values[start:end]) if group else EMPTY)
        start = end
    return out


@dataclass(frozen=True)
class Evidence:
    """Hashed tokens of one article: its figures, its names, its headline's content words,
    the first day it names (``day``: empty or one hash; the day a report tells of comes
    first, and two agencies' accounts of one event name the same one, while a follow-up
    opens on its own day and names the event's only further down), and which of its names are
    a language's common nouns (``nouns``: German capitalises every noun; "Polizei" is in
    every other story, so it tells what kind of story, not which one). ``forms`` and
    ``needs`` find a headline's subjects however another text inflects or compounds them
    (:mod:`wire.ingest.subjects`): the other forms of its names (stems, hyphenated names'
    parts), and for each headline word, the ways it is found besides itself (a headline
    word's hash and a tuple of hashes, each of which the other's names or forms must hold).
    ``forms`` also holds its figures in other forms, as the digit strings they stand for
    (:mod:`wire.ingest.figures`: "37,9" as "38", a headline's "Two" as "2"), which find the
    other text's figures."""

    numbers: frozenset[int]
    names: frozenset[int]
    headline: frozenset[int]
    day: frozenset[int] = frozenset()
    nouns: frozenset[int] = frozenset()
    forms: frozenset[int] = frozenset()
    needs: tuple[tuple[int, tuple[int, ...]], ...] = ()

    @classmethod
    def empty(cls) -> Evidence:
        return cls(frozenset(), frozenset(), frozenset())

    def pack(self) -> np.ndarray:
        """As uint32: seven counts, then the six sets, then the needs (each a headline word's
        hash, a count and that many hashes: the stored form)."""
        parts = [
            sorted(self.numbers),
            sorted(self.names),
            sorted(self.headline),
            sorted(self.day),
            sorted(self.nouns),
            sorted(self.forms),
            [x for word, need in self.needs for x in (word, len(need), *need)],
        ]
        counts = [len(p) for p in parts]
        return np.array([*counts, *(x for p in parts for x in p)], dtype="<u4")

    @classmethod
    def unpack(cls, values: np.ndarray) -> Evidence | None:
        if len(values) < _PACKED:
            return None
        counts = values[:_PACKED].tolist()
        if len(values) != _PACKED + sum(counts):
            return None
        rest = _shared(values[_PACKED:].tolist())
        sets: list[frozenset[int]] = []
        start = 0
        for count in counts[:-1]:
            sets.append(frozenset(rest[start : start + count]) if count else EMPTY)
            start += count
        flat, i = rest[start:], 0
        found: list[tuple[int, tuple[int, ...]]] = []
        while i + 1 < len(flat):
            n = flat[i + 1]
            found.append((flat[i], tuple(flat[i + 2 : i + 2 + n])))
            i += 2 + n
        if i != len(flat):
            return None
        numbers, names, headline, day, nouns, other = sets
        return cls(numbers, names, headline, day, nouns, other, tuple(found))


_PACKED = 7  # counts at the head of the stored form


def _figures(runs: list[str]) -> list[str]:
    return [t.lstrip("0") or "0" for t in dict.fromkeys(runs)]


@cache
def common_nouns(language: str | None) -> frozenset[str]:
    """The common nouns of a language whose copy capitalises them (German: every noun), folded;
    empty for the others. A capitalised word among them is no name: two German stories share
    "Polizei", "Regierung" and "Unfall" as English ones share "police" (``data/de_nouns.txt``:
    Wiktionary's frequent nouns, written folded by ``bench/dedup/make_nouns.py``)."""
    if (language or "")[:2].lower() != "de":
        return frozenset()
    text = resources.files("wire.ingest").joinpath("data/de_nouns.txt").read_text("utf-8")
    return frozenset(w for w in text.split("\n") if w and not w.startswith("#"))


def _names(text: str, stops: frozenset[str]) -> list[str]:
    """Capitalised words; one that starts a sentence only when the text never writes it in
    lower case ("Wayfair agrees ...", but not "Police said ..." beside "police"). An all-caps
    word of mixed-case copy is an acronym ("UBS", "FINMA") or a dateline's place ("MILANO,
    30 NOV"): a name, unless it is a wire's kicker or flag ("EIL", "URGENT", "BREAKING")."""
    # Two scans that each start on a character class are several times faster than one
    # pattern with an optional sentence end first (the engine then tries every position).
    found = dict.fromkeys(_CAPITAL.findall(text))
    initial = set(_INITIAL.findall("\n" + text))
    # (a sentence start that is an ASCII stop word is dropped below anyway: not searched for)
    words = [
        w
        for w in found
        if w not in initial
        or (not (w.isascii() and _bare(w.lower()) in stops) and f" {w.lower()}" not in text)
    ]
    joined = fold("\n".join(words))  # one fold for all: accents off, lower case
    bare = _bare_words(joined.split("\n"), joined)
    return [w for w in dict.fromkeys(bare) if w not in stops and w not in _KICKERS]


def _caseless(headline: str, stops: frozenset[str], language: str | None) -> bool:
    """Whether a headline's capitals tell nothing of its names: ALL CAPS, or Title Case
    (press-release wires, some US outlets: "DiamondRock Hospitality Company Reports Fourth
    Quarter 2023 Results"). Title Case: no word after the first in lower case but function
    words ("on", "of"), and either a function word capitalised ("Overturns On", "Haft Für")
    or, outside German (which capitalises its nouns), three words of 3 letters or more
    capitalised."""
    if headline.isupper():
        return True
    capital = capital_stop = 0
    for word in _WORD.findall(headline)[1:]:  # most headlines end at their 2nd or 3rd word
        stop = fold(word) in stops
        if not word[0].isupper():
            if not stop:
                return False  # sentence case: a content word in lower case
        elif stop:
            capital_stop += len(word) > 1  # not "Serie A", "Plan B"
        elif len(word) >= 3:
            capital += 1
    return capital_stop > 0 or (capital >= 3 and (language or "")[:2].lower() != "de")


def _told(text: str, headline: str | None, stops: frozenset[str], language: str | None) -> str:
    """The part of ``text`` (headline, lead, body joined) whose capitals tell names: without a
    Title Case or ALL CAPS headline and without lines in capitals (a 7901 teletype item, a
    kicker or dateline line). Empty for an all-caps item: nothing in it tells a name from a
    word, so its names are its words, marked (``CAPS``): against another text, what counts
    is the other's names it has; two items in capitals are not joined on names alone."""
    if headline and _caseless(headline, stops, language):
        text = text[len(headline) + 1 :]
    lines = text.split("\n")
    if any(map(str.isupper, lines)):
        text = "\n".join(line for line in lines if not line.isupper())
    return text


def _opens_on_index(headline: str | None, lead: str | None, body: str | None) -> bool:
    """Whether the headline or the lead (without one, the body's first paragraph) names a
    stock index: a market report opens on it ("SMI schliesst fester", "Il Ftse Mib guadagna
    lo 0,82%"); a company's story that names one does so further down ("der SMI legte zu")."""
    opening = lead or (body or "").lstrip().split("\n", 1)[0]
    words = _WORD.findall(fold(f"{headline or ''}\n{opening[:MAX_CHARS]}"))
    return not _INDEX_NAMES.isdisjoint(map(_bare, words))


def _bare(word: str) -> str:
    """A folded word without a possessive ("chile's", "doctors'") or an elided article or
    preposition before it ("l'a9", "d'etat", "sull'a2"): one name, however a text writes it."""
    if "'" not in word and "’" not in word:
        return word
    head, _, rest = word.replace("’", "'").partition("'")
    if rest in ("s", "") or "'" in rest:
        return head if rest in ("s", "") else word
    return rest if len(head) <= 5 else word


def _bare_words(words: list[str], within: str) -> list[str]:
    """:func:`_bare` of each of ``words`` (folded), all of them found in ``within``: without an
    apostrophe there (most texts' names, most headlines) each word is its own, told by two
    searches of the string instead of a call per word."""
    return words if "'" not in within and "’" not in within else list(map(_bare, words))


def _as_written(word: str, bare: str) -> str:
    """The part of a headline word that is its name as written ("Ambrì" of "l'Ambrì")."""
    if "'" not in word and "’" not in word:
        return word
    head, _, rest = word.replace("’", "'").partition("'")
    return rest if fold(rest) == bare else head


def evidence(
    headline: str | None,
    lead: str | None,
    body: str | None,
    language: str | None,
    *,
    clean: bool = True,
    digit_runs: list[str] | None = None,
    tokens: list[str] | None = None,
    dateline: str = "",
) -> Evidence:
    """The numbers, names and headline words of an article (trailers and datelines off;
    ``clean=False``: the parts went through :func:`wire.ingest.fingerprint.clean_parts`).

    ``digit_runs``: the text's runs of digits in order, when the caller has read them already
    (the signer reads them from the tokens it shingles: one scan of the text fewer); with them,
    ``tokens``: the folded tokens of the same text (for the days). ``dateline``: the credit
    dateline cleaning took off (:func:`wire.ingest.fingerprint.credit_dateline`): its date is
    among the dates, never the first day (the day the text tells of is in its text).

    A results list or standings table the body carries after its prose (the round's other
    results a game's report ends on) is left out: every report of the round carries it
    (:mod:`wire.ingest.results`)."""
    stops = stop_words(language)
    if clean:
        dateline = credit_dateline(lead, body)
        lead, body = clean_lead(lead), strip_boilerplate(body or "")
    if body:
        listed = body
        body = without_lists(body)
        if body is not listed:  # a results list or table left out: its figures and words too
            digit_runs = tokens = None
    text = "\n".join(p for p in (headline, lead, body) if p)[:MAX_CHARS]
    runs = _DIGITS.findall(text) if digit_runs is None else digit_runs
    numbers = _figures(runs)
    folded_headline = fold(headline or "")
    heading = _WORD.findall(folded_headline)
    bare_heading = _bare_words(heading, folded_headline)
    head = [w for w in bare_heading if w not in stops and len(w) > 1]
    head += _figures(_DIGITS.findall(headline or ""))
    if tokens is None or digit_runs is None:
        tokens = _TOKENS.findall(fold(text))
    days, quarters = _days(tokens, language)
    first = days[:1]
    if dateline:
        filed = [d for d in _days(_TOKENS.findall(fold(dateline)), language)[0] if "~d" in d]
        days += [d for d in filed if d not in days]
    # days and quarters first: the cap keeps them
    told = _told(text, headline, stops, language)
    # Nothing told in mixed case: an item in capitals (its words, marked for the judge), or a
    # bare headline (read as it is).
    blank = not told.strip()
    caps = blank and bool(lead or body)
    names = days + quarters + _names(text if blank else told, stops)
    names = names[:MAX_KEEP]
    common = common_nouns(language)
    nouns = [w for w in names if w in common] if common else []
    # The headline's subjects (its words among the names) and the ways each is found
    # otherwise; the other forms of the names (an item in capitals has words, not names).
    own = set(names)
    found = tuple(
        (zlib.crc32(w.encode()), tuple(_shared([zlib.crc32(x.encode()) for x in need])))
        for w in dict.fromkeys(head)
        if w in own
        for need in needs(w, language, common)
    )
    # The other forms of its figures first (a few: the cap keeps them): the headline's counts
    # in words, decimals rounded (wire.ingest.figures); then those of its names; and the marks
    # of the headline subjects that tell it from another story of its kind.
    other = figure_forms(text, heading, language, runs) + ([] if caps else forms(names, language))
    hashed_numbers, hashed, hashed_head, hashed_first, hashed_nouns, hashed_other = _hashes_of(
        numbers, names, head, first, nouns, other
    )
    if not caps and headline:
        raw = _WORD.findall(headline)  # (as folded: ``heading``, word for word)
        bare = bare_heading if len(heading) == len(raw) else [_bare(fold(w)) for w in raw]
        written = list(zip(raw, bare, strict=True))
        written = [(_as_written(w, f), f) for w, f in written if f in own and f not in _DAY_WORDS]
        if written:
            marks = [distinct_mark(zlib.crc32(w.encode())) for w in distinct(written, told, common)]
            hashed_other = hashed_other.union(marks) if marks else hashed_other
    if caps:
        hashed = hashed | _CAPS
    # (most texts name no index: the opening is read only for one that does)
    if not _INDEX_NAMES.isdisjoint(names) and _opens_on_index(headline, lead, body):
        hashed |= _MARKET
    return Evidence(
        hashed_numbers, hashed, hashed_head, hashed_first, hashed_nouns, hashed_other, found
    )
