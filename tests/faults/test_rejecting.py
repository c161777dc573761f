"""Payload rejects count in source health: a feed URL answering 200 with its sign-in page is
`rejecting` (with the reason), not ok and not failing; the next real feed clears it."""

from __future__ import annotations

import pytest

from tests.ingest.servers import Reply, TestServer
from tests.ingest.test_daemon import config, eventually, feed_row, items, running
from wire.config import SourceConfig
from wire.storage.db import Database
from wire.storage.health import source_status

LOGIN_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Connexion – Espace clients</title></head>
<body><h1>Connexion à l'espace clients</h1>
<form action="/login" method="post">
  <label for="u">Identifiant</label><input id="u" name="username">
  <label for="p">Mot de passe</label><input id="p" name="password" type="password">
  <button type="submit">Se connecter</button>
</form><p>Session expirée. Veuillez vous reconnecter.</p></body></html>""".encode()


@pytest.mark.slow
async def test_a_feed_answering_its_login_page_is_rejecting(db: Database) -> None:
    with TestServer() as server:
        server.route("/fil.rss", Reply(200, LOGIN_PAGE, {"Content-Type": "text/html"}))
        source = SourceConfig(name="agence fr", location=server.url("/fil.rss"))
        async with running(db, config(source, failing_after=2)) as daemon:
            await eventually(lambda: len(server.hits("/fil.rss")) >= 3, 30, "three polls")
            state = daemon.states["agence fr"]
            assert state.last_reject is not None and "login page" in state.last_reject
            assert (state.failing, state.consecutive_failures) == (False, 0)
            await daemon.health_rows.flush()
            row = feed_row(db, "agence fr")
            assert source_status(row) == "rejecting"
            assert row.last_reject is not None and "login page" in row.last_reject
            # The session is fixed: the feed comes back and the source is ok again.
            server.route(
                "/fil.rss", Reply(200, items(1, 2), {"Content-Type": "application/rss+xml"})
            )
            await eventually(lambda: daemon.states["agence fr"].last_reject is None, 30, "ok")
            await daemon.health_rows.flush()
            assert source_status(feed_row(db, "agence fr")) == "ok"
