"""Agency names seen in the store that the registry did not resolve, with how often."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wire.storage.models import ArticleAgency


@dataclass(frozen=True)
class UnresolvedName:
    code: str  # the stable slug code ("x-lokalagentur")
    name: str  # the raw name as an item carried it
    articles: int  # how many stored articles name it


def unresolved_names(session: Session) -> list[UnresolvedName]:
    """Every unresolved name (one row per code and raw spelling), most frequent first."""
    count = func.count().label("n")
    rows = session.execute(
        select(ArticleAgency.agency, ArticleAgency.name, count)
        .where(ArticleAgency.name.is_not(None))
        .group_by(ArticleAgency.agency, ArticleAgency.name)
        .order_by(count.desc(), ArticleAgency.agency)
    )
    return [UnresolvedName(code, name or "", n) for code, name, n in rows]
