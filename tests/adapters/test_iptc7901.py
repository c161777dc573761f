"""IPTC 7901 text wire: framing, header, headline block, dateline, signature, time stamp."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from wire import adapters
from wire.adapters.base import FeedSettings
from wire.adapters.iptc7901 import ADAPTER
from wire.errors import AdapterError
from wire.normalise.article import normalise
from wire.record import Article, Rejected, Subject

CASES = Path(__file__).parent / "cases"
SETTINGS = FeedSettings(feed="test")
NOW = datetime(2024, 11, 1, 12, 0, tzinfo=UTC)


def _parse(name: str) -> list[Article | Rejected]:
    return ADAPTER.parse((CASES / name).read_bytes(), SETTINGS)


def _article(result: Article | Rejected) -> Article:
    assert isinstance(result, Article), result
    return result


def _message(header: str, text: str, post: str = "") -> bytes:
    return f"\x01{header}\n\x02{text}\n\x03{post}\n\x04".encode()


def _one(header: str, text: str, post: str = "") -> Article:
    [result] = ADAPTER.parse(_message(header, text, post), SETTINGS)
    return _article(result)


def test_german_sda_message_raw() -> None:
    [result] = _parse("iptc7901_de.txt")
    a = _article(result)
    assert a.guid == "bsd0231-20240312"
    assert (a.version, a.source_version, a.pubstatus) == (1, False, "usable")
    assert a.urgency == 4
    # The correction note before the headline is dropped; the wrapped headline is joined.
    assert (
        a.headline
        == "SBB und Deutsche Bahn bauen das Angebot an Nachtzügen nach Berlin und Hamburg aus"
    )
    assert a.byline == "Von Martin Gerber"
    # The paragraph before the dateline paragraph is the lead.
    assert a.lead == (
        "Reisende zwischen der Schweiz und Norddeutschland erhalten mehr Verbindungen über "
        "Nacht. Die Bahnen reagieren auf die hohe Nachfrage."
    )
    assert a.dateline == "Bern"
    paragraphs = a.body_text.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("Die Schweizerischen Bundesbahnen (SBB) und die Deutsche Bahn")
    # A word broken after its hyphen at a line end is joined back without a space.
    assert "modernisierte Schlaf- und Liegewagen" in paragraphs[1]
    assert paragraphs[2].endswith("die grenzüberschreitende Buchung einfacher wird.")
    assert "mg/sda/dpa" not in a.body_text
    assert a.subjects == [
        Subject("cat:vk", None),
        Subject(None, "Schweiz"),
        Subject(None, "Deutschland"),
        Subject(None, "Verkehr"),
        Subject(None, "Bahn"),
    ]
    # 14:05 local (Europe/Zurich, CET in March) is 13:05 UTC.
    assert a.firstcreated == datetime(2024, 3, 12, 13, 5, tzinfo=UTC)
    assert a.versioncreated is None
    assert a.language is None and a.body_html is None and a.images == []
    # Signature (editor initials dropped), then the dateline agency, then the header agency.
    assert a.credit_strings == ["keystone-sda", "dpa", "sda"]


def test_german_sda_message_normalised() -> None:
    a = normalise(_article(_parse("iptc7901_de.txt")[0]), SETTINGS, NOW)
    assert a.agencies == ["keystone-sda", "dpa"]
    assert a.source == "keystone-sda"
    assert a.language == "de"
    assert a.firstcreated == a.versioncreated == datetime(2024, 3, 12, 13, 5, tzinfo=UTC)
    assert a.id and a.content_hash and a.feed == "test"


def test_french_afp_message_latin1_indented() -> None:
    data = (CASES / "iptc7901_fr.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the fixture really is Latin-1
    [result] = ADAPTER.parse(data, SETTINGS)
    a = _article(result)
    assert a.guid == "FRA0412-20240830"
    assert a.urgency == 3
    assert a.headline == "Le gouvernement présente un budget de rigueur pour 2025"
    assert a.byline is None and a.lead is None
    assert a.dateline == "PARIS"
    paragraphs = a.body_text.split("\n\n")
    assert paragraphs == [
        "Le gouvernement a présenté vendredi un projet de budget prévoyant 40 milliards "
        "d'euros d'économies, dont une large part sur les dépenses des ministères et des "
        "collectivités.",
        "«Nous devons ramener le déficit sous les 5% dès l'an prochain», a déclaré le "
        "ministre de l'Economie lors d'une conférence de presse à Bercy.",
        "L'opposition a aussitôt dénoncé un budget «injuste» qui, selon elle, pèsera "
        "d'abord sur les ménages modestes. Le texte sera examiné par l'Assemblée nationale "
        "à partir du 1er octobre.",
    ]
    assert "bur-pa" not in a.body_text  # the editor-initials trailer is not text
    assert a.subjects == [
        Subject("cat:pol", None),
        Subject(None, "France"),
        Subject(None, "gouvernement"),
        Subject(None, "budget"),
    ]
    assert a.firstcreated == datetime(2024, 8, 30, 14, 5, tzinfo=UTC)  # "GMT" is UTC
    assert a.credit_strings == ["AFP"]
    n = normalise(a, SETTINGS, NOW)
    assert (n.agencies, n.source, n.language) == (["afp"], "afp", "fr")


def test_multi_message_file_keeps_good_rejects_broken() -> None:
    data = (CASES / "iptc7901_multi.txt").read_bytes()
    good, no_etx, empty = ADAPTER.parse(data, SETTINGS)
    a = _article(good)
    assert a.guid == "rtw0107-20240115"
    assert a.urgency == 2
    assert a.headline == "Swiss franc hits record high against the euro"
    assert a.dateline == "ZURICH"
    assert a.body_text.startswith("The Swiss franc rose to a record high")
    assert a.firstcreated == datetime(2024, 1, 15, 10, 32, tzinfo=UTC)
    assert a.credit_strings == ["Reuters", "rtr"]
    assert normalise(a, SETTINGS, NOW).agencies == ["reuters"]
    assert isinstance(no_etx, Rejected) and isinstance(empty, Rejected)
    assert no_etx.reason == "message 2: message has no ETX (end of text) character"
    assert no_etx.guid == "rtw0108"
    assert no_etx.raw.startswith(b"\x01rtw0108 4 fin 120") and no_etx.raw in data
    assert empty.reason == "message 3: message has no body text"
    assert empty.guid == "rtw0109"
    assert empty.raw.startswith(b"\x01rtw0109")


def test_message_without_stx_rejected_others_parsed() -> None:
    data = b"\x01abc0001 3 pol 10\nKein Text\x03\x04" + _message(
        "abc0002 3 pol 10", "Titel\n\nZug (sda) - Der Text."
    )
    broken, good = ADAPTER.parse(data, SETTINGS)
    assert isinstance(broken, Rejected)
    assert broken.reason == "message 1: message has no STX (start of text) character"
    assert _article(good).body_text == "Der Text."


@pytest.mark.parametrize(
    "data", [b"", b"just some text\nwith lines\n", b'{"uri": "u"}', b"\x03\x04"]
)
def test_payload_without_7901_framing_raises(data: bytes) -> None:
    with pytest.raises(AdapterError, match="no SOH or STX"):
        ADAPTER.parse(data, SETTINGS)


def test_stx_without_soh_is_one_message() -> None:
    [result] = ADAPTER.parse(b"xyz0042 2 wir 5\n\x02Titel\n\nBern (sda) - Text.\n\x03", SETTINGS)
    a = _article(result)
    assert (a.guid, a.urgency, a.headline, a.body_text) == ("xyz0042", 2, "Titel", "Text.")


def test_dpa_headline_block_and_closing_line() -> None:
    text = (
        "(Eil \x07\x07\x07\x07\x07)\n"
        "(KORR-Bericht)\n"
        "Hafen meldet Rekordumschlag\n"
        "Von Jonas Keller, dpa\n"
        "(Foto Produktion) =\n"
        "\n"
        "Hamburg (dpa) - Der Hafen hat so viele Container umgeschlagen wie\n"
        "nie zuvor.\n"
        "\n"
        "# Notizblock\n"
        "\n"
        "## Internet\n"
        "- [Hafen](https://example.test)\n"
        "\n"
        "dpa kre yysw a3 lön\n"
    )
    a = _one("bdt0000 2 wi 15  dpa 0000", text, "151030 Okt 24")
    assert a.headline == "Hafen meldet Rekordumschlag"
    assert a.byline == "Von Jonas Keller, dpa"
    assert a.dateline == "Hamburg"
    # The notepad appendix and the closing line are not body text.
    assert a.body_text == "Der Hafen hat so viele Container umgeschlagen wie nie zuvor."
    assert a.credit_strings == ["dpa"]
    assert a.firstcreated == datetime(2024, 10, 15, 8, 30, tzinfo=UTC)  # CEST
    assert a.urgency == 2


def test_closing_line_after_body_is_a_signature() -> None:
    text = "Titel\n\nZürich (sda) - Der Text.\n\ndpa kre/su yysw a3\n"
    a = _one("bdt0123 3 wi 5  dpa 0123", text)
    assert a.body_text == "Der Text."
    assert a.credit_strings == ["dpa", "sda"]


def test_inline_signature_at_the_end_of_the_body() -> None:
    text = "Titel\n\nGenf (sda) - Erster Absatz.\n\nZweiter Absatz endet hier. (sda/afp)\n"
    a = _one("sda0777 4 pol 9", text)
    assert a.body_text == "Erster Absatz.\n\nZweiter Absatz endet hier."
    assert a.credit_strings == ["keystone-sda", "afp", "sda"]


def test_stamp_inside_the_text_when_none_after_etx() -> None:
    text = "Titel\n\nLondon (Reuters) - Text.\n\n151705 GMT Jan 24\n"
    a = _one("rtw0001 4 fin 2", text)
    assert a.firstcreated == datetime(2024, 1, 15, 17, 5, tzinfo=UTC)
    assert a.body_text == "Text."
    assert a.guid == "rtw0001-20240115"


def test_no_dateline_no_stamp() -> None:
    a = _one("xyz0100 5 spo 4", "Titel\n\nEin Text ohne Ortsmarke.")
    assert (a.dateline, a.firstcreated, a.lead, a.credit_strings) == (None, None, None, [])
    assert a.body_text == "Ein Text ohne Ortsmarke."


def test_parenthesis_that_is_not_an_agency_is_no_dateline() -> None:
    a = _one("xyz0101 5 spo 6", "Titel\n\nDer Verein (FCB) - so hiess es - gewann.")
    assert a.dateline is None
    assert a.body_text == "Der Verein (FCB) - so hiess es - gewann."


@pytest.mark.parametrize(
    ("priority", "urgency"), [("1", 1), ("6", 6), ("f", 1), ("b", 2), ("r", 4)]
)
def test_priority_to_urgency(priority: str, urgency: int) -> None:
    assert _one(f"abc0001 {priority} pol 3", "Titel\n\nText.").urgency == urgency


def test_guid_is_stable_and_unnumbered_messages_stay_apart() -> None:
    first = _one("bdt0000 3 pl 3  dpa 0000", "Erster Titel\n\nText eins.", "121200 Mär 24")
    again = _one("bdt0000 3 pl 3  dpa 0000", "Erster Titel\n\nText eins.", "121200 Mär 24")
    other = _one("bdt0000 3 pl 3  dpa 0000", "Zweiter Titel\n\nText zwei.", "121200 Mär 24")
    assert first.guid == again.guid
    assert first.guid.startswith("bdt0000-20240312-")
    assert other.guid != first.guid
    numbered = _one("bdt0815 3 pl 3", "Titel\n\nText.")
    assert numbered.guid == "bdt0815"


def test_unparseable_header_gets_a_content_guid() -> None:
    a = _one("EILMELDUNG", "Titel\n\nText.")
    b = _one("EILMELDUNG", "Titel\n\nText.")
    assert a.guid == b.guid and a.guid.startswith("iptc7901-")
    assert a.urgency is None and a.subjects == []


def test_crlf_and_teleprinter_padding() -> None:
    data = (
        b"ZCZC\r\n\x01abc0005 3 pol 4\r\n\x02Titel\r\n\r\n"
        b"Bern (sda) - Text mit\r\nUmbruch.\r\n\x03\x7f\x7f\x04"
    )
    [result] = ADAPTER.parse(data, SETTINGS)
    a = _article(result)
    assert (a.headline, a.body_text, a.dateline) == ("Titel", "Text mit Umbruch.", "Bern")


def test_oversized_payload_raises() -> None:
    with pytest.raises(AdapterError, match="over the 5 limit"):
        ADAPTER.parse(_message("abc0001 3 pol 1", "T\n\nText."), FeedSettings(max_bytes=5))


def test_sniff() -> None:
    for name in ("iptc7901_de.txt", "iptc7901_fr.txt", "iptc7901_multi.txt"):
        data = (CASES / name).read_bytes()
        assert ADAPTER.sniff(data, name) >= 0.9
        assert adapters.sniff(data, name) is ADAPTER
    assert ADAPTER.sniff(b"plain text", "wire.7901") == 0.8
    assert ADAPTER.sniff(b"plain text", "WIRE.IPT") == 0.8
    assert ADAPTER.sniff(b'{"uri": "u", "headline": "x"}', "a.json") == 0.0
    assert ADAPTER.sniff(b"<rss/>") == 0.0
    assert adapters.get("iptc7901") is ADAPTER


def test_headline_without_blank_line_before_the_dateline() -> None:
    a = _one("abc0009 3 pol 6", "Titel der Meldung\nBern (sda) - Der Text\nfolgt hier.")
    assert (a.headline, a.dateline, a.body_text) == (
        "Titel der Meldung",
        "Bern",
        "Der Text folgt hier.",
    )


def test_message_starting_with_the_dateline_has_no_headline() -> None:
    a = _one("abc0010 3 pol 4", "\nBern (sda) - Nur Text.")
    assert (a.headline, a.dateline, a.body_text) == ("", "Bern", "Nur Text.")


def test_numbers_in_a_last_sentence_are_not_a_stamp() -> None:
    text = (
        "Titel\n\nBern (sda) - Erster Absatz.\n\n"
        "Im Jahr davor waren es laut der Statistik des Bundes noch 120000 Mai 2024 gemeldete Fälle."
    )
    a = _one("abc0011 3 pol 20", text)
    assert a.firstcreated is None
    assert a.body_text.endswith("noch 120000 Mai 2024 gemeldete Fälle.")
