"""bench/dedup/words.py, the content-word measurement: it reads the judge's own tests.

The script is no part of wire (its signal was measured and left out of the judge), but it
reads the account rule's tests through ``wire.ingest.matching``'s helpers; this keeps it
working when they change.
"""

from __future__ import annotations

from bench.dedup.words import Signals, account_tests, stems
from wire.config import DedupConfig
from wire.ingest.dedup import Signer


def _part(headline: str, lead: str, body: str) -> dict[str, str]:
    return {"headline": headline, "lead": lead, "body": body}


A = _part(
    "Frana a Niscemi, 1.500 evacuati",
    "NISCEMI (CALTANISSETTA), 26 GEN - Una frana ha colpito il centro di Niscemi.",
    "Le famiglie evacuate sono state accolte nelle palestre. Il sindaco Massimiliano Conti ha "
    "chiesto lo stato di emergenza alla Regione Siciliana. (ANSA).",
)
B = _part(
    "Niscemi, la frana avanza: evacuate 1.500 persone",
    "Palermo, 26 gen. (LaPresse) - Il fronte della frana di Niscemi continua ad avanzare.",
    "Protezione civile e vigili del fuoco presidiano la zona rossa; il sindaco Conti chiede "
    "alla Regione Siciliana lo stato di emergenza.",
)


def test_stems_are_content_words_stemmed_without_elided_articles() -> None:
    found = stems(_part("L'avalanche a emporté les skieurs", "", ""), "fr")
    assert found == {"avalanch", "emport", "skieur"}
    assert stems(B, "it", headline_only=True, lower=True) == {"fran", "avanz", "evacu", "person"}


def test_signals_and_the_account_tests_of_a_pair() -> None:
    values = Signals(6.0).of({"lang": "it", "a": A, "b": B})
    assert set(values) == {"cos", "contain", "head", "head_lc"}
    assert all(0.0 <= v <= 1.0 for v in values.values())
    assert values["head_lc"] > 0.5  # the landslide's words are in both
    signer = Signer(DedupConfig())
    a, b = (signer.sign_text(p["headline"], p["lead"], p["body"], "it") for p in (A, B))
    assert a is not None and b is not None
    tests = account_tests(0.0, b.traits, a.traits)
    assert set(tests) == {
        "numbers", "lacking", "names", "headline", "moved_on", "proper", "fixed"
    }  # fmt: skip
    assert tests["numbers"] and tests["fixed"]
