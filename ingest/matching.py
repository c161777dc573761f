"""Same story or not: the decision for one candidate pair, and the reason it gives.

Shingle similarity alone joins template copy (its boilerplate matches) and misses briefs (a
short text's shingles are a small share of a long one's) and rewrites in other words. So a pair
is judged on four things (each tuned on bench/dedup, see its README):

- the estimated Jaccard similarity of the shingles (``similarity``);
- the containment of the shorter text in the longer (``containment``, estimated from the
  similarity and both shingle counts): a brief or a take is mostly found in its story;
- the numbers both carry: two quarters' earnings, two days' weather or markets, two games
  share their boilerplate and not their figures; a rewrite or an update shares them (also
  where one agency rounds a decimal or writes its headline's count in words:
  :func:`numbers`, :mod:`wire.ingest.figures`);
- the names both carry (people, companies, teams, places, weekdays).

A pair joins when its numbers and names agree (or one side has none) and one of these
supports it: the text (similarity at ``[dedup].threshold``), containment (a brief in its
story), or the facts themselves (most numbers and names shared, for a rewrite in other words).
Below a similarity of ``OWN_SIMILARITY``, two texts that each carry several numbers the other
lacks are two reports of one template (another day's results, weather, markets): an update
changes a figure or two, not most of them; unless they share almost no text and name the same
quarter (an earnings snapshot and another agency's brief of it pick their own figures).
Short items (fewer than ``min_words`` words) are judged on headline + lead, more strictly:
every number of the shorter shared, half the names, and a higher similarity (a lower one only
with shared numbers and names: a retitled short item).

Two agencies' own accounts of one event share almost no shingles and partly other figures; they
reach the judge as candidates by shared rare names and numbers (:mod:`wire.ingest.dedup`) and
join as an ``account``: many names shared, few numbers missing, no day apart, and each
headline's names and numbers found in the other text (what the story is about; as written, or
in another form: :mod:`wire.ingest.subjects`, "Deutschlands", "GDL-Streik", "Bahnstreik"
found as "Deutschland", "GDL", "Bahn" and "Streik"). A brief in its
own words joins when most of its names are in the story, or most of its names and of its
figures (:func:`_brief_facts`: judged one way, on the brief's evidence; the figures the long story
has besides do not count against it). None of these, nor a data item joined on its figures
alone, joins two texts that open on other days (:func:`moved_on`): a next-day follow-up shares
the names and figures of the event and names its day further down. Two texts told on other
days (both name a weekday or a date, none the same) are two stories unless nearly identical;
two that open on the same day and share many names are two accounts of that day's event,
unless each headline names a place, team or company the other text mostly does not
(:func:`_apart`: two cantons' elections of one Sunday, two games of one matchday, two
companies' results of one morning share the template's names, not what tells them apart;
this also holds for the other rules for texts sharing almost no text; and below
``OWN_SIMILARITY``, two texts neither of which names any of those of the other, two regions'
storm warnings, are not joined on their text or figures either: :func:`_unlike`). Two
that give too few figures to compare (one of them one at most) and name no weekday (a
follow-up names the event's day) join on the account rule's names and a third of the
headlines' subjects. A
market report (it opens on a stock index, :data:`wire.ingest.evidence.MARKET`) is joined by
these rules for texts sharing almost no text only to a text that names the same index: it lists
many companies and figures, and the story of one of them shares its name, the day and a figure
or two with it, not the story.

Letter case: an item written in capitals (a legacy IPTC 7901 feed) has no names, only words
(:data:`wire.ingest.evidence.CAPS` marks them); against a text in mixed case the words it
shares with the other's names count as shared names, and its headline is left out of the
headline test (:func:`_told`). Two items in capitals are never joined by the rules for texts
that share almost no text: their shared words do not tell an account from another story.
Quarters ("Q3", "third quarter") are read like days: two texts naming only other quarters
are two reports.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

from wire.ingest.evidence import (
    CAPS,
    DATES,
    DAY_WORDS,
    EMPTY,
    INDEXES,
    MARKET,
    QUARTERS,
    WEEKDAYS,
    distinct_mark,
)
from wire.ingest.figures import LARGEST

# Day tokens and words among the names: when a text is told, not what it is about.
_DAYS = WEEKDAYS | DATES | QUARTERS | DAY_WORDS

NUMBERS_AGREE = 0.5  # Jaccard of the numbers at which two texts report the same figures
NAMES_AGREE = 0.4  # share of the fewer names found in the other text
CONTAINED = 0.6  # share of the shorter text's shingles in the longer one: a brief, a take
CONTAINED_NUMBERS = 0.6  # a contained text's numbers found in the other (updated figures)
OWN_NUMBERS = 3  # numbers each text has and the other lacks: two reports of one template
OWN_SHARE = 0.25  # ... (at least this share of the fewer numbers), below this similarity:
OWN_SIMILARITY = 0.6  # an update changes a figure or two, another day's report most of them
OWN_FLOOR = 0.03  # ... (two reports of one template share their boilerplate: at least this)
NEAR_SIMILARITY = 0.7  # text this similar needs only half the fewer numbers shared
FACT_NUMBERS = 2  # shared numbers (and as many names) a rewrite in other words needs
SHORT_SIMILARITY = 0.35  # short items: similarity of headline + lead they need
SHORT_FACT_SIMILARITY = 0.2  # ... or this much, with every number of the shorter shared
SHORT_NAMES = 0.5
# Two accounts in other words (text similarity near 0): no number of the fewer lacking in the
# other (beyond ``OWN_NUMBERS``), the same day, and most of the fewer names shared.
ACCOUNT_NAMES = 0.3  # share of the fewer names found in the other
ACCOUNT_SHARED = 3  # ... and at least this many
ACCOUNT_NUMBERS = 0.34  # share of the fewer numbers found in the other
ACCOUNT_LACKING = 3  # numbers of the other text lacking, beyond which ...
ACCOUNT_MORE = 0.2  # ... this share of the more numbers must be shared (a follow-up: new facts)
ACCOUNT_HEADLINE = 0.55  # share of both headlines' names and numbers the other text has
SMALL_SHINGLES = 30  # an item this small (in shingles) ...
SMALL_SIMILARITY = 0.15  # ... joins at this similarity with every number of it shared
FIGURES = 4  # this many numbers shared ...
FIGURES_AGREE = 0.8  # ... at this Jaccard: the same figures (a data item in other words)
FACT_HEADLINE = 0.35  # ... (facts in other words, low similarity: a stronger numbers rule)
BRIEF_RATIO = 0.3  # a text at most this share of the other's size (in shingles) is a brief ...
BRIEF_NAMES = 0.6  # ... of the story that has this share of its names (at least BRIEF_SHARED)
BRIEF_SHARED = 4
# A brief told from its story's facts: judged one way, on the brief's evidence (a long story has
# many names and figures its brief lacks, which symmetric tests count against the pair): most of
# the brief's names in the story, and its figures too, so many that no headline test is needed
# (two agencies headline one event in their own compounds, "Bahnstreik" and "GDL-Streik").
BRIEF_FIGURES = 3  # the brief's numbers found in the story: at least this many ...
BRIEF_FIGURES_SHARE = 0.75  # ... and this share of them
ACCOUNT_SIMILARITY = 0.15  # at most: a pair sharing more text than that shares boilerplate
# Two accounts told on one day: the first day each names is the same (a follow-up opens on its
# own day), most of the fewer names shared (or a great many), and some of both headlines'
# subjects found in the other text; unless both carry several numbers shared and several
# lacking (one template's reports: the same boilerplate figures, other results). On the same
# day two agencies headline one event in their own words and compounds ("Rentenreform",
# "Rentenpaket"; "Notenbank", "SNB"), so a fifth of the headlines' subjects is enough here
# (the account rule, which has no day to go by, needs 55%).
DAY_SIMILARITY = 0.1  # at most (template reports of one day share more boilerplate than that)
DAY_NAMES = 0.5  # share of the fewer names found in the other ...
DAY_SHARED = 7  # ... and at least this many
DAY_MANY = 14  # ... or this many (two long accounts; German capitalises every noun)
DAY_HEADLINE = 0.2  # share of both headlines' names and numbers the other text has
DAY_TOLD = 0.75  # ... and with this share told, not two reports of one template (OWN_NUMBERS)
DAY_TEMPLATE = 3  # numbers shared, and ...
DAY_LACKING = 3  # ... this many of the fewer lacking: one template's reports
# ... and not when each headline names a place, team or company (wire.ingest.subjects.distinct)
# that the other text mostly does not: at most this share of them named in the other.
APART_NAMED = 0.5
# ... and the rules on similar text or the same figures, below ``OWN_SIMILARITY``, when neither
# text names any of the other's (:func:`_unlike`)
_UNLIKE_RULES = frozenset(("text", "facts"))
# The three rules above for texts sharing almost no text need this many shared names that are
# no common noun (German copy capitalises every noun: two unrelated stories share "Polizei",
# "Regierung", "Gemeinde"; what makes them one story is a person, a company, a place).
PROPER_SHARED = 2
# Two accounts in other words, one of them giving at most this many figures (nothing to tell
# them apart or alike by, where the account rule asks for shared figures), neither naming a
# weekday (a follow-up names the event's day: "the landslide of Thursday"; other dates are
# told apart by ``other_day``, the credit dateline's date among them): the account rule's
# names (day and month words not counted) and ``FACT_HEADLINE`` of both headlines' subjects.
THIN_NUMBERS = 1
_MARKS = frozenset((CAPS, MARKET))


@dataclass(frozen=True, slots=True)  # no __dict__: the index keeps one per article
class Traits:
    """What the judge needs of one article besides its MinHash values: the shingle count,
    whether it is a short item, and its numbers and names as sets of 32-bit hashes (made once
    per article: a template flood judges one article against many, and set intersection of a
    few dozen ints is far cheaper than any array call)."""

    shingles: int
    short: bool
    numbers: frozenset[int]
    names: frozenset[int]
    weekdays: frozenset[int] = frozenset()  # day tokens among the names (evidence.WEEKDAYS)
    dates: frozenset[int] = frozenset()  # ... and dates ("12 June": evidence.DATES)
    headline: frozenset[int] = frozenset()  # the headline's names and numbers
    day: frozenset[int] = frozenset()  # the first day the text names (evidence.Evidence.day)
    proper: frozenset[int] = frozenset()  # the names that are no common noun (German copy)
    quarters: frozenset[int] = frozenset()  # quarter tokens among the names (evidence.QUARTERS)
    caps: bool = False  # written in capitals: its names are its words (evidence.CAPS)
    market: bool = False  # a market report: opens on a stock index (evidence.MARKET)
    # The other forms of its names, and the ways each headline subject is found otherwise
    # (evidence.Evidence.forms, .needs: wire.ingest.subjects), as flat tuples of ints (a few
    # hundred bytes an article, not the kilobyte of a set and a tuple per subject): the needs
    # as (subject, count, that many hashes) runs. Read only for a pair's headline test.
    forms: tuple[int, ...] = ()
    needs: tuple[int, ...] = ()
    # The figures among the forms: what its figures stand for in other forms (decimals
    # rounded, the headline's counts in words: wire.ingest.figures), found against the other's
    # figures only (:func:`numbers`); mostly the one shared empty set.
    figures: frozenset[int] = frozenset()

    @classmethod
    def of(
        cls,
        shingles: int,
        short: bool,
        numbers: Any,
        names: Any,
        headline: Any = (),
        day: Any = (),
        nouns: Any = (),
        forms: Any = (),
        needs: Any = (),
    ) -> Traits:
        # (an Evidence's sets are frozensets of ints already: taken as they are)
        names = names if type(names) is frozenset else frozenset(map(int, names))
        caps = CAPS in names
        market = MARKET in names
        if caps or market:
            names = names - _MARKS
        numbers = numbers if type(numbers) is frozenset else frozenset(map(int, numbers))
        # An empty set is the one shared empty frozenset: most articles name no weekday,
        # date or quarter, and the index keeps these for every article of the window. The
        # days and quarters named are few sets of few tokens: one shared set each
        # (:func:`_shared`), not one more object for the garbage collector per article.
        return cls(
            shingles,
            short,
            numbers or EMPTY,
            names or EMPTY,
            _shared(names & WEEKDAYS),
            _shared(names & DATES),
            (headline if type(headline) is frozenset else frozenset(map(int, headline)))
            & (names | numbers)
            or EMPTY,
            _shared(day if type(day) is frozenset else frozenset(map(int, day))),
            (names - (nouns if type(nouns) is frozenset else frozenset(map(int, nouns))) or EMPTY)
            if nouns
            else names,
            _shared(names & QUARTERS),
            caps,
            market,
            tuple(sorted(forms)),  # (one order however the forms came: packed, or fresh)
            tuple(x for word, need in needs for x in (word, len(need), *need)),
            _FIGURES.intersection(forms) or EMPTY,  # (not _shared: figures are many sets)
        )


# The figures another form of a figure can stand for (wire.ingest.figures: below LARGEST), as
# the evidence hashes them: the forms that are figures, not names' stems.
_FIGURES = frozenset(zlib.crc32(str(n).encode()) for n in range(LARGEST))
_DIGIT = frozenset(zlib.crc32(str(n).encode()) for n in range(10))  # (a count's form)

_SHARED: dict[frozenset[int], frozenset[int]] = {}
_SHARED_MAX = 4096  # sets kept: days and quarters are drawn from a few hundred tokens


def _shared(values: frozenset[int]) -> frozenset[int]:
    """The one set equal to ``values`` that every article naming these days shares (EMPTY for
    none): the index keeps every article's sets for the window, and each set of its own is an
    object the garbage collector walks at every full collection."""
    if not values:
        return EMPTY
    found = _SHARED.get(values)
    if found is None:
        found = values
        if len(_SHARED) < _SHARED_MAX:
            _SHARED[values] = values
    return found


@dataclass(frozen=True)
class Reason:
    """Why an article joined its cluster: the rule and the figures it weighed."""

    rule: str  # text | containment | facts | account | short | version | resent | editor
    similarity: float
    containment: float = 0.0
    shared_numbers: int = 0
    numbers: float | None = None  # Jaccard of the numbers (None: a side has none)
    shared_names: int = 0
    names: float | None = None  # share of the fewer names found in the other text

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "similarity": round(self.similarity, 3),
            "containment": round(self.containment, 3),
            "shared_numbers": self.shared_numbers,
            "numbers": None if self.numbers is None else round(self.numbers, 3),
            "shared_names": self.shared_names,
            "names": None if self.names is None else round(self.names, 3),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reason:
        return cls(**{k: data[k] for k in _FIELDS if k in data})

    def describe(self) -> str:
        """One line for an editor: "similar text (0.62), 5 numbers and 7 names shared"."""
        head = {
            "text": f"similar text ({self.similarity:.2f})",
            "containment": f"contained in the other ({self.containment:.2f} of the shorter text)",
            "facts": f"same facts in other words (text {self.similarity:.2f})",
            "account": f"another account of the same event (text {self.similarity:.2f})",
            "short": f"short item with near-identical headline and lead ({self.similarity:.2f})",
            "version": "a later version of an item first seen as a copy of this story",
            "resent": "the same agency's item re-sent under a new guid and headline",
            "editor": "put here by an editor",
        }.get(self.rule, self.rule)
        if self.rule in ("version", "resent", "editor"):
            return head
        return f"{head}, {self.shared_numbers} numbers and {self.shared_names} names shared"


_FIELDS = tuple(Reason.__dataclass_fields__)


def describe(reason: dict[str, Any] | None) -> str:
    """An editor's line for a stored reason (None: joined before reasons were kept)."""
    if not reason or "rule" not in reason:
        return "joined before reasons were kept"
    return Reason.from_dict({"similarity": 1.0, **reason}).describe()


def containment(similarity: float, a: int, b: int) -> float:
    """Share of the smaller shingle set found in the larger, from their Jaccard similarity."""
    if similarity <= 0.0 or min(a, b) <= 0:
        return 0.0
    shared = similarity / (1.0 + similarity) * (a + b)
    return min(1.0, shared / min(a, b))


def _overlap(a: frozenset[int], b: frozenset[int]) -> tuple[int, float | None, float | None]:
    """(shared, Jaccard, share of the smaller) of two sets of hashes."""
    if not a or not b:
        return 0, None, None
    shared = len(a & b)
    return shared, shared / (len(a) + len(b) - shared), shared / min(len(a), len(b))


def numbers(a: Traits, b: Traits) -> tuple[int, float | None, float | None]:
    """(shared, Jaccard, share of the fewer) of two texts' figures: as digit runs, and a
    figure one gives in digits that the other gives in another form ("2" and "two", "38" and
    "37,9": :mod:`wire.ingest.figures`) counts as shared, not as one the other lacks."""
    if not a.numbers or not b.numbers:
        return 0, None, None
    shared = len(a.numbers & b.numbers)
    fewer = min(len(a.numbers), len(b.numbers))
    if a.figures or b.figures:  # (most texts have none: the one shared empty set)
        shared = min(shared + _finds(a, b) + _finds(b, a), fewer)
    return shared, shared / (len(a.numbers) + len(b.numbers) - shared), shared / fewer


def _finds(a: Traits, b: Traits) -> int:
    """How many of ``b``'s figures ``a`` gives in another form only: a single digit (a count
    in ``a``'s headline) only where it is a figure of ``b``'s headline too ("2 dead" and "Two
    killed"): in a text, a single digit is as often part of a decimal, a time or a score."""
    found = a.figures & b.numbers
    if not found:
        return 0
    return sum(1 for f in found - a.numbers if f not in _DIGIT or f in b.headline)


def other_day(a: Traits, b: Traits) -> bool:
    """Both name a weekday (or a date, or a quarter) and none is the same: told on other days
    (another day's weather, markets, results; a story and its next-day follow-up; one
    company's results for two quarters)."""
    return bool(
        (a.weekdays and b.weekdays and not a.weekdays & b.weekdays)
        or (a.dates and b.dates and not a.dates & b.dates)
        or (a.quarters and b.quarters and not a.quarters & b.quarters)
    )


def moved_on(a: Traits, b: Traits) -> bool:
    """The two open on other days: a story and its next-day follow-up (same names, same
    figures, the event's day named further down in the follow-up). Two weekdays that differ
    are two days; two dates only when neither text names the other's (a date a headline
    announces, "from 19 December", may come before the dateline's); a weekday and a date
    may be one day."""
    if not a.day or not b.day or a.day == b.day:
        return False
    if a.day <= WEEKDAYS and b.day <= WEEKDAYS:
        return True
    return a.day <= DATES and b.day <= DATES and not (a.day <= b.dates or b.day <= a.dates)


def _told(a: Traits, b: Traits) -> float:
    """Share of both headlines' names and numbers the other text names too (1.0: none):
    what each headline says the story is about ("SNB", "Leitzins"), found in the other text
    (two central banks' rate decisions share their nouns, not their subjects), as it is or
    inflected and compounded otherwise (:func:`_found`)."""
    # A headline in capitals tells no names (its words are all "names"): only the other's
    # headline counts, found among its words.
    found = total = 0
    if not a.caps:
        found, total = _found(a, b), len(a.headline)
    if not b.caps:
        found += _found(b, a)
        total += len(b.headline)
    return found / total if total else 1.0


def _found(a: Traits, b: Traits) -> int:
    """How many of ``a``'s headline subjects ``b`` names: as they are, or in another form
    (:mod:`wire.ingest.subjects`: "Deutschlands" as "Deutschland", "Graz" as "Grazer",
    "GDL-Streik" by "GDL", "Bahnstreik" by "Bahn" and "Streik"); never by a generic part
    alone."""
    missing = a.headline - b.names - b.numbers - b.figures  # ("2" found as "two")
    if not missing or not a.needs:
        return len(a.headline) - len(missing)
    known: frozenset[int] | None = None  # (made only for a subject that is missing)
    found, needs, i = set(), a.needs, 0
    while i < len(needs):
        word, end = needs[i], i + 2 + needs[i + 1]
        if word in missing:
            if known is None:
                known = b.names.union(b.numbers, b.forms)
            if known.issuperset(needs[i + 2 : end]):
                found.add(word)
        i = end
    return len(a.headline) - len(missing) + len(found)


def _brief_facts(a: Traits, b: Traits, n_shared: int) -> bool:
    """The shorter text is a brief (``BRIEF_RATIO`` of the other's size or less) whose evidence
    is in the story, judged one way: most of the brief's names (``BRIEF_NAMES``, at least
    ``BRIEF_SHARED``) and of its numbers (``BRIEF_FIGURES_SHARE``) found in the story, however
    many the story has besides."""
    brief, story = (a, b) if a.shingles <= b.shingles else (b, a)
    if brief.shingles > BRIEF_RATIO * story.shingles:
        return False
    if n_shared < BRIEF_FIGURES_SHARE * len(brief.numbers):
        return False
    shared = len(brief.names & story.names)
    return shared >= BRIEF_SHARED and shared >= BRIEF_NAMES * len(brief.names)


def _brief_lacks(a: Traits, b: Traits, n_shared: int) -> bool:
    """The shorter text is a brief (``BRIEF_RATIO`` of the other's size or less) that shares
    several figures with the story (``DAY_TEMPLATE``: the same kind of facts) and has more than
    a quarter of its own not in it (``BRIEF_FIGURES_SHARE``): the template test judged one way,
    on the brief's figures (a brief gives its story's key figures; one with figures of its own
    tells another event of the kind, as another week's strike briefed on the same weekday)."""
    brief, story = (a, b) if a.shingles <= b.shingles else (b, a)
    return (
        brief.shingles <= BRIEF_RATIO * story.shingles
        and DAY_TEMPLATE <= n_shared < BRIEF_FIGURES_SHARE * len(brief.numbers)
    )


def _apart(a: Traits, b: Traits) -> bool:
    """Each headline names what tells its story from another of its kind (a place, a team, a
    company: :func:`wire.ingest.subjects.distinct`) and the other text names at most
    ``APART_NAMED`` of it: two templated reports of one day ("Glarus-Wahl" and "Uri-Wahl";
    "il Lugano supera lo Zugo" and "l'Ambrì cade a Berna"), however many names of their
    template they share (the parties, the league, the other teams). Two accounts of one event
    name most of each other's (one agency's "Schweiz:" against another's "A1 bei Kirchberg
    BE": the village and the road named in both)."""
    return _named(a, b) <= APART_NAMED and _named(b, a) <= APART_NAMED


def _unlike(a: Traits, b: Traits) -> bool:
    """Neither text names any of the other's distinguishing headline subjects (each has
    some): two reports of one template ("alerte aux orages en Valais", "... au Tessin"), kept
    apart below ``OWN_SIMILARITY`` even where their text and figures agree. (Not for a brief
    contained in its story: "Austria" in one headline, "Austrian" in the other.)"""
    return _named(a, b) == 0.0 and _named(b, a) == 0.0


def _named(a: Traits, b: Traits) -> float:
    """Share of ``a``'s distinguishing headline subjects ``b`` names in some form (1.0: none)."""
    if a.caps or not a.forms:
        return 1.0
    marks = set(a.forms)
    subjects = [s for s in a.headline if distinct_mark(s) in marks]
    if not subjects:
        return 1.0
    one = Traits(0, False, EMPTY, EMPTY, headline=frozenset(subjects), needs=a.needs)
    return _found(one, b) / len(subjects)


def _proper(a: Traits, b: Traits) -> bool:
    """Enough shared names that are proper names, not common nouns (``PROPER_SHARED``)."""
    return len(a.proper & b.proper) >= PROPER_SHARED


# What the pre-check (:func:`hopeless`) asks of a pair that shares little text: the fewest
# shared numbers and names any rule of :func:`judged` joins such a pair on.
_FEW_NUMBERS = min(FACT_NUMBERS, FIGURES, BRIEF_FIGURES)  # a rule on numbers needs this many
_FEW_NAMES = min(ACCOUNT_SHARED, BRIEF_SHARED, DAY_SHARED)  # an account needs this many names
_NO_NAMES = FACT_NUMBERS  # fewer shared names than this: only ``FIGURES`` numbers join
_ACCOUNTS_BELOW = max(ACCOUNT_SIMILARITY, DAY_SIMILARITY)  # the account rules' similarity


def hopeless(
    similarity: float,
    a: Traits,
    b: Traits,
    threshold: float,
    both: frozenset[int] | None = None,
) -> bool:
    """True only for a pair :func:`judged` rejects, told from a few counts (most candidates of
    a large index are chance ones: a name or two shared, little or no text).

    The implication, rule by rule of :func:`judged`:

    - a short item (either side) below ``SHORT_FACT_SIMILARITY`` is rejected: the short rule
      needs ``SHORT_SIMILARITY`` or, retitled, ``SHORT_FACT_SIMILARITY``;
    - otherwise, below ``threshold`` (no "text"), below ``SMALL_SIMILARITY`` (no small item
      "short") and with a containment below ``CONTAINED`` (no "containment"), every rule left
      needs shared numbers or names: "facts" ``FACT_NUMBERS`` numbers and as many names,
      "facts" on figures ``FIGURES`` numbers, the accounts ``ACCOUNT_SHARED``,
      ``BRIEF_SHARED`` or ``DAY_SHARED`` names (the brief of facts ``BRIEF_FIGURES`` numbers
      and ``BRIEF_SHARED`` names). So fewer than ``_FEW_NUMBERS`` numbers and fewer than
      ``_FEW_NAMES`` names shared is a rejection, and so is fewer than ``_NO_NAMES`` names
      with fewer than ``FIGURES`` numbers.

    ``tests/ingest/test_matching_precheck.py`` checks it against :func:`judged` on the
    evaluation sets' pairs and their cross pairs. ``both``: ``a.names & b.names``, when the
    caller has it."""
    if a.short or b.short:
        return similarity < SHORT_FACT_SIMILARITY
    if similarity >= threshold or similarity >= SMALL_SIMILARITY:
        return False
    if similarity > 0.0 and containment(similarity, a.shingles, b.shingles) >= CONTAINED:
        return False
    names = len(a.names & b.names if both is None else both)
    if names >= _FEW_NAMES:
        return False
    shared = len(a.numbers & b.numbers)
    if shared < FIGURES and (a.figures or b.figures):  # (figures in other forms: :func:`numbers`)
        shared += _finds(a, b) + _finds(b, a)
    return shared < _FEW_NUMBERS or (names < _NO_NAMES and shared < FIGURES)


def judge(similarity: float, a: Traits, b: Traits, threshold: float) -> Reason | None:
    """The reason ``a`` and ``b`` are one story, or None when they are not: :func:`judged`,
    after a pre-check (:func:`hopeless`) that rejects most chance candidates for less (the
    names they share found once for both)."""
    both = a.names & b.names
    if hopeless(similarity, a, b, threshold, both):
        return None
    return judged(similarity, a, b, threshold, both)


def judged(
    similarity: float,
    a: Traits,
    b: Traits,
    threshold: float,
    both: frozenset[int] | None = None,
) -> Reason | None:
    """The full judgement: the reason ``a`` and ``b`` are one story, or None.

    Called for every candidate of every new article, so it rejects as early as it can (the
    numbers and days first: what tells template copy apart) and builds a reason only for a
    join. ``both``: ``a.names & b.names``, when the caller has it. Each rule's costly test
    (how much of the headlines each text tells, :func:`_told`) comes after its cheap ones,
    and is computed once for all rules."""
    n_shared, n_jaccard, n_share = numbers(a, b)
    short = a.short or b.short
    if short and not (n_share is None or n_share == 1.0):
        return None
    if similarity < OWN_SIMILARITY and other_day(a, b):
        return None
    contained = containment(similarity, a.shingles, b.shingles)
    is_contained = contained >= CONTAINED
    if both is None:
        both = a.names & b.names
    # The names shared, and their share of the fewer (None: a side names none): _overlap's.
    m_shared = len(both)
    m_share = m_shared / min(len(a.names), len(b.names)) if a.names and b.names else None
    told: float | None = None  # _told(a, b), once asked
    # Both in capitals: their "names" are words, which tell no account from another story. A
    # market report is another account only of a text naming its index, not of the story of
    # a company it lists (the company's name, the day, a figure or two in common).
    accounts = not (a.caps and b.caps) and not ((a.market or b.market) and not both & INDEXES)
    rule = None
    if short:
        names_ok = m_share is None or m_share >= SHORT_NAMES
        retitled = similarity >= SHORT_FACT_SIMILARITY and n_shared >= 1 and m_shared >= 1
        if names_ok and (similarity >= SHORT_SIMILARITY or retitled):
            rule = "short"
        return _reason(rule, similarity, contained, n_shared, n_jaccard, m_shared, m_share)
    if n_jaccard is not None and OWN_FLOOR <= similarity < OWN_SIMILARITY:
        fewer = min(len(a.numbers), len(b.numbers))
        if fewer - n_shared >= max(OWN_NUMBERS, OWN_SHARE * fewer) and not (
            similarity < DAY_SIMILARITY
            and (
                (
                    a.day
                    and a.day == b.day
                    and n_shared < DAY_TEMPLATE
                    and (told := _told(a, b)) >= DAY_TOLD
                )
                or a.quarters & b.quarters
            )
        ):
            # several numbers each side lacks: two reports of one template (unless two
            # agencies' accounts, sharing almost no text: of one day, about the same subjects,
            # sharing few figures; or of one quarter's results, each with its own selection
            # of the figures: the template veto is for another day's or quarter's report)
            return None
    numbers_agree = (
        n_jaccard is None
        or n_jaccard >= NUMBERS_AGREE
        or (is_contained and n_share is not None and n_share >= CONTAINED_NUMBERS)
        # nearly the same text with some figures updated (a template report of another day
        # shares its boilerplate, not most of its text and half its figures)
        or (similarity >= NEAR_SIMILARITY and n_share is not None and n_share >= NUMBERS_AGREE)
    )
    if numbers_agree and (m_share is None or m_share >= NAMES_AGREE or is_contained):
        if similarity >= threshold:
            rule = "text"
        elif is_contained:
            rule = "containment"
        elif (
            n_jaccard is not None
            and n_jaccard >= NUMBERS_AGREE
            and n_shared >= FACT_NUMBERS
            and m_share is not None
            and m_share >= NAMES_AGREE
            and m_shared >= FACT_NUMBERS
            and (
                similarity >= ACCOUNT_SIMILARITY
                or (told := _told(a, b) if told is None else told) >= FACT_HEADLINE
            )
        ):
            rule = "facts"
        elif (
            min(a.shingles, b.shingles) <= SMALL_SHINGLES
            and similarity >= SMALL_SIMILARITY
            and n_share == 1.0
            and m_share is not None
            and m_share >= SHORT_NAMES
            and m_shared >= FACT_NUMBERS
        ):
            rule = "short"  # a small item retitled: every figure and most names the same
    if (
        rule is None
        and n_jaccard is not None
        and n_jaccard >= FIGURES_AGREE
        and n_shared >= FIGURES
        and not moved_on(a, b)
    ):
        # the same figures, every one (a data item in other words); not a next-day story that
        # repeats them (the winner of Wednesday's draw, told on Thursday)
        rule = "facts"
    if rule in _UNLIKE_RULES and similarity < OWN_SIMILARITY and _unlike(a, b):
        # one template's reports sharing their boilerplate and no figure that tells them apart
        # (two regions' storm warnings): neither text names what the other's headline is about
        rule = None
    if rule is not None:
        return _reason(rule, similarity, contained, n_shared, n_jaccard, m_shared, m_share)
    if not accounts or similarity >= _ACCOUNTS_BELOW or not _proper(a, b):
        # Every rule left is an account's: each needs little shared text and some shared
        # names that are proper names (PROPER_SHARED; the last one without the day and month
        # words).
        return None
    if (
        similarity < ACCOUNT_SIMILARITY
        and (n_share is None or n_share >= ACCOUNT_NUMBERS)
        and (
            not (a.numbers or b.numbers)  # (one without figures lacks all the other's)
            or max(len(a.numbers), len(b.numbers)) - n_shared <= ACCOUNT_LACKING
            or n_shared >= ACCOUNT_MORE * max(len(a.numbers), len(b.numbers))
        )
        and m_share is not None
        and m_share >= ACCOUNT_NAMES
        and m_shared >= ACCOUNT_SHARED
        and not moved_on(a, b)
        and (told := _told(a, b) if told is None else told) >= ACCOUNT_HEADLINE
        and not _apart(a, b)
    ):
        rule = "account"
    if (
        rule is None
        and similarity < ACCOUNT_SIMILARITY
        and min(a.shingles, b.shingles) <= BRIEF_RATIO * max(a.shingles, b.shingles)
        and m_share is not None
        and m_share >= BRIEF_NAMES
        and m_shared >= BRIEF_SHARED
        and not moved_on(a, b)
        and (told := _told(a, b) if told is None else told) >= ACCOUNT_HEADLINE
        and not _apart(a, b)
    ):
        rule = "account"  # a brief in its own words: most of its names in the story
    if (
        rule is None
        and similarity < ACCOUNT_SIMILARITY
        and n_shared >= BRIEF_FIGURES
        and _brief_facts(a, b, n_shared)
        and not moved_on(a, b)
        and not _apart(a, b)
    ):
        rule = "account"  # a brief of the story's facts: its names and figures in the story
    if (
        rule is None
        and similarity < DAY_SIMILARITY
        and a.day
        and a.day == b.day
        and a.headline
        and b.headline
        and m_share is not None
        and m_shared >= DAY_SHARED
        and (m_share >= DAY_NAMES or m_shared >= DAY_MANY)
        and not (
            n_shared >= DAY_TEMPLATE
            and min(len(a.numbers), len(b.numbers)) - n_shared >= DAY_LACKING
        )
        and not _brief_lacks(a, b, n_shared)
        and (told := _told(a, b) if told is None else told) >= DAY_HEADLINE
        and not _apart(a, b)
    ):
        rule = "account"  # another agency's account of the same day's event
    if (
        rule is None
        and similarity < ACCOUNT_SIMILARITY
        and min(len(a.numbers), len(b.numbers)) <= THIN_NUMBERS
        and not a.weekdays
        and not b.weekdays
        and not moved_on(a, b)
        and m_share is not None
        and m_share >= ACCOUNT_NAMES
        and a.headline
        and b.headline
        and len(a.proper & b.proper - _DAYS) >= PROPER_SHARED
        and len(both - _DAYS) >= ACCOUNT_SHARED
        and (told := _told(a, b) if told is None else told) >= FACT_HEADLINE
        and not _apart(a, b)
    ):
        # two accounts of one event that give no figures to compare and name no weekday
        # (one tells "this morning", the other dates its dateline): the places and people,
        # and some of the headlines' subjects
        rule = "account"
    return _reason(rule, similarity, contained, n_shared, n_jaccard, m_shared, m_share)


def _reason(
    rule: str | None,
    similarity: float,
    contained: float,
    n_shared: int,
    n_jaccard: float | None,
    m_shared: int,
    m_share: float | None,
) -> Reason | None:
    if rule is None:
        return None
    return Reason(rule, similarity, contained, n_shared, n_jaccard, m_shared, m_share)
