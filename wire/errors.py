"""Exceptions that carry one clear sentence for the user or the reject log."""


class WireError(Exception):
    """Base class: the message is meant to be shown as it is."""


class ConfigError(WireError):
    """The configuration file or a command-line value is wrong."""


class AdapterError(WireError):
    """A whole payload could not be parsed (the reason goes into rejects)."""


class FetchError(WireError):
    """A source could not be fetched."""


class QueryError(WireError):
    """A read that cannot be answered as asked (a bad filter value, cursor or query text)."""


class StoreError(WireError):
    """The store is missing, or its database cannot be reached."""
