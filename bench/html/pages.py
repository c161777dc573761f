# ruff: noqa: E501
"""Benchmark pages: every story of ``stories.py`` in the markup of every failure class.

Each class reproduces one way real news pages defeated the adapter's own markup walk (issue
15): the article inside a container whose class says "sidebar" or "paywall"; paragraphs in
``div``s beside a video carousel; empty teaser ``<article>``s before the real one; no lead
element but a meta description repeating the first paragraph; furniture ("BREAKING NEWS",
"Caption", "Close", photo captions) inside the article; the headline outside the article or
under a site-name ``<h1>``; pictures credited in figcaptions, credit spans and JSON-LD; and
agency pages like the seed (kicker, key points, "(sda)", "Quelle: dpa", "© Keystone-SDA").

``page(cls, story)`` returns the HTML and its gold: what a reader sees as headline, lead,
body paragraphs and picture credits.

    python bench/html/pages.py --write DIR   # write every page and its gold (.json) to DIR
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.html.stories import STORIES

Page = tuple[str, dict[str, Any]]

WORDS: dict[str, dict[str, str]] = {
    "de": {
        "site": "Rheinblick",
        "tld": "ch",
        "key": "Das Wichtigste in Kürze",
        "more": "Weiterlesen",
        "comments": "Kommentare",
        "share": "Teilen",
        "ad": "Anzeige",
        "most": "Meistgelesen",
        "photo": "Foto",
        "by": "Von",
        "video": "Video abspielen",
        "source": "Quelle",
        "section": "MEHR SCHWEIZ",
        "login": "Jetzt abonnieren und weiterlesen",
    },
    "fr": {
        "site": "Journal du Léman",
        "tld": "ch",
        "key": "L'essentiel en bref",
        "more": "Lire aussi",
        "comments": "Commentaires",
        "share": "Partager",
        "ad": "Publicité",
        "most": "Les plus lus",
        "photo": "Photo",
        "by": "Par",
        "video": "Lire la vidéo",
        "source": "Source",
        "section": "PLUS SUISSE",
        "login": "Abonnez-vous pour lire la suite",
    },
    "it": {
        "site": "Corriere del Lago",
        "tld": "ch",
        "key": "L'essenziale in breve",
        "more": "Leggi anche",
        "comments": "Commenti",
        "share": "Condividi",
        "ad": "Pubblicità",
        "most": "I più letti",
        "photo": "Foto",
        "by": "Di",
        "video": "Guarda il video",
        "source": "Fonte",
        "section": "ALTRE NOTIZIE",
        "login": "Abbonati per continuare a leggere",
    },
    "en": {
        "site": "The Daily Ledger",
        "tld": "com",
        "key": "Key points",
        "more": "Read more",
        "comments": "Comments",
        "share": "Share",
        "ad": "Advertisement",
        "most": "Most read",
        "photo": "Photo",
        "by": "By",
        "video": "Play video",
        "source": "Source",
        "section": "MORE WORLD",
        "login": "Subscribe to keep reading",
    },
}
OTHER_HEADLINES = [
    "Parliament debates new budget rules for the coming year",
    "Storm warning issued for the northern valleys tonight",
    "Local football club signs young striker from abroad",
    "Hospital opens new emergency ward after two years of work",
]
SIGNATURE = {
    "sda": "(sda)",
    "dpa": "(dpa)",
    "afp": "(afp)",
    "ats": "(ats)",
    "ansa": "(ANSA)",
    "reuters": "(Reuters)",
    "ap": "(AP)",
}


def _w(story: dict[str, Any]) -> dict[str, str]:
    return WORDS[story["lang"]]


def _host(story: dict[str, Any]) -> str:
    site = _w(story)["site"].lower().replace(" ", "-").replace("é", "e")
    return f"www.{site}.{_w(story)['tld']}"


def _url(story: dict[str, Any]) -> str:
    return f"https://{_host(story)}/news/{story['id']}"


def _img(story: dict[str, Any], i: int) -> str:
    return f"https://{_host(story)}/img/2024/{story['images'][i]['file']}"


def _head(story: dict[str, Any], extra: str = "", title: str | None = None) -> str:
    title = title or f"{story['headline']} | {_w(story)['site']}"
    return (
        f'<!DOCTYPE html>\n<html lang="{story["lang"]}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n"
        f'<link rel="canonical" href="{_url(story)}">\n{extra}</head>\n'
    )


def _nav(story: dict[str, Any]) -> str:
    w = _w(story)
    return (
        f'<header class="site-header"><a class="logo" href="/">{escape(w["site"])}</a>'
        '<nav class="main-nav"><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>'
        '<li><a href="/kultur">Kultur</a></li></ul></nav></header>\n'
    )


def _footer(story: dict[str, Any]) -> str:
    w = _w(story)
    return (
        f'<section class="comments"><h2>{w["comments"]}</h2><p>Lorem Ipsum: Interessanter Beitrag, danke für die ausführliche Berichterstattung zu diesem Thema.</p></section>\n'
        f'<footer class="site-footer"><p>© 2024 {escape(w["site"])}. Impressum · Datenschutz · Kontakt</p></footer>\n</body>\n</html>\n'
    )


def _ps(paragraphs: list[str], tag: str = "p", cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return "\n".join(f"<{tag}{attr}>{escape(p)}</{tag}>" for p in paragraphs) + "\n"


def _figure(story: dict[str, Any], i: int, credit_markup: str = "span") -> str:
    im = story["images"][i]
    w = _w(story)
    if credit_markup == "span":
        cap = f'{escape(im["caption"])} <span class="credit">{w["photo"]}: {escape(im["credit"])}</span>'
    elif credit_markup == "paren":
        cap = f"{escape(im['caption'])} ({escape(im['credit'])})"
    elif credit_markup == "small":
        cap = f"{escape(im['caption'])} <small>© {escape(im['credit'])}</small>"
    else:  # a dash, as agencies print it
        cap = f"{escape(im['caption'])} - {escape(im['credit'])}"
    return (
        f'<figure class="article-image"><img src="{_img(story, i)}" alt="{escape(im["caption"][:30])}">'
        f"<figcaption>{cap}</figcaption></figure>\n"
    )


def _teasers(story: dict[str, Any]) -> str:
    w = _w(story)
    items = "".join(
        f'<li class="teaser"><a href="/news/other-{n}"><p>{escape(h)}: what we know so far about the situation and the reactions</p></a></li>'
        for n, h in enumerate(OTHER_HEADLINES)
    )
    return f'<aside class="l-sidebar most-read"><h2>{w["most"]}</h2><ol>{items}</ol></aside>\n'


def _gold(
    cls: str,
    story: dict[str, Any],
    lead: str | None,
    body: list[str],
    images: list[int],
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": f"{cls}/{story['id']}",
        "class": cls,
        "lang": story["lang"],
        "url": _url(story),
        "headline": story["headline"],
        "lead": lead,
        "body": body,
        "credits": {_img(story, i): story["images"][i]["credit"] for i in images},
        **extra,
    }


# --- the failure classes ---------------------------------------------------------------------


def sidebar_paywall(story: dict[str, Any], n: int) -> Page:
    """The article sits in a container whose class says "sidebar" or "paywall"."""
    w = _w(story)
    body = story["body"]
    if n % 2 == 0:
        inner = (
            f'<div class="l-container l-sidebar-fixed"><div class="l-main"><article class="article">\n'
            f'<h1 class="article-title">{escape(story["headline"])}</h1>\n'
            f'<p class="article-lead">{escape(story["lead"])}</p>\n{_figure(story, 0)}'
            f'<div class="article-body">{_ps(body)}</div></article></div>\n{_teasers(story)}</div>\n'
        )
    else:
        inner = (
            f'<main><article class="article">\n<h1>{escape(story["headline"])}</h1>\n'
            f'<p class="article-lead">{escape(story["lead"])}</p>\n{_figure(story, 0)}'
            f'<div class="article-body paywall" data-paywall="true">{_ps(body)}</div>\n'
            f'<div class="paywall-teaser"><p>{w["login"]}</p></div></article>\n{_teasers(story)}</main>\n'
        )
    html = _head(story) + "<body>\n" + _nav(story) + inner + _footer(story)
    return html, _gold("sidebar_paywall", story, story["lead"], body, [0])


def div_paragraphs(story: dict[str, Any], n: int) -> Page:
    """Paragraphs as ``div.zn-body__paragraph`` beside a video carousel made of ``<p>``s."""
    w = _w(story)
    paragraphs = [story["lead"], *story["body"]]
    carousel = "".join(
        f'<div class="cd cd--card cd--video"><div class="cd__content"><h3 class="cd__headline">{escape(h)}</h3>'
        f'<p class="video__description">{w["video"]}: {escape(h)}. Watch the report from our correspondents on the ground and the latest reactions.</p></div></div>'
        for h in OTHER_HEADLINES[:3]
    )
    html = (
        _head(story, f'<meta name="description" content="{escape(story["headline"])}">\n')
        + "<body>\n"
        + _nav(story)
        + f'<article class="pg-rail-tall pg-special-article"><div class="l-container">\n'
        f'<h1 class="pg-headline">{escape(story["headline"])}</h1>\n'
        f'<div class="metadata"><p class="metadata__byline">{w["by"]} Anna Keller</p></div>\n'
        f'<section id="body-text" class="zn zn-body-text"><div class="l-container">\n'
        f'<div class="el__embedded el__embedded--fullwidth"><div class="media__video--carousel owl-carousel">{carousel}</div></div>\n'
        + "".join(
            f'<div class="zn-body__paragraph{" speakable" if i == 0 else ""}">{escape(p)}</div>\n'
            for i, p in enumerate(paragraphs)
        )
        + "</div></section></div></article>\n"
        + _footer(story)
    )
    return html, _gold("div_paragraphs", story, None, paragraphs, [])


def empty_teasers(story: dict[str, Any], n: int) -> Page:
    """Teaser ``<article>``s with no text come before the real one."""
    teasers = "".join(
        f'<article class="teaser teaser--small"><a href="/news/other-{i}"><img src="/img/t{i}.jpg" alt=""><h2 class="teaser__title">{escape(h)}</h2></a></article>\n'
        for i, h in enumerate(OTHER_HEADLINES[:3])
    )
    block = "div" if n % 2 else "p"
    cls = ' class="text-block"' if block == "div" else ""
    html = (
        _head(story)
        + "<body>\n"
        + _nav(story)
        + f'<main><section class="top-stories">{teasers}</section>\n'
        f'<article class="story"><header><h1>{escape(story["headline"])}</h1></header>\n'
        f'<p class="intro">{escape(story["lead"])}</p>\n{_figure(story, 0, "paren")}'
        + "".join(f"<{block}{cls}>{escape(p)}</{block}>\n" for p in story["body"])
        + "</article></main>\n"
        + _footer(story)
    )
    return html, _gold("empty_teasers", story, story["lead"], story["body"], [0])


def meta_description(story: dict[str, Any], n: int) -> Page:
    """No lead element; the meta description repeats the first paragraph, cut short."""
    first = story["lead"]
    cut = first[:110].rsplit(" ", 1)[0] + ("…" if n % 2 else " ...")
    key = ["description", "og:description"][n % 2]
    attr = "name" if key == "description" else "property"
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": story["headline"],
            "description": cut,
            "datePublished": "2024-05-14T10:32:00+02:00",
        },
        ensure_ascii=False,
    )
    extra = f'<meta {attr}="{key}" content="{escape(cut)}">\n<script type="application/ld+json">{ld}</script>\n'
    paragraphs = [first, *story["body"]]
    html = (
        _head(story, extra)
        + "<body>\n"
        + _nav(story)
        + f"<main><article><h1>{escape(story['headline'])}</h1>\n"
        f'<div class="article-text">{_ps(paragraphs)}</div></article></main>\n' + _footer(story)
    )
    return html, _gold("meta_description", story, None, paragraphs, [])


def furniture(story: dict[str, Any], n: int) -> Page:
    """Page furniture inside the article: a breaking-news bar, a lightbox, an inline video."""
    w = _w(story)
    body = story["body"]
    im = story["images"][1]
    html = (
        _head(story) + "<body>\n" + _nav(story) + f'<main><article class="article">\n'
        f'<div class="breaking-bar"><span class="label">BREAKING NEWS</span></div>\n'
        f'<h1>{escape(story["headline"])}</h1>\n<div class="lead">{escape(story["lead"])}</div>\n'
        f"{_ps(body[:1])}"
        f'<div class="image-gallery"><div class="slide"><img src="{_img(story, 1)}" alt="">'
        f'<div class="lightbox"><button class="close">Close</button><span class="label">Caption</span>'
        f'<p class="image-caption">{escape(im["caption"])} {w["photo"]}: {escape(im["credit"])}</p></div></div></div>\n'
        f"{_ps(body[1:2])}"
        f'<div class="inline-video"><p>BREAKING NEWS</p><p>{w["video"]}</p></div>\n'
        f"{_ps(body[2:])}</article></main>\n" + _footer(story)
    )
    return html, _gold("furniture", story, story["lead"], body, [1])


def headline_container(story: dict[str, Any], n: int) -> Page:
    """The first ``<h1>`` is the site name or a promo; the headline sits elsewhere."""
    w = _w(story)
    promo = (
        f'<div class="promo"><h1 class="promo-title">{escape(OTHER_HEADLINES[n % 4])}</h1></div>\n'
    )
    if n % 2 == 0:
        top = f'<header class="site-header"><h1 class="logo"><a href="/">{escape(w["site"])}</a></h1></header>\n{promo}'
        article = (
            f'<article class="article"><h2 class="article__title">{escape(story["headline"])}</h2>\n'
            f'<p class="article__lead">{escape(story["lead"])}</p>\n{_ps(story["body"])}</article>\n'
        )
        extra = f'<meta property="og:title" content="{escape(story["headline"])}">\n'
    else:
        top = promo
        article = (
            f'<div class="title-wrapper"><h1 class="title">{escape(story["headline"])}</h1>'
            f'<p class="standfirst">{escape(story["lead"])}</p></div>\n'
            f'<article class="article-content">{_ps(story["body"])}</article>\n'
        )
        extra = ""
    title = f"{story['headline']} – {w['site']}"
    html = (
        _head(story, extra, title) + "<body>\n" + top + f"<main>{article}</main>\n" + _footer(story)
    )
    return html, _gold("headline_container", story, story["lead"], story["body"], [])


def image_credits(story: dict[str, Any], n: int) -> Page:
    """Credits in a figcaption span, glued to a caption, and in JSON-LD only."""
    w = _w(story)
    ims = story["images"]
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": story["headline"],
            "image": [
                {
                    "@type": "ImageObject",
                    "url": _img(story, 0),
                    "caption": ims[0]["caption"],
                    **(
                        {"creditText": ims[0]["credit"]}
                        if n % 2 == 0
                        else {
                            "creator": {"@type": "Person", "name": ims[0]["creator"]},
                            "copyrightHolder": {"@type": "Organization", "name": ims[0]["holder"]},
                        }
                    ),
                },
            ],
        },
        ensure_ascii=False,
    )
    hero = f'<div class="hero"><picture><img src="{_img(story, 0)}" alt=""></picture></div>\n'
    second = (
        _figure(story, 1, ["paren", "dash", "small"][n % 3])
        if n % 4 != 3
        else f'<div class="media"><img src="{_img(story, 1)}" alt=""><p class="media-caption">{escape(ims[1]["caption"])}</p>'
        f'<span class="copyright">© {escape(ims[1]["credit"])}</span></div>\n'
    )
    html = (
        _head(story, f'<script type="application/ld+json">{ld}</script>\n')
        + "<body>\n"
        + _nav(story)
        + f"<main><article><h1>{escape(story['headline'])}</h1>\n{hero}"
        f'<p class="lead">{escape(story["lead"])}</p>\n{_ps(story["body"][:2])}{second}{_ps(story["body"][2:])}'
        f'<p class="share">{w["share"]}</p></article></main>\n' + _footer(story)
    )
    gold = _gold("image_credits", story, story["lead"], story["body"], [0, 1])
    if n % 2:
        gold["credits"][_img(story, 0)] = f"{ims[0]['holder']}/{ims[0]['creator']}"
    return html, gold


def agency_style(story: dict[str, Any], n: int) -> Page:
    """A page like the seed: kicker, agency byline, dateline, key points, agency signature."""
    w = _w(story)
    body = list(story["body"])
    variant = n % 3
    if variant == 0:
        ending = ""
        last = f"{body[-1]} {SIGNATURE[story['agency']]}"
    elif variant == 1:
        ending = f"<p>{w['source']}: {escape(story['agency_name'])}</p>\n"
        last = body[-1]
    else:
        ending = f'<p class="copyright">© {escape(story["agency_name"])}</p>\n'
        last = body[-1]
    html = (
        _head(story, f'<meta name="author" content="{escape(story["agency_name"])}">\n')
        + "<body>\n"
        + _nav(story)
        + '<main><article class="article">\n<header class="article-header">'
        f'<span class="article-kicker">{escape(story["kicker"])}</span>\n'
        f'<h1>{escape(story["headline"])}</h1>\n<span class="byline">{escape(story["agency_name"])}</span>'
        f'<div class="share-buttons"><a class="share">{w["share"]}</a></div></header>\n'
        f'<p class="article-lead"><span class="dateline">{escape(story["place"])}</span> – {escape(story["lead"])}</p>\n'
        f"{_figure(story, 0, 'dash')}"
        f'<section class="key-points"><h2>{w["key"]}</h2><ul>'
        + "".join(f"<li>{escape(k)}</li>" for k in story["key_points"])
        + '</ul></section>\n<div class="article-body">'
        + _ps(body[:-1])
        + f'<aside class="related-inline"><h3>{w["more"]}</h3><a href="/news/x">{escape(OTHER_HEADLINES[0])}</a></aside>\n'
        + f"<p>{escape(last)}</p>\n{ending}</div></article>\n"
        f'<aside class="related"><h2>{w["section"]}</h2><p class="teaser-title"><a href="/y">{escape(OTHER_HEADLINES[1])}</a></p></aside></main>\n'
        + _footer(story)
    )
    gold = _gold(
        "agency_style",
        story,
        story["lead"],
        body,
        [0],
        kicker=story["kicker"],
        key_points=story["key_points"],
        dateline=story["place"],
        agency=story["agency"],
    )
    return html, gold


CLASSES: dict[str, Callable[[dict[str, Any], int], Page]] = {
    "sidebar_paywall": sidebar_paywall,
    "div_paragraphs": div_paragraphs,
    "empty_teasers": empty_teasers,
    "meta_description": meta_description,
    "furniture": furniture,
    "headline_container": headline_container,
    "image_credits": image_credits,
    "agency_style": agency_style,
}


def pages() -> list[Page]:
    """Every class x every story, in a fixed order."""
    return [make(story, n) for make in CLASSES.values() for n, story in enumerate(STORIES)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", type=Path, required=True, help="folder for the pages and gold")
    args = parser.parse_args()
    args.write.mkdir(parents=True, exist_ok=True)
    for html, gold in pages():
        name = gold["id"].replace("/", "_")
        (args.write / f"{name}.html").write_text(html, encoding="utf-8")
        (args.write / f"{name}.json").write_text(
            json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    main()
