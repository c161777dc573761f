"""The pipeline and what feeds it: dedup and clustering, fetching, the daemon, the CLI."""
