"""Text hygiene: clean lines, safe HTML, HTML to paragraphs, language detection."""

from __future__ import annotations

import pytest

from wire.normalise.text import clean_text, detect_language, html_to_text, sanitize_html


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("", ""),
        ("  Bern  ", "Bern"),
        ("Bern&nbsp;und&nbsp;Zürich", "Bern und Zürich"),
        ("Bern\u00a0und\u202fZürich", "Bern und Zürich"),
        ("Bundes\u00adrat", "Bundesrat"),
        ("Zero\u200bwidth\ufeff", "Zerowidth"),
        ("Bell\x07 and\x00 null", "Bell and null"),
        ("Zeile eins\nZeile zwei\r\n\tdrei", "Zeile eins Zeile zwei drei"),
        ("A &amp; B &lt;C&gt; &quot;D&quot; &#8211; &#x2013;", 'A & B <C> "D" – –'),
        ("Gr\u0075\u0308ezi", "Grüezi"),  # decomposed umlaut composed (NFC)
        ("Preis: 5&euro;", "Preis: 5€"),
        ("Ende\u2028Anfang", "Ende Anfang"),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


@pytest.mark.parametrize(
    ("raw", "forbidden", "kept"),
    [
        ('<p onclick="evil()">Hallo</p>', ["onclick", "evil"], ["<p>Hallo</p>"]),
        ("<p>Hi<script>alert(1)</script></p>", ["script", "alert"], ["<p>Hi</p>"]),
        ("<style>p{color:red}</style><p>x</p>", ["style", "color"], ["<p>x</p>"]),
        ('<a href="javascript:alert(1)">x</a>', ["javascript"], [">x</a>"]),
        (
            '<a href="https://example.org/a" target="_blank" rel="opener">x</a>',
            ["target", 'rel="opener"'],
            ['href="https://example.org/a"', 'rel="noopener noreferrer nofollow"'],
        ),
        (
            '<img src="https://img.example/1.jpg" alt="Bild" onerror="x()">',
            ["onerror"],
            ['src="https://img.example/1.jpg"', 'alt="Bild"'],
        ),
        (
            "<iframe src='https://evil.example'></iframe><p>ok</p>",
            ["iframe", "evil"],
            ["<p>ok</p>"],
        ),
        ("<h2>Titel</h2><ul><li>eins</li></ul>", [], ["<h2>Titel</h2>", "<ul><li>eins</li></ul>"]),
        ("<blockquote><p>Zitat</p></blockquote>", [], ["<blockquote><p>Zitat</p></blockquote>"]),
        (
            "<figure><img src='https://x/y.jpg'><figcaption>Bild</figcaption></figure>",
            [],
            ["<figure>", "<figcaption>Bild</figcaption>"],
        ),
        (
            "<table><tr><td colspan='2' style='x'>1</td></tr></table>",
            ["style"],
            ['<td colspan="2">1</td>'],
        ),
        (
            "<p><b>fett</b> <em>kursiv</em><br>neu</p>",
            [],
            ["<b>fett</b>", "<em>kursiv</em>", "<br>"],
        ),
        ("<!-- Kommentar --><p>x</p>", ["Kommentar"], ["<p>x</p>"]),
        ("<div class='x'><p>drin</p></div>", ["div", "class"], ["<p>drin</p>"]),
    ],
)
def test_sanitize_html(raw: str, forbidden: list[str], kept: list[str]) -> None:
    out = sanitize_html(raw)
    for bad in forbidden:
        assert bad not in out
    for good in kept:
        assert good in out


def test_sanitize_html_empty() -> None:
    assert sanitize_html("") == ""


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("", ""),
        ("<p>Eins</p><p>Zwei</p>", "Eins\n\nZwei"),
        ("<p>Zeile<br>neue Zeile</p>", "Zeile\n\nneue Zeile"),
        ("<div>A <b>fett</b> und <i>kursiv</i></div>", "A fett und kursiv"),
        ("<h2>Titel</h2><p>Text</p>", "Titel\n\nText"),
        ("<ul><li>eins</li><li>zwei</li></ul>", "eins\n\nzwei"),
        ("<blockquote>Zitat</blockquote>nach", "Zitat\n\nnach"),
        ("<p>A &amp; B &lt;C&gt;</p>", "A & B <C>"),
        ("<p>Hallo</p><script>alert(1)</script><style>p{}</style>", "Hallo"),
        ("<p>Hallo</p><!-- Kommentar -->", "Hallo"),
        ("<p>  viel   \n  Raum  </p>", "viel Raum"),
        ("Nur Text", "Nur Text"),
        (
            "<html><head><title>T</title></head><body><p>Körper</p></body></html>",
            "Körper",
        ),
        ('<?xml version="1.0" encoding="iso-8859-1"?><p>Grüezi</p>', "Grüezi"),
        ("<p>a</p>\n\n<p></p><p> </p><p>b</p>", "a\n\nb"),
        ("<table><tr><td>1</td><td>2</td></tr></table>", "1 2"),
    ],
)
def test_html_to_text(raw: str, text: str) -> None:
    assert html_to_text(raw) == text


def test_html_to_text_no_entity_expansion() -> None:
    bomb = '<!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><p>&b;</p>'
    assert "aaaaaaaaaa" not in html_to_text(bomb)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "Der Bundesrat hat am Mittwoch die neuen Massnahmen gegen das Coronavirus beschlossen.",
            "de",
        ),
        ("Le Conseil fédéral a adopté mercredi de nouvelles mesures contre le coronavirus.", "fr"),
        ("Il Consiglio federale ha adottato mercoledì nuove misure contro il coronavirus.", "it"),
        ("The Federal Council adopted new measures against the coronavirus on Wednesday.", "en"),
        (
            "El Gobierno aprobó el miércoles nuevas medidas contra el coronavirus en todo el país.",
            "es",
        ),
        ("O governo aprovou na quarta-feira novas medidas contra o coronavírus no país.", "pt"),
        ("De regering heeft woensdag nieuwe maatregelen tegen het coronavirus genomen.", "nl"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize("text", ["", "Kurz", "12345 67890 !!! ???", "Bern, 30. Aug."])
def test_detect_language_too_short(text: str) -> None:
    assert detect_language(text) is None


def test_detect_language_reads_the_start_of_a_long_story() -> None:
    german = "Der Bundesrat hat am Mittwoch neue Massnahmen gegen das Coronavirus beschlossen. "
    english = "The Federal Council adopted new measures against the coronavirus on Wednesday. "
    assert detect_language(german * 6 + english * 40) == "de"  # headline and lead decide
    assert detect_language(german + "1234567890 " * 100) == "de"
