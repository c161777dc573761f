"""What adapters and normalisation know of a feed: its settings and ops' agencies.

Apart from :mod:`wire.config` (which re-exports both) so that ``wire parse`` and the parse
workers start without building the twelve configuration dataclasses they never read (their
methods are compiled when each class is made: about 10 ms of every start).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AgencyConfig:
    """An agency (or more spellings of a known one) added by ops in ``[[agencies]]``.

    A known ``code`` gets the aliases, domains and QCodes added (and ``name`` renames it); a
    new code adds an agency. Spellings given here win over the packaged registry's.
    """

    code: str  # stable lowercase code, e.g. "lokalagentur"
    name: str | None = None  # display name; None keeps the packaged one (or the code)
    aliases: tuple[str, ...] = ()  # spellings seen in credits, provider and source names
    domains: tuple[str, ...] = ()  # web domains ("lokalagentur.ch")
    qcodes: tuple[str, ...] = ()  # IPTC provider QCodes ("nprov:XYZ")
    kind: str | None = None  # agency | producer (content maker that is not an agency)
    country: str | None = None  # ISO 3166-1 alpha-2


@dataclass(frozen=True)
class FeedSettings:
    """What an adapter may know about where the bytes came from."""

    feed: str = "adhoc"  # the configured source name
    source: str | None = None  # agency code to assume when the payload does not say
    language: str | None = None  # language to assume when the payload does not say
    timezone: str = "Europe/Zurich"  # for naive times in the payload
    location: str | None = None  # URL or file path, for resolving relative links
    max_bytes: int = 20_000_000  # payloads above this are rejected unread
    agencies: tuple[AgencyConfig, ...] = ()  # ops' [[agencies]], on top of the registry
