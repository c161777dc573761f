"""Agency names seen in the store that the registry did not resolve, with how often: in
the articles' own attribution and in their pictures' credit lines."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from wire.normalise.credits import parse_credit
from wire.storage.models import ArticleAgency, ImageRow


@dataclass(frozen=True)
class UnresolvedName:
    code: str  # the stable slug code ("x-lokalagentur")
    name: str  # the raw name as an item carried it
    articles: int  # how many stored articles name it


def unresolved_names(session: Session) -> list[UnresolvedName]:
    """Every unresolved name (one row per code and raw spelling), most frequent first.

    A picture credit keeps only codes in the store, so its raw names are read again from the
    credit line as printed; an article naming one name in its text and its pictures counts
    once.
    """
    articles: dict[tuple[str, str], set[str]] = defaultdict(set)
    rows = session.execute(
        select(ArticleAgency.agency, ArticleAgency.name, ArticleAgency.article_id).where(
            ArticleAgency.name.is_not(None)
        )
    )
    for code, name, article_id in rows:
        articles[(code, name or "")].add(article_id)
    pictures = session.execute(
        select(ImageRow.article_id, ImageRow.credit).where(
            ImageRow.credit.is_not(None), cast(ImageRow.agencies, String).like('%"x-%')
        )
    )
    for article_id, credit in pictures:
        for code, name in parse_credit(credit or "").unresolved:
            articles[(code, name)].add(article_id)
    counted = [UnresolvedName(code, name, len(ids)) for (code, name), ids in articles.items()]
    return sorted(counted, key=lambda n: (-n.articles, n.code, n.name))
