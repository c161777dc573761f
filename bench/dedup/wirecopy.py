# ruff: noqa: E501
"""Generators of realistic wire copy for the dedup evaluation set, in German, French, Italian, English.

A story is a set of facts (people, places, companies, figures, a weekday) written by an agency's
desk: every sentence has several wordings, and each desk picks its own, orders paragraphs its
own way, adds its dateline, trailer and background. Two desks writing one set of facts give a
rewrite (same story); one desk writing two sets of facts of one kind gives a same-topic or
templated pair (different stories) whose boilerplate matches and whose facts do not.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

LANGS = ("de", "fr", "it", "en")

# --- names ------------------------------------------------------------------------------------

PLACES = {
    "de": [
        "Winterthur",
        "Bülach",
        "Olten",
        "Chur",
        "Thun",
        "Aarau",
        "Wil",
        "Baden",
        "Zug",
        "Biel",
        "Frauenfeld",
        "Sursee",
        "Herisau",
        "Langenthal",
        "Rapperswil",
        "Kreuzlingen",
        "Leipzig",
        "Kassel",
        "Ulm",
        "Rosenheim",
        "Passau",
        "Fulda",
        "Graz",
        "Linz",
    ],
    "fr": [
        "Yverdon",
        "Nyon",
        "Sion",
        "Bulle",
        "Morges",
        "Delémont",
        "Vevey",
        "Martigny",
        "Montreux",
        "Neuchâtel",
        "Lyon",
        "Grenoble",
        "Annecy",
        "Besançon",
        "Mulhouse",
        "Rennes",
        "Nantes",
        "Toulouse",
        "Bordeaux",
        "Dijon",
        "Reims",
        "Amiens",
    ],
    "it": [
        "Bellinzona",
        "Mendrisio",
        "Locarno",
        "Chiasso",
        "Biasca",
        "Bergamo",
        "Brescia",
        "Verona",
        "Padova",
        "Modena",
        "Parma",
        "Ancona",
        "Perugia",
        "Bari",
        "Lecce",
        "Trento",
        "Udine",
        "Como",
        "Varese",
        "Novara",
        "Pisa",
        "Salerno",
    ],
    "en": [
        "Leeds",
        "Bristol",
        "Cardiff",
        "Norwich",
        "Dayton",
        "Tulsa",
        "Omaha",
        "Boise",
        "Fresno",
        "Spokane",
        "Reno",
        "Toledo",
        "Akron",
        "Derby",
        "Reading",
        "Swindon",
        "Aberdeen",
        "Dundee",
        "Galway",
        "Cork",
        "Hamilton",
        "Geelong",
    ],
}
FIRST = {
    "de": [
        "Thomas",
        "Andrea",
        "Markus",
        "Sandra",
        "Peter",
        "Claudia",
        "Stefan",
        "Monika",
        "Urs",
        "Daniela",
        "Reto",
        "Karin",
    ],
    "fr": [
        "Pierre",
        "Sophie",
        "Jean-Marc",
        "Nathalie",
        "Olivier",
        "Isabelle",
        "Laurent",
        "Céline",
        "Yves",
        "Valérie",
        "Didier",
        "Anne",
    ],
    "it": [
        "Marco",
        "Giulia",
        "Luca",
        "Francesca",
        "Paolo",
        "Chiara",
        "Matteo",
        "Elena",
        "Davide",
        "Silvia",
        "Andrea",
        "Roberta",
    ],
    "en": [
        "James",
        "Sarah",
        "Michael",
        "Emma",
        "David",
        "Laura",
        "Robert",
        "Karen",
        "Daniel",
        "Rachel",
        "Steven",
        "Helen",
    ],
}
LAST = {
    "de": [
        "Keller",
        "Brunner",
        "Gerber",
        "Baumann",
        "Frei",
        "Huber",
        "Steiner",
        "Moser",
        "Zimmermann",
        "Schmid",
        "Widmer",
        "Graf",
        "Lehmann",
        "Vogt",
    ],
    "fr": [
        "Favre",
        "Rochat",
        "Perrin",
        "Morel",
        "Girard",
        "Bonvin",
        "Chevalley",
        "Dubois",
        "Mercier",
        "Blanc",
        "Fournier",
        "Roux",
        "Gauthier",
        "Lambert",
    ],
    "it": [
        "Bernasconi",
        "Ferrari",
        "Colombo",
        "Ricci",
        "Galli",
        "Conti",
        "Rinaldi",
        "Moretti",
        "Fontana",
        "Caruso",
        "Greco",
        "Lombardi",
        "Mancini",
        "Barbieri",
    ],
    "en": [
        "Walker",
        "Hughes",
        "Patel",
        "Bennett",
        "Carter",
        "Foster",
        "Harris",
        "Mitchell",
        "Reed",
        "Sullivan",
        "Turner",
        "Wright",
        "Coleman",
        "Hayes",
    ],
}
COMPANIES = {
    "de": [
        "Sulzer",
        "Georg Fischer",
        "Bucher Industries",
        "Schindler",
        "Helvetia",
        "Emmi",
        "Siegfried",
        "Comet",
        "Bossard",
        "Kardex",
        "Dätwyler",
        "Inficon",
        "Krones",
        "Jenoptik",
        "Rheinmetall",
        "Dürr",
    ],
    "fr": [
        "Romande Energie",
        "Vaudoise",
        "Bobst",
        "Kudelski",
        "Temenos",
        "Swissquote",
        "Valneva",
        "Eramet",
        "Nexans",
        "Rexel",
        "Imerys",
        "Ipsen",
        "Alstom",
        "Vallourec",
        "Sopra Steria",
        "Elis",
    ],
    "it": [
        "Banca Stato",
        "Leonardo",
        "Prysmian",
        "Saipem",
        "Buzzi",
        "Amplifon",
        "Brembo",
        "Recordati",
        "Interpump",
        "Technogym",
        "Reply",
        "De'Longhi",
        "Piaggio",
        "Iveco",
        "Ferragamo",
        "Moncler",
    ],
    "en": [
        "DiamondRock Hospitality",
        "Kohl's",
        "Hasbro",
        "Xerox",
        "Whirlpool",
        "Harley-Davidson",
        "Mattel",
        "Lumen Technologies",
        "Wayfair",
        "Etsy",
        "Zillow",
        "Peloton",
        "Carvana",
        "Snap",
        "Lyft",
        "Roku",
    ],
}
TEAMS = {
    "de": [
        "FC Basel",
        "FC Zürich",
        "Young Boys",
        "FC Luzern",
        "FC St. Gallen",
        "FC Winterthur",
        "Grasshoppers",
        "FC Sion",
        "Servette",
        "FC Lugano",
        "Yverdon Sport",
        "Lausanne-Sport",
    ],
    "fr": [
        "PSG",
        "Marseille",
        "Lyon",
        "Monaco",
        "Lille",
        "Nice",
        "Lens",
        "Rennes",
        "Nantes",
        "Strasbourg",
        "Toulouse",
        "Reims",
    ],
    "it": [
        "Juventus",
        "Inter",
        "Milan",
        "Napoli",
        "Roma",
        "Lazio",
        "Atalanta",
        "Fiorentina",
        "Bologna",
        "Torino",
        "Genoa",
        "Udinese",
    ],
    "en": [
        "Arsenal",
        "Chelsea",
        "Liverpool",
        "Everton",
        "Fulham",
        "Brentford",
        "Wolves",
        "Brighton",
        "Aston Villa",
        "Newcastle",
        "Tottenham",
        "Crystal Palace",
    ],
}
WEEKDAYS = {
    "de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "it": ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
MONTHS = {
    "de": [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "it": [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}
AGENCIES = {
    "de": ["sda", "dpa", "apa"],
    "fr": ["ats", "afp", "belga"],
    "it": ["ansa", "ats", "apcom"],
    "en": ["reuters", "ap", "afp"],
}
CITY_OF_AGENCY = {
    "sda": "Bern",
    "dpa": "Berlin",
    "apa": "Wien",
    "ats": "Lausanne",
    "afp": "Paris",
    "belga": "Bruxelles",
    "ansa": "Roma",
    "apcom": "Milano",
    "reuters": "London",
    "ap": "New York",
}


def num(lang: str, x: float, digits: int = 1) -> str:
    """A figure as the language writes it: 1,5 / 1.5, thousands apart."""
    text = f"{x:,.{digits}f}"
    if lang == "en":
        return text
    sep = "'" if lang == "de" else " " if lang == "fr" else "."
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", sep)


def person(rng: random.Random, lang: str) -> str:
    return f"{rng.choice(FIRST[lang])} {rng.choice(LAST[lang])}"


# --- the desk: how one agency writes ----------------------------------------------------------


@dataclass
class Desk:
    """One agency's writing habits for one item: dateline, trailer, wording choices."""

    lang: str
    agency: str
    rng: random.Random
    day: int = 0

    def dateline(self, place: str) -> str:
        a, lang, r = self.agency, self.lang, self.rng
        month = MONTHS[lang][(self.day // 28) % 12]
        d = self.day % 28 + 1
        if a == "reuters":
            return f"{place.upper()}, {month} {d} (Reuters) - "
        if a == "ap":
            return f"{place.upper()} (AP) — "
        if a == "afp":
            return f"{place}, {d} {month} {2026} (AFP) - " if lang == "fr" else f"{place} (AFP) - "
        if a == "ansa":
            return (
                f"{place.upper()}, {d} {month[:3].upper()} - "
                if r.random() < 0.5
                else f"({a.upper()}) - {place.upper()}, {d} {month[:3].upper()} - "
            )
        return f"{place} ({a}) - " if r.random() < 0.7 else f"{place} ({a.upper()}) – "

    def trailer(self) -> str:
        a, r = self.agency, self.rng

        def initials() -> str:
            return "".join(r.choice("abcdefghiklmnoprstuvwz") for _ in range(r.choice((2, 3))))

        if a == "reuters":
            return f"(Reporting by {person(r, 'en')}; Additional reporting by {person(r, 'en')}; Editing by {person(r, 'en')})"
        if a == "ap":
            return f"Associated Press writer {person(r, 'en')} contributed to this report."
        if a == "afp":
            return r.choice(["© AFP", f"{initials()}/{initials()}", "(AFP)"])
        if a == "dpa":
            return f"dpa {initials()} {initials()}"
        if a == "ansa":
            return r.choice(["(ANSA).", "Riproduzione riservata © Copyright ANSA"])
        return r.choice(
            [f"({a})", f"{initials()}/{a}", f"({a}/{r.choice(['dpa', 'afp', 'reuters'])})"]
        )

    def pick(self, options: list[str], facts: dict[str, Any]) -> str:
        return self.rng.choice(options).format(**facts)


@dataclass
class Item:
    headline: str
    lead: str
    body: list[str]
    agency: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, str]:
        return {
            "headline": self.headline,
            "lead": self.lead,
            "body": "\n\n".join(p for p in self.body if p),
            "agency": self.agency,
        }


# --- news stories: facts, then each desk's wording ---------------------------------------------
# Every slot lists wordings; a desk picks one per slot. Slots after the lead are paragraphs.

ACCIDENT = {
    "de": {
        "headline": [
            "{dead} Tote bei Busunglück nahe {place}",
            "Reisebus verunglückt bei {place}: {dead} Tote",
            "Schweres Busunglück bei {place} fordert {dead} Menschenleben",
        ],
        "lead": [
            "Bei einem Busunglück nahe {place} sind am {wd} mindestens {dead} Menschen ums Leben gekommen, {injured} weitere wurden verletzt.",
            "Ein Reisebus ist am {wd}abend bei {place} von der Strasse abgekommen; mindestens {dead} Insassen starben, {injured} wurden verletzt.",
        ],
        "p": [
            [
                "Der Bus mit {passengers} Fahrgästen war auf der {road} unterwegs, als er kurz nach {hour} Uhr ins Schleudern geriet und eine Böschung hinunterstürzte, wie die Polizei mitteilte.",
                "Nach Angaben der Polizei kam das Fahrzeug mit {passengers} Menschen an Bord gegen {hour} Uhr auf der {road} ins Schleudern und stürzte eine Böschung hinab.",
            ],
            [
                "Unter den Toten sei auch der {age} Jahre alte Fahrer, sagte Polizeisprecher {spokes}. Mehrere Verletzte schwebten in Lebensgefahr.",
                "Auch der {age}-jährige Chauffeur kam ums Leben, wie Polizeisprecher {spokes} sagte. Einige der Verletzten seien in kritischem Zustand.",
            ],
            [
                "Rettungskräfte waren mit einem Grossaufgebot im Einsatz, die {road} blieb stundenlang gesperrt. Die Verletzten wurden in Spitäler in {place} und {place2} gebracht.",
                "Die {road} war für die Bergungsarbeiten bis in die Nacht gesperrt. Ambulanzen brachten die Verletzten in Spitäler in {place} und {place2}.",
            ],
            [
                "Die Unfallursache ist noch unklar. Die Staatsanwaltschaft hat eine Untersuchung eingeleitet; geprüft werde auch, ob {cause}.",
                "Warum der Bus verunglückte, ist Gegenstand einer Untersuchung der Staatsanwaltschaft. Die Ermittler gehen unter anderem der Frage nach, ob {cause}.",
            ],
            [
                "Der Bus war nach Angaben des Unternehmens auf einer Fahrt von {place2} nach {place3} unterwegs. Die meisten Fahrgäste seien Rentnerinnen und Rentner gewesen.",
                "Das Busunternehmen bestätigte, das Fahrzeug sei auf dem Weg von {place2} nach {place3} gewesen. An Bord waren vor allem ältere Reisende.",
            ],
        ],
        "cause": [
            "die nasse Fahrbahn eine Rolle spielte",
            "ein technischer Defekt vorlag",
            "der Fahrer zu schnell unterwegs war",
        ],
    },
    "fr": {
        "headline": [
            "Accident de car près de {place}: {dead} morts",
            "{dead} morts dans un accident d'autocar près de {place}",
            "Un autocar sort de la route près de {place}, {dead} morts",
        ],
        "lead": [
            "Au moins {dead} personnes ont été tuées et {injured} blessées {wd} dans un accident d'autocar près de {place}.",
            "Un autocar a quitté la route {wd} soir près de {place}, faisant au moins {dead} morts et {injured} blessés.",
        ],
        "p": [
            [
                "Le véhicule, qui transportait {passengers} passagers, a dérapé vers {hour} heures sur la {road} avant de dévaler un talus, a indiqué la police.",
                "Selon la police, l'autocar et ses {passengers} occupants circulaient sur la {road} lorsqu'il a dérapé peu après {hour} heures et a basculé dans un talus.",
            ],
            [
                "Le chauffeur, âgé de {age} ans, figure parmi les victimes, a précisé le porte-parole de la police {spokes}. Plusieurs blessés sont dans un état critique.",
                "Parmi les morts figure le conducteur de {age} ans, selon {spokes}, porte-parole de la police. Le pronostic vital de plusieurs blessés est engagé.",
            ],
            [
                "Les secours ont déployé d'importants moyens et la {road} est restée fermée pendant des heures. Les blessés ont été transportés dans les hôpitaux de {place} et de {place2}.",
                "La {road} a été fermée jusque tard dans la nuit. Les ambulances ont acheminé les blessés vers les hôpitaux de {place} et {place2}.",
            ],
            [
                "Les causes de l'accident restent inconnues. Le parquet a ouvert une enquête et cherche notamment à savoir si {cause}.",
                "Une enquête a été ouverte par le ministère public pour déterminer les circonstances du drame; les enquêteurs vérifient si {cause}.",
            ],
            [
                "Le car effectuait un trajet entre {place2} et {place3}, a confirmé la compagnie. La plupart des passagers étaient des retraités.",
                "Selon l'entreprise de transport, l'autocar reliait {place2} à {place3}. A bord se trouvaient surtout des personnes âgées.",
            ],
        ],
        "cause": [
            "la chaussée mouillée a joué un rôle",
            "un défaut technique est en cause",
            "le chauffeur roulait trop vite",
        ],
    },
    "it": {
        "headline": [
            "Incidente di un pullman vicino a {place}, {dead} morti",
            "{dead} morti nello schianto di un autobus presso {place}",
            "Pullman esce di strada a {place}: {dead} vittime",
        ],
        "lead": [
            "Almeno {dead} persone sono morte e {injured} sono rimaste ferite {wd} in un incidente di un pullman vicino a {place}.",
            "Un pullman è uscito di strada {wd} sera nei pressi di {place}: il bilancio è di almeno {dead} morti e {injured} feriti.",
        ],
        "p": [
            [
                "Il mezzo, con a bordo {passengers} passeggeri, ha sbandato verso le {hour} sulla {road} ed è precipitato in una scarpata, ha reso noto la polizia.",
                "Secondo la polizia il pullman, che trasportava {passengers} persone, ha perso aderenza poco dopo le {hour} sulla {road} finendo in una scarpata.",
            ],
            [
                "Tra le vittime c'è anche l'autista di {age} anni, ha precisato il portavoce della polizia {spokes}. Alcuni feriti sono in gravi condizioni.",
                "Anche il conducente, {age} anni, ha perso la vita, secondo il portavoce {spokes}. Diversi feriti versano in condizioni critiche.",
            ],
            [
                "I soccorritori sono intervenuti con numerosi mezzi e la {road} è rimasta chiusa per ore. I feriti sono stati trasportati negli ospedali di {place} e {place2}.",
                "La {road} è stata chiusa fino a notte per le operazioni di recupero. Le ambulanze hanno portato i feriti negli ospedali di {place} e {place2}.",
            ],
            [
                "Le cause dell'incidente non sono ancora chiare. La procura ha aperto un'inchiesta per verificare tra l'altro se {cause}.",
                "Sulla dinamica indaga la procura, che ha aperto un fascicolo; gli inquirenti vogliono capire se {cause}.",
            ],
            [
                "Il pullman viaggiava da {place2} a {place3}, ha confermato la ditta di trasporti. La maggior parte dei passeggeri erano pensionati.",
                "Secondo l'azienda, il mezzo era partito da {place2} ed era diretto a {place3}. A bordo c'erano soprattutto anziani.",
            ],
        ],
        "cause": [
            "il fondo stradale bagnato abbia avuto un ruolo",
            "si sia trattato di un guasto tecnico",
            "l'autista viaggiasse a velocità eccessiva",
        ],
    },
    "en": {
        "headline": [
            "{dead} killed as bus crashes near {place}",
            "Bus crash near {place} kills {dead}",
            "At least {dead} dead after coach plunges off road near {place}",
        ],
        "lead": [
            "At least {dead} people were killed and {injured} injured on {wd} when a bus crashed near {place}, police said.",
            "A coach carrying {passengers} passengers veered off a road near {place} on {wd} evening, killing at least {dead} people and injuring {injured}.",
        ],
        "p": [
            [
                "The bus skidded on the {road} shortly after {hour} p.m. and rolled down an embankment, according to police.",
                "Police said the vehicle lost control on the {road} just after {hour} p.m. and tumbled down an embankment.",
            ],
            [
                "The {age}-year-old driver was among the dead, police spokesperson {spokes} told reporters. Several of the injured were in critical condition.",
                "Among those killed was the driver, aged {age}, {spokes}, a police spokesperson, said, adding that several people were fighting for their lives.",
            ],
            [
                "Emergency crews worked through the night and the {road} was closed for hours. The injured were taken to hospitals in {place} and {place2}.",
                "The {road} remained closed into the night as rescuers worked at the scene. Ambulances took the injured to hospitals in {place} and {place2}.",
            ],
            [
                "The cause of the crash was not immediately clear. Prosecutors opened an investigation and are looking into whether {cause}.",
                "Investigators have not yet determined what caused the crash; prosecutors said they were examining whether {cause}.",
            ],
            [
                "The bus was travelling from {place2} to {place3}, the operator confirmed. Most of the passengers were pensioners.",
                "The operator said the coach had been on its way from {place2} to {place3}, with mostly elderly travellers on board.",
            ],
        ],
        "cause": [
            "the wet road surface played a role",
            "a technical fault was to blame",
            "the driver had been speeding",
        ],
    },
}


def accident_facts(rng: random.Random, lang: str, day: int) -> dict[str, Any]:
    places = rng.sample(PLACES[lang], 3)
    dead = rng.randint(3, 14)
    roads = {
        "de": "Autobahn A{n}",
        "fr": "route cantonale {n}",
        "it": "statale {n}",
        "en": "A{n} highway",
    }
    return {
        "place": places[0],
        "place2": places[1],
        "place3": places[2],
        "dead": dead,
        "injured": rng.randint(5, 40),
        "passengers": rng.randint(30, 55),
        "hour": rng.randint(1, 11) if lang == "en" else rng.randint(13, 23),
        "road": roads[lang].format(n=rng.randint(1, 99)),
        "age": rng.randint(38, 64),
        "spokes": person(rng, lang),
        "wd": WEEKDAYS[lang][day % 7],
        "cause_i": rng.randrange(3),
    }


DEAL = {
    "de": {
        "headline": [
            "{company} übernimmt {target} für {price} Millionen Franken",
            "{company} kauft {target}",
            "Übernahme: {company} greift nach {target}",
        ],
        "lead": [
            "Der Industriekonzern {company} übernimmt den Konkurrenten {target} für {price} Millionen Franken.",
            "{company} kauft für {price} Millionen Franken die {target}-Gruppe und stärkt damit sein Geschäft mit {sector}.",
        ],
        "p": [
            [
                "Der Kaufpreis entspreche {premium} Prozent über dem Schlusskurs vom {wd}, teilte {company} mit. Der Verwaltungsrat von {target} empfehle das Angebot zur Annahme.",
                "Die Offerte liegt laut Mitteilung {premium} Prozent über dem Börsenschluss vom {wd}. Der Verwaltungsrat von {target} unterstützt die Übernahme.",
            ],
            [
                "{target} beschäftigt rund {staff} Mitarbeitende und erzielte zuletzt einen Umsatz von {revenue} Millionen Franken.",
                "Mit {staff} Angestellten setzte {target} im vergangenen Geschäftsjahr {revenue} Millionen Franken um.",
            ],
            [
                "Konzernchef {ceo} sprach von einem «wichtigen Schritt» für {company}. Durch die Übernahme sollen jährlich Kosten von {synergy} Millionen Franken eingespart werden.",
                "«Das ist ein wichtiger Schritt», sagte {company}-Chef {ceo}. Er rechnet mit Einsparungen von {synergy} Millionen Franken pro Jahr.",
            ],
            [
                "Die Transaktion soll im {quarter}. Quartal abgeschlossen werden und steht unter dem Vorbehalt der Wettbewerbsbehörden.",
                "Abgeschlossen werden soll der Kauf im {quarter}. Quartal; die Wettbewerbsbehörden müssen noch zustimmen.",
            ],
            [
                "An der Börse stiegen die {target}-Aktien bis Mittag um {jump} Prozent, jene von {company} gaben leicht nach.",
                "Die Titel von {target} legten am Vormittag um {jump} Prozent zu, {company}-Aktien verloren etwas an Wert.",
            ],
        ],
        "sector": ["Industriekomponenten", "Medizintechnik", "Gebäudetechnik"],
    },
    "fr": {
        "headline": [
            "{company} rachète {target} pour {price} millions de francs",
            "{company} met la main sur {target}",
            "Rachat: {company} s'offre {target}",
        ],
        "lead": [
            "Le groupe {company} rachète son concurrent {target} pour {price} millions de francs.",
            "{company} va acquérir {target} pour {price} millions de francs afin de renforcer ses activités dans {sector}.",
        ],
        "p": [
            [
                "Le prix représente une prime de {premium}% sur le cours de clôture de {wd}, a indiqué {company}. Le conseil d'administration de {target} recommande l'offre.",
                "L'offre fait ressortir une prime de {premium}% par rapport à la clôture de {wd}, selon un communiqué. Le conseil de {target} la soutient.",
            ],
            [
                "{target} emploie quelque {staff} personnes et a réalisé un chiffre d'affaires de {revenue} millions de francs.",
                "Avec {staff} collaborateurs, {target} a dégagé {revenue} millions de francs de chiffre d'affaires lors du dernier exercice.",
            ],
            [
                "Le directeur général {ceo} a évoqué «une étape importante» pour {company}. Le rachat doit permettre des économies annuelles de {synergy} millions de francs.",
                "«C'est une étape importante», a déclaré le patron de {company}, {ceo}, qui table sur {synergy} millions de francs de synergies par an.",
            ],
            [
                "La transaction devrait être finalisée au {quarter}e trimestre, sous réserve du feu vert des autorités de la concurrence.",
                "La finalisation est attendue au {quarter}e trimestre; les autorités de la concurrence doivent encore se prononcer.",
            ],
            [
                "En bourse, l'action {target} bondissait de {jump}% à la mi-journée, tandis que le titre {company} reculait légèrement.",
                "Le titre {target} s'envolait de {jump}% en matinée; {company} cédait un peu de terrain.",
            ],
        ],
        "sector": [
            "les composants industriels",
            "la technologie médicale",
            "les techniques du bâtiment",
        ],
    },
    "it": {
        "headline": [
            "{company} acquisisce {target} per {price} milioni",
            "{company} compra {target}",
            "Acquisizione: {company} rileva {target}",
        ],
        "lead": [
            "Il gruppo {company} acquisisce il concorrente {target} per {price} milioni di euro.",
            "{company} rileverà {target} per {price} milioni di euro per rafforzarsi nel settore {sector}.",
        ],
        "p": [
            [
                "Il prezzo corrisponde a un premio del {premium}% sulla chiusura di {wd}, ha comunicato {company}. Il consiglio di amministrazione di {target} raccomanda l'offerta.",
                "L'offerta incorpora un premio del {premium}% rispetto alla chiusura di {wd}, si legge in una nota. Il cda di {target} la sostiene.",
            ],
            [
                "{target} impiega circa {staff} dipendenti e ha registrato un fatturato di {revenue} milioni di euro.",
                "Con {staff} addetti, {target} ha realizzato ricavi per {revenue} milioni di euro nell'ultimo esercizio.",
            ],
            [
                "L'amministratore delegato {ceo} ha parlato di «un passo importante» per {company}. L'operazione dovrebbe generare risparmi annui per {synergy} milioni.",
                "«È un passo importante», ha detto l'ad di {company} {ceo}, che stima sinergie per {synergy} milioni l'anno.",
            ],
            [
                "La transazione dovrebbe chiudersi nel {quarter}° trimestre ed è soggetta al via libera dell'Antitrust.",
                "Il closing è atteso nel {quarter}° trimestre; manca ancora l'autorizzazione dell'Antitrust.",
            ],
            [
                "In Borsa il titolo {target} balzava del {jump}% a metà seduta, mentre {company} cedeva leggermente.",
                "Le azioni {target} volavano del {jump}% in mattinata; {company} in lieve calo.",
            ],
        ],
        "sector": ["dei componenti industriali", "dei dispositivi medici", "dell'impiantistica"],
    },
    "en": {
        "headline": [
            "{company} to buy {target} for ${price} million",
            "{company} agrees to acquire {target}",
            "{company} strikes ${price} million deal for {target}",
        ],
        "lead": [
            "{company} has agreed to buy rival {target} for ${price} million, the companies said on {wd}.",
            "{company} will acquire {target} in a ${price} million deal that expands its {sector} business.",
        ],
        "p": [
            [
                "The price represents a premium of {premium}% to {target}'s closing price on {wd}, {company} said. {target}'s board has recommended shareholders accept the offer.",
                "The offer values {target} at a {premium}% premium to its last close, according to a statement. {target}'s board backs the deal.",
            ],
            [
                "{target} employs about {staff} people and reported revenue of ${revenue} million last year.",
                "With roughly {staff} employees, {target} posted ${revenue} million in revenue in its latest fiscal year.",
            ],
            [
                'Chief Executive {ceo} called the deal "an important step" for {company}, which expects annual cost savings of ${synergy} million.',
                '"This is an important step," {company} CEO {ceo} said, forecasting ${synergy} million in yearly synergies.',
            ],
            [
                "The transaction is expected to close in the {quarter_en} quarter, subject to regulatory approval.",
                "Closing is expected in the {quarter_en} quarter; antitrust regulators still need to sign off.",
            ],
            [
                "Shares of {target} jumped {jump}% in midday trading, while {company} shares edged lower.",
                "{target} stock soared {jump}% by midday; {company} slipped slightly.",
            ],
        ],
        "sector": ["industrial components", "medical devices", "building technology"],
    },
}


def deal_facts(rng: random.Random, lang: str, day: int) -> dict[str, Any]:
    company, target = rng.sample(COMPANIES[lang], 2)
    quarter = rng.randint(1, 4)
    return {
        "company": company,
        "target": target,
        "price": rng.randint(120, 2900),
        "premium": rng.randint(12, 48),
        "staff": num(lang, rng.randint(800, 9000), 0),
        "revenue": rng.randint(150, 1900),
        "ceo": person(rng, lang),
        "synergy": rng.randint(8, 60),
        "quarter": quarter,
        "quarter_en": ["first", "second", "third", "fourth"][quarter - 1],
        "jump": num(lang, rng.uniform(8, 35)),
        "wd": WEEKDAYS[lang][day % 5],
        "sector_i": rng.randrange(3),
    }


COURT = {
    "de": {
        "headline": [
            "{years} Jahre Haft für {defendant}",
            "Gericht in {place} verurteilt {role} zu {years} Jahren",
            "{role} muss für {years} Jahre ins Gefängnis",
        ],
        "lead": [
            "Das Bezirksgericht {place} hat einen {age}-jährigen {role} wegen {charge} zu {years} Jahren Freiheitsstrafe verurteilt.",
            "Ein {age} Jahre alter {role} muss wegen {charge} für {years} Jahre ins Gefängnis, wie das Gericht in {place} am {wd} entschied.",
        ],
        "p": [
            [
                "Der Mann habe zwischen {y1} und {y2} insgesamt {amount} Franken abgezweigt, befand das Gericht. Die Staatsanwaltschaft hatte {asked} Jahre gefordert.",
                "Laut Urteil zweigte der Angeklagte von {y1} bis {y2} rund {amount} Franken ab. Gefordert hatte die Anklage {asked} Jahre.",
            ],
            [
                "Der Verteidiger {lawyer} kündigte an, das Urteil ans Obergericht weiterzuziehen. Sein Mandant habe stets seine Unschuld beteuert.",
                "Verteidiger {lawyer} will das Urteil anfechten. Der Angeklagte hatte vor Gericht jede Schuld bestritten.",
            ],
            [
                "Die Richterin sprach von einem «beispiellosen Vertrauensbruch». Der Verurteilte muss zudem Verfahrenskosten von {costs} Franken tragen.",
                "Das Gericht sprach von einem «schweren Vertrauensbruch» und auferlegte ihm Kosten von {costs} Franken.",
            ],
            [
                "Aufgeflogen war der Fall, als eine Revisorin Unregelmässigkeiten in der Buchhaltung entdeckte.",
                "Ins Rollen gekommen war das Verfahren durch Hinweise einer internen Revisorin.",
            ],
        ],
        "role": ["Treuhänder", "Gemeindeschreiber", "Bankangestellten"],
        "charge": ["Veruntreuung", "gewerbsmässigen Betrugs", "ungetreuer Geschäftsbesorgung"],
    },
    "fr": {
        "headline": [
            "{years} ans de prison pour {defendant}",
            "Le tribunal de {place} condamne un {role} à {years} ans",
            "Un {role} écope de {years} ans de prison",
        ],
        "lead": [
            "Le tribunal de {place} a condamné un {role} de {age} ans à {years} ans de prison pour {charge}.",
            "Un {role} de {age} ans a été condamné {wd} à {years} ans de réclusion pour {charge} par le tribunal de {place}.",
        ],
        "p": [
            [
                "L'homme a détourné {amount} francs entre {y1} et {y2}, a estimé la cour. Le procureur avait requis {asked} ans.",
                "Selon le jugement, le prévenu a soustrait quelque {amount} francs de {y1} à {y2}. L'accusation avait demandé {asked} ans.",
            ],
            [
                "Son avocat {lawyer} a annoncé faire appel. Son client a toujours clamé son innocence.",
                "Me {lawyer}, avocat de la défense, va recourir. L'accusé avait nié toute faute à l'audience.",
            ],
            [
                "La présidente a parlé d'un «abus de confiance sans précédent». Le condamné devra aussi payer {costs} francs de frais.",
                "La cour a évoqué un «grave abus de confiance» et mis {costs} francs de frais à sa charge.",
            ],
            [
                "L'affaire avait éclaté lorsqu'une réviseuse avait relevé des irrégularités dans la comptabilité.",
                "C'est une réviseuse interne qui avait donné l'alerte.",
            ],
        ],
        "role": ["fiduciaire", "secrétaire communal", "employé de banque"],
        "charge": ["abus de confiance", "escroquerie par métier", "gestion déloyale"],
    },
    "it": {
        "headline": [
            "{years} anni di carcere per {defendant}",
            "Il tribunale di {place} condanna un {role} a {years} anni",
            "{role} condannato a {years} anni",
        ],
        "lead": [
            "Il tribunale di {place} ha condannato un {role} di {age} anni a {years} anni di reclusione per {charge}.",
            "Un {role} di {age} anni è stato condannato {wd} a {years} anni per {charge} dal tribunale di {place}.",
        ],
        "p": [
            [
                "L'uomo ha sottratto {amount} franchi tra il {y1} e il {y2}, secondo la corte. L'accusa aveva chiesto {asked} anni.",
                "Secondo la sentenza l'imputato si è appropriato di circa {amount} franchi dal {y1} al {y2}. La procura aveva chiesto {asked} anni.",
            ],
            [
                "Il suo avvocato {lawyer} ha annunciato ricorso. Il suo assistito si è sempre dichiarato innocente.",
                "La difesa, rappresentata da {lawyer}, impugnerà la sentenza. L'imputato aveva respinto ogni addebito.",
            ],
            [
                "La giudice ha parlato di un «abuso di fiducia senza precedenti». Il condannato dovrà pagare anche {costs} franchi di spese.",
                "La corte ha parlato di un «grave abuso di fiducia» e gli ha addebitato {costs} franchi di spese.",
            ],
            [
                "Il caso era emerso quando una revisora aveva scoperto irregolarità nella contabilità.",
                "A far scattare l'indagine era stata una revisora interna.",
            ],
        ],
        "role": ["fiduciario", "segretario comunale", "impiegato di banca"],
        "charge": ["appropriazione indebita", "truffa per mestiere", "amministrazione infedele"],
    },
    "en": {
        "headline": [
            "{defendant} jailed for {years} years",
            "{place} court sentences {role} to {years} years",
            "Former {role} gets {years}-year prison term",
        ],
        "lead": [
            "A court in {place} sentenced a {age}-year-old {role} to {years} years in prison on {wd} for {charge}.",
            "A former {role}, {age}, was jailed for {years} years by a {place} court for {charge}.",
        ],
        "p": [
            [
                "The man siphoned off ${amount} between {y1} and {y2}, the court found. Prosecutors had sought {asked} years.",
                "According to the ruling, the defendant diverted some ${amount} from {y1} to {y2}. The prosecution had asked for {asked} years.",
            ],
            [
                "His lawyer {lawyer} said he would appeal. The defendant has always maintained his innocence.",
                "Defence attorney {lawyer} said the verdict would be challenged; his client had denied wrongdoing at trial.",
            ],
            [
                'The judge called the case "an unprecedented breach of trust". He must also pay ${costs} in court costs.',
                'The court spoke of "a grave breach of trust" and ordered him to pay ${costs} in costs.',
            ],
            [
                "The case came to light when an auditor spotted irregularities in the accounts.",
                "An internal auditor had first raised the alarm.",
            ],
        ],
        "role": ["accountant", "town clerk", "bank employee"],
        "charge": ["embezzlement", "commercial fraud", "breach of fiduciary duty"],
    },
}


def court_facts(rng: random.Random, lang: str, day: int) -> dict[str, Any]:
    y1 = rng.randint(2012, 2019)
    asked = rng.randint(4, 9)
    return {
        "place": rng.choice(PLACES[lang]),
        "age": rng.randint(35, 70),
        "years": asked - rng.randint(1, 3),
        "asked": asked,
        "y1": y1,
        "y2": y1 + rng.randint(2, 5),
        "amount": num(lang, rng.randint(400, 9000) * 1000, 0),
        "lawyer": person(rng, lang),
        "costs": num(lang, rng.randint(20, 90) * 1000, 0),
        "wd": WEEKDAYS[lang][day % 5],
        "role_i": rng.randrange(3),
        "charge_i": rng.randrange(3),
        "defendant": "",
    }


NEWS = {
    "accident": (ACCIDENT, accident_facts),
    "deal": (DEAL, deal_facts),
    "court": (COURT, court_facts),
}


def _resolve(bank: dict[str, Any], facts: dict[str, Any]) -> dict[str, Any]:
    """Per-language fact wordings picked once per story (cause, sector, role, charge)."""
    out = dict(facts)
    for key in ("cause", "sector", "role", "charge"):
        if key in bank:
            out[key] = bank[key][facts.get(f"{key}_i", 0)]
    if "role" in out and not out.get("defendant"):
        out["defendant"] = out["role"]
    return out


# Background paragraphs a long version of a story carries (and a brief drops).
BACKGROUND = {
    "accident": {
        "de": [
            "Erst im {month_prev} war auf derselben Strecke ein Lastwagen verunglückt; Anwohner fordern seit Jahren eine Leitplanke und eine Temporeduktion.",
            "Der Kanton hatte angekündigt, die Strasse bis {year} zu sanieren. Die Arbeiten wurden wegen Einsprachen mehrfach verschoben.",
            "Busunglücke mit Todesopfern sind in der Region selten. Das letzte schwere Unglück liegt mehr als zehn Jahre zurück.",
        ],
        "fr": [
            "En {month_prev} déjà, un camion avait eu un accident sur le même tronçon; les riverains réclament depuis des années une glissière et une limitation de vitesse.",
            "Le canton avait annoncé l'assainissement de la route d'ici {year}. Les travaux ont été repoussés à plusieurs reprises en raison d'oppositions.",
            "Les accidents de car mortels sont rares dans la région. Le dernier drame de cette ampleur remonte à plus de dix ans.",
        ],
        "it": [
            "Già a {month_prev} un camion era uscito di strada sullo stesso tratto; i residenti chiedono da anni un guardrail e un limite di velocità.",
            "La regione aveva annunciato il risanamento della strada entro il {year}. I lavori sono stati più volte rinviati per i ricorsi.",
            "Gli incidenti mortali di pullman sono rari nella zona. L'ultimo di questa gravità risale a oltre dieci anni fa.",
        ],
        "en": [
            "A truck crashed on the same stretch of road in {month_prev}, and residents have long demanded crash barriers and a lower speed limit.",
            "Regional authorities had promised to upgrade the road by {year}, but the work has been repeatedly delayed by objections.",
            "Fatal bus crashes are rare in the region; the last accident of this scale happened more than a decade ago.",
        ],
    },
    "deal": {
        "de": [
            "{company} hatte bereits im {month_prev} angekündigt, durch Zukäufe wachsen zu wollen. Analysten hatten {target} schon länger als möglichen Übernahmekandidaten gehandelt.",
            "Die Branche befindet sich in einer Konsolidierungsphase. Höhere Rohstoffpreise und die schwache Nachfrage aus Asien setzen kleineren Anbietern zu.",
            "Die Finanzierung erfolgt laut {company} aus eigenen Mitteln und über eine Anleihe.",
        ],
        "fr": [
            "{company} avait annoncé dès {month_prev} vouloir croître par acquisitions. Les analystes citaient depuis longtemps {target} comme cible possible.",
            "Le secteur traverse une phase de consolidation. La hausse des matières premières et la faible demande asiatique pèsent sur les petits acteurs.",
            "Le financement sera assuré par des fonds propres et un emprunt obligataire, selon {company}.",
        ],
        "it": [
            "{company} aveva annunciato già a {month_prev} di voler crescere per acquisizioni. Gli analisti indicavano da tempo {target} come possibile preda.",
            "Il settore attraversa una fase di consolidamento. Il rincaro delle materie prime e la debole domanda asiatica pesano sui gruppi più piccoli.",
            "Il finanziamento avverrà con mezzi propri e un prestito obbligazionario, secondo {company}.",
        ],
        "en": [
            "{company} said in {month_prev} that it wanted to grow through acquisitions, and analysts had long flagged {target} as a possible target.",
            "The industry is consolidating as higher raw material costs and weak demand from Asia squeeze smaller players.",
            "{company} said it would fund the purchase from cash on hand and a bond issue.",
        ],
    },
    "court": {
        "de": [
            "Der Prozess hatte im {month_prev} begonnen und dauerte neun Verhandlungstage. Zahlreiche Geschädigte verfolgten ihn im Gerichtssaal.",
            "Die Geschädigten hoffen nun, zumindest einen Teil ihres Geldes zurückzuerhalten. Das Gericht zog Vermögenswerte des Verurteilten ein.",
            "Der Fall hatte in der Region für grosses Aufsehen gesorgt.",
        ],
        "fr": [
            "Le procès s'était ouvert en {month_prev} et a duré neuf jours d'audience, suivis par de nombreux lésés.",
            "Les victimes espèrent récupérer au moins une partie de leur argent. La cour a confisqué des avoirs du condamné.",
            "L'affaire avait suscité un vif émoi dans la région.",
        ],
        "it": [
            "Il processo era iniziato a {month_prev} ed è durato nove udienze, seguite da numerosi danneggiati.",
            "Le vittime sperano ora di recuperare almeno una parte del denaro. La corte ha confiscato beni del condannato.",
            "Il caso aveva suscitato grande clamore nella regione.",
        ],
        "en": [
            "The trial opened in {month_prev} and ran for nine days, with many of the victims following it from the public gallery.",
            "The victims now hope to recover at least part of their money; the court seized assets belonging to the defendant.",
            "The case caused an uproar in the region.",
        ],
    },
}

# A sentence an update adds to its new lead.
UPDATE_LEAD = {
    "accident": {
        "de": "Die Zahl der Todesopfer stieg am {wd}abend auf {dead}, wie die Behörden mitteilten.",
        "fr": "Le bilan s'est alourdi {wd} soir à {dead} morts, selon les autorités.",
        "it": "Il bilancio è salito {wd} sera a {dead} morti, secondo le autorità.",
        "en": "The death toll rose to {dead} late on {wd}, authorities said.",
    },
    "deal": {
        "de": "Die Aktionäre von {target} sollen am {wd} in einer Woche über das Angebot abstimmen.",
        "fr": "Les actionnaires de {target} se prononceront dans une semaine sur l'offre.",
        "it": "Gli azionisti di {target} voteranno sull'offerta tra una settimana.",
        "en": "{target} shareholders are due to vote on the offer next week.",
    },
    "court": {
        "de": "Die Verteidigung hat bereits Berufung angemeldet.",
        "fr": "La défense a d'ores et déjà annoncé un appel.",
        "it": "La difesa ha già annunciato ricorso in appello.",
        "en": "The defence has already filed notice of appeal.",
    },
}
UPDATE_TAG = {
    "de": ["ZUSAMMENFASSUNG: ", "NEU: ", ""],
    "fr": ["ACTUALISÉ: ", "LEAD: ", ""],
    "it": ["AGGIORNAMENTO: ", "(2ª stesura) ", ""],
    "en": ["UPDATE 1-", "1ST LEAD: ", ""],
}

# Follow-ups: the next day's story on the same event (different story, same names).
FOLLOW_UP = {
    "accident": {
        "de": (
            "Nach Busunglück bei {place}: Fahrer hatte keine Ruhezeit eingehalten",
            "Zwei Tage nach dem Busunglück bei {place} mit {dead} Toten haben die Ermittler erste Ergebnisse vorgelegt.",
            [
                "Der Fahrer sei seit mehr als vierzehn Stunden am Steuer gewesen, sagte ein Sprecher der Staatsanwaltschaft am {wd2}. Die vorgeschriebenen Pausen seien nicht eingehalten worden.",
                "Gegen die Geschäftsführung des Busunternehmens wird nun wegen fahrlässiger Tötung ermittelt. Das Unternehmen wollte sich nicht äussern.",
                "In {place} fand am Abend ein Gedenkgottesdienst für die Opfer statt. Mehrere hundert Menschen nahmen teil.",
            ],
        ),
        "fr": (
            "Accident de car près de {place}: le chauffeur n'avait pas respecté les temps de repos",
            "Deux jours après l'accident de car qui a fait {dead} morts près de {place}, les enquêteurs ont livré leurs premières conclusions.",
            [
                "Le chauffeur était au volant depuis plus de quatorze heures, a indiqué {wd2} un porte-parole du parquet. Les pauses obligatoires n'ont pas été respectées.",
                "Une enquête pour homicide par négligence vise désormais la direction de la compagnie, qui n'a pas souhaité s'exprimer.",
                "Une messe à la mémoire des victimes a réuni plusieurs centaines de personnes à {place} en soirée.",
            ],
        ),
        "it": (
            "Incidente del pullman a {place}: l'autista non aveva rispettato i riposi",
            "A due giorni dall'incidente del pullman con {dead} morti vicino a {place} gli inquirenti hanno presentato i primi risultati.",
            [
                "L'autista era alla guida da oltre quattordici ore, ha detto {wd2} un portavoce della procura. Le pause obbligatorie non erano state rispettate.",
                "I vertici della ditta di trasporti sono ora indagati per omicidio colposo. L'azienda non ha voluto commentare.",
                "In serata a {place} si è svolta una messa in memoria delle vittime, con diverse centinaia di persone.",
            ],
        ),
        "en": (
            "Driver in {place} bus crash had exceeded driving hours, prosecutors say",
            "Investigators have released their first findings two days after a bus crash near {place} killed {dead} people.",
            [
                "The driver had been at the wheel for more than 14 hours, a spokesperson for prosecutors said on {wd2}, and had not taken mandatory breaks.",
                "The bus operator's management is now under investigation for negligent homicide. The company declined to comment.",
                "Several hundred people attended a memorial service for the victims in {place} in the evening.",
            ],
        ),
    },
    "deal": {
        "de": (
            "{target}-Aktionäre stimmen Übernahme durch {company} zu",
            "Die Aktionäre von {target} haben der Übernahme durch {company} mit grosser Mehrheit zugestimmt.",
            [
                "An der ausserordentlichen Generalversammlung am {wd2} stimmten 94 Prozent der vertretenen Aktien für das Angebot.",
                "Kritik kam von einer Gruppe von Kleinaktionären, die den Preis als zu tief bezeichneten. Sie kündigten an, eine Neubewertung zu verlangen.",
                "Der Verwaltungsrat von {target} wird nach dem Vollzug neu zusammengesetzt.",
            ],
        ),
        "fr": (
            "Les actionnaires de {target} approuvent le rachat par {company}",
            "Les actionnaires de {target} ont approuvé à une large majorité le rachat par {company}.",
            [
                "Lors de l'assemblée extraordinaire de {wd2}, 94% des actions représentées ont soutenu l'offre.",
                "Un groupe de petits actionnaires a jugé le prix trop bas et annoncé demander une réévaluation.",
                "Le conseil d'administration de {target} sera recomposé après la finalisation.",
            ],
        ),
        "it": (
            "Gli azionisti di {target} approvano l'acquisizione di {company}",
            "Gli azionisti di {target} hanno approvato a larga maggioranza l'acquisizione da parte di {company}.",
            [
                "All'assemblea straordinaria di {wd2} il 94% delle azioni rappresentate ha votato a favore.",
                "Critiche da un gruppo di piccoli azionisti, che hanno giudicato il prezzo troppo basso e chiederanno una nuova valutazione.",
                "Il cda di {target} sarà rinnovato dopo il closing.",
            ],
        ),
        "en": (
            "{target} shareholders approve takeover by {company}",
            "{target} shareholders have approved the company's takeover by {company} by a wide margin.",
            [
                "At an extraordinary meeting on {wd2}, 94% of the shares represented voted in favour of the offer.",
                "A group of minority investors criticised the price as too low and said they would seek an appraisal.",
                "{target}'s board will be reshaped once the deal closes.",
            ],
        ),
    },
    "court": {
        "de": (
            "Fall {defendant}: Obergericht bestätigt Urteil",
            "Das Obergericht hat die Verurteilung des {age}-jährigen {role} aus {place} bestätigt.",
            [
                "Die Berufung des Verteidigers {lawyer} wurde am {wd2} abgewiesen. Der Mann muss damit seine Strafe antreten.",
                "Die Richter sahen keine Hinweise auf Verfahrensfehler. Das Urteil kann noch ans Bundesgericht weitergezogen werden.",
                "Die Geschädigten zeigten sich erleichtert.",
            ],
        ),
        "fr": (
            "Affaire du {role} de {place}: la cour d'appel confirme la condamnation",
            "La cour d'appel a confirmé la condamnation du {role} de {age} ans de {place}.",
            [
                "Le recours de l'avocat {lawyer} a été rejeté {wd2}. L'homme devra purger sa peine.",
                "Les juges n'ont relevé aucun vice de procédure. Un recours au Tribunal fédéral reste possible.",
                "Les lésés se sont dits soulagés.",
            ],
        ),
        "it": (
            "Caso del {role} di {place}: la corte d'appello conferma la condanna",
            "La corte d'appello ha confermato la condanna del {role} di {age} anni di {place}.",
            [
                "Il ricorso dell'avvocato {lawyer} è stato respinto {wd2}. L'uomo dovrà scontare la pena.",
                "I giudici non hanno ravvisato vizi procedurali. Resta possibile il ricorso al Tribunale federale.",
                "I danneggiati si sono detti sollevati.",
            ],
        ),
        "en": (
            "Appeals court upholds sentence for {place} {role}",
            "An appeals court has upheld the conviction of a {age}-year-old {role} from {place}.",
            [
                "The appeal lodged by defence lawyer {lawyer} was rejected on {wd2}, meaning the man must now serve his sentence.",
                "The judges found no procedural errors. A further appeal to the supreme court remains possible.",
                "Victims said they were relieved.",
            ],
        ),
    },
}


def write_news(
    kind: str, lang: str, facts: dict[str, Any], desk: Desk, *, long: bool = False
) -> Item:
    """One desk's story from the facts: its wordings, paragraph order, dateline and trailer."""
    bank = NEWS[kind][0][lang]
    f = _resolve(bank, facts)
    r = desk.rng
    paras = [desk.pick(slot, f) for slot in bank["p"]]
    rest = paras[1:]
    if r.random() < 0.6:
        r.shuffle(rest)
    if len(rest) > 3 and r.random() < 0.35:
        rest.pop(r.randrange(len(rest)))
    body = [paras[0], *rest]
    if long:
        f = f | {
            "month_prev": MONTHS[lang][(desk.day // 28 + 10) % 12],
            "year": 2027 + desk.day % 3,
        }
        bg = [b.format(**f) for b in BACKGROUND[kind][lang]]
        body += bg
    body[0] = desk.dateline(f.get("place", PLACES[lang][0])) + body[0]
    body[-1] = body[-1] + " " + desk.trailer() if r.random() < 0.6 else body[-1]
    if not body[-1].endswith(")") and r.random() < 0.4:
        body.append(desk.trailer())
    return Item(
        desk.pick(bank["headline"], f),
        desk.pick(bank["lead"], f),
        body,
        desk.agency,
        {"facts": f, "kind": kind},
    )


# --- templated reports: written the same way every day ------------------------------------------

EARNINGS = {
    "de": (
        "{company}: Umsatz im {q}. Quartal bei {rev} Mio Franken",
        "{company} hat im {q}. Quartal {year} einen Umsatz von {rev} Millionen Franken erzielt, {chg} Prozent {updown} als im Vorjahresquartal.",
        [
            "Der Betriebsgewinn (EBIT) belief sich auf {ebit} Millionen Franken nach {ebit0} Millionen ein Jahr zuvor, wie das Unternehmen am {wd} mitteilte. Die EBIT-Marge lag bei {margin} Prozent.",
            "Unter dem Strich verdiente {company} {net} Millionen Franken. Analysten hatten im Schnitt mit einem Umsatz von {cons} Millionen gerechnet.",
            "Für das Gesamtjahr bestätigt das Unternehmen seine Prognose eines organischen Wachstums von {guid} Prozent.",
            "Die Zahlen wurden am {wd} vor Börsenbeginn veröffentlicht.",
        ],
    ),
    "fr": (
        "{company}: chiffre d'affaires de {rev} millions au {q}e trimestre",
        "{company} a réalisé au {q}e trimestre {year} un chiffre d'affaires de {rev} millions de francs, en {updown_fr} de {chg}% sur un an.",
        [
            "Le résultat opérationnel (EBIT) s'est établi à {ebit} millions de francs, contre {ebit0} millions un an plus tôt, a indiqué l'entreprise {wd}. La marge EBIT atteint {margin}%.",
            "Le bénéfice net s'élève à {net} millions de francs. Les analystes tablaient en moyenne sur des ventes de {cons} millions.",
            "Pour l'ensemble de l'exercice, le groupe confirme viser une croissance organique de {guid}%.",
            "Les chiffres ont été publiés {wd} avant l'ouverture de la Bourse.",
        ],
    ),
    "it": (
        "{company}: ricavi a {rev} milioni nel {q}° trimestre",
        "{company} ha registrato nel {q}° trimestre {year} ricavi per {rev} milioni di euro, in {updown_it} del {chg}% su base annua.",
        [
            "Il risultato operativo (Ebit) si è attestato a {ebit} milioni di euro, contro {ebit0} milioni un anno prima, ha comunicato la società {wd}. Il margine Ebit è al {margin}%.",
            "L'utile netto è di {net} milioni. Gli analisti si attendevano in media ricavi per {cons} milioni.",
            "Per l'intero esercizio il gruppo conferma l'obiettivo di una crescita organica del {guid}%.",
            "I conti sono stati diffusi {wd} prima dell'apertura di Piazza Affari.",
        ],
    ),
    "en": (
        "{company} posts {qn} FFO of ${rev} million",
        "{company} reported {qn}-quarter funds from operations of ${rev} million, or ${eps} per share, on {wd}.",
        [
            "Revenue for the quarter came to ${ebit} million, compared with ${ebit0} million a year earlier. Analysts polled by Zacks had expected ${cons} million.",
            "Net income was ${net} million. Revenue per available room, a key hotel industry metric, was ${revpar}.",
            "For the full year, the company expects funds from operations in the range of ${guid} to ${guid2} per share.",
            "This story was generated by Automated Insights using data from Zacks Investment Research.",
        ],
    ),
}


def earnings(lang: str, company: str, q: int, year: int, rng: random.Random) -> Item:
    h, lead, paras = EARNINGS[lang]
    rev = rng.randint(120, 900)
    f = {
        "company": company,
        "q": q,
        "qn": f"{q}Q",
        "year": year,
        "rev": num(lang, rev + rng.random()),
        "chg": num(lang, rng.uniform(0.5, 9)),
        "updown": rng.choice(["mehr", "weniger"]),
        "updown_fr": rng.choice(["hausse", "baisse"]),
        "updown_it": rng.choice(["crescita", "calo"]),
        "ebit": num(lang, rng.uniform(10, 90)),
        "ebit0": num(lang, rng.uniform(10, 90)),
        "margin": num(lang, rng.uniform(5, 18)),
        "net": num(lang, rng.uniform(5, 60)),
        "cons": num(lang, rev * rng.uniform(0.95, 1.05)),
        "guid": rng.randint(2, 6),
        "guid2": rng.randint(7, 9),
        "eps": f"{rng.uniform(0.05, 0.9):.2f}",
        "revpar": f"{rng.uniform(150, 260):.2f}",
        "wd": WEEKDAYS[lang][rng.randrange(5)],
    }
    return Item(
        h.format(**f),
        lead.format(**f),
        [p.format(**f) for p in paras],
        "auto",
        {"kind": "earnings"},
    )


def _nth(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def sports(lang: str, rng: random.Random, home: str, away: str, preview: bool) -> Item:
    wd = WEEKDAYS[lang][rng.choice((2, 5, 6))]
    hg, ag = rng.randint(0, 4), rng.randint(0, 3)
    pl = [rng.choice(LAST[lang]) for _ in range(4)]
    mins = sorted(rng.sample(range(3, 90), 4))
    pos_h, pos_a = rng.sample(range(1, 13), 2)
    pts_h, pts_a = rng.randint(8, 40), rng.randint(8, 40)
    if preview:
        t = {
            "de": (
                f"Vorschau: {home} empfängt {away}",
                f"{home} empfängt am {wd} {away}. Anpfiff ist um {rng.choice([16, 18, 20])}.30 Uhr.",
                [
                    f"{home} liegt mit {pts_h} Punkten auf Rang {pos_h}, {away} mit {pts_a} Punkten auf Rang {pos_a}.",
                    f"Bei {home} fällt {pl[0]} verletzt aus. {away} muss auf den gesperrten {pl[1]} verzichten.",
                    f"Das Hinspiel hatte {rng.choice([home, away])} mit {hg}:{ag} gewonnen.",
                ],
            ),
            "fr": (
                f"Avant-match: {home} reçoit {away}",
                f"{home} accueille {away} {wd}, coup d'envoi à {rng.choice([17, 19, 21])}h00.",
                [
                    f"{home} est {pos_h}e avec {pts_h} points, {away} {pos_a}e avec {pts_a} points.",
                    f"{home} sera privé de {pl[0]}, blessé. {away} devra se passer de {pl[1]}, suspendu.",
                    f"{rng.choice([home, away])} s'était imposé {hg}-{ag} à l'aller.",
                ],
            ),
            "it": (
                f"Presentazione: {home}-{away}",
                f"{home} ospita {away} {wd}, calcio d'inizio alle {rng.choice([15, 18, 20])}.45.",
                [
                    f"{home} è {pos_h}° con {pts_h} punti, {away} {pos_a}° con {pts_a} punti.",
                    f"Nel {home} è out {pl[0]} per infortunio. {away} senza lo squalificato {pl[1]}.",
                    f"All'andata vinse {rng.choice([home, away])} per {hg}-{ag}.",
                ],
            ),
            "en": (
                f"Preview: {home} v {away}",
                f"{home} host {away} on {wd}, kick-off {rng.choice([12, 15, 17])}:30.",
                [
                    f"{home} are {_nth(pos_h)} on {pts_h} points, {away} {_nth(pos_a)} on {pts_a}.",
                    f"{home} are without the injured {pl[0]}, while {away} miss {pl[1]} through suspension.",
                    f"{rng.choice([home, away])} won the reverse fixture {hg}-{ag}.",
                ],
            ),
        }[lang]
    else:
        t = {
            "de": (
                f"{home} - {away} {hg}:{ag}",
                f"{home} hat am {wd} gegen {away} {hg}:{ag} gespielt.",
                [
                    f"Tore: {mins[0]}. {pl[0]}, {mins[1]}. {pl[1]}, {mins[2]}. {pl[2]}. Zuschauer: {rng.randint(4, 30)}'{rng.randint(100, 999)}.",
                    f"{home} liegt neu auf Rang {pos_h}, {away} auf Rang {pos_a}.",
                    f"Bemerkungen: {mins[3]}. Gelb-Rote Karte gegen {pl[3]}.",
                ],
            ),
            "fr": (
                f"{home} - {away} {hg}-{ag}",
                f"{home} et {away} se sont quittés sur le score de {hg}-{ag} {wd}.",
                [
                    f"Buts: {mins[0]}e {pl[0]}, {mins[1]}e {pl[1]}, {mins[2]}e {pl[2]}. Spectateurs: {rng.randint(4, 30)} {rng.randint(100, 999)}.",
                    f"{home} pointe désormais au {pos_h}e rang, {away} au {pos_a}e.",
                    f"Notes: expulsion de {pl[3]} ({mins[3]}e).",
                ],
            ),
            "it": (
                f"{home}-{away} {hg}-{ag}",
                f"{home} e {away} hanno chiuso sul {hg}-{ag} {wd}.",
                [
                    f"Reti: {mins[0]}' {pl[0]}, {mins[1]}' {pl[1]}, {mins[2]}' {pl[2]}. Spettatori: {rng.randint(4, 30)}.{rng.randint(100, 999)}.",
                    f"{home} ora è {pos_h}°, {away} {pos_a}°.",
                    f"Note: espulso {pl[3]} al {mins[3]}'.",
                ],
            ),
            "en": (
                f"Soccer-{home} {hg} {away} {ag}",
                f"{home} and {away} finished {hg}-{ag} on {wd}.",
                [
                    f"Scorers: {pl[0]} {mins[0]}, {pl[1]} {mins[1]}, {pl[2]} {mins[2]}. Attendance: {rng.randint(4, 60)},{rng.randint(100, 999)}.",
                    f"{home} move to {_nth(pos_h)}, {away} are {_nth(pos_a)}.",
                    f"Sent off: {pl[3]} ({mins[3]}).",
                ],
            ),
        }[lang]
    return Item(t[0], t[1], list(t[2]), "auto", {"kind": "sports"})


def weather(lang: str, rng: random.Random, day: int, region: str) -> Item:
    wd = WEEKDAYS[lang][day % 7]
    d = day % 28 + 1
    mon = MONTHS[lang][(day // 28) % 12]
    lo, hi = rng.randint(-3, 9), rng.randint(10, 24)
    sky = {
        "de": ["sonnig", "bewölkt", "regnerisch", "wechselhaft"],
        "fr": ["ensoleillé", "nuageux", "pluvieux", "variable"],
        "it": ["soleggiato", "nuvoloso", "piovoso", "variabile"],
        "en": ["sunny", "cloudy", "rainy", "changeable"],
    }[lang]
    s1, s2 = rng.sample(sky, 2)
    w = rng.randint(10, 70)
    hw1, hw2 = (
        f"{rng.randint(0, 11):02d}:{rng.randint(0, 59):02d}",
        f"{rng.randint(12, 23):02d}:{rng.randint(0, 59):02d}",
    )
    t = {
        "de": (
            f"Wetter {region} am {wd}, {d}. {mon}: {s1}, bis {hi} Grad",
            f"Das Wetter in der Region {region} am {wd}, {d}. {mon}: {s1}, am Nachmittag {s2}.",
            [
                f"Die Tiefstwerte liegen bei {lo}, die Höchstwerte bei {hi} Grad.",
                f"Der Wind weht mässig aus Südwest mit Böen bis {w} km/h.",
                f"Die Nullgradgrenze liegt auf {rng.randint(12, 32)}00 Metern.",
                f"Aussichten für {WEEKDAYS[lang][(day + 1) % 7]}: {rng.choice(sky)}, {hi + rng.randint(-3, 3)} Grad.",
            ],
        ),
        "fr": (
            f"Météo {region} du {wd} {d} {mon}: {s1}, jusqu'à {hi} degrés",
            f"Le temps sur la région {region} ce {wd} {d} {mon}: {s1}, puis {s2} l'après-midi.",
            [
                f"Températures minimales de {lo} degrés, maximales de {hi} degrés.",
                f"Vent modéré du sud-ouest, rafales jusqu'à {w} km/h.",
                f"Isotherme zéro degré vers {rng.randint(12, 32)}00 mètres.",
                f"Tendance pour {WEEKDAYS[lang][(day + 1) % 7]}: {rng.choice(sky)}, {hi + rng.randint(-3, 3)} degrés.",
            ],
        ),
        "it": (
            f"Meteo {region} di {wd} {d} {mon}: {s1}, fino a {hi} gradi",
            f"Il tempo sulla regione {region} {wd} {d} {mon}: {s1}, nel pomeriggio {s2}.",
            [
                f"Temperature minime di {lo} gradi, massime di {hi} gradi.",
                f"Vento moderato da sud-ovest con raffiche fino a {w} km/h.",
                f"Zero termico a {rng.randint(12, 32)}00 metri.",
                f"Tendenza per {WEEKDAYS[lang][(day + 1) % 7]}: {rng.choice(sky)}, {hi + rng.randint(-3, 3)} gradi.",
            ],
        ),
        "en": (
            f"{region} tides and weather for {wd}, {mon} {d}",
            f"High water at {region} on {wd}, {mon} {d}, is at {hw1} and {hw2}; weather {s1}, turning {s2} later.",
            [
                f"Heights: {rng.uniform(3, 6):.1f} m and {rng.uniform(3, 6):.1f} m. Low water at {rng.randint(4, 9):02d}:{rng.randint(0, 59):02d} and {rng.randint(16, 21):02d}:{rng.randint(0, 59):02d}.",
                f"Temperatures from {lo} C to {hi} C; south-westerly winds gusting to {w} km/h.",
                f"Sunrise {rng.randint(6, 7)}:{rng.randint(10, 59)}, sunset {rng.randint(16, 18)}:{rng.randint(10, 59)}.",
                f"Outlook for {WEEKDAYS[lang][(day + 1) % 7]}: {rng.choice(sky)}, around {hi + rng.randint(-3, 3)} C.",
            ],
        ),
    }[lang]
    return Item(t[0], t[1], list(t[2]), "auto", {"kind": "weather"})


INDEX = {
    "de": ("SMI", "Zürich"),
    "fr": ("CAC 40", "Paris"),
    "it": ("FTSE MIB", "Milano"),
    "en": ("FTSE 100", "London"),
}


def market(lang: str, rng: random.Random, day: int) -> Item:
    idx, city = INDEX[lang]
    wd = WEEKDAYS[lang][day % 5]
    level = rng.uniform(7000, 35000)
    chg = rng.uniform(-1.8, 1.8)
    stocks = rng.sample(COMPANIES[lang], 4)
    moves = [num(lang, rng.uniform(0.5, 6)) for _ in stocks]
    updn = {
        "de": ("höher", "tiefer"),
        "fr": ("en hausse", "en baisse"),
        "it": ("in rialzo", "in ribasso"),
        "en": ("higher", "lower"),
    }[lang]
    ud = updn[0] if chg > 0 else updn[1]
    lv, pc = num(lang, level, 2), num(lang, abs(chg), 2)
    t = {
        "de": (
            f"Börse {city}: {idx} schliesst {ud}",
            f"Der Schweizer Aktienmarkt hat am {wd} {ud} geschlossen. Der {idx} beendete den Handel {pc} Prozent {ud} bei {lv} Punkten.",
            [
                f"Zu den Gewinnern zählten {stocks[0]} (+{moves[0]} Prozent) und {stocks[1]} (+{moves[1]} Prozent).",
                f"Am Ende der Kurstabelle fanden sich {stocks[2]} (-{moves[2]} Prozent) und {stocks[3]} (-{moves[3]} Prozent).",
                f"Der Dollar kostete {num(lang, rng.uniform(0.85, 0.95), 4)} Franken, der Euro {num(lang, rng.uniform(0.92, 0.99), 4)} Franken.",
                f"Das Volumen betrug {rng.randint(14, 60)} Millionen Titel.",
            ],
        ),
        "fr": (
            f"Bourse de {city}: le {idx} termine {ud}",
            f"La Bourse de {city} a terminé {ud} {wd}. Le {idx} a fini à {lv} points, en variation de {pc}%.",
            [
                f"Parmi les gagnants figurent {stocks[0]} (+{moves[0]}%) et {stocks[1]} (+{moves[1]}%).",
                f"En queue de peloton, {stocks[2]} (-{moves[2]}%) et {stocks[3]} (-{moves[3]}%).",
                f"L'euro valait {num(lang, rng.uniform(1.05, 1.15), 4)} dollar.",
                f"Le volume d'échanges a atteint {rng.randint(2, 6)},{rng.randint(1, 9)} milliards d'euros.",
            ],
        ),
        "it": (
            f"Borsa: {city} chiude {ud}, {idx} a {lv}",
            f"Piazza Affari ha chiuso {ud} la seduta di {wd}, con il {idx} che ha segnato una variazione del {pc}% a {lv} punti.",
            [
                f"In evidenza {stocks[0]} (+{moves[0]}%) e {stocks[1]} (+{moves[1]}%).",
                f"In coda {stocks[2]} (-{moves[2]}%) e {stocks[3]} (-{moves[3]}%).",
                f"Lo spread tra Btp e Bund si è attestato a {rng.randint(90, 190)} punti base.",
                f"Controvalore scambiato pari a {rng.randint(2, 4)},{rng.randint(1, 9)} miliardi di euro.",
            ],
        ),
        "en": (
            f"London stocks close {ud}; {idx} at {lv}",
            f"Britain's {idx} closed {pc}% {ud} at {lv} points on {wd}.",
            [
                f"Among the top gainers were {stocks[0]}, up {moves[0]}%, and {stocks[1]}, up {moves[1]}%.",
                f"{stocks[2]} fell {moves[2]}% and {stocks[3]} lost {moves[3]}%.",
                f"Sterling traded at ${rng.uniform(1.2, 1.35):.4f}.",
                f"Volume was {rng.randint(600, 990)} million shares.",
            ],
        ),
    }[lang]
    return Item(t[0], t[1], list(t[2]), "auto", {"kind": "market"})


def automated(lang: str, rng: random.Random, company: str, day: int) -> Item:
    """Automated stock-alert / ad-hoc copy: one sentence pattern, different companies and days."""
    wd = WEEKDAYS[lang][day % 5]
    pct = num(lang, rng.uniform(3, 12))
    price = num(lang, rng.uniform(10, 400), 2)
    vol = rng.randint(2, 9)
    ud = rng.random() < 0.5
    t = {
        "de": (
            f"{company}-Aktie {'steigt' if ud else 'fällt'} um {pct} Prozent",
            f"Die Aktie von {company} hat am {wd} um {pct} Prozent {'zugelegt' if ud else 'nachgegeben'} und schloss bei {price} Franken.",
            [
                f"Das Handelsvolumen war mit {vol}-mal dem Durchschnitt der vergangenen 30 Tage deutlich erhöht.",
                f"Seit Jahresbeginn hat der Titel {num(lang, rng.uniform(1, 30))} Prozent {'gewonnen' if ud else 'verloren'}.",
                "Diese Meldung wurde automatisch aus Börsendaten erstellt.",
            ],
        ),
        "fr": (
            f"L'action {company} {'grimpe' if ud else 'chute'} de {pct}%",
            f"L'action {company} a {'gagné' if ud else 'perdu'} {pct}% {wd}, à {price} francs en clôture.",
            [
                f"Le volume d'échanges a atteint {vol} fois la moyenne des 30 dernières séances.",
                f"Depuis le début de l'année, le titre a {'progressé' if ud else 'reculé'} de {num(lang, rng.uniform(1, 30))}%.",
                "Cette dépêche a été générée automatiquement à partir de données boursières.",
            ],
        ),
        "it": (
            f"Titolo {company} {'sale' if ud else 'scende'} del {pct}%",
            f"Il titolo {company} ha {'guadagnato' if ud else 'perso'} il {pct}% {wd}, chiudendo a {price} euro.",
            [
                f"Gli scambi sono stati pari a {vol} volte la media degli ultimi 30 giorni.",
                f"Da inizio anno il titolo ha {'guadagnato' if ud else 'perso'} il {num(lang, rng.uniform(1, 30))}%.",
                "Notizia generata automaticamente da dati di Borsa.",
            ],
        ),
        "en": (
            f"{company} shares {'rise' if ud else 'fall'} {pct}%",
            f"Shares of {company} {'rose' if ud else 'fell'} {pct}% on {wd} to close at ${price}.",
            [
                f"Trading volume was {vol} times the 30-day average.",
                f"The stock has {'gained' if ud else 'lost'} {num(lang, rng.uniform(1, 30))}% so far this year.",
                "This story was generated automatically from market data.",
            ],
        ),
    }[lang]
    return Item(t[0], t[1], list(t[2]), "auto", {"kind": "automated"})
