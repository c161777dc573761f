"""The agency registry: aliases to codes, compound credits, body signatures."""

from __future__ import annotations

import pytest

from wire.config import AgencyConfig
from wire.normalise.agencies import (
    Registry,
    all_agencies,
    display_name,
    find_signature,
    is_known,
    is_producer,
    is_unresolved,
    registry,
    resolve_agency,
    resolve_credit,
    slug_code,
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
        ("Nachrichtenagentur Muster ", "x-nachrichtenagentur-muster"),
        ("(Tamedia)", "x-tamedia"),
        ("zvg", "x-zvg"),  # not an agency: credits.py handles it
    ],
)
def test_resolve_unknown_gets_slug(name: str, expected: str | None) -> None:
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
        ("sda/Lokalagentur Muster", ["keystone-sda", "x-lokalagentur-muster"]),
        ("Tamedia AG, Zürich", ["x-tamedia-ag-zurich"]),  # unknown: whole, not split
        ("Müller und Partner", ["x-muller-und-partner"]),
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
    assert display_name("x-lokalagentur") == "x-lokalagentur"
    for code in agencies:
        assert code == code.lower()
        assert resolve_agency(code) == code
        assert resolve_agency(agencies[code]) == code


# Every agency issue 14 names, by the spelling its own copy uses, in several languages.
@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Australian Associated Press", "aap"),
        ("AAP Image", "aap"),
        ("The Associated Press", "ap"),
        ("Agence France-Presse", "afp"),
        ("Thomson Reuters", "reuters"),
        ("Deutsche Presse-Agentur", "dpa"),
        ("Agence Télégraphique Suisse", "keystone-sda"),
        ("Agenzia Telegrafica Svizzera", "keystone-sda"),
        ("Austria Presse Agentur", "apa"),
        ("Agenzia Nazionale Stampa Associata", "ansa"),
        ("AGI", "agi"),
        ("Agenzia Giornalistica Italia", "agi"),
        ("Adnkronos", "adnkronos"),
        ("Agencia EFE", "efe"),
        ("Europa Press", "europa-press"),
        ("Agência Lusa", "lusa"),
        ("Lusa", "lusa"),
        ("Agence Belga", "belga"),
        ("Belga Nieuwsagentschap", "belga"),
        ("Algemeen Nederlands Persbureau", "anp"),
        ("BTA", "bta"),
        ("Česká tisková kancelář", "ctk"),
        ("TASR", "tasr"),
        ("Polska Agencja Prasowa", "pap"),
        ("Magyar Távirati Iroda", "mti"),
        ("HINA", "hina"),
        ("Slovenska tiskovna agencija", "sta"),
        ("Tanjug", "tanjug"),
        ("Agerpres", "agerpres"),
        ("ANA-MPA", "ana-mpa"),
        ("Αθηναϊκό-Μακεδονικό Πρακτορείο Ειδήσεων", "ana-mpa"),
        ("Norsk Telegrambyrå", "ntb"),
        ("TT Nyhetsbyrån", "tt"),
        ("Suomen Tietotoimisto", "stt"),
        ("Lehtikuva", "stt"),
        ("Ritzau Scanpix", "ritzau"),
        ("LETA", "leta"),
        ("Baltic News Service", "bns"),
        ("ELTA", "elta"),
        ("Ukrinform", "ukrinform"),
        ("Interfax", "interfax"),
        ("ТАСС", "tass"),
        ("ITAR-TASS", "tass"),
        ("Anadolu Ajansı", "anadolu"),
        ("新华社", "xinhua"),
        ("Kyodo News", "kyodo"),
        ("Jiji Press", "jiji"),
        ("연합뉴스", "yonhap"),
        ("Press Trust of India", "pti"),
        ("Bernama", "bernama"),
        ("ANTARA FOTO", "antara"),
        ("The Canadian Press", "cp"),
        ("La Presse Canadienne", "cp"),
        ("Notimex", "notimex"),
        ("Télam", "telam"),
        ("Telam", "telam"),
        ("Agência Brasil", "agencia-brasil"),
        ("Middle East News Agency", "mena"),
        ("Kuwait News Agency", "kuna"),
        ("Maghreb Arabe Presse", "map"),
        ("Tunis Afrique Presse", "tap"),
        ("Algérie Presse Service", "aps"),
        ("News Agency of Nigeria", "nan"),
        ("Kenya News Agency", "kna-ke"),
        ("Katholische Nachrichten-Agentur", "kna"),
        ("Evangelischer Pressedienst", "epd"),
        ("Sport-Informations-Dienst", "sid"),
        ("AWP Finanznachrichten", "awp"),
        ("dts Nachrichtenagentur", "dts"),
        ("PA Media", "pa"),
        ("Bloomberg News", "bloomberg"),
        ("Dow Jones Newswires", "dow-jones"),
    ],
)
def test_world_agencies(name: str, code: str) -> None:
    assert resolve_agency(name) == code
    assert is_known(code) and not is_producer(code)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        # IPTC News Provider QCodes and their URIs (provider, infoSource, copyrightHolder).
        ("nprov:AFP", "afp"),
        ("nprov:dpa", "dpa"),
        ("nprov:REUTERS", "reuters"),
        ("nprov:KSDA", "keystone-sda"),
        ("nprov:XHA", "xinhua"),
        ("nprov:NTB", "ntb"),
        ("nprov:HNA", "hina"),
        ("nprov:ANA", "ana-mpa"),
        ("nprov:PC", "cp"),
        ("nprov:GYI", "getty"),
        ("http://cv.iptc.org/newscodes/newsprovider/AP", "ap"),
        ("http://cv.iptc.org/newscodes/newsprovider/EFE/", "efe"),
        # Web domains, URLs and e-mail addresses.
        ("ansa.it", "ansa"),
        ("www.ansa.it", "ansa"),
        ("https://www.ansa.it/sito/notizie/mondo/2024/01/01/x.html", "ansa"),
        ("https://english.news.cn/20240101/abc/c.html", "xinhua"),
        ("apnews.com", "ap"),
        ("https://www.aap.com.au/news/", "aap"),
        ("newsdesk@dpa.com", "dpa"),
        # Desks after an agency name.
        ("PA Sport", "pa"),
        ("AP Business", "ap"),
        ("Reuters Breakingviews", "reuters"),
        ("AFP Sport", "afp"),
        ("dpa-Sportdienst", "dpa"),
        ("ANSA English", "ansa"),
        ("EFE Deportes y Economía", None),  # not desk words all through: unresolved
        # Credit forms.
        ("Photo: AAP", "aap"),
        ("Foto: dpa", "dpa"),
        ("© AFP", "afp"),
        ("(c) 2024 Reuters", "reuters"),
        ("Copyright 2023 The Associated Press", "ap"),
    ],
)
def test_resolve_by_qcode_domain_desk_and_credit(name: str, code: str | None) -> None:
    if code is None:
        assert is_unresolved(resolve_agency(name) or "")
    else:
        assert resolve_agency(name) == code


@pytest.mark.parametrize(
    ("credit", "expected"),
    [
        ("Automated Insights", [("automated-insights", "producer")]),
        ("AP/Automated Insights", [("ap", "agency"), ("automated-insights", "producer")]),
        ("United Robots", [("united-robots", "producer")]),
        (
            "Lokalagentur Muster",
            [("x-lokalagentur-muster", "unresolved")],
        ),
        (
            "sda/Lokalagentur Muster",
            [("keystone-sda", "agency"), ("x-lokalagentur-muster", "unresolved")],
        ),
        ("ansa.it", [("ansa", "agency")]),
        ("https://example.org/feed", [("x-https-example-org-feed", "unresolved")]),
    ],
)
def test_resolve_credit_kinds(credit: str, expected: list[tuple[str, str]]) -> None:
    assert [(r.code, r.kind) for r in resolve_credit(credit)] == expected


def test_unresolved_names_keep_their_raw_name() -> None:
    (res,) = resolve_credit(" Nachrichtenagentur Muster ")
    assert (res.code, res.name, res.kind) == (
        "x-nachrichtenagentur-muster",
        "Nachrichtenagentur Muster",
        "unresolved",
    )


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Lokalagentur Muster", "x-lokalagentur-muster"),
        ("LOKALAGENTUR  muster", "x-lokalagentur-muster"),  # stable across spellings
        ("Agência Pública", "x-agencia-publica"),
        ("Новое агентство", slug_code("Новое агентство")),
    ],
)
def test_slug_codes_are_stable(name: str, code: str) -> None:
    assert slug_code(name) == code
    assert is_unresolved(code)
    assert len(code) <= 62


def test_non_latin_slug_is_a_hash() -> None:
    code = slug_code("Новое агентство")
    assert code.startswith("x-") and len(code) == 12
    assert code == slug_code(" Новое агентство ")


def test_registry_size_and_fields() -> None:
    reg = registry()
    agencies = [a for a in reg.agencies.values() if a.kind == "agency"]
    assert len(agencies) >= 80
    for agency in reg.agencies.values():
        assert agency.kind in ("agency", "producer")
        assert agency.country, agency.code
        assert all(q.startswith("nprov:") for q in agency.qcodes)
        assert not is_unresolved(agency.code)
        for domain in agency.domains:
            assert resolve_agency(domain) == agency.code
        for qcode in agency.qcodes:
            assert resolve_agency(qcode) == agency.code


def test_ops_agencies_from_config() -> None:
    extra = (
        AgencyConfig(code="lokalagentur", name="Lokalagentur", aliases=("LA Muster",)),
        AgencyConfig(code="dpa", aliases=("Deutsche Presseagentur GmbH",)),
        AgencyConfig(code="robo-news", name="RoboNews", kind="producer", domains=("robo.news",)),
        AgencyConfig(code="african-news-agency", aliases=("ANA",)),  # ops take a spelling over
    )
    reg = registry(extra)
    assert resolve_agency("LA Muster", reg) == "lokalagentur"
    assert resolve_agency("Lokalagentur Sport", reg) == "lokalagentur"
    assert display_name("lokalagentur", reg) == "Lokalagentur"
    assert resolve_agency("Deutsche Presseagentur GmbH", reg) == "dpa"
    assert resolve_agency("dpa", reg) == "dpa"
    assert display_name("dpa", reg) == "dpa"
    assert [(r.code, r.kind) for r in resolve_credit("https://robo.news/a", reg)] == [
        ("robo-news", "producer")
    ]
    assert resolve_agency("ANA", reg) == "african-news-agency"
    # The packaged registry is unchanged.
    assert resolve_agency("LA Muster") == "x-la-muster"
    assert resolve_agency("ANA") == "ana-mpa"


def test_packaged_spelling_claimed_twice_is_an_error() -> None:
    reg = Registry()
    reg.add(registry().agencies["ap"])
    with pytest.raises(ValueError, match="claimed"):
        reg.add(registry().agencies["ap"].__class__(code="other", name="AP"))
