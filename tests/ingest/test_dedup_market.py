"""A market report is not the story of a company it lists: an ANSA market close names the
takeover target that led the session, its move, the bidder, the day and Piazza Affari, which is
what another agency's account of the takeover shares with it, and two figures' digits besides;
it lists a dozen other companies and figures, and opens on the index (``evidence.MARKET``). It
joins another agency's close of the same session, which names the index too, and never the
takeover story; a company's story that names the index only further down is no market report.

Pairs are signed and matched through a fresh ``ClusterIndex``, as production does.
"""

from __future__ import annotations

from dataclasses import replace

from tests.ingest.test_matching import CONFIG, joins
from wire.ingest.dedup import Signer
from wire.ingest.evidence import MARKET, evidence
from wire.ingest.matching import judge

MARKET_ANSA = (
    "Borsa: Milano chiude in rialzo, Ftse Mib +0,64%",
    "(ANSA) - MILANO, 3 DIC - Piazza Affari chiude in rialzo, in linea con le altre Borse "
    "europee. Il Ftse Mib guadagna lo 0,64% a 44.102 punti, il Ftse All Share lo 0,58%.",
    "Corre Banca del Brennero (+14,2%) dopo l'opa lanciata da Assicurazioni Adriatiche, che "
    "cede invece l'1,7%. Bene Unicredit (+1,3%) e Intesa (+0,9%), in calo Stellantis (-2,4%) ed "
    "Eni (-0,6%) con il greggio.\n\n"
    "Lo spread tra Btp e Bund chiude a 81 punti base, con il rendimento del decennale al "
    "3,34%. Scambi per 2,6 miliardi di euro. Il petrolio Wti scende a 59,8 dollari al barile, "
    "l'euro vale 1,1621 dollari. (ANSA).",
)
# Another agency's close of the same session, in its own words and selection.
MARKET_AGI = (
    "Borsa: Piazza Affari positiva, vola Banca del Brennero",
    "(AGI) - Milano, 3 dic. - Seduta positiva per Piazza Affari, con il Ftse Mib che chiude in "
    "progresso dello 0,64% a 44.102 punti. Controvalore di 2,6 miliardi.",
    "Protagonista Banca del Brennero, che balza del 14,2% dopo l'offerta di Assicurazioni "
    "Adriatiche, in calo dell'1,7%. Tra i bancari Unicredit guadagna l'1,3% e Intesa lo 0,9%. "
    "In rosso Stellantis, che perde il 2,4%, ed Eni.\n\n"
    "Spread a 81 punti, con il Btp decennale che rende il 3,34%. Sul fronte valutario l'euro "
    "passa di mano a 1,1621 dollari. (AGI)",
)
TAKEOVER = (
    "Assicurazioni Adriatiche, opa da 2,1 miliardi su Banca del Brennero",
    "(ANSA) - MILANO, 3 DIC - Assicurazioni Adriatiche ha lanciato un'opa totalitaria in "
    "contanti su Banca del Brennero, offrendo 14,6 euro per azione, per un esborso complessivo "
    "di circa 2,1 miliardi.",
    "L'offerta è condizionata al raggiungimento del 66,7% del capitale. L'amministratore "
    "delegato di Adriatiche, Luca Ferrante, punta a creare un polo della bancassicurazione nel "
    "Nord-Est con 1,3 milioni di clienti e 240 sportelli tra Trentino, Alto Adige e Veneto.\n\n"
    "Il periodo di adesione dovrebbe partire a febbraio, dopo il via libera di Bce e Ivass. In "
    "Piazza Affari il titolo di Banca del Brennero è salito del 14,2% a 14,35 euro, mentre "
    "Adriatiche ha ceduto l'1,7%. (ANSA).",
)
# A company's story that names the index only in its last paragraph, and another agency's
# account of it (no index): no market report, joined as before.
RESULTS = (
    "Helvetia Mobil steigert Gewinn im Halbjahr deutlich",
    "Zürich (awp) - Der Telekomanbieter Helvetia Mobil hat im ersten Halbjahr 2026 mehr "
    "verdient. Der Reingewinn stieg um 11 Prozent auf 412 Millionen Franken, wie das "
    "Unternehmen am Donnerstag mitteilte.",
    "Der Umsatz legte um 3,2 Prozent auf 5,48 Milliarden Franken zu. Konzernchef Beat "
    "Hofstetter verwies auf das Wachstum im Glasfasergeschäft und bei Geschäftskunden. Für das "
    "Gesamtjahr bestätigt Helvetia Mobil die Prognose.\n\n"
    "Die Aktie schloss 2,4 Prozent höher, der SMI legte 0,3 Prozent zu.",
)
RESULTS_REUTERS = (
    "Glasfaser treibt Helvetia Mobil an",
    "Zürich (Reuters) - Helvetia Mobil hat dank des Glasfasernetzes im ersten Halbjahr 412 "
    "Millionen Franken verdient, elf Prozent mehr als vor einem Jahr.",
    "Der Umsatz des Telekomkonzerns wuchs auf 5,48 Milliarden Franken, teilte Helvetia Mobil am "
    "Donnerstag mit. Chef Beat Hofstetter bekräftigte die Jahresziele. Analysten hatten mit "
    "einem Gewinn von 398 Millionen gerechnet.",
)


def test_a_market_close_joins_another_agencys_close_not_the_takeover_it_lists() -> None:
    assert joins(MARKET_ANSA, MARKET_AGI, "it") is not None
    assert joins(MARKET_AGI, MARKET_ANSA, "it") is not None
    for market in (MARKET_ANSA, MARKET_AGI):
        assert joins(market, TAKEOVER, "it") is None
        assert joins(TAKEOVER, market, "it") is None


def test_without_the_mark_the_takeover_would_join_as_another_account() -> None:
    """What keeps the close and the takeover apart is the mark: their names, day and figures
    alone pass the account rule (the company, the bidder, Piazza Affari, the day, "14,2%")."""
    signer = Signer(CONFIG)
    market, takeover = (signer.sign_text(*t, "it") for t in (MARKET_ANSA, TAKEOVER))
    assert market is not None and takeover is not None
    assert market.traits.market and not takeover.traits.market
    unmarked = replace(market.traits, market=False)
    assert judge(0.0, unmarked, takeover.traits, CONFIG.threshold) is not None
    assert judge(0.0, market.traits, takeover.traits, CONFIG.threshold) is None


def test_only_a_text_opening_on_an_index_is_a_market_report() -> None:
    assert MARKET in evidence(*MARKET_ANSA, "it").names
    assert MARKET in evidence(*MARKET_AGI, "it").names  # the index in its lead
    assert MARKET not in evidence(*TAKEOVER, "it").names
    assert MARKET not in evidence(*RESULTS, "de").names  # the SMI in its last paragraph
    assert joins(RESULTS, RESULTS_REUTERS, "de") is not None
    assert joins(RESULTS_REUTERS, RESULTS, "de") is not None
