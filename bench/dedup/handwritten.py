"""Hand-written wire copy in German, French, Italian and English, and the labelled pairs of it.

Not generated: each text was written by hand in the shape of real agency copy, so the rules
meet wording no generator of ours produced. Per language:

- two news stories, each written twice by two agencies in their own words (other sentences,
  other order, partly other figures given: a rewrite), the first also as a 3-sentence brief;
- a third story of the same kind as the first (another accident, another fire, ...): the
  same-topic hard negative;
- templated reports, two instances each of other days or events: weather, market close,
  lottery draw, traffic, sports results, earnings (hard negatives: same boilerplate, other
  figures, names and dates); the first market close also written by a second agency (a
  rewrite of template copy, which must join).

The set was written and its held-out groups fixed (``HELDOUT``) before it was first scored;
no rule or setting was changed after looking at it. ``evaluate.py --handwritten`` scores the
tuning groups, ``--handwritten --heldout`` the held-out ones.
"""

from __future__ import annotations

from typing import Any

# Texts: key -> (headline, lead, body). Keys: <lang>-<group>-<instance>.
TEXTS: dict[str, tuple[str, str, str]] = {
    # ----------------------------------------------------------------------------- German
    "de-fire-a": (
        "Grossbrand in Lagerhalle in Winterthur – 80 Feuerwehrleute im Einsatz",
        "In einer Lagerhalle im Winterthurer Industriegebiet Grüze ist am Dienstagmorgen ein "
        "Grossbrand ausgebrochen. Verletzt wurde niemand.",
        "Winterthur (sda) - Der Alarm ging kurz nach 5.30 Uhr ein, wie die Stadtpolizei "
        "Winterthur mitteilte. Beim Eintreffen der Feuerwehr stand die Halle bereits in "
        "Vollbrand. Rund 80 Angehörige der Feuerwehr standen im Einsatz.\n\n"
        "Eine dichte Rauchwolke war weitherum sichtbar. Die Bevölkerung wurde über Alertswiss "
        "aufgefordert, Fenster und Türen geschlossen zu halten. Die Autobahn A1 blieb offen.\n\n"
        "Die Halle gehört einem Logistikunternehmen und wurde zur Lagerung von Verpackungsmaterial "
        "genutzt. Der Sachschaden dürfte mehrere Millionen Franken betragen. Die Brandursache "
        "wird vom Forensischen Institut Zürich untersucht.",
    ),
    "de-fire-b": (
        "Lagerhalle in Winterthur brennt nieder",
        "Ein Feuer hat am Dienstag eine Lagerhalle in Winterthur zerstört. Die Feuerwehr war "
        "mit einem Grossaufgebot vor Ort, Menschen kamen nicht zu Schaden.",
        "WINTERTHUR (awp/dpa) – Das Feuer im Quartier Grüze wurde am frühen Morgen gemeldet. "
        "Als die ersten Einsatzkräfte eintrafen, brannte das Gebäude lichterloh, teilte die "
        "Stadtpolizei mit. Insgesamt rückten etwa 80 Feuerwehrleute aus.\n\n"
        "Über Alertswiss wurden Anwohnende gebeten, ihre Fenster zu schliessen, da eine grosse "
        "Rauchsäule über der Stadt lag. In der Halle lagerte eine Logistikfirma Kartonagen und "
        "Folien.\n\n"
        "Zur Ursache des Brandes konnte die Polizei noch keine Angaben machen; Spezialisten des "
        "Forensischen Instituts Zürich ermitteln. Den Schaden schätzt die Polizei auf mehrere "
        "Millionen Franken.",
    ),
    "de-fire-brief": (
        "Brand in Winterthurer Lagerhalle",
        "",
        "Winterthur (sda) - In Winterthur ist am Dienstagmorgen eine Lagerhalle im "
        "Industriegebiet Grüze in Vollbrand geraten. Rund 80 Feuerwehrleute standen im Einsatz, "
        "verletzt wurde niemand. Der Sachschaden dürfte mehrere Millionen Franken betragen; das "
        "Forensische Institut Zürich untersucht die Ursache.",
    ),
    "de-fire2-a": (
        "Brand in Mehrfamilienhaus in Biel – zwei Personen verletzt",
        "Bei einem Brand in einem Mehrfamilienhaus in Biel sind am Sonntagabend zwei Personen "
        "leicht verletzt worden. Zwölf Bewohner mussten evakuiert werden.",
        "Biel (sda) - Das Feuer brach gegen 21 Uhr in einer Wohnung im dritten Stock aus, wie "
        "die Kantonspolizei Bern mitteilte. Die Berufsfeuerwehr Biel konnte den Brand rasch "
        "löschen. Rund 30 Feuerwehrleute standen im Einsatz.\n\n"
        "Zwei Bewohnerinnen wurden mit Verdacht auf Rauchvergiftung ins Spital gebracht. Die "
        "Wohnung ist nicht mehr bewohnbar. Die Kantonspolizei hat Ermittlungen zur Ursache "
        "aufgenommen.",
    ),
    "de-trial-a": (
        "Bundesstrafgericht verurteilt ehemaligen Bankberater zu drei Jahren",
        "Das Bundesstrafgericht in Bellinzona hat einen ehemaligen Kundenberater einer Zürcher "
        "Privatbank wegen Geldwäscherei zu einer Freiheitsstrafe von drei Jahren verurteilt.",
        "Bellinzona (sda) - Davon muss der 54-jährige Schweizer 18 Monate absitzen, der Rest "
        "wurde bedingt ausgesprochen. Das Gericht sah es als erwiesen an, dass er zwischen 2015 "
        "und 2019 rund 42 Millionen Franken aus einem Korruptionsfall in Venezuela über Konten "
        "der Bank geschleust hatte.\n\n"
        "Die Bundesanwaltschaft hatte vier Jahre gefordert, die Verteidigung einen Freispruch. "
        "Der Verteidiger kündigte an, das Urteil an die Berufungskammer weiterzuziehen.\n\n"
        "Die Bank selbst war bereits 2022 mit einer Busse von 3,5 Millionen Franken belegt "
        "worden.",
    ),
    "de-trial-b": (
        "Drei Jahre Haft für Ex-Banker wegen Geldwäscherei",
        "Ein früherer Mitarbeiter einer Zürcher Privatbank muss wegen Geldwäscherei ins "
        "Gefängnis. Das Bundesstrafgericht sprach eine teilbedingte Strafe aus.",
        "BELLINZONA (dpa) - Der 54-Jährige habe von 2015 bis 2019 etwa 42 Millionen Franken aus "
        "venezolanischen Bestechungsgeldern gewaschen, urteilte das Gericht in Bellinzona am "
        "Donnerstag. Von den drei Jahren Haft sind 18 Monate unbedingt.\n\n"
        "Die Anklage hatte eine Strafe von vier Jahren verlangt. Sein Anwalt will den Fall an "
        "die Berufungskammer weiterziehen.\n\n"
        "Gegen die Bank hatte die Bundesanwaltschaft schon 2022 eine Busse von 3,5 Millionen "
        "Franken verhängt. dpa ks xx",
    ),
    "de-weather-1": (
        "Wetter: Sonnig im Flachland, Gewitter in den Bergen",
        "",
        "Zürich (sda) - Das Wetter am Mittwoch, 12. Juni: Im Flachland ist es zunächst sonnig, "
        "am Nachmittag bilden sich über den Alpen Quellwolken und einzelne Gewitter. Die "
        "Temperaturen erreichen 27 Grad in Basel und 24 Grad in Bern. Die Nullgradgrenze liegt "
        "bei 3900 Metern. Im Süden ist es sonnig bei 29 Grad. Schwacher Westwind.",
    ),
    "de-weather-2": (
        "Wetter: Sonnig im Flachland, Gewitter in den Bergen",
        "",
        "Zürich (sda) - Das Wetter am Freitag, 14. Juni: Im Flachland ist es zunächst sonnig, "
        "am Nachmittag bilden sich über dem Jura Quellwolken und einzelne Gewitter. Die "
        "Temperaturen erreichen 25 Grad in Basel und 23 Grad in Bern. Die Nullgradgrenze liegt "
        "bei 3600 Metern. Im Süden ist es sonnig bei 28 Grad. Mässiger Südwestwind.",
    ),
    "de-market-1": (
        "Börse Zürich: SMI schliesst fester – Nestlé gesucht",
        "",
        "Zürich (awp) - Der Schweizer Aktienmarkt hat am Montag fester geschlossen. Der SMI "
        "stieg um 0,62 Prozent auf 11'842,15 Punkte, der breite SPI gewann 0,55 Prozent auf "
        "15'610,40 Punkte. Gesucht waren Nestlé (+1,8%) und Roche (+1,1%), während UBS (-0,9%) "
        "nachgaben. Der Dollar kostete 0,8952 Franken, der Euro 0,9634 Franken.",
    ),
    "de-market-1b": (
        "SMI legt zu, Nestlé und Roche stützen",
        "",
        "ZÜRICH (dpa-AFX) - Gestützt von Nestlé und Roche hat der Leitindex SMI am Montag um "
        "0,62 Prozent auf 11.842,15 Zähler zugelegt. Nestlé verteuerten sich um 1,8 Prozent, "
        "Roche um 1,1 Prozent. Abgaben gab es bei UBS mit minus 0,9 Prozent. Der SPI stieg um "
        "0,55 Prozent auf 15.610,40 Punkte. Am Devisenmarkt notierte der Euro bei 0,9634 "
        "Franken.",
    ),
    "de-market-2": (
        "Börse Zürich: SMI schliesst fester – Novartis gesucht",
        "",
        "Zürich (awp) - Der Schweizer Aktienmarkt hat am Dienstag fester geschlossen. Der SMI "
        "stieg um 0,31 Prozent auf 11'878,90 Punkte, der breite SPI gewann 0,28 Prozent auf "
        "15'654,10 Punkte. Gesucht waren Novartis (+1,4%) und Zurich (+0,8%), während "
        "Richemont (-1,2%) nachgaben. Der Dollar kostete 0,8931 Franken, der Euro 0,9611 "
        "Franken.",
    ),
    "de-lotto-1": (
        "Swiss Lotto: Die Gewinnzahlen vom Samstag",
        "",
        "Basel (sda) - Die Gewinnzahlen der Swiss-Lotto-Ziehung vom Samstag, 8. Juni, lauten: "
        "4, 11, 19, 27, 33, 41. Glückszahl: 5. Replay: 9. Joker: 482 917. Im Jackpot für die "
        "nächste Ziehung liegen 6,2 Millionen Franken. Alle Angaben ohne Gewähr.",
    ),
    "de-lotto-2": (
        "Swiss Lotto: Die Gewinnzahlen vom Mittwoch",
        "",
        "Basel (sda) - Die Gewinnzahlen der Swiss-Lotto-Ziehung vom Mittwoch, 12. Juni, lauten: "
        "2, 8, 17, 23, 36, 40. Glückszahl: 1. Replay: 3. Joker: 175 306. Im Jackpot für die "
        "nächste Ziehung liegen 6,8 Millionen Franken. Alle Angaben ohne Gewähr.",
    ),
    "de-traffic-1": (
        "Verkehr: Stau vor dem Gotthard-Nordportal",
        "",
        "Göschenen (sda) - Vor dem Gotthard-Strassentunnel staut sich der Verkehr am Samstag "
        "auf der A2 in Richtung Süden auf 12 Kilometern. Die Wartezeit beträgt bis zu zwei "
        "Stunden. Der TCS empfiehlt, über die A13 und den San Bernardino auszuweichen. Am "
        "Südportal ist die Lage ruhig.",
    ),
    "de-traffic-2": (
        "Verkehr: Stau vor dem Gotthard-Nordportal",
        "",
        "Göschenen (sda) - Vor dem Gotthard-Strassentunnel staut sich der Verkehr am Freitag "
        "auf der A2 in Richtung Süden auf 7 Kilometern. Die Wartezeit beträgt bis zu 70 "
        "Minuten. Der TCS empfiehlt, die Autoverladung am Lötschberg zu nutzen. Am Südportal "
        "staut es sich auf 3 Kilometern.",
    ),
    "de-sports-1": (
        "Super League: YB schlägt Lugano, Basel remis",
        "",
        "Bern (sda) - Resultate der 14. Runde der Super League vom Samstag: Young Boys - Lugano "
        "3:1 (1:0). Basel - St. Gallen 2:2 (0:1). Servette - Luzern 1:0 (1:0). Tabelle: 1. Young "
        "Boys 31 Punkte. 2. Lugano 28. 3. Servette 26. 4. Basel 22.",
    ),
    "de-sports-2": (
        "Super League: YB siegt in Luzern, Basel verliert",
        "",
        "Bern (sda) - Resultate der 15. Runde der Super League vom Sonntag: Luzern - Young Boys "
        "0:2 (0:1). Lugano - Basel 2:1 (1:1). Winterthur - Servette 1:1 (0:0). Tabelle: 1. Young "
        "Boys 34 Punkte. 2. Lugano 31. 3. Servette 27. 4. Basel 22.",
    ),
    "de-earnings-1": (
        "Sonova steigert Umsatz im ersten Halbjahr",
        "",
        "Stäfa (awp) - Der Hörgerätehersteller Sonova hat im ersten Halbjahr 2023/24 einen "
        "Umsatz von 1,81 Milliarden Franken erzielt, 4,2 Prozent mehr als im Vorjahr. Der "
        "bereinigte Betriebsgewinn (EBITA) stieg auf 392 Millionen Franken. Für das "
        "Gesamtjahr bestätigt das Unternehmen seine Prognose eines Umsatzwachstums von 5 bis "
        "9 Prozent.",
    ),
    "de-earnings-2": (
        "Sonova steigert Umsatz im ersten Halbjahr",
        "",
        "Stäfa (awp) - Der Hörgerätehersteller Sonova hat im ersten Halbjahr 2024/25 einen "
        "Umsatz von 1,93 Milliarden Franken erzielt, 6,6 Prozent mehr als im Vorjahr. Der "
        "bereinigte Betriebsgewinn (EBITA) stieg auf 418 Millionen Franken. Für das "
        "Gesamtjahr bestätigt das Unternehmen seine Prognose eines Umsatzwachstums von 6 bis "
        "8 Prozent.",
    ),
    # ----------------------------------------------------------------------------- French
    "fr-flood-a": (
        "Intempéries: la Broye en crue, des caves inondées à Payerne",
        "De fortes pluies ont fait sortir la Broye de son lit dans la nuit de jeudi à vendredi. "
        "Plusieurs dizaines de caves ont été inondées à Payerne (VD).",
        "Payerne (ats) - Les pompiers sont intervenus à plus de 60 reprises entre 23h00 et "
        "6h00, a indiqué la police cantonale vaudoise. Il est tombé jusqu'à 85 millimètres de "
        "pluie en douze heures selon MétéoSuisse.\n\n"
        "La route cantonale entre Payerne et Corcelles a été fermée durant la matinée. Aucun "
        "blessé n'est à déplorer. Le niveau de la rivière a commencé à baisser en fin de "
        "matinée.\n\n"
        "MétéoSuisse maintient une alerte de degré 3 pour la Broye et le Gros-de-Vaud jusqu'à "
        "samedi midi.",
    ),
    "fr-flood-b": (
        "La Broye déborde, Payerne les pieds dans l'eau",
        "Après une nuit de pluies diluviennes, la Broye a débordé vendredi à Payerne. Les "
        "secours ont été appelés plus de 60 fois.",
        "PAYERNE, 14 juin (AFP) - Jusqu'à 85 mm de pluie sont tombés en douze heures, selon "
        "l'office fédéral MétéoSuisse, qui a prolongé son alerte de niveau 3 jusqu'à samedi "
        "midi pour la Broye et le Gros-de-Vaud.\n\n"
        "Des dizaines de sous-sols ont été envahis par l'eau, a précisé la police vaudoise. La "
        "route entre Payerne et Corcelles a dû être fermée le matin. On ne signale pas de "
        "blessés.\n\n"
        "La décrue s'est amorcée vendredi en fin de matinée. © AFP",
    ),
    "fr-flood-brief": (
        "Crue de la Broye à Payerne",
        "",
        "Payerne (ats) - La Broye est sortie de son lit dans la nuit de jeudi à vendredi à "
        "Payerne, où des dizaines de caves ont été inondées après 85 millimètres de pluie. Les "
        "pompiers sont intervenus plus de 60 fois. MétéoSuisse maintient son alerte de degré 3 "
        "jusqu'à samedi midi.",
    ),
    "fr-flood2-a": (
        "Orages: la Sarine déborde à Fribourg, un camping évacué",
        "Un violent orage a fait déborder la Sarine dimanche soir en ville de Fribourg. Un "
        "camping a été évacué par précaution.",
        "Fribourg (ats) - Quelque 120 campeurs ont dû quitter les lieux vers 20h00, a indiqué la "
        "police cantonale fribourgeoise. Il est tombé 48 millimètres de pluie en deux heures.\n\n"
        "Les pompiers de la ville sont intervenus une vingtaine de fois pour des caves inondées. "
        "Une personne a été légèrement blessée par la chute d'un arbre. Le niveau de la Sarine "
        "est redescendu dans la nuit.",
    ),
    "fr-strike-a": (
        "Grève à la SNCF: un TGV sur deux circulera mardi",
        "La direction de la SNCF prévoit un TGV sur deux et un TER sur trois mardi, au "
        "deuxième jour de la grève à l'appel de la CGT-Cheminots et de SUD-Rail.",
        "Paris (AFP) - Le trafic sera également très perturbé en Île-de-France, avec un RER B "
        "sur deux et un Transilien sur trois, a précisé l'entreprise lundi soir. Les Intercités "
        "de nuit sont supprimés.\n\n"
        "Les syndicats protestent contre la réforme des retraites des cheminots et réclament une "
        "hausse des salaires de 5 %. Le ministre des Transports, Clément Beaune, a appelé à la "
        "reprise du dialogue.\n\n"
        "La SNCF conseille aux voyageurs de reporter leurs déplacements. Les billets sont "
        "échangeables et remboursables sans frais.",
    ),
    "fr-strike-b": (
        "SNCF: trafic très perturbé mardi, un TGV sur deux",
        "Au deuxième jour du mouvement social lancé par la CGT-Cheminots et SUD-Rail, seul un "
        "TGV sur deux roulera mardi, a annoncé la SNCF.",
        "PARIS (Reuters) - Côté TER, la compagnie prévoit un train sur trois. En Île-de-France, "
        "un RER B sur deux et un Transilien sur trois circuleront, tandis que tous les trains "
        "de nuit Intercités sont annulés.\n\n"
        "Les deux syndicats exigent 5 % d'augmentation et s'opposent à la réforme des retraites "
        "de la profession. Clément Beaune, ministre des Transports, a demandé aux parties de "
        "renouer le dialogue.\n\n"
        "Les voyageurs peuvent échanger ou se faire rembourser leurs billets sans frais. "
        "(Reportage Elizabeth Pineau, édité par Sophie Louet)",
    ),
    "fr-weather-1": (
        "Météo: ensoleillé, orages isolés en montagne",
        "",
        "Genève (ats) - Prévisions pour le mercredi 12 juin: temps ensoleillé sur le Plateau, "
        "développement de cumulus et orages isolés l'après-midi sur les Alpes. Températures "
        "maximales de 27 degrés à Genève et 25 degrés à Sion. Limite du zéro degré vers 3900 "
        "mètres. Bise faible sur le Léman.",
    ),
    "fr-weather-2": (
        "Météo: ensoleillé, orages isolés en montagne",
        "",
        "Genève (ats) - Prévisions pour le samedi 15 juin: temps ensoleillé sur le Plateau, "
        "développement de cumulus et orages isolés l'après-midi sur le Jura. Températures "
        "maximales de 24 degrés à Genève et 26 degrés à Sion. Limite du zéro degré vers 3500 "
        "mètres. Vent de sud-ouest modéré.",
    ),
    "fr-market-1": (
        "Bourse de Paris: le CAC 40 termine en hausse de 0,8%",
        "",
        "Paris (AFP) - La Bourse de Paris a terminé en hausse jeudi, le CAC 40 gagnant 0,84% à "
        "7.612,35 points. LVMH a pris 2,1% et TotalEnergies 1,3%, tandis que Renault a cédé "
        "1,9%. Sur le marché obligataire, le taux à dix ans français s'établissait à 3,12%. "
        "L'euro valait 1,0842 dollar.",
    ),
    "fr-market-1b": (
        "Le CAC 40 gagne 0,84%, porté par LVMH",
        "",
        "PARIS (Reuters) - Porté par le luxe, le CAC 40 a gagné 0,84% jeudi pour finir à "
        "7.612,35 points. LVMH a progressé de 2,1% et TotalEnergies de 1,3%. Renault a fini en "
        "queue de peloton (-1,9%). Le rendement de l'OAT à dix ans ressortait à 3,12% et l'euro "
        "s'échangeait à 1,0842 dollar.",
    ),
    "fr-market-2": (
        "Bourse de Paris: le CAC 40 termine en hausse de 0,3%",
        "",
        "Paris (AFP) - La Bourse de Paris a terminé en hausse vendredi, le CAC 40 gagnant 0,29% "
        "à 7.634,40 points. Airbus a pris 1,7% et Sanofi 1,1%, tandis que Kering a cédé 2,4%. "
        "Sur le marché obligataire, le taux à dix ans français s'établissait à 3,09%. L'euro "
        "valait 1,0818 dollar.",
    ),
    "fr-lotto-1": (
        "Loto: les résultats du tirage du samedi 8 juin",
        "",
        "Paris (AFP) - Voici les résultats du tirage du Loto du samedi 8 juin: 7, 14, 22, 35, "
        "48 et numéro chance 3. Aucun joueur n'a trouvé la bonne combinaison. Le jackpot du "
        "prochain tirage s'élève à 4 millions d'euros. Code gagnant: L 5821 7734.",
    ),
    "fr-lotto-2": (
        "Loto: les résultats du tirage du lundi 10 juin",
        "",
        "Paris (AFP) - Voici les résultats du tirage du Loto du lundi 10 juin: 3, 19, 27, 31, "
        "44 et numéro chance 9. Aucun joueur n'a trouvé la bonne combinaison. Le jackpot du "
        "prochain tirage s'élève à 5 millions d'euros. Code gagnant: K 1207 4458.",
    ),
    "fr-traffic-1": (
        "Trafic: bouchon de 8 km avant le tunnel du Gothard",
        "",
        "Lausanne (ats) - Le trafic est saturé samedi sur l'A2 en direction du sud. Un bouchon "
        "de 8 kilomètres s'est formé devant le portail nord du tunnel du Gothard, soit une "
        "attente d'environ 1h20. Le TCS conseille d'emprunter l'itinéraire du San Bernardino.",
    ),
    "fr-traffic-2": (
        "Trafic: bouchon de 14 km avant le tunnel du Gothard",
        "",
        "Lausanne (ats) - Le trafic est saturé vendredi sur l'A2 en direction du sud. Un "
        "bouchon de 14 kilomètres s'est formé devant le portail nord du tunnel du Gothard, soit "
        "une attente d'environ 2h30. Le TCS conseille d'emprunter le ferroutage du Lötschberg.",
    ),
    "fr-sports-1": (
        "Ligue 1: le PSG s'impose à Lens, Marseille tenu en échec",
        "",
        "Paris (AFP) - Résultats de la 31e journée de Ligue 1 samedi: Lens - Paris SG 1-3, "
        "Marseille - Nantes 1-1, Lyon - Rennes 2-0, Monaco - Lille 0-0. Classement: 1. Paris SG "
        "70 pts, 2. Monaco 58, 3. Lille 55, 4. Marseille 51.",
    ),
    "fr-sports-2": (
        "Ligue 1: le PSG bat Nice, Marseille s'incline",
        "",
        "Paris (AFP) - Résultats de la 32e journée de Ligue 1 dimanche: Paris SG - Nice 2-0, "
        "Brest - Marseille 2-1, Rennes - Monaco 1-2, Lille - Lyon 3-1. Classement: 1. Paris SG "
        "73 pts, 2. Monaco 61, 3. Lille 58, 4. Marseille 51.",
    ),
    "fr-earnings-1": (
        "Danone: chiffre d'affaires en hausse au premier trimestre",
        "",
        "Paris (AFP) - Danone a réalisé au premier trimestre un chiffre d'affaires de 6,84 "
        "milliards d'euros, en hausse de 3,6% en données comparables, a annoncé le groupe "
        "mardi. Les volumes ont progressé de 1,2%. Le groupe confirme viser une croissance "
        "de 3 à 5% sur l'année.",
    ),
    "fr-earnings-2": (
        "Danone: chiffre d'affaires en hausse au deuxième trimestre",
        "",
        "Paris (AFP) - Danone a réalisé au deuxième trimestre un chiffre d'affaires de 7,02 "
        "milliards d'euros, en hausse de 4,1% en données comparables, a annoncé le groupe "
        "jeudi. Les volumes ont progressé de 2,3%. Le groupe confirme viser une croissance "
        "de 3 à 5% sur l'année.",
    ),
    # ---------------------------------------------------------------------------- Italian
    "it-quake-a": (
        "Terremoto di magnitudo 4.2 nei Campi Flegrei, paura a Pozzuoli",
        "Una scossa di magnitudo 4.2 è stata avvertita nella notte nell'area dei Campi Flegrei. "
        "Non si registrano feriti, ma molte persone sono scese in strada.",
        "Napoli (ANSA) - Il sisma è stato registrato alle 3.14 dall'Osservatorio Vesuviano "
        "dell'Ingv, con epicentro tra Pozzuoli e Bagnoli a una profondità di 2,5 chilometri. È "
        "stato seguito da 18 repliche di magnitudo inferiore.\n\n"
        "I vigili del fuoco hanno effettuato verifiche su alcuni edifici a Pozzuoli, dove sono "
        "caduti calcinacci. Le scuole resteranno chiuse lunedì per controlli, ha annunciato il "
        "sindaco Luigi Manzoni.\n\n"
        "Si tratta della scossa più forte degli ultimi quarant'anni nell'area. (ANSA).",
    ),
    "it-quake-b": (
        "Campi Flegrei, scossa di 4.2: scuole chiuse a Pozzuoli",
        "Gente in strada nella notte a Pozzuoli e nei quartieri occidentali di Napoli dopo una "
        "scossa di magnitudo 4.2, la più forte da quarant'anni.",
        "POZZUOLI (AGI) - L'evento, localizzato dall'Osservatorio Vesuviano a 2,5 km di "
        "profondità fra Pozzuoli e Bagnoli, è avvenuto alle 3.14. Nelle ore successive l'Ingv "
        "ha contato 18 repliche.\n\n"
        "Nessun ferito. Qualche calcinaccio è caduto nel centro storico di Pozzuoli e i vigili "
        "del fuoco stanno controllando gli stabili. Il sindaco Luigi Manzoni ha disposto la "
        "chiusura delle scuole per lunedì.",
    ),
    "it-quake-brief": (
        "Scossa 4.2 ai Campi Flegrei",
        "",
        "Napoli (ANSA) - Una scossa di magnitudo 4.2 ha colpito nella notte i Campi Flegrei, con "
        "epicentro tra Pozzuoli e Bagnoli a 2,5 chilometri di profondità. Non ci sono feriti; "
        "lunedì le scuole di Pozzuoli resteranno chiuse per verifiche. È la scossa più forte "
        "degli ultimi quarant'anni.",
    ),
    "it-quake2-a": (
        "Terremoto di magnitudo 3.8 in Garfagnana, nessun danno",
        "Una scossa di magnitudo 3.8 è stata avvertita nel pomeriggio in Garfagnana, in "
        "provincia di Lucca. Non si segnalano danni a persone o cose.",
        "Lucca (ANSA) - Il sisma è stato registrato dall'Ingv alle 16.47 con epicentro a 3 "
        "chilometri da Castelnuovo di Garfagnana e una profondità di 9 chilometri. È stato "
        "avvertito fino a Pisa.\n\n"
        "La protezione civile regionale ha avviato le verifiche; il sindaco Andrea Tagliasacchi "
        "ha fatto sapere che le scuole saranno regolarmente aperte domani.",
    ),
    "it-budget-a": (
        "Manovra: il Consiglio dei ministri approva il ddl di bilancio da 28 miliardi",
        "Il Consiglio dei ministri ha approvato nella notte il disegno di legge di bilancio per "
        "il 2025, una manovra da circa 28 miliardi di euro.",
        "Roma (ANSA) - Al centro del provvedimento la conferma del taglio del cuneo fiscale per "
        "i redditi fino a 35 mila euro e l'accorpamento delle prime due aliquote Irpef, ha "
        "spiegato il ministro dell'Economia Giancarlo Giorgetti in conferenza stampa.\n\n"
        "Previsti inoltre 3 miliardi per la sanità e un contributo di 3,5 miliardi chiesto a "
        "banche e assicurazioni. Il testo passa ora al Parlamento, che dovrà approvarlo entro "
        "il 31 dicembre.\n\n"
        'Le opposizioni parlano di una manovra "senza visione".',
    ),
    "it-budget-b": (
        "Via libera del Cdm alla legge di bilancio, vale 28 miliardi",
        "Una manovra da 28 miliardi con il cuneo fiscale confermato: il governo ha dato il via "
        "libera alla legge di bilancio 2025.",
        "ROMA (AGI) - Il ministro Giancarlo Giorgetti ha illustrato le misure: conferma del "
        "taglio del cuneo per chi guadagna fino a 35 mila euro, due aliquote Irpef accorpate, "
        "3 miliardi in più alla sanità.\n\n"
        "Banche e assicurazioni contribuiranno con 3,5 miliardi. Il disegno di legge va ora "
        "alle Camere per l'approvazione definitiva entro il 31 dicembre. Critiche dalle "
        "opposizioni.",
    ),
    "it-weather-1": (
        "Meteo: sole al Nord, temporali sugli Appennini",
        "",
        "Roma (ANSA) - Previsioni per mercoledì 12 giugno: bel tempo al Nord e sulle regioni "
        "tirreniche, nel pomeriggio temporali sparsi sugli Appennini centrali. Temperature "
        "massime fino a 31 gradi a Firenze e 30 a Roma. Venti deboli di maestrale, mari poco "
        "mossi.",
    ),
    "it-weather-2": (
        "Meteo: sole al Nord, temporali sugli Appennini",
        "",
        "Roma (ANSA) - Previsioni per venerdì 14 giugno: bel tempo al Nord e sulle regioni "
        "adriatiche, nel pomeriggio temporali sparsi sugli Appennini meridionali. Temperature "
        "massime fino a 33 gradi a Bologna e 29 a Roma. Venti moderati di scirocco, mari mossi.",
    ),
    "it-market-1": (
        "Borsa: Milano chiude in rialzo, Ftse Mib +0,9%",
        "",
        "Milano (ANSA) - Piazza Affari chiude in rialzo martedì con il Ftse Mib che guadagna lo "
        "0,92% a 34.215 punti. Bene Stellantis (+2,3%) e Unicredit (+1,6%), in calo Enel "
        "(-0,8%). Lo spread tra Btp e Bund si attesta a 132 punti base. L'euro vale 1,0851 "
        "dollari.",
    ),
    "it-market-1b": (
        "Piazza Affari +0,92%, corrono Stellantis e Unicredit",
        "",
        "MILANO (Radiocor) - Seduta positiva per Piazza Affari, che martedì archivia la "
        "giornata con un progresso dello 0,92% del Ftse Mib a 34.215 punti. In evidenza "
        "Stellantis (+2,3%) e Unicredit (+1,6%), vendite su Enel (-0,8%). Spread Btp-Bund a "
        "132 punti, euro a 1,0851 dollari.",
    ),
    "it-market-2": (
        "Borsa: Milano chiude in rialzo, Ftse Mib +0,4%",
        "",
        "Milano (ANSA) - Piazza Affari chiude in rialzo mercoledì con il Ftse Mib che guadagna "
        "lo 0,41% a 34.356 punti. Bene Eni (+1,9%) e Intesa Sanpaolo (+1,2%), in calo Ferrari "
        "(-1,4%). Lo spread tra Btp e Bund si attesta a 129 punti base. L'euro vale 1,0823 "
        "dollari.",
    ),
    "it-lotto-1": (
        "Lotto e Superenalotto: le estrazioni di giovedì 6 giugno",
        "",
        "Roma (ANSA) - Combinazione vincente del Superenalotto di giovedì 6 giugno: 9, 21, 34, "
        "47, 62, 85. Numero Jolly: 13. Superstar: 71. Nessun 6 né 5+1; il jackpot sale a 41,7 "
        "milioni di euro per il prossimo concorso.",
    ),
    "it-lotto-2": (
        "Lotto e Superenalotto: le estrazioni di sabato 8 giugno",
        "",
        "Roma (ANSA) - Combinazione vincente del Superenalotto di sabato 8 giugno: 3, 16, 28, "
        "39, 58, 77. Numero Jolly: 44. Superstar: 5. Nessun 6 né 5+1; il jackpot sale a 42,3 "
        "milioni di euro per il prossimo concorso.",
    ),
    "it-traffic-1": (
        "Traffico: code sull'A1 tra Firenze e Bologna per un incidente",
        "",
        "Firenze (ANSA) - Code di 9 chilometri sull'autostrada A1 in direzione nord tra Barberino "
        "di Mugello e Roncobilaccio a causa di un incidente che ha coinvolto due mezzi pesanti. "
        "Autostrade per l'Italia consiglia di usare la Variante di valico.",
    ),
    "it-traffic-2": (
        "Traffico: code sull'A1 tra Firenze e Bologna per un incidente",
        "",
        "Firenze (ANSA) - Code di 5 chilometri sull'autostrada A1 in direzione sud tra "
        "Sasso Marconi e Rioveggio a causa di un incidente che ha coinvolto un'auto e un "
        "furgone. Autostrade per l'Italia consiglia di uscire a Sasso Marconi.",
    ),
    "it-sports-1": (
        "Serie A: l'Inter batte la Roma, pari della Juventus",
        "",
        "Roma (ANSA) - Risultati della 30/a giornata di Serie A: Inter-Roma 2-1, Juventus-Torino "
        "0-0, Napoli-Lazio 3-1, Atalanta-Milan 1-1. Classifica: Inter 76, Milan 65, Juventus 62, "
        "Atalanta 56, Napoli 53.",
    ),
    "it-sports-2": (
        "Serie A: l'Inter vince a Verona, la Juventus cade a Bologna",
        "",
        "Roma (ANSA) - Risultati della 31/a giornata di Serie A: Verona-Inter 0-2, "
        "Bologna-Juventus 2-1, Lazio-Atalanta 1-3, Milan-Fiorentina 2-0. Classifica: Inter 79, "
        "Milan 68, Juventus 62, Atalanta 59, Napoli 54.",
    ),
    "it-earnings-1": (
        "Enel: utile netto ordinario in crescita nel primo trimestre",
        "",
        "Roma (ANSA) - Enel ha chiuso il primo trimestre con un utile netto ordinario di 1,91 "
        "miliardi di euro, in crescita del 7,3% rispetto allo stesso periodo dell'anno scorso. "
        "I ricavi si attestano a 19,4 miliardi. Confermati gli obiettivi per l'intero anno.",
    ),
    "it-earnings-2": (
        "Enel: utile netto ordinario in crescita nel secondo trimestre",
        "",
        "Roma (ANSA) - Enel ha chiuso il secondo trimestre con un utile netto ordinario di 1,64 "
        "miliardi di euro, in crescita del 5,1% rispetto allo stesso periodo dell'anno scorso. "
        "I ricavi si attestano a 17,8 miliardi. Confermati gli obiettivi per l'intero anno.",
    ),
    # ---------------------------------------------------------------------------- English
    "en-crash-a": (
        "Six killed as tour bus overturns on Austrian motorway",
        "Six people were killed and 23 injured when a tour bus carrying German pensioners "
        "overturned on the A10 motorway near Salzburg on Thursday, police said.",
        "VIENNA (Reuters) - The bus, travelling from Munich to Lake Garda, left the road shortly "
        "after 10 a.m. near the Golling exit and rolled down an embankment, a police spokesman "
        "for the state of Salzburg told reporters.\n\n"
        "Seven of the injured were in a critical condition and were flown by helicopter to "
        "hospitals in Salzburg and Schwarzach. The 58-year-old driver was among the dead.\n\n"
        "The motorway was closed southbound for several hours. Prosecutors have opened an "
        "investigation into the cause. (Reporting by Francois Murphy; Editing by Alex Richardson)",
    ),
    "en-crash-b": (
        "Austria bus crash leaves 6 dead, 23 hurt",
        "A coach full of German tourists crashed near Salzburg on Thursday, killing six people, "
        "including the driver, Austrian police said.",
        "SALZBURG, Austria (AP) — The coach was on its way from Munich to Italy's Lake Garda "
        "when it veered off the A10 near Golling and tumbled down a slope, police said. "
        "Twenty-three people were hurt, seven of them critically; helicopters took them to "
        "hospitals in Salzburg and Schwarzach.\n\n"
        "The driver, 58, was killed. Prosecutors are investigating what caused the crash. The "
        "southbound lanes of the motorway were shut for hours.\n\n"
        "Associated Press writer Philipp Jenne in Vienna contributed to this report.",
    ),
    "en-crash-brief": (
        "Bus crash in Austria kills six",
        "",
        "VIENNA (Reuters) - Six people were killed and 23 injured on Thursday when a tour bus "
        "carrying German pensioners from Munich to Lake Garda overturned on the A10 motorway "
        "near Salzburg, police said. The 58-year-old driver was among the dead, and seven of the "
        "injured were in a critical condition.",
    ),
    "en-crash2-a": (
        "Four dead after minibus collides with truck in northern Greece",
        "Four people were killed and nine injured when a minibus carrying farm workers "
        "collided with a truck near Thessaloniki on Monday, Greek police said.",
        "ATHENS (Reuters) - The crash happened at about 6 a.m. on a rural road near the village "
        "of Chalastra, west of Thessaloniki, a police official said. The truck driver, 44, was "
        "arrested.\n\n"
        "Three of the injured were in a serious condition at a hospital in Thessaloniki. "
        "(Reporting by Angeliki Koutantou; Editing by Ed Osmond)",
    ),
    "en-rates-a": (
        "Bank of England holds rates at 5.25%, signals cut could come in summer",
        "The Bank of England kept interest rates at 5.25% on Thursday, but two policymakers "
        "voted for a cut and Governor Andrew Bailey said markets were right to expect lower "
        "borrowing costs this year.",
        "LONDON (Reuters) - The Monetary Policy Committee voted 7-2 to hold Bank Rate at a "
        "16-year high, with Deputy Governor Dave Ramsden joining Swati Dhingra in voting for a "
        "reduction to 5.0%.\n\n"
        "The BoE forecast inflation would fall to around 2% in the second quarter before rising "
        "again to about 2.5% later in the year. Sterling fell 0.4% against the dollar after the "
        "decision.\n\n"
        '"We need to see more evidence that inflation will stay low," Bailey told reporters.',
    ),
    "en-rates-b": (
        "BoE keeps rates on hold as two officials back a cut",
        "Britain's central bank left borrowing costs unchanged at 5.25% but its vote split 7-2, "
        "with Dave Ramsden switching to back a quarter-point cut.",
        "LONDON (AP) — Ramsden, a deputy governor, joined Swati Dhingra in voting to lower the "
        "key rate to 5%, the Bank of England said Thursday. Governor Andrew Bailey said "
        "investors were right to bet on cuts this year but the bank needed more evidence that "
        "inflation would stay low.\n\n"
        "The bank expects inflation to drop to about 2% in the second quarter and to rise to "
        "around 2.5% later. The pound slid 0.4% against the dollar.",
    ),
    "en-weather-1": (
        "UK weather: sunny spells, showers in the north-west",
        "",
        "LONDON (PA) - Forecast for Wednesday 12 June: sunny spells across southern England "
        "with highs of 22C in London, while showers spread into north-west England and "
        "Scotland later, with highs of 16C in Glasgow. Winds light westerly. Pollen count high "
        "in the south-east.",
    ),
    "en-weather-2": (
        "UK weather: sunny spells, showers in the north-west",
        "",
        "LONDON (PA) - Forecast for Saturday 15 June: sunny spells across eastern England with "
        "highs of 19C in London, while showers spread into Wales and north-west England later, "
        "with highs of 14C in Glasgow. Winds moderate south-westerly. Pollen count moderate in "
        "the south-east.",
    ),
    "en-market-1": (
        "FTSE 100 closes up 0.5% as miners rally",
        "",
        "LONDON (Reuters) - Britain's FTSE 100 index closed 0.52% higher at 8,231.05 points on "
        "Tuesday, lifted by mining stocks as copper prices rose. Rio Tinto gained 2.4% and "
        "Glencore 2.1%, while BT Group fell 1.8%. The mid-cap FTSE 250 added 0.3%. Sterling was "
        "at $1.2712.",
    ),
    "en-market-1b": (
        "London stocks: miners lift FTSE 100 to 0.5% gain",
        "",
        "LONDON (Alliance News) - Stocks in London ended higher on Tuesday, with the FTSE 100 "
        "up 42.6 points, or 0.52%, at 8,231.05, as Rio Tinto (+2.4%) and Glencore (+2.1%) "
        "tracked copper higher. BT was the worst performer, down 1.8%. The FTSE 250 rose 0.3% "
        "and the pound was quoted at $1.2712.",
    ),
    "en-market-2": (
        "FTSE 100 closes up 0.2% as banks rally",
        "",
        "LONDON (Reuters) - Britain's FTSE 100 index closed 0.21% higher at 8,248.40 points on "
        "Wednesday, lifted by banking stocks as bond yields rose. Barclays gained 1.9% and "
        "Lloyds 1.5%, while Diageo fell 2.2%. The mid-cap FTSE 250 added 0.1%. Sterling was at "
        "$1.2689.",
    ),
    "en-lotto-1": (
        "Lotto results: winning numbers for Saturday June 8",
        "",
        "LONDON (PA) - The winning numbers in Saturday's Lotto draw were 5, 12, 26, 33, 41, 57 "
        "and the bonus ball was 19. No ticket matched all six main numbers, so the jackpot "
        "rolls over to an estimated £4.2 million for Wednesday's draw.",
    ),
    "en-lotto-2": (
        "Lotto results: winning numbers for Wednesday June 12",
        "",
        "LONDON (PA) - The winning numbers in Wednesday's Lotto draw were 2, 9, 18, 30, 44, 52 "
        "and the bonus ball was 7. No ticket matched all six main numbers, so the jackpot rolls "
        "over to an estimated £5.4 million for Saturday's draw.",
    ),
    "en-traffic-1": (
        "Traffic: M25 closed clockwise after lorry crash",
        "",
        "LONDON (PA) - The M25 is closed clockwise between junctions 10 and 11 near Cobham after "
        "a lorry overturned on Friday morning, National Highways said. Traffic is queuing for "
        "6 miles and drivers are advised to allow an extra 90 minutes.",
    ),
    "en-traffic-2": (
        "Traffic: M25 closed anticlockwise after lorry crash",
        "",
        "LONDON (PA) - The M25 is closed anticlockwise between junctions 28 and 27 near "
        "Brentwood after a lorry overturned on Monday morning, National Highways said. Traffic "
        "is queuing for 4 miles and drivers are advised to allow an extra 45 minutes.",
    ),
    "en-sports-1": (
        "Premier League results: Arsenal beat Chelsea, City held",
        "",
        "LONDON (Reuters) - Premier League results on Saturday: Arsenal 2 Chelsea 0, "
        "Manchester City 1 Aston Villa 1, Liverpool 3 Brentford 1, Newcastle United 0 Fulham 0. "
        "Standings: Arsenal 74 points, Liverpool 72, Manchester City 70, Aston Villa 63.",
    ),
    "en-sports-2": (
        "Premier League results: Arsenal beat Spurs, City win",
        "",
        "LONDON (Reuters) - Premier League results on Sunday: Tottenham Hotspur 1 Arsenal 3, "
        "Wolverhampton 0 Manchester City 2, Everton 2 Liverpool 2, Aston Villa 1 West Ham 0. "
        "Standings: Arsenal 77 points, Manchester City 73, Liverpool 73, Aston Villa 66.",
    ),
    "en-earnings-1": (
        "DiamondRock Hospitality posts 4Q FFO of $50.7 million",
        "",
        "BETHESDA, Md. (AP) - DiamondRock Hospitality Co. (DRH) on Thursday reported fourth-"
        "quarter funds from operations of $50.7 million, or 24 cents per share. The real estate "
        "investment trust, based in Bethesda, Maryland, said it had revenue of $263.2 million "
        "in the period. This story was generated by Automated Insights using data from Zacks "
        "Investment Research.",
    ),
    "en-earnings-2": (
        "DiamondRock Hospitality posts 3Q FFO of $31.2 million",
        "",
        "BETHESDA, Md. (AP) - DiamondRock Hospitality Co. (DRH) on Monday reported third-"
        "quarter funds from operations of $31.2 million, or 15 cents per share. The real estate "
        "investment trust, based in Bethesda, Maryland, said it had revenue of $285.2 million "
        "in the period. This story was generated by Automated Insights using data from Zacks "
        "Investment Research.",
    ),
}

# The story each language's news groups tell, by language: (first story, second story,
# the first story's same-topic twin).
STORIES = {
    "de": ("fire", "trial", "fire2"),
    "fr": ("flood", "strike", "flood2"),
    "it": ("quake", "budget", "quake2"),
    "en": ("crash", "rates", "crash2"),
}
TEMPLATES = ("weather", "market", "lotto", "traffic", "sports", "earnings")
# Fixed before the first score: these groups are the held-out part (a third of the pairs).
HELDOUT = {"second-story", "market", "sports", "lotto"}


def pairs() -> list[dict[str, Any]]:
    """The labelled pairs, in the shape of ``pairs.jsonl`` (``kind``, ``label``, ``split``)."""
    out: list[dict[str, Any]] = []

    def add(lang: str, kind: str, label: int, group: str, a: str, b: str) -> None:
        split = "heldout" if group in HELDOUT else "tune"
        out.append(
            {
                "id": f"h{len(out):03d}",
                "lang": lang,
                "kind": kind,
                "label": label,
                "split": split,
                "group": f"{lang}-{group}",
                "a": _text(a),
                "b": _text(b),
            }
        )

    for lang, (first, second, twin) in STORIES.items():
        add(lang, "rewrite", 1, "first-story", f"{lang}-{first}-a", f"{lang}-{first}-b")
        add(lang, "brief", 1, "first-story", f"{lang}-{first}-a", f"{lang}-{first}-brief")
        add(lang, "brief", 1, "first-story", f"{lang}-{first}-brief", f"{lang}-{first}-b")
        add(lang, "rewrite", 1, "second-story", f"{lang}-{second}-a", f"{lang}-{second}-b")
        add(lang, "same-topic", 0, "first-story", f"{lang}-{first}-a", f"{lang}-{twin}-a")
        add(lang, "same-topic", 0, "first-story", f"{lang}-{twin}-a", f"{lang}-{first}-b")
        add(lang, "same-topic", 0, "first-story", f"{lang}-{first}-brief", f"{lang}-{twin}-a")
        add(lang, "template-rewrite", 1, "market", f"{lang}-market-1", f"{lang}-market-1b")
        add(lang, "market", 0, "market", f"{lang}-market-1b", f"{lang}-market-2")
        for kind in TEMPLATES:
            add(lang, kind, 0, kind, f"{lang}-{kind}-1", f"{lang}-{kind}-2")
    return out


def _text(key: str) -> dict[str, str]:
    headline, lead, body = TEXTS[key]
    return {"headline": headline, "lead": lead, "body": body, "agency": key.split("-")[-1]}
