"""Two accounts that give no figures to compare (the last account rule of
``wire.ingest.matching``): Italian copy tells the day's event as "stanotte" or "stamane" and
dates its dateline ("(ANSA) - BELLINZONA, 12 MAR"), names no weekday and writes counts in words
("due operai"), so two agencies' accounts of one fire share no figure. They join on the places
and people they share and a third of the headlines' subjects; a follow-up that names the
event's weekday, and the next day's story whose credit dateline carries another date, stay
apart.

Pairs are signed and matched through a fresh ``ClusterIndex``, as production does.
"""

from __future__ import annotations

from tests.ingest.test_matching import joins
from wire.ingest.evidence import DATES, evidence

# ATS and ANSA on one night's fire, each in its own words: ATS gives one figure (the hour),
# ANSA none beside its dateline's date.
ATS = (
    "Incendio in un capannone a Giubiasco, intossicati due operai",
    "Giubiasco (ats) - Un violento incendio è divampato stanotte in un capannone della zona "
    "industriale di Giubiasco, nel Bellinzonese. Due operai del turno di notte sono rimasti "
    "lievemente intossicati.",
    "Le fiamme sono partite poco prima delle 3 da un deposito di materiale plastico, ha "
    "comunicato la Polizia cantonale. Sul posto sono intervenuti i pompieri di Bellinzona con "
    "una trentina di uomini e l'autoscala.\n\nLa densa colonna di fumo era visibile da tutto il "
    "Piano di Magadino. Alla popolazione è stato raccomandato di tenere chiuse le finestre. "
    "Le cause del rogo sono oggetto di un'inchiesta del Ministero pubblico. (ats)",
)
ANSA = (
    "Ticino, a fuoco capannone industriale: fumo sul Piano di Magadino",
    "(ANSA) - BELLINZONA, 12 MAR - Un capannone industriale è andato distrutto dalle fiamme a "
    "Giubiasco, alle porte di Bellinzona. Una coppia di lavoratori è stata soccorsa per una "
    "lieve intossicazione da fumo.",
    "Secondo la polizia ticinese il rogo si è sviluppato in un magazzino che conteneva "
    "imballaggi in plastica. Decine di vigili del fuoco hanno lavorato fino all'alba per "
    "domare l'incendio.\n\nLe autorità hanno invitato gli abitanti del Piano di Magadino a non "
    "aprire le finestre. Sulle cause indaga la magistratura cantonale. (ANSA).",
)
# ATS's follow-up: the event's weekday, new facts and figures.
FOLLOW_UP = (
    "Giubiasco, il rogo del capannone partito da un muletto in carica",
    "Giubiasco (ats) - È stato un muletto elettrico in carica a provocare l'incendio che "
    "martedì notte ha distrutto un capannone nella zona industriale di Giubiasco. Lo ha "
    "comunicato oggi la Polizia cantonale.",
    "I due operai intossicati hanno lasciato l'ospedale di Bellinzona. Il danno è stimato in "
    "2,5 milioni di franchi; i 22 dipendenti dell'azienda sono in lavoro ridotto. Il Ministero "
    "pubblico ha chiuso l'inchiesta senza ipotesi di reato.",
)
# Adnkronos dates its credit dateline, which cleaning takes off the lead; ANSA's story of the
# next day dates its own.
ADNKRONOS = (
    "Giubiasco, capannone in fiamme: intossicati due operai",
    "Bellinzona, 12 mar. (Adnkronos) - Un incendio ha distrutto nella notte un capannone "
    "industriale a Giubiasco, in Ticino. Due operai sono rimasti intossicati dal fumo.",
    "Le fiamme, partite da un deposito di plastica, hanno sprigionato una nube visibile su "
    "tutto il Piano di Magadino. Indaga la Polizia cantonale.",
)
NEXT_DAY = (
    "Giubiasco, riaperta la strada cantonale dopo il rogo del capannone",
    "(ANSA) - BELLINZONA, 13 MAR - È stata riaperta in mattinata la strada cantonale chiusa "
    "dopo il rogo del capannone di Giubiasco. Gli operai intossicati hanno lasciato "
    "l'ospedale.",
    "La Polizia cantonale ha precisato che i rilievi sul Piano di Magadino sono conclusi. In "
    "Ticino le cause restano da chiarire; la magistratura attende la perizia.",
)


def test_two_accounts_without_figures_to_compare_join() -> None:
    assert joins(ATS, ANSA, "it") == "account"
    assert joins(ANSA, ATS, "it") == "account"


def test_a_follow_up_naming_the_events_weekday_stays_apart() -> None:
    for story in (ATS, ANSA):
        assert joins(story, FOLLOW_UP, "it") is None
        assert joins(FOLLOW_UP, story, "it") is None


def test_the_credit_datelines_date_tells_the_next_days_story_apart() -> None:
    dated = evidence(*ADNKRONOS, "it")
    assert dated.names & DATES  # "12 mar." of the dateline, though cleaning takes it off
    assert not dated.day  # ... not the day the text tells of
    assert joins(ADNKRONOS, NEXT_DAY, "it") is None
    assert joins(NEXT_DAY, ADNKRONOS, "it") is None
