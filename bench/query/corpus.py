"""Real-shaped wire articles, generated fast: German, French and English agency copy.

Word frequencies follow Zipf's law over a common vocabulary, each article has a topic whose
words recur in it, and named people and places recur across the stories about them, so the
full-text index sees posting lists shaped like a real archive: function words everywhere,
topic words in a few percent of stories, a person's full name in a few dozen.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

COMMON = {
    "de": """der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als
    auch es an werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über
    einen so zum war haben nur oder aber vor zur bis mehr durch man sein wurde sei seit gegen
    unter wieder worden sagte teilte mit am Montag Dienstag Mittwoch Donnerstag Freitag Samstag
    Sonntag Jahr Jahren Prozent Millionen Franken Euro Schweiz Bund Kanton Kantone Regierung
    Bundesrat Parlament Nationalrat Ständerat Gemeinde Stadt Land Menschen Leute Polizei
    Behörden Sprecher Sprecherin Angaben laut zufolge erklärte betonte hiess weiter bereits
    rund etwa knapp fast neue neuen ersten zweiten letzten grossen kommenden vergangenen
    Woche Wochen Tag Tage Abend Morgen Ende Anfang Zeit Fall Frage Ziel Lage Entscheid
    Bericht Zahl Zahlen Mitteilung Medienmitteilung Agentur Keystone-SDA dpa Bern Zürich
    Genf Basel Lausanne Luzern Berlin Wien Paris Brüssel Präsident Präsidentin Minister
    Ministerin Chef Chefin Experten Studie Unternehmen Firma Konzern Markt Preise Kosten
    Massnahmen Vorschlag Gesetz Vorlage Abstimmung Volk Mehrheit Kritik Forderung""",
    "fr": """le la les de des du et à en un une pour est dans que qui sur au aux par pas
    plus ne se il elle a été sont avec son sa ses ce cette mais ou comme tout être fait selon
    lundi mardi mercredi jeudi vendredi samedi dimanche année ans pour cent millions francs
    euros Suisse Confédération canton cantons gouvernement Conseil fédéral Parlement national
    commune ville pays personnes population police autorités porte-parole indiqué expliqué
    souligné annoncé déclaré a-t-il a-t-elle déjà environ près presque nouveau nouvelle
    premier première dernier dernière grand grande prochain prochaine semaine semaines jour
    jours soir matin fin début temps cas question objectif situation décision rapport nombre
    communiqué agence Keystone-ATS AFP Berne Zurich Genève Bâle Lausanne Paris Bruxelles
    président présidente ministre chef cheffe experts étude entreprise groupe marché prix
    coûts mesures proposition loi projet votation peuple majorité critique demande""",
    "en": """the of and to a in is that for on was with as by at from it be has have are
    said were its been not but an which this their after who will also would more than
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday year years percent million
    billion dollars euros government minister president officials police authorities
    spokesman spokeswoman people country city state national federal parliament told
    statement agency Reuters AP according added already about nearly new first second last
    big next week weeks day days night morning end start time case question goal situation
    decision report number London Washington Geneva Zurich Brussels Paris Berlin chief
    experts study company group market prices costs measures proposal law bill vote
    majority criticism demand""",
}

TOPICS = {
    "de": [
        "Wahlen Wahlkampf Kandidaten Stimmen Partei Parteien Umfrage Sitze Koalition",
        "Inflation Teuerung Zinsen Nationalbank Leitzins Geldpolitik Konjunktur Wachstum",
        "Unwetter Gewitter Hagel Sturm Überschwemmungen Regen Pegel Feuerwehr Schäden",
        "Krieg Angriff Armee Truppen Raketen Front Waffenruhe Offensive Soldaten",
        "Fussball Meisterschaft Tor Trainer Spiel Saison Nationalmannschaft Finale",
        "Spital Gesundheit Ärzte Patienten Krankenkasse Prämien Pflege Medikamente",
        "Bahn SBB Züge Verspätungen Strecke Verkehr Autobahn Stau Tunnel",
        "Klima Klimaschutz Emissionen CO2 Erwärmung Gletscher Energie Solar",
        "Börse Aktien Index Gewinn Umsatz Quartal Anleger Kurs Dividende",
        "Gericht Urteil Anklage Prozess Staatsanwaltschaft Richter Berufung Strafe",
        "Migration Asyl Flüchtlinge Grenze Gesuche Asylsuchende Unterkunft",
        "Schule Lehrer Schüler Bildung Universität Studierende Forschung Hochschule",
    ],
    "fr": [
        "élections campagne candidats voix parti partis sondage sièges coalition",
        "inflation renchérissement taux Banque nationale politique monétaire conjoncture",
        "intempéries orages grêle tempête inondations pluie pompiers dégâts",
        "guerre attaque armée troupes missiles front cessez-le-feu offensive soldats",
        "football championnat but entraîneur match saison équipe nationale finale",
        "hôpital santé médecins patients assurance primes soins médicaments",
        "train CFF retards ligne trafic autoroute bouchon tunnel",
        "climat émissions réchauffement glaciers énergie solaire",
        "Bourse actions indice bénéfice chiffre trimestre investisseurs cours dividende",
        "tribunal jugement accusation procès ministère public juge appel peine",
    ],
    "en": [
        "election campaign candidates votes party parties poll seats coalition",
        "inflation rates central bank interest monetary policy economy growth",
        "storm floods rain hurricane damage firefighters evacuated winds",
        "war attack army troops missiles front ceasefire offensive soldiers",
        "football league goal coach match season national team final",
        "hospital health doctors patients insurance premiums care drugs",
        "rail trains delays line traffic highway tunnel",
        "climate emissions warming glaciers energy solar",
        "stocks shares index profit revenue quarter investors dividend",
        "court ruling charges trial prosecutors judge appeal sentence",
    ],
}

FIRST = """Anna Peter Maria Thomas Sandra Daniel Laura Marco Nicole Stefan Sarah Martin Julia
Andreas Claudia Michael Lea Simon Nadia Pascal Elena Lukas Sophie David Chiara Reto Céline
Jean Marie Pierre Claire Nicolas Camille Olivier Isabelle Luca Giulia Alessandro Francesca
John Emma James Olivia Robert Grace William Ava Ahmed Fatima Ivan Olga Wei Mei Hiroshi Yuki
Alexander Wladimir Karin Ueli Alain Viola Ignazio Guy Elisabeth Beat Doris Ruth Hans""".split()
LAST = """Müller Meier Schmid Keller Weber Huber Schneider Meyer Steiner Fischer Gerber Brunner
Baumann Frei Zimmermann Moser Graf Wyss Roth Suter Bachmann Bieri Lüthi Kaufmann Sutter
Dubois Favre Rochat Bonvin Rey Perrin Morel Girard Jaquet Fontana Rossi Bianchi Ferrari
Smith Johnson Brown Taylor Wilson Davies Evans Thomas Roberts Walker Kowalski Novak Ivanov
Petrov Popescu Nagy Horvat Jensen Hansen Larsen Berg Lindqvist Virtanen Silva Santos Garcia
Martinez Lopez Fernandez Chen Wang Zhang Tanaka Suzuki Kim Park Nguyen Singh Kumar Haddad
Lukaschenko Selenski Macron Scholz Biden Keller-Sutter Cassis Berset Parmelin Amherd
Baume-Schneider Rösti Jans Tkachenko Kovalenko Shevchenko Bondarenko Moroz Lysenko Marchenko
Kravchenko Oliynyk Savchenko Rudenko Melnyk Boyko Tkachuk Polishchuk Kozak Pavlenko""".split()
PLACES = """Bern Zürich Genf Basel Lausanne Luzern St.Gallen Lugano Winterthur Biel Thun Chur
Sion Fribourg Neuchâtel Aarau Schaffhausen Zug Davos Locarno Berlin München Hamburg Wien
Paris Lyon Marseille Brüssel London Rom Mailand Madrid Lissabon Warschau Prag Budapest Kiew
Charkiw Odessa Moskau Minsk Istanbul Ankara Kairo Tel-Aviv Gaza Beirut Dubai Teheran Delhi
Peking Shanghai Tokio Seoul Sydney Washington New-York Chicago Toronto Mexiko Brasilia""".split()
AGENCIES = [
    ("keystone-sda", 35), ("dpa", 20), ("afp", 15), ("reuters", 12),
    ("apa", 8), ("ap", 5), ("ansa", 5),
]  # fmt: skip
LANGS = [("de", 50), ("fr", 25), ("en", 25)]
MEDTOP = [f"medtop:{c}" for c in (
    "01000000", "02000000", "03000000", "04000000", "05000000", "06000000", "07000000",
    "08000000", "09000000", "10000000", "11000000", "12000000", "13000000", "14000000",
    "15000000", "16000000", "17000000", "20000106", "20000420", "20000568", "20000621",
)]  # fmt: skip
PHOTOGRAPHERS = ["Peter Schneider", "Laurent Gillieron", "Michael Buholzer", "Anthony Anex",
                 "Jean-Christophe Bott", "Ennio Leanza", "Gian Ehrenzeller"]  # fmt: skip


def _cum(weights: list[float]) -> list[float]:
    return list(itertools.accumulate(weights))


@dataclass
class GenArticle:
    """One generated story with everything the store's tables need."""

    n: int
    id: str
    guid: str
    language: str
    source: str
    agencies: list[str]
    kicker: str | None
    headline: str
    lead: str
    body: str
    dateline: str
    byline: str | None
    subjects: list[dict[str, str | None]]
    urgency: int
    versioncreated: datetime
    topic: int
    person: str
    image: dict[str, object] | None


class Corpus:
    """Deterministic (seeded) article generator, in publication order."""

    def __init__(self, seed: int = 7, start: datetime | None = None, span_days: float = 730):
        self.rng = random.Random(seed)
        self.start = start or datetime(2023, 1, 1)
        self.span = timedelta(days=span_days)
        self.vocab = {}
        for lang, text in COMMON.items():
            words = text.split()
            self.vocab[lang] = (words, _cum([1.0 / (r + 1) for r in range(len(words))]))
        self.topics = {lang: [t.split() for t in ts] for lang, ts in TOPICS.items()}
        self.people = [f"{f} {last}" for f in FIRST for last in LAST]
        self.rng.shuffle(self.people)
        self.people_cum = _cum([1.0 / (r + 1) ** 0.8 for r in range(len(self.people))])
        self.agency_names = [a for a, _ in AGENCIES]
        self.agency_cum = _cum([w for _, w in AGENCIES])
        self.lang_names = [lang for lang, _ in LANGS]
        self.lang_cum = _cum([w for _, w in LANGS])

    def _sentence(self, lang: str, topic: list[str], person: str, place: str, k: int) -> str:
        words, cum = self.vocab[lang]
        out = self.rng.choices(words, cum_weights=cum, k=k)
        rng = self.rng
        for i in range(k):
            r = rng.random()
            if r < 0.14:
                out[i] = rng.choice(topic)
            elif r < 0.16:
                out[i] = person
            elif r < 0.17:
                out[i] = place
        out[0] = out[0][:1].upper() + out[0][1:]
        return " ".join(out) + "."

    def article(self, n: int, total: int) -> GenArticle:
        rng = self.rng
        lang = rng.choices(self.lang_names, cum_weights=self.lang_cum)[0]
        topic_i = rng.randrange(len(self.topics[lang]))
        topic = self.topics[lang][topic_i]
        person = rng.choices(self.people, cum_weights=self.people_cum)[0]
        place = rng.choice(PLACES)
        source = rng.choices(self.agency_names, cum_weights=self.agency_cum)[0]
        extra = rng.sample(self.agency_names, rng.choice((0, 0, 0, 1, 1, 2)))
        agencies = [source, *[a for a in extra if a != source]]
        s = self._sentence
        headline = s(lang, topic, person, place, rng.randint(6, 10)).rstrip(".")
        lead = s(lang, topic, person, place, rng.randint(18, 30))
        paragraphs = [
            " ".join(s(lang, topic, person, place, rng.randint(10, 22)) for _ in range(3))
            for _ in range(rng.randint(3, 5))
        ]
        when = self.start + self.span * (n / max(1, total)) + timedelta(seconds=rng.random() * 60)
        subjects = [{"code": code, "name": None} for code in rng.sample(MEDTOP, rng.randint(1, 3))]
        image = None
        if rng.random() < 0.3:
            shooter = rng.choice(PHOTOGRAPHERS)
            image = {
                "href": f"https://pix.example-wire.test/{n}/original.jpg",
                "alt": headline[:60],
                "caption": s(lang, topic, person, place, 12),
                "credit": f"KEYSTONE/{shooter}",
                "creator": shooter,
                "agencies": ["keystone"],
                "copyright_holder": "Keystone",
            }
        guid = f"urn:newsml:{source}:{when:%Y%m%d}:{n}"
        return GenArticle(
            n=n,
            id=hashlib.sha256(f"{source}\x1f{guid}".encode()).hexdigest()[:24],
            guid=guid,
            language=lang,
            source=source,
            agencies=agencies,
            kicker=rng.choice(topic) if rng.random() < 0.4 else None,
            headline=headline,
            lead=lead,
            body="\n\n".join(paragraphs),
            dateline=place,
            byline=f"{rng.choice(FIRST)} {rng.choice(LAST[:40])}" if rng.random() < 0.3 else None,
            subjects=subjects,
            urgency=rng.choice((2, 3, 3, 4, 4, 4, 5)),
            versioncreated=when,
            topic=topic_i,
            person=person,
            image=image,
        )
