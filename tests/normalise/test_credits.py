"""Image credits: splitting them off captions, reading them, merging with explicit fields."""

from __future__ import annotations

import pytest

from wire.normalise.credits import Credit, apply_credit, parse_credit, split_caption
from wire.record import Image

PUTIN = (
    "Wladimir Putin (l), Präsident von Russland, und Alexander Lukaschenko, "
    "Präsident von Weissrussland."
)


@pytest.mark.parametrize(
    ("text", "caption", "credit"),
    [
        (f"{PUTIN} - dpa", PUTIN, "dpa"),
        ("Fans jubeln – dpa", "Fans jubeln", "dpa"),
        ("Fans jubeln — AFP", "Fans jubeln", "AFP"),
        ("Der Bundesrat tagt - Keystone", "Der Bundesrat tagt", "Keystone"),
        (
            "Der Bundesrat tagt. (KEYSTONE/Peter Schneider)",
            "Der Bundesrat tagt.",
            "KEYSTONE/Peter Schneider",
        ),
        (
            "Der Bundesrat tagt (KEYSTONE/Peter Schneider)",
            "Der Bundesrat tagt",
            "KEYSTONE/Peter Schneider",
        ),
        (
            "Der Bundesrat tagt. Foto: Keystone/EPA/John Doe",
            "Der Bundesrat tagt.",
            "Keystone/EPA/John Doe",
        ),
        (
            "Merkel in Berlin. Bild: dpa/Michael Kappeler",
            "Merkel in Berlin.",
            "dpa/Michael Kappeler",
        ),
        ("Wien bei Nacht. © APA/Hans Klaus Techt", "Wien bei Nacht.", "© APA/Hans Klaus Techt"),
        ("Wien bei Nacht. (c) APA", "Wien bei Nacht.", "© APA"),
        (
            "Protest in Paris. AFP PHOTO / JOHN MACDOUGALL",
            "Protest in Paris.",
            "AFP PHOTO / JOHN MACDOUGALL",
        ),
        ("Demo in Berlin. REUTERS/Fabrizio Bensch", "Demo in Berlin.", "REUTERS/Fabrizio Bensch"),
        (
            "Die Börse in Frankfurt. AP Photo/Michael Probst",
            "Die Börse in Frankfurt.",
            "AP Photo/Michael Probst",
        ),
        ("Biden spricht. (AP Photo/Evan Vucci)", "Biden spricht.", "AP Photo/Evan Vucci"),
        ("zvg", "", "zvg"),
        ("(zvg)", "", "zvg"),
        ("Der neue Direktor. (zvg)", "Der neue Direktor.", "zvg"),
        ("Der neue Direktor. Bild: zvg", "Der neue Direktor.", "zvg"),
        ("Bild: zvg", "", "zvg"),
        ("Bild: Keystone-SDA", "", "Keystone-SDA"),
        ("Photo: Reuters", "", "Reuters"),
        ("Foto: dpa", "", "dpa"),
        ("Crédit: AFP", "", "AFP"),
        ("Manifestation à Genève. Crédit: AFP", "Manifestation à Genève.", "AFP"),
        ("EPA/ANDY RAIN", "", "EPA/ANDY RAIN"),
        ("Wimbledon. EPA/ANDY RAIN", "Wimbledon.", "EPA/ANDY RAIN"),
        ("Keystone / Gaetan Bally", "", "Keystone / Gaetan Bally"),
        ("Zürich im Nebel. Keystone / Gaetan Bally", "Zürich im Nebel.", "Keystone / Gaetan Bally"),
        ("Photo: AFP/Fabrice Coffrini", "", "AFP/Fabrice Coffrini"),
        ("Genf. Photo: AFP/Fabrice Coffrini", "Genf.", "AFP/Fabrice Coffrini"),
        ("Angela Merkel | Foto: Hans Muster", "Angela Merkel", "Hans Muster"),
        ("Angela Merkel Foto: dpa", "Angela Merkel", "dpa"),
        ("Zürich - Bern im Vergleich (Foto: Keystone)", "Zürich - Bern im Vergleich", "Keystone"),
        ("Der Chef. zVg", "Der Chef.", "zVg"),
        ("  Der&nbsp;Chef  lacht.  -  dpa ", "Der Chef lacht.", "dpa"),
        (
            "Biden in Delaware. Copyright 2020 The Associated Press. All rights reserved.",
            "Biden in Delaware.",
            "© The Associated Press",
        ),
        ("Treffen. Foto: Peter Klaunzer (Keystone)", "Treffen.", "Peter Klaunzer (Keystone)"),
        ("Der Bundesrat (Foto: dpa)", "Der Bundesrat", "dpa"),
        ("Bern. Foto: Keystone (Archiv)", "Bern.", "Keystone (Archiv)"),
        ("Lugano. Foto: Ti-Press/Samuel Golay", "Lugano.", "Ti-Press/Samuel Golay"),
    ],
)
def test_split_caption(text: str, caption: str, credit: str) -> None:
    assert split_caption(text) == (caption, credit)


@pytest.mark.parametrize(
    "text",
    [
        "Zürich - Bern im Vergleich",
        "Die Mannschaft - sie jubelt",
        "Spiel FC Basel - FC Sion",
        "Wladimir Putin (l)",
        "Der Bundesrat (Mitte) lacht.",
        "Das Bild: Ein Mann lacht",  # a plain word before the label: needs an agency
        "Er lobte Reuters",
        "Ein Satz. Noch ein Satz mit vielen Wörtern",
        "Das Copyright liegt bei Keystone",
        "Bern - Zürich - Genf",
    ],
)
def test_split_caption_leaves_captions_alone(text: str) -> None:
    assert split_caption(text) == (text, None)


def test_split_caption_empty() -> None:
    assert split_caption("") == ("", None)
    assert split_caption("   ") == ("", None)


@pytest.mark.parametrize(
    ("credit", "expected"),
    [
        ("KEYSTONE/Peter Schneider", Credit("Peter Schneider", ("keystone-sda",), "Keystone-SDA")),
        ("Keystone/EPA/John Doe", Credit("John Doe", ("keystone-sda", "epa"), "Keystone-SDA")),
        ("AFP PHOTO / JOHN MACDOUGALL", Credit("JOHN MACDOUGALL", ("afp",), "AFP")),
        ("REUTERS/Fabrizio Bensch", Credit("Fabrizio Bensch", ("reuters",), "Reuters")),
        ("AP Photo/Michael Probst", Credit("Michael Probst", ("ap",), "AP")),
        ("EPA/ANDY RAIN", Credit("ANDY RAIN", ("epa",), "EPA")),
        ("EPA-EFE/ANDY RAIN", Credit("ANDY RAIN", ("epa",), "EPA")),
        ("Keystone / Gaetan Bally", Credit("Gaetan Bally", ("keystone-sda",), "Keystone-SDA")),
        ("Keystone-SDA", Credit(None, ("keystone-sda",), "Keystone-SDA")),
        ("Foto: dpa", Credit(None, ("dpa",), "dpa")),
        ("dpa/Michael Kappeler", Credit("Michael Kappeler", ("dpa",), "dpa")),
        ("© APA/Hans Klaus Techt", Credit("Hans Klaus Techt", ("apa",), "APA")),
        ("(c) APA", Credit(None, ("apa",), "APA")),
        ("© Stadt Zürich", Credit("Stadt Zürich", (), "Stadt Zürich")),
        ("zvg", Credit(None, (), "zvg")),
        ("Bild: zvg", Credit(None, (), "zvg")),
        ("zvg/Hans Muster", Credit("Hans Muster", (), "zvg")),
        ("Hans Muster", Credit("Hans Muster", (), None)),
        ("AFP/HO", Credit(None, ("afp",), "AFP")),
        ("Reuters/Pool", Credit(None, ("reuters",), "Reuters")),
        ("Photo: AFP/Fabrice Coffrini", Credit("Fabrice Coffrini", ("afp",), "AFP")),
        (
            "Foto: Peter Klaunzer (Keystone)",
            Credit("Peter Klaunzer", ("keystone-sda",), "Keystone-SDA"),
        ),
        ("REUTERS/Denis Balibouse/File Photo", Credit("Denis Balibouse", ("reuters",), "Reuters")),
        ("©Keystone", Credit(None, ("keystone-sda",), "Keystone-SDA")),
        ("Copyright: Keystone", Credit(None, ("keystone-sda",), "Keystone-SDA")),
        ("Copyright 2020 The Associated Press. All rights reserved.", Credit(None, ("ap",), "AP")),
        ("© 2019-2020 AFP", Credit(None, ("afp",), "AFP")),
        ("Foto: dpa-Zentralbild/Jan Woitas", Credit("Jan Woitas", ("dpa",), "dpa")),
        ("AFP/Getty Images/John Doe", Credit("John Doe", ("afp", "getty"), "AFP")),
        ("John Doe via Reuters", Credit("John Doe", ("reuters",), "Reuters")),
        ("", Credit()),
        # An organisation no registry entry knows: an unresolved agency, not a photographer.
        (
            "Bildagentur Beispiel/Hans Muster",
            Credit(
                "Hans Muster",
                ("x-bildagentur-beispiel",),
                "Bildagentur Beispiel",
                (("x-bildagentur-beispiel", "Bildagentur Beispiel"),),
            ),
        ),
        (
            "Hans Muster (Fotoagentur Muster GmbH)",
            Credit(
                "Hans Muster",
                ("x-fotoagentur-muster-gmbh",),
                "Fotoagentur Muster GmbH",
                (("x-fotoagentur-muster-gmbh", "Fotoagentur Muster GmbH"),),
            ),
        ),
        (
            "Keystone/XY Images/Jane Roe",
            Credit(
                "Jane Roe",
                ("keystone-sda", "x-xy-images"),
                "Keystone-SDA",
                (("x-xy-images", "XY Images"),),
            ),
        ),
        ("Hanspeter Bärtschi/AG", Credit("Hanspeter Bärtschi / AG", (), None)),
    ],
)
def test_parse_credit(credit: str, expected: Credit) -> None:
    assert parse_credit(credit) == expected


def test_apply_credit_from_caption() -> None:
    image = apply_credit(Image(href=" https://img.example/1.jpg ", caption=f"{PUTIN} - dpa"))
    assert image.href == "https://img.example/1.jpg"
    assert image.caption == PUTIN
    assert image.credit == "dpa"
    assert image.agencies == ["dpa"]
    assert image.copyright_holder == "dpa"
    assert image.creator is None


def test_apply_credit_explicit_wins() -> None:
    image = apply_credit(
        Image(
            caption="Der Bundesrat tagt. (KEYSTONE/Peter Schneider)",
            credit="Foto: KEYSTONE/Anthony Anex",
            creator="Anthony Anex",
            copyright_holder="Keystone-SDA-ATS AG",
        )
    )
    assert image.caption == "Der Bundesrat tagt."
    assert image.credit == "KEYSTONE/Anthony Anex"
    assert image.creator == "Anthony Anex"
    assert image.agencies == ["keystone-sda"]
    assert image.copyright_holder == "Keystone-SDA-ATS AG"


def test_apply_credit_fills_gaps_from_either_credit() -> None:
    image = apply_credit(Image(caption="Genf. (AFP/Fabrice Coffrini)", credit="AFP"))
    assert image.credit == "AFP"
    assert image.caption == "Genf."
    assert image.agencies == ["afp"]
    assert image.creator == "Fabrice Coffrini"  # only the caption's credit names him


def test_apply_credit_removes_repeated_explicit_credit() -> None:
    image = apply_credit(
        Image(caption="Seeufer in Zug. Lokalzeitung/Hans Muster", credit="Lokalzeitung/Hans Muster")
    )
    assert image.caption == "Seeufer in Zug."
    assert image.credit == "Lokalzeitung/Hans Muster"
    assert image.agencies == []
    assert image.creator == "Lokalzeitung / Hans Muster"


def test_apply_credit_explicit_agencies_resolved() -> None:
    image = apply_credit(Image(caption="Bern.", agencies=["Keystone", "SDA", "dpa"]))
    assert image.agencies == ["keystone-sda", "dpa"]
    assert image.credit is None


def test_apply_credit_empty_strings_become_none() -> None:
    image = apply_credit(Image(href="", alt=" ", caption="\u00a0", credit="", creator=""))
    assert image == Image()


def test_apply_credit_caption_only_credit() -> None:
    image = apply_credit(Image(caption="Bild: zvg"))
    assert image.caption is None
    assert image.credit == "zvg"
    assert image.copyright_holder == "zvg"
    assert image.agencies == []


def test_apply_credit_returns_new_image() -> None:
    original = Image(caption="Fans jubeln - dpa")
    result = apply_credit(original)
    assert original.caption == "Fans jubeln - dpa"
    assert result is not original
