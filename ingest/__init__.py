"""wire: a wire-agency feed ingester. The canonical record, normalisation, dedup, the daemon."""

__version__ = "0.1.0"
