"""The newsroom HTTP API (FastAPI): search, articles, clusters, sources and the change feed."""
