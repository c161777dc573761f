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
import unicodedata
from functools import lru_cache
from itertools import filterfalse

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
    r"|alle rechte vorbehalten|all rights reserved|tous droits réservés|tutti i diritti riservati"
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
_BOILERPLATE_MAX_WORDS = 25  # a longer paragraph is story text even if it says "copyright"

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
    text = text.casefold()
    if text.isascii():
        return text
    for run in set(_NON_ASCII.findall(text)):  # a handful of distinct runs: "ü", "é", "«"
        text = text.replace(run, _fold_run(run))
    return text


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
    return _WORD.findall(fold(text))


@lru_cache(maxsize=4096)
def _agency_codes(credit: str) -> bool:
    """Whether a credit ("sda/dpa", "Keystone-SDA") names only known agencies."""
    try:
        from wire.normalise.agencies import is_known, split_agencies
    except ImportError:  # pragma: no cover - the registry ships with wire
        return False
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
    if _BOILERPLATE.search(paragraph):
        return True
    # A paragraph that is only a credit: "Keystone-SDA", "(sda/dpa)", "AFP".
    return len(words) <= 4 and _agency_codes(paragraph.strip(" .()[]"))


def _strip_signature_once(text: str) -> str:
    try:
        from wire.normalise.agencies import find_signature
    except ImportError:  # pragma: no cover - the registry ships with wire
        return _SIGNATURE.sub("", text).rstrip()
    found = find_signature(text)
    return _SIGNATURE.sub("", found[0] if found else text).rstrip()


def strip_signature(text: str) -> str:
    """Trailing agency signatures off, repeatedly ("... gesagt. (sda) (dpa)").

    Only the last characters are searched: a signature is short, and the patterns are costly
    on a long paragraph.
    """
    for _ in range(3):
        cut = max(0, len(text) - _SIGNATURE_TAIL)
        tail = _strip_signature_once(text[cut:])
        if len(tail) == len(text) - cut:
            break
        text = text[:cut] + tail
    return text.rstrip()


def strip_boilerplate(body: str) -> str:
    """A body without credit datelines, signatures, credit lines and page furniture."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\n", body or "")]
    kept = [p for p in paragraphs if p and not _is_furniture(p)]
    if not kept:
        return ""
    m = _CREDIT_DATELINE.match(kept[0])
    if m and _agency_codes(m.group(1)):
        kept[0] = kept[0][m.end() :]
    kept[-1] = strip_signature(kept[-1])
    return "\n\n".join(p for p in kept if p)


def text_fingerprint(article: Article) -> str | None:
    """sha256 of the body's words, or None when there is too little text to compare.

    Headlines and leads are left out on purpose: republishers rewrite them, the body stays.
    Media records have none: two pictures with one caption are still two pictures.
    """
    if article.type != "text":
        return None
    words = normalised_words(strip_boilerplate(article.body_text or ""))
    if len(words) < MIN_WORDS:
        return None
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


# Words, and the sentence ends between them (punctuation that ends a sentence, line breaks):
# shingles never span two sentences, so a rewrite that reorders sentences keeps its shingles.
_TOKEN = re.compile(r"\w+|[.!?;:…\n]")
_TOKEN_ASCII = re.compile(r"\w+|[.!?;:\n]", re.ASCII)  # the same on ASCII text, faster
SENTENCE_ENDS = frozenset(".!?;:…\n")
_CHARS_PER_WORD = 24  # a generous budget: max_words words of any real text fit in this


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
) -> list[str] | None:
    """The tokens MinHash shingles, or None when the text is no evidence of a story.

    Folded words of headline, lead and the body without its boilerplate, stop words dropped,
    with sentence ends kept as one-character tokens (members of ``SENTENCE_ENDS``) so that
    shingles can stop at them. None for: fewer than ``min_words`` words with letters (empty
    bodies, one-word items, headline-only flashes) and tables (fewer than ``min_word_ratio`` of
    the tokens have letters: results, stock lists). Only the first ``max_words`` tokens are
    read, and the text is cut before it is tokenised, so a huge body costs no more.
    """
    budget = max_words * _CHARS_PER_WORD
    body = strip_boilerplate((body or "")[:budget])
    text = fold("\n".join(p[:budget] for p in (headline, lead, body) if p))
    tokens = (_TOKEN_ASCII if text.isascii() else _TOKEN).findall(text)[:max_words]
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
