"""Text keys for deduplication: the exact-duplicate fingerprint and the words that get shingled.

Both start from the same cleaned text: credit lines, agency signatures, datelines with an agency
credit ("Berlin (dpa) - ") and republishers' boilerplate ("Alle Rechte vorbehalten", "Lesen Sie
auch", "© AFP") are removed first, because a partner page that republishes an agency item adds or
drops exactly those and nothing else.

- :func:`text_fingerprint` (level 2, exact duplicates): sha256 of the body's words with case,
  accents, whitespace and punctuation gone. Two items with the same fingerprint carry the same
  story text, whatever the channel; the second is stored as a sighting of the first.
- :func:`shingle_words` (level 3, near duplicates): the tokens of headline + lead + body that
  MinHash shingles, "stop-word light": case and accents folded, the most frequent function
  words of the article's language (German, French, Italian, English) dropped, numbers kept
  (they tell one day's market report from the next), sentence ends kept as markers so that
  shingles stop at them. Too little text, or a table of numbers, gives None.
"""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from itertools import filterfalse

from wire.normalise.agencies import find_signature, is_known, split_agencies
from wire.normalise.credits import RIGHTS_RESERVED
from wire.record import Article

_WORD = re.compile(r"\w+", re.UNICODE)
MIN_WORDS = 8  # shorter bodies are too generic to call exact duplicates of each other

# Trailing agency signatures: "(sda/dpa)", "cf/sda", "(AFP)" at the very end of a body.
_SIGNATURE = re.compile(
    r"\(?\b[a-z]{2,4}(?:/[a-z-]{2,12})+\)?\s*$"
    r"|[(\[]\s*(?:sda|ats|dpa|afp|apa|ap|ansa|reuters|awp|keystone-sda|kna|epd|dpa-afx)"
    r"(?:\s*/\s*[\w-]{2,12})*\s*[)\]]\s*$",
    re.IGNORECASE,
)
# A dateline carrying an agency credit at the start of a body: "Berlin (dpa) - ",
# "PARIS, 3 mai 2024 (AFP) - ", "LONDON (Reuters) -", "Bern (Keystone-SDA) – ".
_CREDIT_DATELINE = re.compile(r"^[^\n()]{0,60}?\(([^()\n]{2,40})\)\s*[-–—:]\s*")
# Short paragraphs made of these are republishers' furniture, not story text.
_BOILERPLATE = re.compile(
    r"©|\bcopyright\b|\(c\)\s*\d{4}"
    rf"|{RIGHTS_RESERVED}"
    r"|^(?:quelle|source|fonte|foto|photo|bild|bilder|image|text|mitarbeit|credit)s?\s*:"
    r"|^(?:mehr zum thema|lesen sie auch|lesen sie mehr|weitere artikel|weiterlesen|read more"
    r"|related|see also|lire aussi|à lire aussi|voir aussi|leggi anche|per saperne di più)\b"
    r"|dieser (?:artikel|beitrag|text) wurde|this (?:article|story) was|cet article a été"
    r"|questo articolo è stato|folgen sie uns|follow us on|suivez-nous|seguici su"
    r"|^\(?(?:additional )?(?:reporting|writing|editing|compiled) by\b"
    r"|^\(?(?:mit material von|redigiert von|bearbeitet von|avec|con)\s+(?:der |l')?"
    r"(?:afp|ap|ats|sda|dpa|apa|ansa|reuters|keystone-sda|keystone-ats)\b"
    r"|\bnewsletter\b",
    re.IGNORECASE,
)
# Trailers an agency or a partner appends to the last paragraph (or the lead of a short item):
# "(Reporting by ...; Editing by ...)", "dpa xy yz", "© AFP", "(ANSA).", "Riproduzione riservata
# © Copyright ANSA", "(Avec AFP)", "Associated Press writer ... contributed to this report."
_TRAILER = re.compile(
    r"(?:\(\s*(?:(?:additional\s+)?(?:reporting|writing|editing|compiled|research|mitarbeit|"
    r"redigiert|bearbeitet|reportage|r[ée]daction|[ée]dit[ée]|a cura|con la collaborazione))\b"
    r"[^()]{0,200}\)"
    r"|\(\s*(?:avec|with|mit|con)\s+(?:l')?[a-z-]{2,12}(?:\s*/\s*[a-z-]{2,12})*\s*\)"
    r"|(?:riproduzione riservata\s*)?©\s*(?:copyright\s*)?[a-z][\w-]{1,14}(?:\s+\d{4})?"
    r"|\b(?:dpa|apa)(?:\s+[a-z]{2,3}){1,3}"
    r"|\((?:ansa|afp|ats|sda|ap|dpa|apa|reuters|belga|apcom)\)\s*\."
    r"|associated press (?:writers?|reporters?)\b[^.]{0,160}\bcontributed\b[^.]{0,40}\.)"
    r"\s*$",
    re.IGNORECASE,
)
# Paragraphs an agency's system closes a story with, after its text: routing and filing lines
# ("dpa lby yymm z2 mw", "APA0156 2026-12-01/11:22", ANSA's "SPO NG01 LPZ 302301 NOV 26",
# AGI's "Red/Cop" and "011045 DIC 26"), end marks ("ENDS", "(Schluss) tig/sm", "-0-"), a
# correspondent's contact in brackets (an e-mail address inside) and a site's pointer to more
# news ("Sul sito www.reuters.it ..."). Only trailing paragraphs are taken for these: a
# story's own paragraph never looks like one, but it may name a web site.
_CLOSING = re.compile(
    r"dpa(?:-afx)?(?:\s+[a-z0-9]{1,6}){2,6}"  # routing codes
    r"|APA\d{3,4}\s+\d{4}-\d{2}-\d{2}/\d{2}:\d{2}"
    r"|(?:[A-Z]{2,4}\s+){0,3}(?:[A-Z]{2}\d{2}\s+)?(?:[A-Z]{2,4}\s+)?\d{6}\s+[A-Z]{3}\s+\d{2}"
    r"|[A-Z][a-z]{1,3}/[A-Z][a-z]{1,3}"
    r"|\((?:Schluss|Ende|Forts(?:etzung|\.)?|fin|fine|end)\)(?:\s+[a-z]{2,4}(?:/[a-z]{2,4})*)?"
    r"|(?:-\s*)?(?:ENDS?|FIN|FINE|SCHLUSS)(?:\s*-)?|-0-|#{3}|x{3,}"
    r"|\([^()\n]{0,160}@[^()\n]{0,160}\)"
    r"|\((?:redazione|r[ée]daction|reporting|writing|editing)\b[^()\n]{0,200}\)"
    r"|[^\n]{0,120}\b(?:le top news|altre notizie|more news|weitere nachrichten"
    r"|autres d[ée]p[êe]ches)"
    r"\b[^\n]{0,120}(?:www\.|https?://)[^\n]{0,80}",
    re.IGNORECASE,
)
_CLOSING_WORDS = 25  # a longer paragraph is story text
_BOILERPLATE_MAX_WORDS = 25  # a longer paragraph is story text even if it says "copyright"
# Each alternative of _BOILERPLATE not anchored at the start holds one of these, in lower case:
# a paragraph holding none can match it only at its start (a search tries every position of
# every alternative, a match one). Three letters match more under IGNORECASE than lower() says
# ("ſ" is "s", "ı" and "İ" are "i"): a paragraph with one is searched.
_BOILERPLATE_MARKS = (
    "©", "(c)", "copyright", "rights", "rechte", "droits", "diritti", "newsletter",
    "dieser", "this", "cet", "questo", "folgen", "follow", "suivez", "seguici",
)  # fmt: skip
_CASE_ODD = ("ſ", "ı", "İ")


def _boilerplate(paragraph: str) -> bool:
    """``_BOILERPLATE.search(paragraph)``, searched only where its marks say it can match."""
    lower = paragraph.lower()
    if any(mark in lower for mark in _BOILERPLATE_MARKS) or any(
        odd in paragraph for odd in _CASE_ODD
    ):
        return _BOILERPLATE.search(paragraph) is not None
    return _BOILERPLATE.match(paragraph) is not None


# Combining marks left by canonical decomposition: "é" -> "e" + U+0301 -> "e".
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_SIGNATURE_TAIL = 160  # signatures are short: only the end of a text is searched


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


@lru_cache(maxsize=65536)
def _fold_run(run: str) -> str:
    return _COMBINING.sub("", unicodedata.normalize("NFKD", run))


def fold(text: str) -> str:
    """Case and accents folded, compatibility forms unified: the form both keys compare.

    Only the non-ASCII runs are decomposed (cached: "ü", "é" recur endlessly), which keeps
    this cheap on long texts.
    """
    return fold_keeping_digits(text)[0]


_DIGIT_RUNS = re.compile(r"\d+")


@lru_cache(maxsize=65536)
def _run_keeps_digits(run: str) -> bool:
    """Whether folding ``run`` leaves the text's digit runs as they were: it neither makes
    digits ("²" -> "2", "½") nor vanishes (a lone combining mark between two digits)."""
    folded = _fold_run(run)
    return bool(folded) and _DIGIT_RUNS.findall(folded) == _DIGIT_RUNS.findall(run)


_ASCII_BYTES = bytes(range(128))


def _non_ascii_chars(text: str) -> set[str]:
    """The distinct non-ASCII characters of ``text``: its ASCII bytes deleted in C, several
    times faster than a regular expression's scan of every character."""
    rest = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
    return set(rest.decode("utf-8", "surrogatepass"))


@lru_cache(maxsize=65536)
def _char_fold(char: str) -> str | None:
    """The fold of a non-ASCII character where folding it alone is folding it in any run of
    them and keeps the digit runs: it is no digit and folds to something without digits,
    not to nothing, and its fold holds no combining mark (the decomposition's marks are all
    taken off, so no reordering of marks across characters shows) and no character that
    folds further. None for any other."""
    folded = _fold_run(char)
    if not folded or _DIGIT_RUNS.search(char) or _DIGIT_RUNS.search(folded):
        return None
    for c in folded:
        if unicodedata.combining(c) or (not c.isascii() and _fold_run(c) != c):
            return None
    return folded


def fold_keeping_digits(text: str) -> tuple[str, bool]:
    """:func:`fold`, and whether the folded text has exactly the digit runs of ``text`` (so
    its figures can be read from the folded tokens: see :mod:`wire.ingest.signing`)."""
    text = text.casefold()
    if text.isascii():
        return text, True
    chars = _non_ascii_chars(text)
    folds = [(c, f) for c in chars if (f := _char_fold(c)) is not None]
    if len(folds) == len(chars):
        # The usual case ("ü", "é", "«"): each character replaced by its fold is each run by
        # its fold (see _char_fold), without the scan for the runs.
        for c, f in folds:
            if f != c:
                text = text.replace(c, f)
        return text, True
    same = True
    # A handful of distinct runs ("ü", "é", "«"), the longest first: a shorter one can be part
    # of a longer ("é" of "é½"), and replaced first it would leave the rest of that run
    # unfolded, so the result would hang on the set's order, which differs between processes.
    for run in sorted(set(_NON_ASCII.findall(text)), key=len, reverse=True):
        text = text.replace(run, _fold_run(run))
        same = same and _run_keeps_digits(run)
    return text, same


# The most frequent function words of each language; "light": content words, negations and
# numbers stay. Per language, because one language's function word is another's content word
# (German "die", "war"; French "son"; Italian "come").
_STOP = {
    "de": """der die das den dem des ein eine einer eines einem einen und oder aber auch als am an
        auf aus bei bis durch für im in ins mit nach noch nun nur ob über um unter vom von vor zu
        zum zur es er sie wir ihr ich man sich sei ist sind war waren wird werden wurde wurden hat
        haben hatte hatten habe dass dieser diese dieses so wie wo sehr schon mehr bereits dazu
        damit""",
    "fr": """le la les l un une des du de d et ou mais au aux en dans par pour sur avec sans sous
        ce cet cette ces qui que qu se s sa son ses leur leurs il elle ils elles on a ont est sont
        été était être avait ne n pas plus y""",
    "it": """il lo la i gli le l un una uno del della dei delle degli dello al alla alle ai agli
        nel nella nei nelle di da in con su per tra fra che e è ed o ma anche come si ha hanno
        sono era stato stata essere non più a ad dal dalla sul sulla questo questa""",
    "en": """the a an and or but of to in on at by for with from as is are was were be been being
        has have had it its this that these those which who will would said says also than into
        about after""",
}
STOP_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(fold(w) for w in words.split()) for lang, words in _STOP.items()
}
_ALL_STOP = frozenset().union(*STOP_WORDS.values())


def normalised_words(text: str) -> list[str]:
    return words_of(fold(text))


# Every ASCII character that is no word character (``\w`` of ASCII: letters, digits, "_"),
# as a space: what :func:`words_of` splits at.
_NON_WORD_SPACES = {c: " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")}
_WORD_CHAR = re.compile(r"\w")


def _spaced_ascii(text: str, also: str = "") -> str | None:
    """``text`` with its non-ASCII characters that are no word character (quotes, dashes,
    spaces) made spaces, when that leaves it ASCII; None when it holds a word character
    outside ASCII, or one of ``also``: then only the regular expression reads it right."""
    if text.isascii():
        return text
    for c in _non_ascii_chars(text):
        if c in also or _WORD_CHAR.match(c):
            return None
        text = text.replace(c, " ")
    return text if text.isascii() else None


def words_of(text: str) -> list[str]:
    """``_WORD.findall(text)`` (the runs of word characters), without the regular expression
    where ``text`` is ASCII once its non-ASCII characters that are no word character (quotes,
    dashes, spaces) are spaces: then every other non-word character becomes a space in one
    translation and a split gives the words. A folded agency text is that text: about half
    the cost of the scan (the fingerprint hashes every article's words)."""
    spaced = _spaced_ascii(text)
    if spaced is None:
        return _WORD.findall(text)  # a word character outside ASCII
    return spaced.translate(_NON_WORD_SPACES).split()


@lru_cache(maxsize=4096)
def _agency_codes(credit: str) -> bool:
    """Whether a credit ("sda/dpa", "Keystone-SDA") names only known agencies."""
    codes = split_agencies(credit)
    return bool(codes) and all(is_known(c) for c in codes)


def _is_furniture(paragraph: str) -> bool:
    if paragraph.count(" ") >= _BOILERPLATE_MAX_WORDS:  # fast path: most paragraphs
        return False
    words = paragraph.split()
    if not words:
        return True
    if len(words) > _BOILERPLATE_MAX_WORDS:
        return False
    if _boilerplate(paragraph):
        # ... unless it is a story paragraph that carries a trailer ("... vorlag. © AFP")
        bare = _TRAILER.sub("", paragraph)
        return not (len(bare) < len(paragraph) and len(bare.split()) > 3)
    # A paragraph that is only a credit: "Keystone-SDA", "(sda/dpa)", "AFP".
    return len(words) <= 4 and _agency_codes(paragraph.strip(" .()[]"))


def _strip_signature_once(text: str) -> str:
    found = find_signature(text)
    return _SIGNATURE.sub("", found[0] if found else text).rstrip()


# Every trailer holds one of these (lower case): a cheap test before the costly pattern.
_TRAILER_MARKS = ("(", "©", "dpa", "apa", "associated press")


def _strip_trailer(text: str) -> str:
    """The trailer off the end of ``text`` (only its last characters are searched)."""
    cut = max(0, len(text) - _SIGNATURE_TAIL * 2)
    tail = text[cut:].lower()
    if not any(mark in tail for mark in _TRAILER_MARKS):
        return text
    return text[:cut] + _TRAILER.sub("", text[cut:]).rstrip()


def _plain_end(text: str) -> bool:
    """Whether ``text`` ends as story text ends (a full stop, "!" or "?"), so that no
    signature or trailer can close it: every signature and trailer pattern ends in a letter,
    a digit or a bracket, except "(ANSA)." and the Associated Press line, which are checked.
    Most bodies end this way, and the patterns are costly."""
    tail = text[-_SIGNATURE_TAIL * 2 :].rstrip()
    last = tail[-1:]
    if last in ("!", "?"):
        return True
    if last != ".":
        return False
    return tail[:-1].rstrip()[-1:] != ")" and "associated press" not in tail.lower()


def strip_signature(text: str) -> str:
    """Trailing agency signatures and trailers off, repeatedly ("... gesagt. (sda) (dpa)",
    "... said. (Reporting by ...; Editing by ...)").

    Only the last characters are searched: a signature is short, and the patterns are costly
    on a long paragraph.
    """
    for _ in range(3):
        if _plain_end(text):
            break
        before = len(text)
        text = _strip_trailer(text)
        cut = max(0, len(text) - _SIGNATURE_TAIL)
        text = text[:cut] + _strip_signature_once(text[cut:])
        if len(text) == before:
            break
    return text.rstrip()


def credit_dateline(lead: str | None, body: str | None) -> str:
    """The credit dateline a lead (without one, the body) opens on ("LONDON, March 3
    (Reuters) - ", "Genova, 16 nov. (Adnkronos) - "), or "": the parts cleaned for the dedup
    keys lose it, and its date is the day the report was filed."""
    text = (lead or "").lstrip() or (body or "").lstrip()
    m = _CREDIT_DATELINE.match(text[:120])
    return m.group(0) if m and _agency_codes(m.group(1)) else ""


def clean_lead(lead: str | None) -> str:
    """A lead without a credit dateline and a trailer (a short item is often all lead)."""
    lead = (lead or "").strip()
    if not lead:
        return ""
    m = _CREDIT_DATELINE.match(lead)
    if m and _agency_codes(m.group(1)):
        lead = lead[m.end() :]
    return strip_signature(lead)


def _closing(paragraph: str) -> bool:
    """Whether a trailing paragraph is an agency's closing line (:data:`_CLOSING`)."""
    return paragraph.count(" ") < _CLOSING_WORDS and _CLOSING.fullmatch(paragraph) is not None


_memo = threading.local()  # .table: this thread's strip_boilerplate results, while kept


@contextmanager
def boilerplate_memo() -> Iterator[None]:
    """Inside: :func:`strip_boilerplate` keeps its results in this thread, and forgets them at
    the exit. A batch's fingerprints and the clusterer's signing clean each body once each
    (~45 ms for 2,000 agency articles); a store batch holds its articles anyway, so the memo
    costs no memory past the batch."""
    saved = getattr(_memo, "table", None)
    _memo.table = {} if saved is None else saved
    try:
        yield
    finally:
        _memo.table = saved


def strip_boilerplate(body: str) -> str:
    """A body without credit datelines, signatures, credit lines and page furniture."""
    table: dict[str, str] | None = getattr(_memo, "table", None)
    if table is None:
        return _strip_boilerplate(body)
    found = table.get(body)
    if found is None:
        found = table[body] = _strip_boilerplate(body)
    return found


def _strip_boilerplate(body: str) -> str:
    # (every line break ends a paragraph: split at each, blank lines dropped below)
    paragraphs = [p.strip() for p in (body or "").split("\n")]
    kept = [p for p in paragraphs if p and not _is_furniture(p)]
    if not kept:
        return ""
    m = _CREDIT_DATELINE.match(kept[0])
    if m and _agency_codes(m.group(1)):
        kept[0] = kept[0][m.end() :]
    while kept and _closing(kept[-1]):
        kept.pop()
    while kept:  # a trailer of its own ("dpa xy yz") may follow a signed paragraph
        last = strip_signature(kept[-1])
        if last:
            kept[-1] = last
            break
        kept.pop()
    return "\n\n".join(kept)


def story_text(lead: str | None, body: str | None) -> str:
    """Lead and body without boilerplate, trailers and signatures: what the fingerprint hashes.

    A lead that only repeats the body's first paragraph (feeds that send both, a page's
    teaser) counts once.
    """
    body = strip_boilerplate(body or "")
    lead = clean_lead(lead)
    if lead and not _repeats_start(lead, body):
        return f"{lead}\n\n{body}" if body else lead
    return body


_TEASER_SHARE = 0.8  # a lead whose words are this much in the body's start repeats it


def _repeats_start(lead: str, body: str) -> bool:
    """Whether the lead only repeats the body's first paragraph (a page's teaser, or a feed
    that sends the first paragraph as both): then it is no text of its own."""
    start = body[: max(len(lead) * 2, 400)].split("\n\n", 1)[0]
    words = normalised_words(lead)
    if not words or not start:
        return False
    there = set(normalised_words(start))
    return sum(w in there for w in words) >= _TEASER_SHARE * len(words)


def text_fingerprint(article: Article) -> str | None:
    """sha256 of the lead's and body's words, or None when there is too little text.

    The headline is left out on purpose: a partner that only retitles agency copy carries the
    same story (a sighting). The lead is in: a 1ST LEAD or UPDATE that rewrote it is news the
    desk must see, not a sighting of the old item.
    Media records have none: two pictures with one caption are still two pictures.
    """
    if article.type != "text":
        return None
    words = normalised_words(story_text(article.lead, article.body_text))
    if len(words) < MIN_WORDS:
        return None
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


# Words, and the sentence ends between them (punctuation that ends a sentence, line breaks):
# shingles never span two sentences, so a rewrite that reorders sentences keeps its shingles.
_TOKEN = re.compile(r"\w+|[.!?;:…\n]")
SENTENCE_ENDS = frozenset(".!?;:…\n")
# What :func:`tokenise` makes a space of: every ASCII character that is no word character
# (``\w`` of ASCII: letters, digits, "_") and no sentence end.
_SPACES = {c: " " for c in range(128) if not (chr(c).isalnum() or chr(c) in "_.!?;:\n")}
_ASCII_ENDS = tuple(sorted(SENTENCE_ENDS - {"…", "\n"}))  # (a line break: see tokenise)


def tokenise(text: str) -> list[str]:
    """``_TOKEN.findall(text)`` (words and sentence ends), without the regular expression
    where the text is ASCII once its few non-ASCII characters that are no word character
    (quotes, dashes) are spaces: then the other non-word characters become spaces in one
    translation, each sentence end a word of its own, and a split gives the tokens. About a
    third of the cost of the scan, which calls a function per token; the same list."""
    spaced = _spaced_ascii(text, also="…")
    if spaced is None:
        return _TOKEN.findall(text)  # a word character or "…" outside ASCII
    text = spaced.translate(_SPACES)
    for end in _ASCII_ENDS:
        if end in text:
            text = text.replace(end, f" {end} ")
    # Each line's words (split at the spaces, none empty), a line break a token between lines.
    lines = text.split("\n")
    tokens = lines[0].split()
    for line in lines[1:]:
        tokens.append("\n")
        tokens += line.split()
    return tokens


_CHARS_PER_WORD = 24  # a generous budget: max_words words of any real text fit in this


def clean_parts(
    headline: str | None, lead: str | None, body: str | None, max_words: int
) -> tuple[str, str, str]:
    """Headline, lead and body as the dedup keys read them: the lead without its dateline and
    trailer, the body without boilerplate, both cut to what ``max_words`` words can fill."""
    budget = max_words * _CHARS_PER_WORD
    return (
        (headline or "")[:budget],
        clean_lead((lead or "")[:budget]),
        strip_boilerplate((body or "")[:budget]),
    )


def stop_words(language: str | None) -> frozenset[str]:
    """The stop list of a language ("de-CH" reads as "de"); all lists for an unknown one."""
    return STOP_WORDS.get((language or "")[:2].lower(), _ALL_STOP)


def shingle_words(
    headline: str | None,
    lead: str | None,
    body: str | None,
    *,
    language: str | None,
    min_words: int,
    max_words: int,
    min_word_ratio: float = 0.6,
    clean: bool = True,
) -> list[str] | None:
    """The tokens MinHash shingles, or None when the text is no evidence of a story.

    Folded words of headline, lead and the body without its boilerplate, stop words dropped,
    with sentence ends kept as one-character tokens (members of ``SENTENCE_ENDS``) so that
    shingles can stop at them. None for: fewer than ``min_words`` words with letters (empty
    bodies, one-word items, headline-only flashes) and tables (fewer than ``min_word_ratio`` of
    the tokens have letters: results, stock lists). Only the first ``max_words`` tokens are
    read, and the text is cut before it is tokenised, so a huge body costs no more.
    ``clean=False``: the parts went through :func:`clean_parts` already.
    """
    if clean:
        headline, lead, body = clean_parts(headline, lead, body, max_words)
    budget = max_words * _CHARS_PER_WORD
    text = fold("\n".join(p[:budget] for p in (headline, lead, body) if p))
    tokens = tokenise(text)[:max_words]
    ends = (
        sum(map(SENTENCE_ENDS.__contains__, tokens))
        if len(tokens) == max_words
        else (
            sum(text.count(c) for c in SENTENCE_ENDS)  # each end character is one token
        )
    )
    numbers = sum(map(str.isdigit, tokens))
    words = len(tokens) - ends - numbers
    if words < min_words or words < min_word_ratio * (words + numbers):
        return None
    return list(filterfalse(stop_words(language).__contains__, tokens))
