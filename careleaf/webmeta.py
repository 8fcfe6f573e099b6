"""What a web page says about itself to search engines and link previews: its canonical
address (from ``base_url``), the same article in other languages (``hreflang``), Open
Graph, and Schema.org ``MedicalWebPage`` data as JSON-LD; and ``sitemap.xml``.

JSON-LD is data, not script: browsers never run a ``<script type="application/ld+json">``,
so the pages' Content-Security-Policy (no inline script) holds, and search engines read
it only from the page itself. Its text is escaped so that no value can end the element.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

from careleaf.config import Config
from careleaf.records import Article

# No inline script or style, nothing from elsewhere; forms post to the site only.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
)


@dataclass(frozen=True)
class Alternate:
    lang: str
    href: str


@dataclass(frozen=True)
class Meta:
    """The head of one page, beyond its title."""

    canonical: str = ""
    description: str = ""
    alternates: tuple[Alternate, ...] = ()
    open_graph: tuple[tuple[str, str], ...] = ()
    json_ld: Markup = field(default_factory=Markup)


def address(config: Config, name: str) -> str:
    """The web address of ``name`` (a path inside ``html/``), '' without a ``base_url``."""
    base = config.collection.base_url
    return f"{base.rstrip('/')}/{name}" if base else ""


def _locale(lang: str) -> str:
    """Open Graph's form of a language tag: 'en-GB' -> 'en_GB'."""
    return lang.replace("-", "_")


def _script_data(data: object) -> Markup:
    """JSON that cannot close its ``<script>`` element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return Markup(text)  # escaped above: no markup can come out of it


def article_meta(
    article: Article, config: Config, name: str, alternates: Sequence[Alternate]
) -> Meta:
    """Canonical address, Open Graph and ``MedicalWebPage`` data of an article's page
    (``name``: the page's path inside ``html/``)."""
    m = article.manuscript
    canonical = address(config, name)
    og = [
        ("og:type", "article"),
        ("og:title", m.title),
        ("og:locale", _locale(m.lang)),
        ("og:site_name", config.collection.title),
    ]
    og += [("og:description", m.summary)] if m.summary else []
    og += [("og:url", canonical)] if canonical else []
    og += [("og:locale:alternate", _locale(a.lang)) for a in alternates if a.lang != m.lang]
    og += [
        ("article:published_time", m.published.isoformat()),
        ("article:modified_time", m.last_changed.isoformat()),
    ]
    og += [("article:tag", tag) for tag in m.tags]
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": m.title,
        "headline": m.title,
        "inLanguage": m.lang,
        "datePublished": m.published.isoformat(),
        "dateModified": m.last_changed.isoformat(),
        "audience": {"@type": "Patient"},
        "publisher": _clinic(config),
        "isPartOf": {"@type": "WebSite", "name": config.collection.title},
    }
    if m.summary:
        data["description"] = m.summary
    if canonical:
        data["url"] = canonical
    if m.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in m.authors]
    if m.reviewers:
        data["reviewedBy"] = [{"@type": "Person", "name": name} for name in m.reviewers]
    if m.tags:
        data["keywords"] = ", ".join(m.tags)
    if m.sources:
        data["citation"] = [s.title for s in m.sources]
    others = [a for a in alternates if a.lang != m.lang]
    if others:
        data["workTranslation"] = [
            {"@type": "MedicalWebPage", "inLanguage": a.lang, "url": a.href} for a in others
        ]
    return Meta(canonical, m.summary, tuple(alternates), tuple(og), _script_data(data))


def collection_meta(config: Config, name: str, description: str = "") -> Meta:
    """The index and topic pages: a canonical address, and Open Graph naming the site."""
    canonical = address(config, name)
    og = [
        ("og:type", "website"),
        ("og:title", config.collection.title),
        ("og:locale", _locale(config.collection.language)),
        ("og:site_name", config.collection.title),
    ]
    og += [("og:url", canonical)] if canonical else []
    return Meta(canonical, description, (), tuple(og))


def _clinic(config: Config) -> dict[str, object]:
    clinic: dict[str, object] = {"@type": "MedicalOrganization", "name": config.clinic.name}
    for key, value in (
        ("telephone", config.clinic.phone),
        ("email", config.clinic.email),
        ("address", config.clinic.address),
        ("url", config.clinic.website),
    ):
        if value:
            clinic[key] = value
    return clinic


@dataclass(frozen=True)
class SitemapEntry:
    name: str  # the page's path inside html/
    changed: date | None = None
    alternates: tuple[Alternate, ...] = ()


def sitemap(config: Config, entries: Sequence[SitemapEntry]) -> bytes:
    """``sitemap.xml`` of the pages (with their translations), for a ``base_url``."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for entry in entries:
        lines.append(f"<url><loc>{escape(address(config, entry.name))}</loc>")
        if entry.changed is not None:
            lines.append(f"<lastmod>{entry.changed.isoformat()}</lastmod>")
        for alternate in entry.alternates:
            lines.append(
                f'<xhtml:link rel="alternate" hreflang={quoteattr(alternate.lang)} '
                f"href={quoteattr(alternate.href)}/>"
            )
        lines.append("</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")
