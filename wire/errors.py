"""Exceptions that carry one clear sentence for the user or the reject log."""


class WireError(Exception):
    """Base class: the message is meant to be shown as it is."""


class ConfigError(WireError):
    """The configuration file or a command-line value is wrong."""


class AdapterError(WireError):
    """A whole payload could not be parsed (the reason goes into rejects)."""


class FetchError(WireError):
    """A source could not be fetched."""


class RetryLater(FetchError):
    """The server asked for a pause longer than a poll may wait (429/503 + Retry-After).

    Here, not beside the fetcher, so that a poll can catch it without importing the HTTP
    stack (``wire run --once`` over files never does)."""

    def __init__(self, message: str, delay: float) -> None:
        super().__init__(message)
        self.delay = delay


class QueryError(WireError):
    """A read that cannot be answered as asked (a bad filter value, cursor or query text)."""


class StoreError(WireError):
    """The store is missing, or its database cannot be reached."""
