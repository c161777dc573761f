"""Plain-text article pages: the seed page is the acceptance test; two more prove generality."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.adapters.helpers import one_article
from wire.adapters.base import FeedSettings
from wire.adapters.text import ADAPTER
from wire.errors import AdapterError
from wire.normalise.article import normalise
from wire.record import Article, Rejected

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).parent / "cases"
SEED = ROOT / "samples" / "seed-nau-lukaschenko.txt"
NOW = datetime(2020, 8, 30, 18, 0, tzinfo=UTC)


def _one(data: bytes, **kw: object) -> Article:
    return one_article(ADAPTER, data, FeedSettings(**kw))  # type: ignore[arg-type]


def _norm(article: Article) -> Article:
    return normalise(article, FeedSettings(), NOW)


def test_seed_acceptance() -> None:
    a = _norm(_one(SEED.read_bytes()))
    assert a.kicker == "Kreml"
    assert a.headline == "Kreml: Alexander Lukaschenko will Putin in Moskau treffen"
    assert a.source == "keystone-sda"
    assert a.agencies == ["keystone-sda"]
    assert a.dateline == "Weissrussland"
    assert a.lead == (
        "Angesichts des Machtkampfes in Weissrussland will sich Staatschef Alexander "
        "Lukaschenko persönlich mit dem russischen Präsidenten Wladimir Putin treffen."
    )
    assert a.key_points == [
        "Weissrusslands Staatschef Alexander Lukaschenko will sich mit Wladimir Putin treffen.",
        "Putin hatte Lukaschenko zuletzt demonstrativ den Rücken gestärkt.",
        "In Belarus demonstrieren zurzeit Tausende gegen die Wiederwahl Lukaschenkos.",
    ]
    paragraphs = a.body_text.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("Angesichts des Machtkampfes in Weissrussland will sich")
    assert paragraphs[0].endswith("Ein genauer Zeitpunkt wurde zunächst nicht genannt.")
    assert paragraphs[1].startswith("Die beiden Politiker hatten zuletzt mehrfach telefoniert")
    assert paragraphs[2].startswith("Putin hatte Lukaschenko zuletzt demonstrativ")
    assert paragraphs[3].endswith(
        "Lukaschenko regiert Belarus bereits seit 26 Jahren mit harter Hand."
    )
    for furniture in (
        "Kommentare", "Weiterlesen", "Interaktionen", "MEHR IN NEWS", "MEHR KREML",
        "MEHR AUS", "Bunkerbrecher", "Proteste in Minsk", "Figur des Widerstands",
    ):  # fmt: skip
        assert furniture not in a.body_text
    assert a.language == "de"
    [img] = a.images
    assert img.alt == "Lukaschenko, Putin"
    assert img.caption == (
        "Wladimir Putin (l), Präsident von Russland, und Alexander Lukaschenko, "
        "Präsident von Weissrussland."
    )
    assert img.agencies == ["dpa"]
    assert img.credit == "dpa"
    assert a.byline is None and a.url is None


def test_seed_raw_fields() -> None:
    a = _one(SEED.read_bytes())
    assert a.credit_strings == ["Keystone-SDA"]  # the repeated agency line, once
    assert a.dateline == "Weissrussland"
    [img] = a.images
    assert img.caption is not None and img.caption.endswith("Weissrussland. - dpa")
    assert img.credit is None  # normalisation splits it off the caption
    assert a.body_html is None
    assert a.firstcreated is None  # the page prints no date


def test_guid_is_stable() -> None:
    first = _one(SEED.read_bytes())
    again = _one(SEED.read_bytes())
    assert first.guid == again.guid and first.guid.startswith("text:")
    located = _one(SEED.read_bytes(), location="/data/inbox/seed-nau-lukaschenko.txt")
    assert located.guid == "text:seed-nau-lukaschenko.txt"
    url = "https://www.example.ch/news/ausland/kreml-lukaschenko-66012345"
    online = _one(SEED.read_bytes(), location=url)
    assert (online.guid, online.url) == (f"text:{url}", url)


def test_french_page() -> None:
    raw = _one((CASES / "text_fr_afp.txt").read_bytes())
    assert raw.credit_strings == ["ATS/AFP", "keystone-sda/afp"]
    a = _norm(raw)
    assert a.kicker == "Climat"
    assert a.headline == "Climat: la Suisse a connu l'été le plus chaud depuis 2003"
    assert a.agencies == ["keystone-sda", "afp"]
    assert a.dateline == "Genève"
    assert a.firstcreated == datetime(2020, 8, 31, 8, 15, tzinfo=UTC)  # "Publié le ..."
    assert a.lead is not None and a.lead.startswith("L'été 2020 a été le deuxième plus chaud")
    assert len(a.key_points) == 3 and a.key_points[1].startswith("Le mois d'août")
    body = a.body_text.split("\n\n")
    assert len(body) == 3
    assert body[-1].endswith("Le bilan définitif sera publié à l'automne.")  # "(ats/afp)" gone
    assert "Commentaires" not in a.body_text and "PLUS DE SUISSE" not in a.body_text
    assert a.language == "fr"
    [img] = a.images
    assert (img.alt, img.credit, img.agencies) == ("Glacier du Rhône", "Keystone", ["keystone-sda"])
    assert (
        img.caption == "Des bâches protègent le glacier du Rhône de la fonte, près de Gletsch (VS)."
    )


def test_english_page() -> None:
    a = _norm(_one((CASES / "text_en_reuters.txt").read_bytes()))
    assert a.kicker == "Markets"
    assert a.headline == "Swiss franc hits five-year high as investors seek safety"
    assert a.byline == "Jane Porter"
    assert a.agencies == ["reuters"]
    assert a.dateline == "London"
    # "Updated: ..." is the version time; normalisation copies it to firstcreated.
    assert a.versioncreated == datetime(2020, 8, 31, 14, 40, tzinfo=UTC)
    assert a.key_points == [
        "The franc traded at 1.05 per euro, its strongest since 2015.",
        "Analysts expect the Swiss National Bank to intervene again.",
    ]
    assert len(a.body_text.split("\n\n")) == 3
    assert not a.body_text.endswith("(Reuters)")
    assert "MORE IN BUSINESS" not in a.body_text and "Oil prices" not in a.body_text
    assert a.language == "en"
    [img] = a.images
    assert (img.alt, img.creator, img.agencies) == (
        "Swiss National Bank",
        "Arnd Wiegmann",
        ["reuters"],
    )


def test_page_without_markers() -> None:
    page = (
        "Zug: Neuer Stadtpräsident gewählt\n\n"
        "Die Stimmberechtigten der Stadt Zug haben am Sonntag einen neuen "
        "Stadtpräsidenten gewählt.\n\n"
        "Der Gewählte setzte sich im zweiten Wahlgang mit 54 Prozent der Stimmen durch.\n\n"
        "Die Stimmbeteiligung lag bei 41 Prozent. (sda)\n"
    ).encode()
    a = _one(page)
    assert (a.kicker, a.headline) == ("Zug", "Zug: Neuer Stadtpräsident gewählt")
    assert a.lead is not None and a.lead.startswith("Die Stimmberechtigten der Stadt Zug")
    assert a.body_text.split("\n\n") == [
        "Der Gewählte setzte sich im zweiten Wahlgang mit 54 Prozent der Stimmen durch.",
        "Die Stimmbeteiligung lag bei 41 Prozent.",
    ]
    assert _norm(a).agencies == ["keystone-sda"]


def test_windows_1252_page() -> None:
    page = (
        "Schweiz\n\nBern: Nationalrat berät Budget\n\n"
        "Der Nationalrat hat am Montag die Beratung des Budgets für das nächste Jahr aufgenommen.\n"
    )
    a = _one(page.encode("cp1252"))
    assert a.headline == "Bern: Nationalrat berät Budget"
    assert a.lead is not None and "für das nächste Jahr" in a.lead


def test_headline_only_is_rejected() -> None:
    [r] = ADAPTER.parse(b"Nur eine Schlagzeile ohne Text\n", FeedSettings())
    assert isinstance(r, Rejected)
    assert "no article text" in r.reason
    assert r.raw == b"Nur eine Schlagzeile ohne Text\n"


@pytest.mark.parametrize("payload", [b"", b"\n\n  \n", b"\x00\x01\x02binary\x00"])
def test_unreadable_payloads(payload: bytes) -> None:
    with pytest.raises(AdapterError):
        ADAPTER.parse(payload, FeedSettings())


def test_sniff() -> None:
    seed = SEED.read_bytes()
    assert ADAPTER.sniff(seed, "seed-nau-lukaschenko.txt") == 0.5
    assert ADAPTER.sniff(seed, None) == 0.3
    assert ADAPTER.sniff(b"<rss version='2.0'/>", "feed.txt") == 0.0
    assert ADAPTER.sniff(b'{"a": 1}', None) == 0.0
    assert ADAPTER.sniff(b"\x01ZCZC sda0001", None) == 0.0  # IPTC 7901 starts with SOH
    assert ADAPTER.sniff(b"", "empty.txt") == 0.0


def test_hard_wrapped_paragraphs_are_joined() -> None:
    page = (
        "Wetter\n\nGewitter ziehen über die Alpennordseite\n\n"
        "Am Abend ziehen von Westen her kräftige Gewitter über die Alpennordseite und\n"
        "bringen örtlich Hagel und Sturmböen.\n\n"
        "Meteoschweiz hat für mehrere Kantone eine Warnung der Stufe drei herausgegeben,\n"
        "wie das Bundesamt am Nachmittag mitteilte.\n"
        "Die Temperaturen sinken danach um bis zu zehn Grad.\n\n"
        "-5 Grad sind es am Morgen auf dem Säntis, meldet der Wetterdienst weiter.\n"
    ).encode()
    a = _one(page)
    assert a.lead == (
        "Am Abend ziehen von Westen her kräftige Gewitter über die Alpennordseite und "
        "bringen örtlich Hagel und Sturmböen."
    )
    assert a.body_text.split("\n\n") == [
        "Meteoschweiz hat für mehrere Kantone eine Warnung der Stufe drei herausgegeben, "
        "wie das Bundesamt am Nachmittag mitteilte.",
        "Die Temperaturen sinken danach um bis zu zehn Grad.",
        "-5 Grad sind es am Morgen auf dem Säntis, meldet der Wetterdienst weiter.",
    ]
