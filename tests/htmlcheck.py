"""The web edition's page requirements, checked on the parsed HTML of one page.

``page_failures(path)`` returns what is wrong with the page (an empty list when it
meets every requirement of the foundation issue), so a test can show all of it.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml.html import HtmlElement

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def parse(path: Path) -> HtmlElement:
    return lxml.html.document_fromstring(path.read_bytes())


def text(element: HtmlElement) -> str:
    return re.sub(r"\s+", " ", element.text_content()).strip()


def heading_levels(root: HtmlElement) -> list[int]:
    return [int(h.tag[1]) for h in root.iter(*HEADINGS)]


def link_target_failures(page: Path, root: HtmlElement) -> list[str]:
    """Every link inside the site leads to a file that exists and an id that exists there."""
    failures = []
    ids = set(root.xpath("//@id"))
    for anchor in root.iter("a"):
        href = anchor.get("href", "")
        parts = urlsplit(href)
        if parts.scheme or not href:
            continue
        if parts.path:
            target = page.parent / unquote(parts.path)
            if not target.is_file():
                failures.append(f"link to missing page {href!r}")
                continue
            target_ids = set(parse(target).xpath("//@id")) if parts.fragment else set()
        else:
            target_ids = ids
        if parts.fragment and unquote(parts.fragment) not in target_ids:
            failures.append(f"link to missing id {href!r}")
    return failures


def script_failures(page: Path, root: HtmlElement) -> list[str]:
    """No script in the page: scripts come from files of the site (``src``, no text),
    JSON-LD is data that parses as JSON; no event handlers, no inline styles; and a
    Content-Security-Policy that allows nothing else."""
    failures = []
    for script in root.iter("script"):
        src, kind = script.get("src"), script.get("type", "")
        if kind == "application/ld+json" and not src:
            try:
                json.loads(script.text or "")
            except ValueError:
                failures.append("JSON-LD that is not JSON")
            continue
        if not src or (script.text or "").strip() or urlsplit(src).scheme or src.startswith("/"):
            failures.append(f"script in the page ({src or 'inline'})")
        elif not (page.parent / src).is_file():
            failures.append(f"script file {src!r} is missing")
    if root.xpath("//@*[starts-with(name(), 'on')]"):
        failures.append("event handler in the page")
    if root.xpath("//@style") or root.xpath("//style"):
        failures.append("inline style in the page")
    policy = root.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    if len(policy) != 1 or not {"script-src 'self'", "style-src 'self'"} <= {
        part.strip() for part in policy[0].split(";")
    }:
        failures.append("no Content-Security-Policy allowing only the site's scripts and styles")
    return failures


def page_failures(page: Path, clinic_name: str) -> list[str]:
    root = parse(page)
    failures: list[str] = []
    html = root
    if not html.get("lang"):
        failures.append("<html> has no lang")
    if html.get("dir") not in ("ltr", "rtl"):
        failures.append("<html> has no dir")
    titles = root.xpath("//head/title")
    h1s = root.xpath("//h1")
    if len(h1s) != 1:
        failures.append(f"{len(h1s)} h1 elements")
    if not titles or not text(titles[0]):
        failures.append("no <title>")
    elif h1s and text(h1s[0]) not in text(titles[0]):
        failures.append("<title> does not name the page's h1")
    body = root.find("body")
    first_link = body.xpath(".//a")[0] if body is not None and body.xpath(".//a") else None
    if first_link is None or not first_link.get("href", "").startswith("#"):
        failures.append("no skip link as the first link")
    else:
        target = first_link.get("href")[1:]
        mains = root.xpath(f"//main[@id='{target}']")
        if not mains:
            failures.append("the skip link does not lead to <main>")
    for landmark in ("header", "nav", "main", "footer"):
        if len(root.xpath(f"//{landmark}")) < 1:
            failures.append(f"no <{landmark}> landmark")
    if len(root.xpath("//main")) != 1:
        failures.append("not exactly one <main>")
    previous = 0
    for level in heading_levels(root):
        if level > previous + 1:
            failures.append(f"heading level skips from h{previous} to h{level}")
        previous = level
    for heading in root.iter(*HEADINGS):
        if not text(heading):
            failures.append(f"empty <{heading.tag}>")
    for th in root.iter("th"):
        if th.get("scope") not in ("col", "row", "colgroup", "rowgroup"):
            failures.append(f"<th> {text(th)!r} has no scope")
    for img in root.iter("img"):
        if not (img.get("alt") or "").strip():
            failures.append(f"<img src={img.get('src')!r}> has no alt text")
        if not img.get("src"):
            failures.append("<img> has no src")
    for figure in root.iter("figure"):
        if not figure.xpath(".//img") or not figure.xpath("./figcaption"):
            failures.append("<figure> without an image and a figcaption")
    for abbr in root.iter("abbr"):
        if not abbr.get("title"):
            failures.append(f"<abbr>{text(abbr)}</abbr> has no title")
    for ref in root.xpath("//a[@role='doc-noteref']"):
        note_id = ref.get("href", "#")[1:]
        notes = root.xpath(f"//*[@id='{note_id}']")
        if not notes:
            failures.append(f"footnote reference to missing note {note_id}")
        elif not notes[0].xpath(".//a[@role='doc-backlink']"):
            failures.append(f"footnote {note_id} has no link back")
    times = root.xpath("//time")
    for time in times:
        try:
            date.fromisoformat(time.get("datetime", ""))
        except ValueError:
            failures.append(f"<time> with datetime {time.get('datetime')!r}")
    ids = root.xpath("//@id")
    if len(ids) != len(set(ids)):
        failures.append("duplicate ids")
    failures += script_failures(page, root)
    footer = root.xpath("//footer")
    if footer and clinic_name not in text(footer[0]):
        failures.append("the footer lacks the clinic's name")
    failures += link_target_failures(page, root)
    return failures


def article_failures(page: Path, clinic_name: str) -> list[str]:
    """An article page: the page list plus dates, related reading and sources."""
    failures = page_failures(page, clinic_name)
    root = parse(page)
    if len(root.xpath("//dl[@class='dates']//time")) < 2:
        failures.append("the published and review-due dates are not both shown as <time>")
    related = root.xpath("//section[contains(@class, 'related')]")
    if not related or not related[0].xpath(".//h2") or not related[0].xpath(".//a[@href]"):
        failures.append("no related-reading section with links")
    sources = root.xpath("//section[contains(@class, 'sources')]")
    if not sources or not sources[0].xpath(".//h2"):
        failures.append("no sources section")
    if not root.xpath("//footer//address"):
        failures.append("no contact details in the footer")
    return failures
