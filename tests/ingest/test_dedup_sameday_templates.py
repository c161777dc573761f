"""Templated reports of one day stay apart; two accounts of one event still join.

Real wires send dozens of templated reports on one day (two cantons' elections of one Sunday,
the games of one matchday, the results of several companies of one morning). Each shares the
template's names with the others (the parties, the league and its teams, the markets), opens
on the same day and shares almost no text: what the same-day rule of
:mod:`wire.ingest.matching` joins. What tells them apart is what each headline is about (the
canton, the team, the company: :func:`wire.ingest.subjects.distinct`), which the other text
does not name (:func:`wire.ingest.matching._apart`). Another agency's account of the same
event names it, and joins. Two regions' warnings of one template share their text as well:
below ``OWN_SIMILARITY`` they stay apart when neither names the other's region
(:func:`wire.ingest.matching._unlike`). A game's report that ends on the round's other results
names every team and gives every score, as every other report of the round does: the list is
left out of the evidence (:mod:`wire.ingest.results`), so two games stay apart and another
desk's account of one still joins.

Pairs are signed and matched through a fresh ``ClusterIndex``, as production does; each
negative is also shown joined without the test, so it tests what it says.
"""

from __future__ import annotations

import pytest

from tests.ingest.test_matching import CONFIG, SIGNER, joins
from wire.ingest.dedup import ClusterIndex
from wire.ingest.evidence import common_nouns
from wire.ingest.results import without_lists
from wire.ingest.subjects import distinct

# Keystone-SDA's results of two cantonal parliaments elected on the same Sunday: the same
# parties, the same kind of figures (none shared but a seat count), other cantons.
GLARUS = (
    "Glarus-Wahl: SVP verteidigt ersten Platz im Landrat",
    "Die SVP bleibt bei den Glarner Landratswahlen vom Sonntag die stärkste Partei. Sie holte 17 "
    "der 60 Sitze, einen mehr als vor vier Jahren.",
    "Glarus (sda) – Zweitstärkste Kraft wurde die FDP mit 12 Sitzen. Die Mitte kam auf 10 Sitze, "
    "die SP auf 8. Die Grünen verloren zwei Sitze und stellen neu 7 Abgeordnete, die GLP gewann "
    "einen Sitz und hat neu 6.\n\n"
    "Die Stimmbeteiligung lag bei 34,8 Prozent. Im neuen Landrat sitzen 17 Frauen, zwei mehr als "
    "bisher.\n\n"
    "Die SVP-Fraktion hatte im Wahlkampf auf tiefere Steuern gesetzt. Die Grünen sprachen am "
    "Sonntag von einem «enttäuschenden Resultat», die FDP von einem «soliden Ergebnis».\n\n"
    "Die Legislatur beginnt im Sommer.",
)
URI = (
    "Uri-Wahl: Mitte bleibt stärkste Kraft im Landrat",
    "Die Mitte hat bei den Urner Landratswahlen vom Sonntag ihre Stellung als stärkste Partei "
    "behauptet. Sie holte 21 der 64 Sitze.",
    "Altdorf (sda) – Die SVP legte um zwei Sitze zu und kommt neu auf 18 Mandate. Die FDP verlor "
    "einen Sitz und hat noch 14, die SP kommt auf 8 Sitze. Die Grünen stellen neu 3 Abgeordnete, "
    "die GLP ist nicht mehr vertreten.\n\n"
    "Die Stimmbeteiligung betrug 39,2 Prozent. Im Landrat sitzen neu 19 Frauen.\n\n"
    "Die Mitte-Fraktion zeigte sich am Sonntag zufrieden. Die SP sprach von einem «schwierigen "
    "Tag», die SVP von einem «klaren Auftrag».\n\n"
    "Die neue Legislatur beginnt im Juni.",
)
# Another desk's account of the Glarus election: its own words and figures ("zwölf Sitzen",
# "Gut ein Drittel"), the canton named.
GLARUS2 = (
    "Glarner Landrat: SVP legt zu, Grüne verlieren zwei Sitze",
    "Die SVP hat bei den Landratswahlen im Kanton Glarus am Sonntag einen Sitz gewonnen und "
    "kommt neu auf 17 Mandate. Die Grünen mussten zwei Sitze abgeben.",
    "Glarus – Die FDP bleibt mit zwölf Sitzen zweitstärkste Kraft im 60-köpfigen "
    "Kantonsparlament, gefolgt von der Mitte. Die GLP legte einen Sitz zu, die SP hielt ihre "
    "Sitze.\n\n"
    "Gut ein Drittel der Stimmberechtigten ging an die Urne. Der Frauenanteil im Landrat steigt "
    "leicht.\n\n"
    "SVP-Präsident Thomas Tschudi sprach von einem Vertrauensbeweis. Die Grünen wollen die "
    "Niederlage analysieren.",
)

# Keystone-ATS's reports of two games of one Saturday's National League round: the league, the
# other teams of the table, the coming derby named in both.
LUGANO = (
    "Hockey: il Lugano supera lo Zugo ai rigori",
    "Il Lugano ha battuto sabato sera lo Zugo per 3-2 ai rigori alla Cornèr Arena, al termine di "
    "una partita combattuta della National League.",
    "LUGANO - (Keystone-ATS) I bianconeri di Luca Gianinazzi erano passati in vantaggio con "
    "Calvin Thürkauf al 12', prima del pareggio di Dario Simion. Nel terzo tempo Mirco Müller ha "
    "riportato avanti i ticinesi, ma Lino Martschini ha trovato il pareggio a quattro minuti "
    "dalla fine.\n\n"
    "Ai rigori decisiva la rete di Luca Fazzini. Grazie al successo il Lugano sale al quinto "
    "posto in classifica con 42 punti, davanti a Davos e Friborgo.\n\n"
    "Martedì i bianconeri saranno ospiti dell'Ambrì nel derby.",
)
AMBRI = (
    "Hockey: l'Ambrì cade a Berna",
    "L'Ambrì-Piotta è stato sconfitto sabato sera 4-1 dal Berna alla PostFinance Arena e resta "
    "al penultimo posto della National League.",
    "BERNA - (Keystone-ATS) I leventinesi di Luca Cereda hanno retto un tempo, poi Tristan "
    "Scherwey e Dominik Kahun hanno indirizzato l'incontro. La rete della bandiera porta la "
    "firma di Michael Spacek.\n\n"
    "I biancoblù hanno 31 punti, a sei lunghezze dal decimo posto occupato da Friborgo. Davos "
    "resta in testa.\n\n"
    "Martedì l'Ambrì ospiterà il Lugano nel derby.",
)
# Another desk's report of the Lugano game.
LUGANO_RSI = (
    "Lugano-Zugo 3-2 dopo i rigori, Fazzini decisivo",
    "Successo sofferto per il Lugano, che sabato alla Cornèr Arena si è imposto sullo Zugo "
    "soltanto ai rigori, grazie al tiro decisivo di Luca Fazzini.",
    "I bianconeri erano andati in vantaggio con Thürkauf, ma Simion aveva pareggiato per gli "
    "zughesi. Nel terzo tempo Müller ha firmato il nuovo vantaggio, prima del pareggio di "
    "Martschini a quattro minuti dalla sirena.\n\n"
    "Con questi due punti la squadra di Gianinazzi sale in quinta posizione. Martedì è in "
    "programma il derby con l'Ambrì.",
)

# AWP/ATS's results of two watchmakers of one Thursday: the same markets (China, Hong Kong,
# Macao, the United States, Japan), the same analysts' poll and stock-exchange line.
SWATCH = (
    "Horlogerie: Swatch Group voit son bénéfice fondre",
    "Swatch Group a vu son bénéfice net fondre de 62% au premier semestre, à 147 millions de "
    "francs, a annoncé jeudi le groupe biennois. Les ventes ont reculé de 11% à 3,4 milliards.",
    "Bienne (awp/ats) - La demande est restée faible en Chine continentale, à Hong Kong et à "
    "Macao, tandis que les Etats-Unis et le Japon ont mieux résisté. L'Europe est restée "
    "stable.\n\n"
    "Le directeur général Nick Hayek a dit s'attendre à une reprise au second semestre. Les "
    "analystes consultés par AWP tablaient sur un bénéfice de 190 millions.\n\n"
    "A la Bourse suisse SIX, le titre Swatch Group perdait 5,1% en début de séance.",
)
RICHEMONT = (
    "Horlogerie: Richemont maintient ses ventes malgré la Chine",
    "Richemont a réalisé jeudi un chiffre d'affaires de 5,4 milliards d'euros au premier "
    "trimestre de son exercice, stable à taux de change constants. Le groupe genevois a profité "
    "de la bonne tenue de la joaillerie.",
    "Genève (awp/ats) - Les ventes ont chuté de 18% en Chine continentale, à Hong Kong et à "
    "Macao, mais ont progressé aux Etats-Unis et au Japon. L'Europe a été portée par les "
    "touristes.\n\n"
    "Le président Johann Rupert a salué la résistance de Cartier et Van Cleef & Arpels. Les "
    "analystes consultés par AWP attendaient 5,3 milliards.\n\n"
    "A la Bourse suisse SIX, le titre Richemont gagnait 3,2% en début de séance.",
)
# Another desk's report of Swatch Group's results.
SWATCH_RTS = (
    "Le bénéfice de Swatch Group s'effondre au premier semestre",
    "Le groupe horloger Swatch a annoncé jeudi un bénéfice net de 147 millions de francs pour le "
    "premier semestre, en chute de 62%. Le chiffre d'affaires a reculé de 11%.",
    "Le numéro un mondial de l'horlogerie souffre de la faiblesse de la demande en Chine et à "
    "Hong Kong. Le patron Nick Hayek se montre toutefois confiant pour la seconde moitié de "
    "l'année.\n\n"
    "Le marché attendait un bénéfice nettement plus élevé. L'action Swatch reculait à la Bourse "
    "suisse.",
)


def _without_the_test(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("wire.ingest.matching._apart", lambda a, b: False)


@pytest.mark.parametrize(
    ("a", "b", "lang"),
    [(GLARUS, URI, "de"), (LUGANO, AMBRI, "it"), (SWATCH, RICHEMONT, "fr")],
    ids=["two-cantons-elections", "two-games-of-one-round", "two-companies-results"],
)
def test_templated_reports_of_one_day_stay_apart(
    a: tuple[str, str, str], b: tuple[str, str, str], lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert joins(a, b, lang) is None
    assert joins(b, a, lang) is None
    # what joined them: the same day, most names shared (the template's), some headline
    # subjects found ("Landrat", "SVP"; "Hockey", "Lugano"; "Horlogerie")
    _without_the_test(monkeypatch)
    assert joins(a, b, lang) == "account"
    assert joins(b, a, lang) == "account"


@pytest.mark.parametrize(
    ("a", "b", "lang"),
    [(GLARUS, GLARUS2, "de"), (LUGANO, LUGANO_RSI, "it"), (SWATCH, SWATCH_RTS, "fr")],
    ids=["glarus-election", "lugano-game", "swatch-results"],
)
def test_another_account_of_one_of_them_still_joins(
    a: tuple[str, str, str], b: tuple[str, str, str], lang: str
) -> None:
    assert joins(a, b, lang) is not None
    assert joins(b, a, lang) is not None


def test_what_tells_a_report_apart_is_a_name_not_an_opening_word() -> None:
    nouns = common_nouns("de")
    # a hyphenated subject on a common noun: its modifier tells which one, wherever it stands
    assert distinct([("Glarus-Wahl", "glarus-wahl")], "Glarus-Wahl: SVP vorn", nouns) == [
        "glarus-wahl"
    ]
    # German compounds on a common noun tell the kind of story, not which one
    text = "Schweizer Notenbank senkt Zins. Das Busunglück bei Bern forderte Opfer."
    assert distinct([("Notenbank", "notenbank"), ("Busunglück", "busungluck")], text, nouns) == []
    # a team written with a capital inside a sentence (also after an elided article) is a name;
    # a kicker or a word that opens a quote is none
    text = 'Calcio: l\'Ambrì cade a Berna. "Sconfitta di misura", dice Cereda.'
    words = [("Calcio", "calcio"), ("Ambrì", "ambri"), ("Berna", "berna")]
    words.append(("Sconfitta", "sconfitta"))
    assert distinct(words, text, frozenset()) == ["ambri", "berna"]


# ATS's storm warnings for two regions: one template, the same alert level, nearly the same
# words (text similarity near 0.5), other regions.
STORM_VALAIS = (
    "Météo: alerte aux orages en Valais",
    "MétéoSuisse a émis une alerte de degré 3 aux orages pour le Valais central, où de fortes "
    "pluies et de la grêle sont attendues en fin de journée.",
    "Sion (ats) - Des rafales violentes sont possibles, notamment dans la région de Sierre et "
    "dans le val d'Hérens. La population est invitée à éviter les cours d'eau.\n\n"
    "MétéoSuisse prévoit une accalmie dans la nuit. Les pompiers valaisans sont en alerte.",
)
STORM_TICINO = (
    "Météo: alerte aux orages au Tessin",
    "MétéoSuisse a émis une alerte de degré 3 aux orages pour le Sottoceneri, où de fortes "
    "pluies et de la grêle sont attendues en fin de journée.",
    "Bellinzone (ats) - Des rafales violentes sont possibles, notamment dans la région de "
    "Lugano et dans le Mendrisiotto. La population est invitée à éviter les cours d'eau.\n\n"
    "MétéoSuisse prévoit une accalmie dans la nuit. Les pompiers tessinois sont en alerte.",
)


def test_two_regions_warnings_of_one_template_stay_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    assert joins(STORM_VALAIS, STORM_TICINO, "fr") is None
    assert joins(STORM_TICINO, STORM_VALAIS, "fr") is None
    # their text and their one figure agree: what joined them is the similarity
    monkeypatch.setattr("wire.ingest.matching._unlike", lambda a, b: False)
    assert joins(STORM_VALAIS, STORM_TICINO, "fr") == "text"
    # the same warning copied with a trailer still joins
    copy = (*STORM_VALAIS[:2], STORM_VALAIS[2] + " (ats)")
    monkeypatch.undo()
    assert joins(STORM_VALAIS, copy, "fr") == "text"


def test_the_marks_survive_the_stored_signature() -> None:
    # a signature read back from the store (a restart, `wire dedup rebuild`) judges the same
    glarus = SIGNER.sign_text(*GLARUS, "de")
    uri = SIGNER.sign_text(*URI, "de")
    assert glarus is not None and uri is not None
    stored = SIGNER.unpack(SIGNER.pack(glarus))
    assert stored is not None and stored.traits == glarus.traits
    index = ClusterIndex.from_config(CONFIG)
    index.add("glarus", "de", stored, 0.0)
    assert index.matches(uri, "de", 0.0) == []


# More reports of one day (kept apart before this test too: by the headline test, or by the
# figures that tell them apart: the queues' lengths, the roads' numbers, the gusts).
SULZER = (
    "Sulzer steigert Bestellungseingang und bestätigt Ziele",
    "Der Industriekonzern Sulzer hat im ersten Halbjahr mehr Aufträge erhalten. Der "
    "Bestellungseingang stieg um 6,1 Prozent auf 1,93 Milliarden Franken, wie das Unternehmen am "
    "Dienstag mitteilte.",
    "Winterthur (awp/sda) – Der Umsatz nahm um 3,4 Prozent auf 1,62 Milliarden Franken zu. Der "
    "Reingewinn erreichte 131 Millionen Franken nach 118 Millionen im Vorjahr.\n\n"
    "Besonders gefragt waren Pumpen für die Wasserversorgung in Europa und Asien. In China blieb "
    "die Nachfrage verhalten.\n\n"
    "Konzernchefin Suzanne Thoma bestätigte die Prognose für das Gesamtjahr. Die Analysten "
    "hatten mit einem Umsatz von 1,60 Milliarden gerechnet.\n\n"
    "An der Börse SIX legten die Sulzer-Aktien bis am Mittag um 2,3 Prozent zu.",
)
GF = (
    "Georg Fischer verdient weniger und senkt Prognose",
    "Der Industriekonzern Georg Fischer hat im ersten Halbjahr weniger verdient. Der Reingewinn "
    "sank um 14 Prozent auf 98 Millionen Franken, wie GF am Dienstag bekanntgab.",
    "Schaffhausen (awp/sda) – Der Umsatz ging um 2,8 Prozent auf 2,05 Milliarden Franken zurück. "
    "Die Betriebsmarge sank auf 8,2 Prozent.\n\n"
    "Schwach war vor allem das Geschäft mit Gussteilen für die Autoindustrie in Europa. In China "
    "und Asien wuchs die Sparte Rohrleitungssysteme dagegen.\n\n"
    "Konzernchef Andreas Müller senkte die Prognose für das Gesamtjahr. Die Analysten hatten mit "
    "einem Gewinn von 110 Millionen gerechnet.\n\n"
    "An der Börse SIX verloren die GF-Aktien bis am Mittag 4,1 Prozent.",
)
BELLINZONA = (
    "Bellinzona dice sì al nuovo stadio comunale",
    "I cittadini di Bellinzona hanno approvato domenica il credito di 38 milioni di franchi per "
    "il nuovo stadio comunale con il 58,4 per cento di voti favorevoli.",
    "BELLINZONA - (Keystone-ATS) La partecipazione al voto è stata del 41,2 per cento. Il "
    "Municipio si è detto soddisfatto dell'esito: i lavori potranno iniziare l'anno prossimo.\n\n"
    "Contro il progetto si erano schierati l'UDC e i Verdi, che giudicavano l'investimento "
    "eccessivo. Il PLR, il Centro e il PS lo avevano sostenuto.\n\n"
    "Il sindaco Mario Branda ha parlato di «una giornata importante per la città».",
)
LOCARNO = (
    "Locarno boccia il credito per il Lido",
    "Gli elettori di Locarno hanno respinto domenica il credito di 12 milioni di franchi per il "
    "risanamento del Lido con il 53,1 per cento di voti contrari.",
    "LOCARNO - (Keystone-ATS) La partecipazione è stata del 38,7 per cento. Il Municipio dovrà "
    "ora presentare un progetto ridimensionato.\n\n"
    "Il referendum era stato lanciato dall'UDC e dai Verdi, contrari ai costi. Il PLR, il Centro "
    "e il PS avevano sostenuto il credito.\n\n"
    "Il sindaco Nicola Pini si è detto «deluso ma rispettoso della volontà popolare».",
)
LOGITECH = (
    "Logitech relève ses objectifs annuels",
    "Logitech a relevé jeudi ses objectifs pour l'exercice en cours après un trimestre meilleur "
    "que prévu. Le chiffre d'affaires a progressé de 6% à 1,18 milliard de dollars.",
    "Lausanne (awp/ats) - Le bénéfice net du fabricant de périphériques informatiques a atteint "
    "168 millions de dollars, contre 145 millions un an plus tôt.\n\n"
    "Les ventes ont progressé en Europe et en Asie, tandis que la demande est restée stable aux "
    "Etats-Unis. Le directeur général Hanneke Faber a salué «une exécution solide».\n\n"
    "Les analystes consultés par AWP tablaient sur un chiffre d'affaires de 1,15 milliard. A la "
    "Bourse suisse SIX, le titre Logitech gagnait 4,2% en début de séance.",
)
TEMENOS = (
    "Temenos voit son bénéfice reculer",
    "Temenos a vu son bénéfice net reculer jeudi à 52 millions de dollars au troisième "
    "trimestre, contre 61 millions un an plus tôt. Les revenus ont augmenté de 3% à 241 millions.",
    "Genève (awp/ats) - Le spécialiste des logiciels bancaires a signé davantage de contrats en "
    "Europe, mais l'activité est restée faible en Asie et aux Etats-Unis.\n\n"
    "Le directeur général Jean-Pierre Brulard a confirmé les objectifs annuels et évoqué «un "
    "pipeline solide».\n\n"
    "Les analystes consultés par AWP attendaient un bénéfice de 55 millions. A la Bourse suisse "
    "SIX, le titre Temenos cédait 2,9% en début de séance.",
)
VAUD = (
    "Vaud: le peuple accepte la baisse d'impôts",
    "Les Vaudois ont accepté dimanche l'initiative pour une baisse de 12% de l'impôt cantonal "
    "par 54,6% des voix. La participation s'est élevée à 44,1%.",
    "Lausanne (ats) - Le Conseil d'Etat, qui avait proposé un contre-projet, a pris acte du "
    "verdict. Le PLR et l'UDC, qui avaient lancé le texte, ont salué «un signal clair».\n\n"
    "Le PS et les Verts avaient combattu l'initiative, craignant des coupes dans les "
    "prestations. Le Grand Conseil devra adapter le budget.",
)
NEUCHATEL = (
    "Neuchâtel: non à la nouvelle loi sur le stationnement",
    "Les Neuchâtelois ont rejeté dimanche la nouvelle loi sur le stationnement par 57,3% des "
    "voix. La participation a atteint 39,8%.",
    "Neuchâtel (ats) - Le Conseil d'Etat regrette ce refus et devra revoir sa copie. Le PLR et "
    "l'UDC, qui avaient lancé le référendum, ont parlé d'«un signal clair».\n\n"
    "Le PS et les Verts avaient soutenu la loi, estimant qu'elle favorisait les transports "
    "publics. Le Grand Conseil devra reprendre le dossier.",
)
GOTTHARD = (
    "Verkehr: Stau vor dem Gotthard auf der A2",
    "Vor dem Gotthard-Strassentunnel hat sich am Nachmittag auf der A2 in Richtung Süden ein "
    "Stau von 12 Kilometern gebildet.",
    "Erstfeld (sda) – Reisende müssen zwischen Erstfeld und Göschenen mit einem Zeitverlust von "
    "bis zu zwei Stunden rechnen, wie der TCS mitteilte.\n\n"
    "Der TCS empfiehlt, die Route über den San Bernardino zu meiden, da auch dort mit Verkehr zu "
    "rechnen sei. Die Polizei rät, genügend Wasser mitzunehmen.\n\n"
    "Grund für den Stau ist der Ferienbeginn in mehreren Kantonen der Deutschschweiz und in "
    "Deutschland.",
)
BERNARDINO = (
    "Verkehr: Stau vor dem San Bernardino auf der A13",
    "Vor dem San-Bernardino-Tunnel hat sich am Nachmittag auf der A13 in Richtung Süden ein Stau "
    "von 6 Kilometern gebildet.",
    "Hinterrhein (sda) – Reisende müssen zwischen Splügen und Hinterrhein mit einer Stunde "
    "Wartezeit rechnen, wie der TCS mitteilte.\n\n"
    "Der TCS empfiehlt, auf den Gotthard auszuweichen sei keine Lösung, da auch dort Stau "
    "herrsche. Die Polizei rät, genügend Wasser mitzunehmen.\n\n"
    "Grund für den Stau ist der Ferienbeginn in mehreren Kantonen der Deutschschweiz und in "
    "Deutschland.",
)
GOTTHARD_NO_LENGTH = (
    GOTTHARD[0].replace(" auf der A2", ""),
    GOTTHARD[1].replace("von 12 Kilometern", "von mehreren Kilometern"),
    GOTTHARD[2],
)
BERNARDINO_NO_LENGTH = (
    BERNARDINO[0].replace(" auf der A13", ""),
    BERNARDINO[1].replace("von 6 Kilometern", "von mehreren Kilometern"),
    BERNARDINO[2],
)
STORM_VALAIS_GUSTS = (*STORM_VALAIS[:2], STORM_VALAIS[2].replace("violentes", "jusqu'à 90 km/h"))
STORM_TICINO_GUSTS = (*STORM_TICINO[:2], STORM_TICINO[2].replace("violentes", "jusqu'à 100 km/h"))
ROUND = (
    "\n\nGli altri risultati: Berna-Ambrì 4-1, Lugano-Zugo 3-2 dr, Davos-Friborgo 2-3, "
    "Zurigo-Losanna 5-2, Ginevra-Bienne 1-0."
)


@pytest.mark.parametrize(
    ("a", "b", "lang"),
    [
        (SULZER, GF, "de"),
        (BELLINZONA, LOCARNO, "it"),
        (LOGITECH, TEMENOS, "fr"),
        (VAUD, NEUCHATEL, "fr"),
        (GOTTHARD, BERNARDINO, "de"),
        (GOTTHARD_NO_LENGTH, BERNARDINO_NO_LENGTH, "de"),
        (STORM_VALAIS_GUSTS, STORM_TICINO_GUSTS, "fr"),
    ],
    ids=[
        "two-companies-de",
        "two-towns-votes-it",
        "two-companies-fr",
        "two-cantons-votes-fr",
        "two-roads-traffic-de",
        "two-roads-traffic-no-length-de",
        "two-regions-storm-gusts-fr",
    ],
)
def test_more_reports_of_one_day_stay_apart(
    a: tuple[str, str, str], b: tuple[str, str, str], lang: str
) -> None:
    assert joins(a, b, lang) is None
    assert joins(b, a, lang) is None


# The round's other results each game's report ends on (Keystone-ATS): every team named, every
# score given, in each report of the round.
ROUND_IT = ROUND
LUGANO_ROUND = (*LUGANO[:2], LUGANO[2] + ROUND_IT)
AMBRI_ROUND = (*AMBRI[:2], AMBRI[2] + ROUND_IT)
LUGANO_RSI_ROUND = (*LUGANO_RSI[:2], LUGANO_RSI[2] + ROUND_IT)

# Keystone-SDA's reports of two games of one Sunday's Super League round, each ending on the
# round's results.
ROUND_DE = (
    "\n\nDie weiteren Resultate: Basel - Servette 2:1. Lugano - Luzern 3:0. Young Boys - St. "
    "Gallen 1:1. Zürich - Sion 0:2. Winterthur - Lausanne-Sport 2:2. Grasshoppers - Yverdon 1:0."
)
BASEL = (
    "Super League: Basel schlägt Servette",
    "Der FC Basel hat am Sonntag im St. Jakob-Park Servette mit 2:1 bezwungen und ist neu "
    "Tabellenzweiter der Super League.",
    "Basel (sda) – Albian Ajeti brachte die Basler in der 23. Minute in Führung. Servette glich "
    "kurz nach der Pause durch Dereck Kutesa aus. Den Siegtreffer erzielte Xherdan Shaqiri in "
    "der 81. Minute mit einem Freistoss.\n\n"
    "Die Genfer verpassten es damit, zur Spitze aufzuschliessen. Trainer Thomas Häberli haderte "
    "mit der Chancenauswertung.\n\n"
    "Am kommenden Samstag empfängt Basel die Young Boys zum Klassiker." + ROUND_DE,
)
LUGANO_DE = (
    "Super League: Lugano siegt gegen Luzern",
    "Der FC Lugano hat am Sonntag im Cornaredo den FC Luzern 3:0 geschlagen und bleibt an der "
    "Spitze der Super League.",
    "Lugano (sda) – Renato Steffen eröffnete das Skore nach einer halben Stunde. Nach der Pause "
    "trafen Mattia Bottani und Shkelqim Vladi für die Tessiner.\n\n"
    "Die Luzerner blieben offensiv harmlos und warten seit vier Spielen auf einen Sieg. Trainer "
    "Mario Frick sprach von einer verdienten Niederlage.\n\n"
    "Lugano spielt am Samstag in Winterthur." + ROUND_DE,
)
# Another desk's account of the Basel game (no results list).
BASEL_CH = (
    "Shaqiri schiesst Basel zum Sieg gegen Servette",
    "Xherdan Shaqiri hat den FC Basel am Sonntag mit einem späten Freistoss zum 2:1-Heimsieg "
    "gegen Servette geführt.",
    "Albian Ajeti hatte die Basler früh in Führung gebracht, Dereck Kutesa glich für die Genfer "
    "nach der Pause aus. In der 81. Minute traf Shaqiri direkt.\n\n"
    "Basel rückt damit auf den zweiten Platz vor. Servette verpasst den Sprung an die Spitze, "
    "Trainer Häberli sprach von einer bitteren Niederlage.",
)

# Keystone-ATS's reports of two games of one Saturday's National League round, in French.
ROUND_FR = (
    "\n\nLes autres résultats: Genève-Servette - Bienne 4-2. Fribourg-Gottéron - Lausanne 3-1. "
    "Davos - Zurich 2-5. Berne - Zoug 1-2 ap. Lugano - Ambri-Piotta 3-4 tab."
)
GENEVE = (
    "Hockey: Genève-Servette bat Bienne",
    "Genève-Servette s'est imposé 4-2 face à Bienne samedi aux Vernets et remonte au sixième "
    "rang de National League.",
    "Genève (ats) - Les Grenats ont fait la différence dans le deuxième tiers grâce à Teemu "
    "Hartikainen et Marc-Antoine Pouliot. Bienne avait ouvert le score par Toni Rajala.\n\n"
    "Le gardien Robert Mayer a réalisé 31 arrêts. Les Seelandais restent bloqués au neuvième "
    "rang.\n\n"
    "Mardi, Genève-Servette se rendra à Zoug." + ROUND_FR,
)
FRIBOURG = (
    "Hockey: Fribourg-Gottéron domine Lausanne",
    "Fribourg-Gottéron a battu Lausanne 3-1 samedi à la BCF Arena et conforte sa place parmi "
    "les quatre premiers de National League.",
    "Fribourg (ats) - Les Dragons ont pris l'avantage par Killian Mottet avant que Lausanne "
    "n'égalise par Damien Riat. Christoph Bertschy et Lucas Wallmark ont scellé la victoire "
    "dans l'ultime période.\n\n"
    "Le LHC reste sur trois défaites. Son entraîneur Geoff Ward a regretté un manque de "
    "réalisme.\n\n"
    "Mardi, Fribourg-Gottéron accueillera Davos." + ROUND_FR,
)
# Another desk's account of the Geneva game, ending on the same results.
GENEVE_RTS = (
    "Les Grenats renversent Bienne aux Vernets",
    "Menés au score, Genève-Servette a finalement battu Bienne 4-2 samedi soir grâce à un "
    "deuxième tiers réussi.",
    "Toni Rajala avait donné l'avantage aux Seelandais. Teemu Hartikainen puis Marc-Antoine "
    "Pouliot ont retourné la situation pour les Grenats, et Robert Mayer a fait le reste avec "
    "31 parades.\n\n"
    "Genève-Servette remonte au sixième rang de National League." + ROUND_FR,
)

# Reuters' reports of two games of one Saturday's Premier League round, each ending on the
# round's results.
ROUND_EN = (
    "\n\nOther results: Arsenal 2 Chelsea 1, Everton 0 Liverpool 3, Brighton 1 Fulham 1, "
    "Wolverhampton 2 Brentford 2, Aston Villa 4 Burnley 0."
)
ARSENAL = (
    "Arsenal beat Chelsea to go top",
    "Arsenal beat Chelsea 2-1 at the Emirates Stadium on Saturday to move top of the Premier "
    "League table.",
    "LONDON (Reuters) - Bukayo Saka put the hosts ahead after 17 minutes before Cole Palmer "
    "levelled from the penalty spot early in the second half. Declan Rice headed the winner "
    "with 12 minutes left.\n\n"
    "Manager Mikel Arteta praised his side's resilience. Chelsea stay sixth.\n\n"
    "Arsenal travel to Newcastle United next weekend." + ROUND_EN,
)
LIVERPOOL = (
    "Liverpool cruise past Everton in Merseyside derby",
    "Liverpool won 3-0 at Goodison Park on Saturday to keep pace at the top of the Premier League.",
    "LIVERPOOL, England (Reuters) - Mohamed Salah opened the scoring from close range after 25 "
    "minutes and Darwin Nunez added a second before halftime. Luis Diaz completed the win late "
    "on.\n\n"
    "Everton manager Sean Dyche said his side had been second best throughout. Everton remain "
    "16th.\n\n"
    "Liverpool host Aston Villa next weekend." + ROUND_EN,
)
# Another desk's account of the Arsenal game.
ARSENAL_AP = (
    "Rice header gives Arsenal win over Chelsea",
    "Declan Rice headed a late winner as Arsenal came from behind to beat Chelsea 2-1 on "
    "Saturday and go top of the Premier League.",
    "Bukayo Saka had given Arsenal the lead in the 17th minute and Cole Palmer equalized with a "
    "penalty after the break. Rice then rose to meet a corner with 12 minutes to go.\n\n"
    "Arsenal coach Mikel Arteta said the team showed character. Chelsea are sixth.",
)


def _with_the_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("wire.ingest.evidence.without_lists", lambda body: body)


@pytest.mark.parametrize(
    ("a", "b", "lang"),
    [
        (LUGANO_ROUND, AMBRI_ROUND, "it"),
        (BASEL, LUGANO_DE, "de"),
        (GENEVE, FRIBOURG, "fr"),
        (ARSENAL, LIVERPOOL, "en"),
    ],
    ids=["hockey-it", "football-de", "hockey-fr", "football-en"],
)
def test_two_games_ending_on_the_rounds_results_stay_apart(
    a: tuple[str, str, str], b: tuple[str, str, str], lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each report ends on the round's results: every team named, every score given. The list
    is no evidence of either story (wire.ingest.results), so the games stay apart."""
    assert joins(a, b, lang) is None
    assert joins(b, a, lang) is None
    # what joined them: the list's names and scores, shared by every report of the round
    _with_the_lists(monkeypatch)
    assert joins(a, b, lang) is not None
    assert joins(b, a, lang) is not None


@pytest.mark.parametrize(
    ("a", "b", "lang"),
    [
        (LUGANO_ROUND, LUGANO_RSI, "it"),
        (LUGANO_ROUND, LUGANO_RSI_ROUND, "it"),
        (BASEL, BASEL_CH, "de"),
        (GENEVE, GENEVE_RTS, "fr"),
        (ARSENAL, ARSENAL_AP, "en"),
    ],
    ids=["lugano-one-list", "lugano-both-lists", "basel", "geneve-both-lists", "arsenal"],
)
def test_another_account_of_a_game_ending_on_the_results_still_joins(
    a: tuple[str, str, str], b: tuple[str, str, str], lang: str
) -> None:
    assert joins(a, b, lang) is not None
    assert joins(b, a, lang) is not None


def test_a_results_list_is_left_out_only_after_the_reports_own_prose() -> None:
    prose = "Der FC Basel hat am Sonntag Servette mit 2:1 bezwungen und ist neu Zweiter."
    # a label on a line of its own, a game a line below it
    lines = "Die weiteren Resultate:\n\nLugano - Luzern 3:0\n\nZürich - Sion 0:2 (0:1)"
    assert without_lists(f"{prose}\n\n{lines}") == prose
    lines = "Other results:\n\nArsenal 2 Chelsea 1\n\nEverton 0 Liverpool 3 (aet)"
    after = "Coach Mikel Arteta praised his side, which moved top of the table on Saturday."
    assert without_lists(f"{prose}\n\n{lines}\n\n{after}") == f"{prose}\n\n{after}"
    standings = "Rangliste: 1. Lugano 20/41. 2. Basel 20/38. 3. Servette 20/37."
    assert without_lists(f"{prose}\n\n{standings}") == prose
    unlabelled = "Lugano - Luzern 3:0. Zürich - Sion 0:2. Winterthur - Lausanne-Sport 2:2."
    assert without_lists(f"{prose}\n\n{unlabelled}\n\n{standings}") == prose
    # the round's results as an item of their own: the list is the story, nothing told before
    table = f"Super League, 18. Runde:\n\n{unlabelled}\n\n{standings}"
    assert without_lists(table) is table
    # prose that gives two scores, or opens on a label, is prose
    scores = (
        "Nach dem 2:1 gegen Servette gewann Basel auch in Luzern mit 3:0 und liegt nun auf "
        "dem zweiten Rang."
    )
    told = "Results: the company's revenue rose 5% to 3.2 billion francs in 2025."
    nouns = "Ergebnisse: Die Umsätze stiegen um 5 Prozent auf 3,2 Milliarden Franken."
    for paragraph in (scores, told, nouns):
        assert without_lists(f"{prose}\n\n{paragraph}") == f"{prose}\n\n{paragraph}"
