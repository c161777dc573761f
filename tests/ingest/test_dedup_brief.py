"""A brief of a long story, judged on the brief's evidence: a dpa brief of a strike names the
union, the railway, the days and the figures of the long story in other words, under a headline
of its own compound ("Bahnstreik" against "GDL-Streik"). Most of the brief's names and figures
are in the story, though the story has many the brief lacks: it joins. The same brief against
the next strike's story (other figures), and a shorter account whose figures are not the
brief's, stay apart.

Pairs are signed and matched through a fresh ``ClusterIndex``, as production does.
"""

from __future__ import annotations

from tests.ingest.test_matching import CONFIG, joins
from wire.ingest import matching
from wire.ingest.dedup import Signer
from wire.ingest.matching import judge

STORY = (
    "GDL-Streik legt Bahnverkehr in weiten Teilen Deutschlands lahm",
    "Berlin (dpa) - Der Streik der Lokführergewerkschaft GDL hat am Mittwoch den Bahnverkehr in "
    "Deutschland weitgehend zum Erliegen gebracht. Nach Angaben der Deutschen Bahn fielen rund 80 "
    "Prozent der Fernzüge aus, im Regional- und S-Bahn-Verkehr waren es je nach Region bis zu 90 "
    "Prozent.",
    "Die Bahn hatte einen Notfahrplan aufgestellt, der vor allem die großen Verbindungen zwischen "
    "Berlin, Hamburg, Köln, Frankfurt und München abdeckt. Die Züge waren nach Bahnangaben stark "
    "ausgelastet. Auf vielen Bahnhöfen blieb es dagegen ruhig, weil sich Pendler auf den "
    "Ausstand eingestellt hatten.\n\n"
    "Der Ausstand soll bis Freitag um 2.00 Uhr dauern. Auch der Güterverkehr wird bestreikt. "
    "GDL-Chef Sven Kuhlmann sagte in Frankfurt: „Die Bahn hat es in der Hand, diesen Streik mit "
    'einem vernünftigen Angebot zu beenden." Die Gewerkschaft fordert 7,5 Prozent mehr Lohn und '
    "eine Senkung der Wochenarbeitszeit auf 35 Stunden.\n\n"
    'Bahn-Personalvorstand Daniela Kirsch nannte den Streik „unverhältnismäßig". Das Unternehmen '
    "habe ein Angebot mit 5,2 Prozent mehr Geld in zwei Stufen vorgelegt. Die Fahrgastverbände "
    "kritisierten beide Seiten.\n\n"
    "Besonders hart traf der Ausstand den Osten Deutschlands, wo die GDL traditionell stark ist. "
    "In Sachsen, Sachsen-Anhalt und Thüringen fuhren im Regionalverkehr nur vereinzelt Züge. In "
    "Berlin verkehrten die S-Bahnen im Stundentakt. Private Bahnunternehmen wie Metronom sind "
    "nicht bestreikt, ihre Züge waren aber teils überfüllt.\n\n"
    "Die Bahn rief Reisende auf, nicht notwendige Fahrten zu verschieben. Fahrkarten für die "
    "Streiktage behalten ihre Gültigkeit und können bis eine Woche nach Streikende flexibel "
    "genutzt werden; die Zugbindung für Sparpreise ist aufgehoben.\n\n"
    "Es ist bereits der zweite Streik der GDL in dieser Tarifrunde. Im November hatte die "
    "Gewerkschaft den Personenverkehr für 20 Stunden bestreikt. Die Verhandlungen waren vor zwei "
    "Wochen abgebrochen worden.",
)
BRIEF = (
    "Bahnstreik: Vier von fünf Fernzügen fallen aus",
    "",
    "Berlin (dpa) - Wegen des Streiks der Lokführergewerkschaft GDL fallen seit Mittwoch rund 80 "
    "Prozent der Fernzüge der Deutschen Bahn aus. Der Ausstand dauert bis Freitag um 2.00 Uhr. "
    "Die GDL fordert 7,5 Prozent mehr Lohn und die 35-Stunden-Woche.",
)
# The next strike of the same dispute: the same union, railway and demands in another story
# with other figures and days (the brief's "80 Prozent", "Freitag um 2.00 Uhr" not in it).
NEXT_STRIKE = (
    "GDL ruft zu neuem Streik im Personenverkehr auf",
    "Berlin (dpa) - Die Lokführergewerkschaft GDL hat ihre Mitglieder erneut zum Streik bei der "
    "Deutschen Bahn aufgerufen. Der Ausstand im Personenverkehr soll am Dienstag um 18 Uhr "
    "beginnen und 48 Stunden dauern, teilte die Gewerkschaft mit.",
    "Die Bahn kündigte einen Notfahrplan an, der etwa ein Drittel der Fernzüge vorsieht. "
    "GDL-Chef Sven Kuhlmann warf dem Unternehmen vor, kein verbessertes Angebot vorgelegt zu "
    "haben. Bahn-Personalvorstand Daniela Kirsch sprach von einer Eskalation ohne Not.\n\n"
    "Im Güterverkehr soll der Streik bereits am Montagabend beginnen. Fahrgastverbände riefen "
    "beide Seiten zu einer Schlichtung auf. Pendler in Berlin, Hamburg und München müssen sich "
    "erneut auf volle Regionalzüge einstellen.\n\n"
    "Es ist der dritte Streik der GDL in dieser Tarifrunde. Zuletzt hatten die Lokführer den "
    "Verkehr im Januar für 64 Stunden lahmgelegt. Die Gewerkschaft fordert eine Senkung der "
    "Wochenarbeitszeit und mehr Lohn; die Bahn bietet zwei Stufen an.\n\n"
    "Die Bahn will Fahrkarten für die Streiktage flexibel gelten lassen. Reisende sollen nicht "
    "notwendige Fahrten verschieben.",
)
# Another week's strike, briefed on the same weekdays with the same names: two of its six
# figures ("65 Prozent", "Freitag um 6.00 Uhr") are not the story's.
OTHER_WEEKS_BRIEF = (
    "Bahnstreik: Zwei von drei Fernzügen fallen aus",
    "",
    "Berlin (dpa) - Wegen des Streiks der Lokführergewerkschaft GDL fallen seit Mittwoch rund 65 "
    "Prozent der Fernzüge der Deutschen Bahn aus. Der Ausstand dauert bis Freitag um 6.00 Uhr. "
    "Die GDL fordert 7,5 Prozent mehr Lohn und die 35-Stunden-Woche.",
)


def test_a_brief_of_the_storys_facts_joins_it() -> None:
    """Most of the brief's names and all its figures are in the story: a brief of it, though
    the headlines share no subject as written and the texts almost no shingles. (Its
    "Bahnstreik" is found as "Bahn" and "Streik", "GDL-Streik" as "GDL": wire.ingest.subjects;
    with a third of the headlines' subjects found, the facts rule joins it first.)"""
    assert joins(STORY, BRIEF, "de") in ("account", "facts")
    assert joins(BRIEF, STORY, "de") in ("account", "facts")


def test_the_brief_and_the_next_strikes_story_stay_apart() -> None:
    """The next strike's story lacks the brief's figures; another week's brief has the
    story's names and some of its figures, not most."""
    assert joins(STORY, OTHER_WEEKS_BRIEF, "de") is None
    assert joins(OTHER_WEEKS_BRIEF, STORY, "de") is None
    assert joins(NEXT_STRIKE, BRIEF, "de") is None
    assert joins(BRIEF, NEXT_STRIKE, "de") is None


def test_the_brief_rule_weighs_the_briefs_evidence_not_the_storys() -> None:
    """The brief's figures, not the story's: the story's many figures the brief lacks do not
    count against the pair; one figure of three the brief lacks in the story does."""
    signer = Signer(CONFIG)
    story, brief = (signer.sign_text(*t, "de") for t in (STORY, BRIEF))
    assert story is not None and brief is not None
    s, b = story.traits, brief.traits
    assert len(s.numbers - b.numbers) >= 2 and b.numbers <= s.numbers  # the story's own figures
    assert matching._brief_facts(b, s, len(b.numbers & s.numbers))
    # a quarter of the brief's figures not in the story: not this rule
    assert not matching._brief_facts(b, s, int(0.7 * len(b.numbers)))
    # a story no bigger than three times the brief is no brief's story
    assert not matching._brief_facts(b, b, len(b.numbers))
    assert judge(0.03, b, s, CONFIG.threshold) is not None
