"""The incoming list's filters, read from and written back to the URL (bookmarkable)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from wire.record import ITEM_TYPES, PUBSTATUSES
from wire.storage.filters import ArticleQuery

MAX_VALUES = 20  # values per filter taken from a URL
MAX_CHARS = 200  # characters per value
URGENCY_CHOICES = {"1": "flash", "2": "flash + urgent", "3": "up to 3"}


@dataclass(frozen=True)
class DeskFilters:
    """What the editor narrowed the list to; every field round-trips through the URL."""

    q: str = ""
    agency: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    subject: tuple[str, ...] = ()
    pubstatus: tuple[str, ...] = ()
    type: tuple[str, ...] = ()  # text, picture, graphic (empty: every type)
    urgency: str = ""  # "" (any) or the highest urgency number shown: "1" flash only

    @classmethod
    def from_params(cls, params: QueryParams | Mapping[str, Any]) -> DeskFilters:
        def many(name: str) -> tuple[str, ...]:
            raw = params.getlist(name) if isinstance(params, QueryParams) else params.get(name, [])
            values: list[str] = []
            for value in raw if isinstance(raw, list | tuple) else [raw]:
                values += [v.strip()[:MAX_CHARS] for v in str(value).split(",") if v.strip()]
            return tuple(dict.fromkeys(values))[:MAX_VALUES]

        urgency = str(params.get("urgency") or "").strip()
        return cls(
            q=str(params.get("q") or "").strip()[:500],
            agency=many("agency"),
            source=many("source"),
            language=many("language"),
            subject=many("subject"),
            pubstatus=tuple(p for p in many("pubstatus") if p in PUBSTATUSES),
            type=tuple(dict.fromkeys(t.lower() for t in many("type") if t.lower() in ITEM_TYPES)),
            urgency=urgency if urgency in URGENCY_CHOICES else "",
        )

    @property
    def active(self) -> bool:
        return self != DeskFilters()

    def query(self, *, newest: bool = False, ids: tuple[str, ...] = ()) -> ArticleQuery:
        """The store query; the desk lists every pubstatus unless one is chosen, so kills and
        withholds show up marked instead of vanishing. ``ids`` narrows it to those stories
        (the live list asks which changed stories the filters admit)."""
        return ArticleQuery(
            q=self.q or None,
            agency=self.agency,
            source=self.source,
            language=self.language,
            subject=self.subject,
            pubstatus=self.pubstatus or PUBSTATUSES,
            type=self.type,
            urgency=int(self.urgency) if self.urgency else None,
            ids=ids,
            sort="newest" if newest or not self.q else None,
        )

    def params(self) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = [("q", self.q)] if self.q else []
        for name in ("agency", "source", "language", "subject", "pubstatus", "type"):
            pairs += [(name, v) for v in getattr(self, name)]
        if self.urgency:
            pairs.append(("urgency", self.urgency))
        return pairs

    def url(self, base: str = "/desk", **extra: str) -> str:
        pairs = self.params() + [(k, v) for k, v in extra.items() if v]
        return base + ("?" + urlencode(pairs) if pairs else "")
