"""Status words leave agency headlines and become signals, notes and urgency."""

from __future__ import annotations

import pytest

from wire.normalise.status import split_status


@pytest.mark.parametrize(
    ("headline", "clean", "signals", "ednote", "urgency"),
    [
        # English (Reuters, AP, AFP, PA, AAP)
        ("1ST LEAD German football saddened by death of Beckenbauer",
         "German football saddened by death of Beckenbauer", ("lead:1",), "1ST LEAD", None),
        ("2ND LEAD Markets rally as inflation cools",
         "Markets rally as inflation cools", ("lead:2",), "2ND LEAD", None),
        ("REFILE 1ST LEAD Switzerland joins EU sanctions",
         "Switzerland joins EU sanctions", ("refile", "lead:1"), "REFILE; 1ST LEAD", None),
        ("UPDATE 2-Oil prices jump after OPEC+ cut",
         "Oil prices jump after OPEC+ cut", ("update:2",), "UPDATE 2", None),
        ("REFILE-UPDATE 1-Chip stocks slide",
         "Chip stocks slide", ("refile", "update:1"), "REFILE; UPDATE 1", None),
        ("CORRECTED-Bank of Japan keeps rates",
         "Bank of Japan keeps rates", ("correction",), "CORRECTED", None),
        ("EXTRA Peace talks on Yemen resume in Oman",
         "Peace talks on Yemen resume in Oman", ("extra",), "EXTRA", None),
        ("URGENT: Earthquake of magnitude 6.1 strikes Crete",
         "Earthquake of magnitude 6.1 strikes Crete", ("urgent",), "URGENT", 2),
        ("FLASH: Pope Francis dies",
         "Pope Francis dies", ("flash",), "FLASH", 1),
        ("BULLETIN Jury reaches verdict in Chauvin trial",
         "Jury reaches verdict in Chauvin trial", ("bulletin",), "BULLETIN", 2),
        ("WRAPUP 2-Ukraine says it repelled attacks near Bakhmut",
         "Ukraine says it repelled attacks near Bakhmut", ("wrapup:2",), "WRAPUP 2", None),
        ("ADVISORY - Budget coverage plans for Tuesday",
         "Budget coverage plans for Tuesday", ("advisory",), "ADVISORY", None),
        ("Storm closes schools (Eds: Updates with quote from governor)",
         "Storm closes schools", (), "Eds: Updates with quote from governor", None),
        ("1ST LEAD Storm closes schools (EDS: adds byline)",
         "Storm closes schools", ("lead:1",), "1ST LEAD; Eds: adds byline", None),
        ("Bank of England holds rates (CORRECTED)",
         "Bank of England holds rates", ("correction",), "CORRECTED", None),
        # German (dpa, APA, Keystone-SDA)
        ("EIL: Bundestag wählt neuen Kanzler",
         "Bundestag wählt neuen Kanzler", ("urgent",), "EIL", 2),
        ("Eil: Bundestag wählt neuen Kanzler",
         "Bundestag wählt neuen Kanzler", ("urgent",), "Eil", 2),
        ("+++ EILMELDUNG +++ Zugunglück in Bayern",
         "Zugunglück in Bayern", ("urgent",), "EILMELDUNG", 2),
        ("AKTUALISIERT: Regierung legt Haushalt vor",
         "Regierung legt Haushalt vor", ("update",), "AKTUALISIERT", None),
        ("KORRIGIERT: Inflation sinkt auf 2,2 Prozent",
         "Inflation sinkt auf 2,2 Prozent", ("correction",), "KORRIGIERT", None),
        ("ROUNDUP 2: Streik legt Flughäfen lahm",
         "Streik legt Flughäfen lahm", ("wrapup:2",), "ROUNDUP 2", None),
        ("WDH/ROUNDUP: Streik legt Flughäfen lahm",
         "Streik legt Flughäfen lahm", ("refile", "wrapup"), "WDH; ROUNDUP", None),
        ("Regierung legt Haushalt vor (aktualisiert)",
         "Regierung legt Haushalt vor", ("update",), "aktualisiert", None),
        # Nordic (TT, NTB, Ritzau, STT)
        ("UPPDATERAD: Snöovädret slår ut tågtrafiken",
         "Snöovädret slår ut tågtrafiken", ("update",), "UPPDATERAD", None),
        ("KORRIGERT: Statsbudsjettet legges fram",
         "Statsbudsjettet legges fram", ("correction",), "KORRIGERT", None),
        # French (AFP, Belga, Keystone-ATS)
        ("URGENT - Séisme de magnitude 6 en Turquie",
         "Séisme de magnitude 6 en Turquie", ("urgent",), "URGENT", 2),
        ("ALERTE - Le gouvernement démissionne",
         "Le gouvernement démissionne", ("urgent",), "ALERTE", 2),
        ("CORRIGÉ: Le Sénat adopte la réforme",
         "Le Sénat adopte la réforme", ("correction",), "CORRIGÉ", None),
        # Spanish and Italian (EFE, ANSA)
        ("URGENTE: Terremoto sacude el sur de México",
         "Terremoto sacude el sur de México", ("urgent",), "URGENTE", 2),
        ("AMPLIACIÓN: El Gobierno aprueba los presupuestos",
         "El Gobierno aprueba los presupuestos", ("wrapup",), "AMPLIACIÓN", None),
        ("ULTIM'ORA: Scossa di terremoto ai Campi Flegrei",
         "Scossa di terremoto ai Campi Flegrei", ("urgent",), "ULTIM'ORA", 2),
    ],
)  # fmt: skip
def test_status_words_leave_the_headline(
    headline: str, clean: str, signals: tuple[str, ...], ednote: str | None, urgency: int | None
) -> None:
    status = split_status(headline)
    assert status.headline == clean
    assert status.signals == signals
    assert status.ednote == ednote
    assert status.urgency == urgency


@pytest.mark.parametrize(
    "headline",
    [
        "Extra time decides the cup final",  # an ordinary word, not the agency's EXTRA
        "Lead poisoning found in city water",
        "FLASH FLOODS HIT TEXAS",  # an all-capitals headline keeps its first word
        "LEAD PIPES TO BE REPLACED",
        "URGENT",  # nothing after it: the headline is the word
        "Update on the talks",
        "UPDATED GUIDANCE FOR SCHOOLS",
        "Flash-Mob in der Innenstadt",
        "Eilige Reform im Bundestag",
        "Urgence climatique: la COP s'ouvre",
        "",
    ],
)
def test_headlines_without_status_words_are_kept(headline: str) -> None:
    status = split_status(headline)
    assert status.headline == headline
    assert status.signals == ()
    assert status.ednote is None
    assert status.urgency is None


@pytest.mark.parametrize(
    ("headline", "signal"),
    [("1ER LEAD Zermatt coupée du monde", "lead:1"), ("2E LEAD Zermatt isolée", "lead:2")],
)
def test_french_lead_ordinals(headline: str, signal: str) -> None:
    status = split_status(headline)
    assert status.signals == (signal,)
    assert status.headline.startswith("Zermatt")
