"""Normalisation: pure functions that turn an adapter's raw record into the canonical one
(attribution, picture credits, dates, text), and the :func:`~wire.normalise.article.normalise`
step that applies them."""
