"""The agency registry: aliases to codes, compound credits, body signatures."""

from __future__ import annotations

import pytest

from wire.normalise.agencies import (
    all_agencies,
    display_name,
    find_signature,
    is_known,
    resolve_agency,
    split_agencies,
)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Keystone-SDA", "keystone-sda"),
        ("SDA", "keystone-sda"),
        ("sda", "keystone-sda"),
        ("SDA-ATS", "keystone-sda"),
        ("ATS", "keystone-sda"),
        ("Keystone-ATS", "keystone-sda"),
        ("Keystone", "keystone-sda"),
        ("KEYSTONE", "keystone-sda"),
        ("Keystone SDA", "keystone-sda"),
        ("Schweizerische Depeschenagentur", "keystone-sda"),
        ("dpa", "dpa"),
        ("Deutsche Presse-Agentur", "dpa"),
        ("dpa-AFX", "dpa-afx"),
        ("AFP", "afp"),
        ("Agence France-Presse", "afp"),
        ("Agence France Presse", "afp"),
        ("AFP PHOTO", "afp"),
        ("Reuters", "reuters"),
        ("REUTERS", "reuters"),
        ("rtr", "reuters"),
        ("AP", "ap"),
        ("Associated Press", "ap"),
        ("AP Photo", "ap"),
        ("APA", "apa"),
        ("Austria Presse Agentur", "apa"),
        ("ANSA", "ansa"),
        ("EPA", "epa"),
        ("EPA-EFE", "epa"),
        ("EFE", "efe"),
        ("KNA", "kna"),
        ("awp", "awp"),
        ("SID", "sid"),
        ("Xinhua", "xinhua"),
        ("ddp", "ddp"),
        ("Kyodo", "kyodo"),
        ("ANP", "anp"),
        ("Belga", "belga"),
        ("TASS", "tass"),
        ("RIA Novosti", "ria"),
        ("UPI", "upi"),
        ("PA Media", "pa"),
        ("Press Association", "pa"),
        ("ČTK", "ctk"),
        ("CTK", "ctk"),
        ("PAP", "pap"),
        ("TT", "tt"),
        ("NTB", "ntb"),
        ("Ritzau", "ritzau"),
        ("STT", "stt"),
        ("Bloomberg", "bloomberg"),
        ("Dow Jones", "dow-jones"),
        ("epd", "epd"),
        ("AFX", "dpa-afx"),
        ("  (sda) ", "keystone-sda"),
        ("keystone-sda", "keystone-sda"),
    ],
)
def test_resolve_known(name: str, code: str) -> None:
    assert resolve_agency(name) == code
    assert is_known(code)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("", None),
        ("   ", None),
        ("()", None),
        ("Nachrichtenagentur Muster ", "Nachrichtenagentur Muster"),
        ("(Tamedia)", "Tamedia"),
        ("zvg", "zvg"),  # not an agency: kept verbatim, credits.py handles it
    ],
)
def test_resolve_unknown_kept_verbatim(name: str, expected: str | None) -> None:
    assert resolve_agency(name) == expected


def test_zvg_is_not_an_agency() -> None:
    assert not is_known("zvg")
    assert not is_known(resolve_agency("zvg") or "")


@pytest.mark.parametrize(
    ("credit", "codes"),
    [
        ("sda/dpa", ["keystone-sda", "dpa"]),
        ("SDA/AFP/dpa", ["keystone-sda", "afp", "dpa"]),
        ("awp/sda", ["awp", "keystone-sda"]),
        ("Keystone-SDA/dpa", ["keystone-sda", "dpa"]),
        ("AFP/Reuters", ["afp", "reuters"]),
        ("(sda/dpa)", ["keystone-sda", "dpa"]),
        ("[sda/dpa]", ["keystone-sda", "dpa"]),
        ("sda, dpa", ["keystone-sda", "dpa"]),
        ("sda; dpa", ["keystone-sda", "dpa"]),
        ("sda & dpa", ["keystone-sda", "dpa"]),
        ("sda+dpa", ["keystone-sda", "dpa"]),
        ("dpa und AFP", ["dpa", "afp"]),
        ("Reuters and AP", ["reuters", "ap"]),
        ("sda/dpa/afp/rtr", ["keystone-sda", "dpa", "afp", "reuters"]),
        ("Keystone-SDA", ["keystone-sda"]),
        ("dpa-AFX", ["dpa-afx"]),
        ("Keystone/SDA", ["keystone-sda"]),  # deduplicated
        ("sda/sda", ["keystone-sda"]),
        ("xy/sda", ["keystone-sda"]),  # editor initials dropped
        ("sda/Lokalagentur Muster", ["keystone-sda", "Lokalagentur Muster"]),
        ("Tamedia AG, Zürich", ["Tamedia AG, Zürich"]),  # unknown: whole, not split
        ("Müller und Partner", ["Müller und Partner"]),
        ("", []),
        ("  ", []),
    ],
)
def test_split_agencies(credit: str, codes: list[str]) -> None:
    assert split_agencies(credit) == codes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Er kam nicht. (sda/dpa)", ("Er kam nicht.", ["keystone-sda", "dpa"])),
        ("Er kam nicht. (AFP)", ("Er kam nicht.", ["afp"])),
        ("Er kam nicht. (SDA)", ("Er kam nicht.", ["keystone-sda"])),
        ("Er kam nicht.(sda)", ("Er kam nicht.", ["keystone-sda"])),
        ("Er kam nicht. sda/dpa", ("Er kam nicht.", ["keystone-sda", "dpa"])),
        ("Er kam nicht. xy/sda", ("Er kam nicht.", ["keystone-sda"])),
        ("Er kam nicht. (xy/sda)", ("Er kam nicht.", ["keystone-sda"])),
        ("Er kam nicht. (sda/dpa/afp) ", ("Er kam nicht.", ["keystone-sda", "dpa", "afp"])),
        ("Absatz eins.\n\nsda", ("Absatz eins.", ["keystone-sda"])),
        ("Absatz eins.\n\n(dpa)", ("Absatz eins.", ["dpa"])),
        ("(sda)", ("", ["keystone-sda"])),
    ],
)
def test_find_signature(text: str, expected: tuple[str, list[str]]) -> None:
    assert find_signature(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Er lobte die Arbeit von Reuters",  # no sentence end before it: prose
        "Er sagte, AP",
        "Das Bild zeigt den Bundesrat (Mitte)",
        "Er kam nicht. (Mitarbeit: Hans Muster)",
        "Er kam nicht. (xy)",  # initials alone are no signature
        "Er kam nicht. (sda/Lokalagentur)",  # every part must be a known agency
        "Er kam nicht.",
    ],
)
def test_find_signature_rejects(text: str) -> None:
    assert find_signature(text) is None


def test_display_names_and_listing() -> None:
    agencies = all_agencies()
    assert agencies["keystone-sda"] == "Keystone-SDA"
    assert display_name("afp") == "AFP"
    assert display_name("Lokalagentur") == "Lokalagentur"
    for code in agencies:
        assert code == code.lower()
        assert resolve_agency(code) == code
        assert resolve_agency(agencies[code]) == code
