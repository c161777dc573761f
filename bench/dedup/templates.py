"""Template wire copy: daily market reports, weather forecasts and football results.

Agencies write these from one template every day; two days are different stories that share
most of their phrasing, which is what makes them the hardest negatives for near-duplicate
detection. Each generator takes a random generator and a day number and returns
``(headline, lead, paragraphs)``.
"""

from __future__ import annotations

import random
from collections.abc import Callable

Story = tuple[str, str, list[str]]

DE_DAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"]
FR_DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi"]
EN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]

CH_STOCKS = ["Nestlé", "Novartis", "Roche", "UBS", "Zurich", "ABB", "Lonza", "Sika",
             "Givaudan", "Holcim", "Swiss Re", "Richemont", "Partners Group", "Logitech",
             "Swisscom", "Geberit", "Alcon", "Sonova", "Kühne+Nagel", "Swiss Life"]  # fmt: skip
US_STOCKS = ["Apple", "Microsoft", "Nvidia", "Amazon", "Alphabet", "Meta", "Tesla",
             "JPMorgan", "Exxon Mobil", "Boeing", "Intel", "Walmart", "Pfizer", "Nike",
             "Disney", "Goldman Sachs", "Netflix", "Caterpillar", "Chevron", "Visa"]  # fmt: skip
FR_STOCKS = ["LVMH", "TotalEnergies", "Sanofi", "Airbus", "BNP Paribas", "L'Oréal",
             "Hermès", "Kering", "Renault", "Stellantis", "Danone", "Orange", "Vinci",
             "Société Générale", "Michelin", "Capgemini", "Carrefour", "Engie", "Safran",
             "Schneider Electric"]  # fmt: skip

DE_REASONS = [
    "Nach enttäuschenden Konjunkturdaten aus China zogen sich viele Anleger aus Aktien zurück.",
    "Händler verwiesen auf die Hoffnung auf sinkende Zinsen in den USA.",
    "Im Fokus standen die Inflationszahlen aus den USA, die am Nachmittag veröffentlicht wurden.",
    "Gestützt wurde der Markt von den defensiven Schwergewichten.",
    "Gewinnmitnahmen nach der jüngsten Rally belasteten die Stimmung.",
    "Die Unsicherheit über den Ausgang der US-Wahlen hielt viele Investoren an der Seitenlinie.",
    "Der starke Franken drückte auf die Kurse der exportorientierten Unternehmen.",
    "Ein Rückgang der Ölpreise sorgte für Entlastung.",
    "Die Berichtssaison brachte mehrheitlich Zahlen über den Erwartungen.",
    "Aussagen von Notenbankern dämpften die Hoffnung auf baldige Zinssenkungen.",
]
FR_REASONS = [
    "Des statistiques décevantes en Chine ont poussé les investisseurs à la prudence.",
    "Les opérateurs espèrent une baisse des taux aux Etats-Unis.",
    "Les chiffres de l'inflation américaine publiés dans l'après-midi ont retenu l'attention.",
    "Les valeurs défensives ont soutenu le marché.",
    "Des prises de bénéfices ont pesé après la récente série de hausses.",
    "L'incertitude politique à Paris a pesé sur les valeurs bancaires.",
    "La baisse des prix du pétrole a soulagé les marchés.",
    "La saison des résultats a apporté de bonnes surprises.",
    "Des propos de banquiers centraux ont refroidi les espoirs de baisse des taux.",
    "Le recul du dollar a pénalisé les exportateurs européens.",
]
EN_REASONS = [
    "Weak economic data from China prompted investors to cut their exposure to stocks.",
    "Traders cited hopes for lower U.S. interest rates.",
    "Investors focused on U.S. inflation figures released in the afternoon.",
    "Defensive heavyweights supported the market.",
    "Profit-taking after the recent rally weighed on sentiment.",
    "Uncertainty ahead of the election kept many investors on the sidelines.",
    "A drop in oil prices provided some relief.",
    "Earnings season has so far brought mostly better-than-expected results.",
    "Comments from Fed officials dampened hopes of early rate cuts.",
    "A stronger dollar hurt exporters and commodity producers.",
]


def _pct(rng: random.Random, lo: float = 0.1, hi: float = 2.5) -> float:
    return round(rng.uniform(lo, hi), 2)


def _num_de(x: float) -> str:
    return f"{x:,.2f}".replace(",", "'").replace(".", ",").replace("'", "'")


def market_de(rng: random.Random, day: int) -> Story:
    up = rng.random() < 0.5
    move, level = _pct(rng), rng.uniform(10800, 12400)
    stocks = rng.sample(CH_STOCKS, 6)
    wd = DE_DAYS[day % 5]
    word = "fester" if up else "schwächer"
    verb = rng.choice(["legte", "stieg"]) if up else rng.choice(["gab", "fiel"])
    tail = " zu" if verb == "legte" else (" nach" if verb == "gab" else "")
    return (
        f"Schweizer Börse schliesst {word} – {stocks[0]} {'gesucht' if up else 'unter Druck'}",
        f"Die Schweizer Börse hat am {wd} {word} geschlossen.",
        [
            f"Der Leitindex SMI {verb} um {_num_de(move)} Prozent{tail} auf {_num_de(level)} "
            f"Punkte. Der breite SPI {'gewann' if up else 'verlor'} {_num_de(_pct(rng))} Prozent. "
            f"{rng.choice(DE_REASONS)}",
            f"Zu den grössten Gewinnern gehörten {stocks[0]} mit einem Plus von "
            f"{_num_de(_pct(rng, 1, 6))} Prozent und {stocks[1]} mit "
            f"{_num_de(_pct(rng, 0.5, 4))} Prozent. {rng.choice(DE_REASONS)}",
            f"Am anderen Ende der Liste verloren {stocks[2]} {_num_de(_pct(rng, 1, 5))} Prozent "
            f"und {stocks[3]} {_num_de(_pct(rng, 0.5, 3))} Prozent. Die Schwergewichte "
            f"{stocks[4]} und {stocks[5]} bewegten sich kaum.",
            f"Der Dollar kostete zuletzt {_num_de(rng.uniform(0.84, 0.92))} Franken, der Euro "
            f"{_num_de(rng.uniform(0.93, 0.99))} Franken. Eine Unze Gold wurde zu "
            f"{rng.randint(1900, 2500)} Dollar gehandelt.",
        ],
    )


def market_fr(rng: random.Random, day: int) -> Story:
    up = rng.random() < 0.5
    move, level = _pct(rng), rng.uniform(7100, 8200)
    stocks = rng.sample(FR_STOCKS, 6)
    wd = FR_DAYS[day % 5]
    sens = "en hausse" if up else "en baisse"
    return (
        f"La Bourse de Paris termine {sens}, {stocks[0]} {'recherché' if up else 'sanctionné'}",
        f"La Bourse de Paris a terminé {sens} {wd}.",
        [
            f"Le CAC 40 a {'gagné' if up else 'perdu'} {move:.2f} % à {level:.2f} points. "
            f"{rng.choice(FR_REASONS)}",
            f"Parmi les plus fortes hausses, {stocks[0]} a pris {_pct(rng, 1, 6):.2f} % et "
            f"{stocks[1]} {_pct(rng, 0.5, 4):.2f} %. {rng.choice(FR_REASONS)}",
            f"A l'inverse, {stocks[2]} a cédé {_pct(rng, 1, 5):.2f} % et {stocks[3]} "
            f"{_pct(rng, 0.5, 3):.2f} %. Les poids lourds {stocks[4]} et {stocks[5]} sont restés "
            f"stables.",
            f"L'euro s'échangeait à {rng.uniform(1.05, 1.12):.4f} dollar. Le baril de Brent "
            f"valait {rng.uniform(70, 90):.2f} dollars.",
        ],
    )


def market_en(rng: random.Random, day: int) -> Story:
    up = rng.random() < 0.5
    move, level = _pct(rng), rng.uniform(38000, 42000)
    stocks = rng.sample(US_STOCKS, 6)
    wd = EN_DAYS[day % 5]
    word = "higher" if up else "lower"
    return (
        f"Wall Street closes {word} as {stocks[0]} {'jumps' if up else 'slides'}",
        f"U.S. stocks ended {word} on {wd}.",
        [
            f"The Dow Jones Industrial Average {'rose' if up else 'fell'} {move:.2f}% to "
            f"{level:,.2f} points, while the S&P 500 {'gained' if up else 'lost'} "
            f"{_pct(rng):.2f}% and the Nasdaq Composite {'added' if up else 'shed'} "
            f"{_pct(rng):.2f}%. {rng.choice(EN_REASONS)}",
            f"Among the biggest gainers, {stocks[0]} rose {_pct(rng, 1, 6):.2f}% and {stocks[1]} "
            f"climbed {_pct(rng, 0.5, 4):.2f}%. {rng.choice(EN_REASONS)}",
            f"On the downside, {stocks[2]} fell {_pct(rng, 1, 5):.2f}% and {stocks[3]} lost "
            f"{_pct(rng, 0.5, 3):.2f}%. Heavyweights {stocks[4]} and {stocks[5]} were little "
            f"changed.",
            f"The benchmark 10-year Treasury yield stood at {rng.uniform(3.8, 4.7):.2f}%. Brent "
            f"crude settled at ${rng.uniform(70, 90):.2f} a barrel.",
        ],
    )


DE_REGIONS = ["im Mittelland", "in der Westschweiz", "im Tessin", "in den Alpen", "im Jura",
              "in der Ostschweiz", "im Wallis", "in Graubünden"]  # fmt: skip
DE_SKY = ["sonnig", "meist bewölkt", "wechselhaft mit Schauern", "neblig, später sonnig",
          "regnerisch", "gewittrig", "teilweise sonnig"]  # fmt: skip
FR_REGIONS = ["sur le Plateau", "en Suisse romande", "au Tessin", "dans les Alpes",
              "dans le Jura", "en Valais", "dans le nord-est", "aux Grisons"]  # fmt: skip
FR_SKY = ["ensoleillé", "très nuageux", "variable avec des averses", "brumeux puis ensoleillé",
          "pluvieux", "orageux", "partiellement ensoleillé"]  # fmt: skip
EN_REGIONS = ["in the Northeast", "across the Midwest", "in the South", "along the West Coast",
              "in the Rockies", "in the Great Lakes region", "in Texas", "in Florida"]  # fmt: skip
EN_SKY = ["sunny", "mostly cloudy", "showery", "foggy early, then sunny", "rainy",
          "stormy", "partly sunny"]  # fmt: skip


def weather_de(rng: random.Random, day: int) -> Story:
    r = rng.sample(DE_REGIONS, 4)
    s = rng.sample(DE_SKY, 4)
    t = rng.randint(8, 30)
    return (
        f"Wetter am {DE_DAYS[day % 5]}: {s[0].capitalize()} {r[0]}",
        f"Am {DE_DAYS[day % 5]} ist es {r[0]} {s[0]}, die Temperaturen erreichen {t} Grad.",
        [
            f"{r[1].capitalize()} ist es {s[1]} bei Höchstwerten um {t - rng.randint(0, 4)} Grad. "
            f"{r[2].capitalize()} wird es {s[2]}, die Nullgradgrenze liegt auf "
            f"{rng.randint(18, 42) * 100} Metern.",
            f"Der Wind weht {rng.choice(['schwach', 'mässig', 'stark'])} aus "
            f"{rng.choice(['Südwest', 'Nordost', 'West', 'Nord'])}. {r[3].capitalize()} ist es "
            f"{s[3]}.",
            f"Am {DE_DAYS[(day + 1) % 5]} wird es {rng.choice(DE_SKY)}, die Temperaturen "
            f"{rng.choice(['steigen', 'sinken', 'bleiben ähnlich'])}.",
        ],
    )


def weather_fr(rng: random.Random, day: int) -> Story:
    r = rng.sample(FR_REGIONS, 4)
    s = rng.sample(FR_SKY, 4)
    t = rng.randint(8, 30)
    return (
        f"Météo de {FR_DAYS[day % 5]}: temps {s[0]} {r[0]}",
        f"Ce {FR_DAYS[day % 5]}, le temps sera {s[0]} {r[0]} avec {t} degrés.",
        [
            f"{r[1].capitalize()}, le ciel sera {s[1]} avec des maximales de "
            f"{t - rng.randint(0, 4)} degrés. {r[2].capitalize()}, temps {s[2]}, isotherme du zéro "
            f"degré vers {rng.randint(18, 42) * 100} mètres.",
            f"Le vent soufflera {rng.choice(['faiblement', 'modérément', 'fortement'])} du "
            f"{rng.choice(['sud-ouest', 'nord-est', 'ouest', 'nord'])}. {r[3].capitalize()}, "
            f"temps {s[3]}.",
            f"{FR_DAYS[(day + 1) % 5].capitalize()}, temps {rng.choice(FR_SKY)} et températures "
            f"{rng.choice(['en hausse', 'en baisse', 'stables'])}.",
        ],
    )


def weather_en(rng: random.Random, day: int) -> Story:
    r = rng.sample(EN_REGIONS, 4)
    s = rng.sample(EN_SKY, 4)
    t = rng.randint(45, 95)
    return (
        f"Weather for {EN_DAYS[day % 5]}: {s[0]} {r[0]}",
        f"{EN_DAYS[day % 5]} will be {s[0]} {r[0]} with highs near {t}F.",
        [
            f"Skies will be {s[1]} {r[1]} with highs around {t - rng.randint(0, 8)}F. It will be "
            f"{s[2]} {r[2]}, with a {rng.randint(10, 90)}% chance of rain.",
            f"Winds will be {rng.choice(['light', 'moderate', 'strong'])} from the "
            f"{rng.choice(['southwest', 'northeast', 'west', 'north'])}. Expect {s[3]} conditions "
            f"{r[3]}.",
            f"On {EN_DAYS[(day + 1) % 5]}, it will be {rng.choice(EN_SKY)} and temperatures will "
            f"{rng.choice(['rise', 'fall', 'hold steady'])}.",
        ],
    )


CH_TEAMS = ["FC Basel", "FC Zürich", "Young Boys", "Servette", "FC Lugano", "FC St. Gallen",
            "FC Luzern", "Grasshoppers", "FC Sion", "FC Winterthur", "Lausanne-Sport",
            "Yverdon-Sport"]  # fmt: skip
FR_TEAMS = ["PSG", "Marseille", "Lyon", "Monaco", "Lille", "Nice", "Lens", "Rennes",
            "Nantes", "Strasbourg", "Toulouse", "Reims"]  # fmt: skip
EN_TEAMS = ["Arsenal", "Chelsea", "Liverpool", "Manchester City", "Manchester United",
            "Tottenham", "Newcastle", "Aston Villa", "Brighton", "West Ham", "Everton",
            "Fulham"]  # fmt: skip
PLAYERS = ["Müller", "Meier", "Dupont", "Silva", "Johnson", "Rossi", "Kane", "Garcia",
           "Nkunku", "Okafor", "Xhaka", "Embolo", "Sow", "Zeqiri", "Amenda", "Itten",
           "Dembélé", "Saka", "Salah", "Haaland", "Palmer", "Foden", "Son", "Watkins"]  # fmt: skip


def _match(rng: random.Random, teams: list[str]) -> tuple[str, str, int, int, list[str]]:
    home, away = rng.sample(teams, 2)
    hg, ag = rng.randint(0, 4), rng.randint(0, 3)
    if hg == ag:
        hg += 1
    scorers = [f"{rng.choice(PLAYERS)} ({rng.randint(3, 90)}.)" for _ in range(hg + ag)]
    return home, away, hg, ag, scorers


def sports_de(rng: random.Random, day: int) -> Story:
    home, away, hg, ag, sc = _match(rng, CH_TEAMS)
    spieltag = rng.randint(3, 34)
    return (
        f"{home} schlägt {away} {hg}:{ag}" if hg > ag else f"{away} gewinnt bei {home} {ag}:{hg}",
        f"In der {spieltag}. Runde der Super League hat {home} gegen {away} {hg}:{ag} gespielt.",
        [
            f"Vor {rng.randint(5, 30) * 1000} Zuschauern gingen die "
            f"{'Gastgeber' if rng.random() < 0.5 else 'Gäste'} in der "
            f"{rng.randint(3, 40)}. Minute in Führung. Die Tore erzielten {', '.join(sc)}.",
            f"{home} liegt nun mit {rng.randint(10, 60)} Punkten auf Platz {rng.randint(1, 12)}, "
            f"{away} mit {rng.randint(10, 60)} Punkten auf Rang {rng.randint(1, 12)}.",
            f"In der nächsten Runde trifft {home} auswärts auf {rng.choice(CH_TEAMS)}.",
        ],
    )


def sports_fr(rng: random.Random, day: int) -> Story:
    home, away, hg, ag, sc = _match(rng, FR_TEAMS)
    j = rng.randint(3, 34)
    return (
        f"{home} bat {away} {hg}-{ag}" if hg > ag else f"{away} s'impose à {home} {ag}-{hg}",
        f"Lors de la {j}e journée de Ligue 1, {home} et {away} se sont affrontés ({hg}-{ag}).",
        [
            f"Devant {rng.randint(10, 60) * 1000} spectateurs, "
            f"{'les locaux' if rng.random() < 0.5 else 'les visiteurs'} ont ouvert le score à la "
            f"{rng.randint(3, 40)}e minute. Buteurs: {', '.join(sc)}.",
            f"{home} compte désormais {rng.randint(10, 60)} points et occupe la "
            f"{rng.randint(1, 12)}e place, {away} est {rng.randint(1, 12)}e avec "
            f"{rng.randint(10, 60)} points.",
            f"Lors de la prochaine journée, {home} se déplacera à {rng.choice(FR_TEAMS)}.",
        ],
    )


def sports_en(rng: random.Random, day: int) -> Story:
    home, away, hg, ag, sc = _match(rng, EN_TEAMS)
    return (
        f"{home} beat {away} {hg}-{ag}" if hg > ag else f"{away} win {ag}-{hg} at {home}",
        f"{home} and {away} met in the Premier League on {EN_DAYS[day % 5]}, "
        f"the match ending {hg}-{ag}.",
        [
            f"In front of {rng.randint(20, 70) * 1000} fans, "
            f"{'the hosts' if rng.random() < 0.5 else 'the visitors'} took the lead in the "
            f"{rng.randint(3, 40)}th minute. Goals: {', '.join(sc)}.",
            f"{home} now have {rng.randint(10, 60)} points in position {rng.randint(1, 12)}, "
            f"while {away} are {rng.randint(1, 12)}th on {rng.randint(10, 60)} points.",
            f"Next up, {home} travel to {rng.choice(EN_TEAMS)}.",
        ],
    )


TEMPLATES: dict[str, dict[str, Callable[[random.Random, int], Story]]] = {
    "market": {"de": market_de, "fr": market_fr, "en": market_en},
    "weather": {"de": weather_de, "fr": weather_fr, "en": weather_en},
    "sports": {"de": sports_de, "fr": sports_fr, "en": sports_en},
}
