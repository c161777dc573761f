"""A headline's subjects found in another text however it inflects or compounds them
(``wire.ingest.subjects``): the sda headlines a Federal Council election "Bundesratswahl", dpa
"Wahl in den Bundesrat"; one writes "SVP-Kandidaten", the other "SVP". Compared whole, half
the headlines' subjects are found and the account rule rejects the pair; found as modifier and
head, as a hyphenated name's own part, they join. A generic head alone finds nothing: two
cantons' elections ("Glarus-Wahl", "Uri-Wahl") are not one subject because both say "Wahl".

Pairs are signed and matched through a fresh ``ClusterIndex``, as production does.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from tests.ingest.test_matching import CONFIG, joins
from wire.ingest import matching
from wire.ingest.dedup import Signed, Signer
from wire.ingest.evidence import Evidence, common_nouns, evidence
from wire.ingest.subjects import forms, needs

SDA = (
    "Bundesratswahl: Keller schafft es im ersten Wahlgang",
    "Bern (sda) - Die Vereinigte Bundesversammlung hat am Mittwoch die Zürcher Ständerätin Anna "
    "Keller in den Bundesrat gewählt. Die Freisinnige erhielt im ersten Wahlgang 131 Stimmen.",
    "Ihr Gegenkandidat, der Berner Nationalrat Peter Brunner, kam auf 98 Stimmen. Keller "
    "folgt auf Bundesrat Hans Imhof, der Ende Jahr zurücktritt. Welches Departement sie "
    "übernimmt, entscheidet die Landesregierung am Freitag.\n\n"
    "Keller sagte nach der Wahl im Nationalratssaal, sie freue sich auf die Arbeit im "
    "Kollegium. Die FDP zeigte sich erleichtert; die SVP hatte Brunner unterstützt.",
)
DPA = (
    "Wahl in den Bundesrat: Zürcherin Keller gewinnt gegen SVP-Kandidaten",
    "Bern (dpa) - Die Schweiz hat eine neue Bundesrätin: Das Parlament in Bern wählte "
    "die Freisinnige Anna Keller aus Zürich in die Regierung.",
    "Keller setzte sich deutlich gegen den Kandidaten der SVP, Peter Brunner, durch. Sie "
    "ersetzt Hans Imhof, der sein Amt nach zwölf Jahren abgibt. Die Zürcherin gilt als "
    "Wirtschaftspolitikerin; die FDP stellt damit weiterhin zwei der sieben Mitglieder der "
    "Regierung.\n\nDie Schweizer Landesregierung wird nach dem Konkordanzprinzip aus den "
    "grossen Parteien gebildet.",
)
GLARUS = (
    "Glarus-Wahl: SVP bleibt stärkste Kraft im Landrat",
    "Glarus (sda) - Bei der Wahl des Glarner Landrats ist die SVP am Sonntag stärkste Partei "
    "geblieben. Die Grünen verloren zwei Sitze.",
    "Die Wahlbeteiligung lag bei 38 Prozent. Die FDP hielt ihre Sitze, die Mitte gewann einen "
    "dazu. Der neue Landrat tritt im Juli zusammen.",
)
URI = (
    "Uri-Wahl: SVP legt im Landrat zu",
    "Altdorf (sda) - Die SVP hat bei der Wahl des Urner Landrats am Sonntag zwei Sitze "
    "gewonnen. Die Mitte bleibt stärkste Partei.",
    "Die Wahlbeteiligung lag bei 41 Prozent. Die FDP verlor einen Sitz, die Grünen hielten "
    "ihre Sitze. Der neue Landrat tritt im Juni zusammen.",
)
SIGNER = Signer(CONFIG)


def _signed(text: tuple[str, str, str]) -> Signed:
    sig = SIGNER.sign_text(*text, "de")
    assert sig is not None
    return sig


def _whole(traits: matching.Traits) -> matching.Traits:
    """The traits with subjects compared whole only (as before wire.ingest.subjects)."""
    return dataclasses.replace(traits, needs=())


def test_a_subject_is_found_by_its_stem_its_own_parts_or_modifier_and_head() -> None:
    nouns = common_nouns("de")
    assert needs("bundesratswahl", "de", nouns) == [("bundesratswahl",), ("bundesrat", "wahl")]
    assert needs("deutschlands", "de", nouns) == [("deutschland",)]
    # a hyphenated name by its parts that are no common noun: "Glarus", never "Wahl" alone
    assert needs("glarus-wahl", "de", nouns) == [("glarus-wahl",), ("glarus",)]
    # its stem, even the subject itself: "Graz" is found as the stem of the other's "Grazer"
    assert needs("graz", "de", nouns) == [("graz",)] and forms(["grazer"], "de") == ["graz"]
    assert needs("svp-kandidaten", "de", nouns) == [("svp-kandidat",), ("svp",)]
    assert needs("131", "de", nouns) == []  # a figure is found as itself only
    assert needs("doctors", "en", frozenset()) == [("doctor",)]
    # the other forms of a text's names: stems and hyphenated names' parts, no name again
    assert forms(["svp-kandidaten", "bundesrate", "wahl"], "de") == [
        "svp",
        "kandidaten",
        "svp-kandidat",
        "bundesrat",
        "kandidat",
    ]


def test_a_compound_headline_joins_the_other_agencys_account() -> None:
    """Compared whole, half the headlines' subjects are in the other text (the account rule
    needs 55%); found as modifier and head ("Bundesratswahl") and by a hyphenated name's own
    part ("SVP-Kandidaten"), most are."""
    sda, dpa = _signed(SDA), _signed(DPA)
    a, b = sda.traits, dpa.traits
    assert matching._told(_whole(a), _whole(b)) < matching.ACCOUNT_HEADLINE
    assert matching._told(a, b) >= matching.ACCOUNT_HEADLINE
    sim = float(np.count_nonzero(sda.hashvalues == dpa.hashvalues)) / CONFIG.num_perm
    assert matching.judge(sim, _whole(b), _whole(a), CONFIG.threshold) is None
    assert joins(SDA, DPA, "de") == "account"
    assert joins(DPA, SDA, "de") == "account"


def test_two_cantons_elections_share_no_subject_by_their_generic_head() -> None:
    """Two cantons' elections, "Glarus-Wahl" and "Uri-Wahl": each text names "Wahl", "SVP",
    "Landrat"; the canton, what tells the elections apart, is not found, so neither headline's
    compound is: no subject is found that is not found whole."""
    glarus, uri = _signed(GLARUS).traits, _signed(URI).traits
    assert glarus.needs and uri.needs
    assert matching._found(glarus, uri) == matching._found(_whole(glarus), _whole(uri))
    assert matching._found(uri, glarus) == matching._found(_whole(uri), _whole(glarus))
    assert matching._told(glarus, uri) == matching._told(_whole(glarus), _whole(uri))


def test_the_forms_and_needs_are_stored_with_the_evidence() -> None:
    found = evidence(*DPA, "de")
    assert found.forms and found.needs
    assert Evidence.unpack(found.pack()) == found
    assert Evidence.unpack(found.pack()[:-1]) is None  # a cut record is no evidence


def test_a_brief_with_figures_of_its_own_is_no_same_day_account() -> None:
    """The same-day rule, judged one way for a brief: one that shares several of the story's
    figures and has more than a quarter of its own outside it tells another event of the kind
    (the template test, on the brief's figures); one whose figures are the story's does not."""
    story = matching.Traits.of(200, False, range(10), ())
    brief = matching.Traits.of(40, False, [0, 1, 2, 3, 97, 98], ())
    assert matching._brief_lacks(brief, story, 4)
    assert matching._brief_lacks(story, brief, 4)  # either way round
    assert not matching._brief_lacks(brief, story, 5)  # five of six: the story's figures
    assert not matching._brief_lacks(brief, story, 2)  # two: no figures to tell by
    assert not matching._brief_lacks(story, story, 4)  # no brief
