"""The wire desk: ``/desk`` pages for editors and ops, served by ``wire serve``.

``install_desk(app, config, store, tokens)`` (in :mod:`.routes`) mounts it on the API app.
"""
