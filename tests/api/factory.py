"""Real-shaped articles and a store/app around them, shared by the API and publisher tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from wire.api.app import create_app
from wire.config import ApiConfig, Config
from wire.ingest.fingerprint import text_fingerprint
from wire.record import Article, Image, Subject, compute_content_hash, make_id
from wire.storage.db import Database
from wire.storage.writer import StoreResult, store_article

T0 = datetime(2024, 10, 8, 6, 0, tzinfo=UTC)

BODY_DE = (
    "Angesichts des Machtkampfes in Weissrussland will sich Staatschef Alexander Lukaschenko "
    "mit dem russischen Präsidenten Wladimir Putin treffen. Dazu sei in den kommenden Wochen "
    "ein Treffen in Moskau geplant, teilte der Kreml am Sonntag mit.\n\n"
    "Die Opposition kündigte weitere Proteste an. Bei den Gesprächen soll es auch um "
    "Wirtschaftshilfen gehen."
)
BODY_FR = (
    "Le Conseil fédéral a présenté mercredi son budget pour l'année prochaine. Les dépenses "
    "augmentent de deux pour cent, a indiqué la ministre des finances à Berne.\n\n"
    "Les cantons demandent davantage de moyens pour les transports publics."
)
BODY_EN = (
    "The two giant arms of the Maeslant barrier swung shut late on Monday, sealing off the "
    "main shipping lane into Rotterdam for the first time since 2018.\n\n"
    "Shipping was halted for about twelve hours while the storm surge passed."
)


def make_article(n: int = 0, **kw: Any) -> Article:
    """Article ``n``: a German Keystone-SDA/dpa story with a picture unless ``kw`` says else."""
    base = Article(
        guid=f"urn:newsml:sda.ch:20241008:story-{n}",
        feed="sda",
        source="keystone-sda",
        agencies=["keystone-sda", "dpa"],
        kicker="Weissrussland",
        headline=f"Lukaschenko will Putin in Moskau treffen ({n})",
        lead="Ein Treffen in Moskau ist geplant.",
        body_text=f"{BODY_DE}\n\nMeldung Nummer {n}.",
        language="de",
        dateline="Minsk",
        byline="Anna Muster",
        urgency=3,
        subjects=[Subject("medtop:11000000", "Politik")],
        versioncreated=T0 + timedelta(minutes=n),
        firstcreated=T0 + timedelta(minutes=n),
        ingested_at=T0 + timedelta(minutes=n),
        url=f"https://www.example-wire.test/news/{n}",
        images=[
            Image(
                href=f"https://pix.example-wire.test/{n}/original.jpg",
                alt="Lukaschenko und Putin",
                caption="Alexander Lukaschenko (links) und Wladimir Putin in Sotschi.",
                credit="KEYSTONE/EPA/Sergei Ilnitsky",
                creator="Sergei Ilnitsky",
                agencies=["keystone", "epa"],
                copyright_holder="EPA",
            )
        ],
    )
    a = replace(base, **kw)
    a.id = make_id(a.source or a.feed, a.guid)
    a.content_hash = compute_content_hash(a)
    return a


def french(n: int = 0, **kw: Any) -> Article:
    defaults: dict[str, Any] = {
        "guid": f"urn:ats:{n}",
        "source": "afp",
        "agencies": ["afp"],
        "kicker": None,
        "headline": f"Le Conseil fédéral présente son budget ({n})",
        "lead": "Les dépenses augmentent.",
        "body_text": f"{BODY_FR}\n\nDépêche {n}.",
        "language": "fr",
        "dateline": "Berne",
        "subjects": [Subject("medtop:04000000", "Economie")],
        "images": [],
    }
    return make_article(n, **{**defaults, **kw})


def english(n: int = 0, **kw: Any) -> Article:
    defaults: dict[str, Any] = {
        "guid": f"tag:reuters.com,2024:{n}",
        "source": "reuters",
        "agencies": ["reuters"],
        "kicker": "Climate",
        "headline": f"Rotterdam closes its storm barrier ({n})",
        "lead": "Dutch authorities closed the Maeslant barrier.",
        "body_text": f"{BODY_EN}\n\nStory {n}.",
        "language": "en",
        "dateline": "ROTTERDAM",
        "subjects": [Subject("medtop:20000420", "flood")],
        "images": [],
    }
    return make_article(n, **{**defaults, **kw})


def put(db: Database, article: Article) -> StoreResult:
    with db.session() as s:
        return store_article(s, article, text_hash=text_fingerprint(article))


def client(db: Database, **api: Any) -> TestClient:
    """A test client for the API over ``db``; ``api`` overrides [api] settings."""
    api.setdefault("auth", False)
    environ = api.pop("environ", {})
    config = Config(api=ApiConfig(**api))
    return TestClient(create_app(config, db, environ=environ), raise_server_exceptions=False)
