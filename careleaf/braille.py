"""The braille edition: ``braille/<slug>.brf`` for every article, as an ``Edition`` of the
build engine, ready for an embosser or a braille display's file reader.

Planning happens in the parent: the article's sanitised HTML is read into braille
blocks (``careleaf.braillehtml``) after a title page (title, authors, clinic,
dates), and followed by its sources, related reading, the clinic's contact details
and the list of web addresses its links and sources point at. The ``BrailleTask``
then translates the blocks with liblouis and lays them out on pages
(``careleaf.braillepages``): data in, bytes out. liblouis reads its own table files
from the system. Without liblouis, the edition is skipped with one warning (B951).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from babel.lists import format_list

from careleaf import liblouis
from careleaf.braillehtml import Reader
from careleaf.braillepages import Layout, Translator, brf, paginate
from careleaf.brailletext import BLANK, LINE_BREAK, Block, Run, braille_name
from careleaf.coverage import shown
from careleaf.engine import Job, Outcome, Plan
from careleaf.fingerprint import digest
from careleaf.i18n import babel_locale, long_date
from careleaf.leafletpage import web_address
from careleaf.problems import Problem, error, warning
from careleaf.records import Article

if TYPE_CHECKING:
    from careleaf.engine import Built
    from careleaf.library import Library


@dataclass(frozen=True)
class BrailleTask:
    """One article's braille file: its blocks in, the BRF bytes and its pages out."""

    name: str
    blocks: tuple[Block, ...]
    layout: Layout

    def run(self) -> Outcome:
        louis = liblouis.binding()
        if louis is None:
            return Outcome(logs=(("failed", f"liblouis cannot be loaded ({liblouis.PACKAGES})"),))
        translator = Translator(louis, liblouis.DISPLAY)
        pages = paginate(self.blocks, self.layout, translator.cells)

        def number(page: int) -> str:
            return translator.cells((Run(str(page), self.layout.number_table, generated=True),))[0]

        data = brf(pages, self.layout, number)
        logs = tuple(("missing", *found) for found in _missing(translator))
        return Outcome(((self.name, data),), {"pages": len(pages)}, logs)


class BrailleEdition:
    name = "braille"
    final = False

    def plan(self, library: Library, built: Built) -> Plan:
        if not library.config.braille.enabled:
            return Plan()
        if liblouis.binding() is None:
            return Plan(problems=(_not_installed(),))
        missing = liblouis.missing_tables()
        if missing:
            return Plan(problems=(_tables_missing(missing),))
        braille = library.config.braille
        tables = json.dumps([liblouis.version(), liblouis.TABLES, liblouis.ADDRESS_TABLES])
        jobs = []
        for article in library.articles:
            if not library.wanted(article) or liblouis.table_for(article.lang) is None:
                continue  # B953 says so (careleaf.checks)
            name = braille_name(article.slug)
            related = [(a.slug, a.title, a.lang) for a in library.related_to(article)]
            inputs = digest(library.context, "braille", tables, library.digests[article.slug],
                            json.dumps(related), str(braille.cells_per_line),
                            str(braille.lines_per_page))  # fmt: skip
            jobs.append(Job((name,), inputs, partial(task, library, article, name), article.slug))
        return Plan(tuple(jobs))

    def problems(self, library: Library, job: Job, outcome: Outcome) -> list[Problem]:
        article = library.article(job.article)
        found: list[Problem] = []
        for kind, *rest in outcome.logs:
            if kind == "failed":
                found.append(error(article.manuscript.path, 1, "B955",
                                   f"the braille file could not be made: {rest[0]}"))  # fmt: skip
            elif kind == "missing":
                found.append(_missing_character(article, library, *rest))
        return found


def check_problems(library: Library) -> list[Problem]:
    """What ``check`` says of the braille edition without making it, as ``build`` does:
    liblouis missing (B951) or its tables (B952), and each character an article's table
    cannot write (B954), found in the blocks the file would be made of."""
    if not library.config.braille.enabled:
        return []
    louis = liblouis.binding()
    if louis is None:
        return [_not_installed()]
    missing = liblouis.missing_tables()
    if missing:
        return [_tables_missing(missing)]
    found: list[Problem] = []
    for article in library.articles:
        if not library.wanted(article) or liblouis.table_for(article.lang) is None:
            continue
        translator = Translator(louis, liblouis.DISPLAY)
        for block in article_blocks(article, library):
            for run in block.runs:
                if run.text != LINE_BREAK:
                    translator.writable(run, run.table)
        found += [_missing_character(article, library, *f) for f in _missing(translator)]
    return found


def _missing(translator: Translator) -> list[tuple[str, str, str]]:
    return [(char, table, spelled) for (char, table), spelled in sorted(translator.missing.items())]


def task(library: Library, article: Article, name: str) -> BrailleTask:
    braille = library.config.braille
    table = liblouis.table_for(article.lang) or ""
    layout = Layout(braille.cells_per_line, braille.lines_per_page, table)
    return BrailleTask(name, article_blocks(article, library), layout)


@dataclass(frozen=True)
class _Words:
    """What an article's braille file is written with: its tables and careleaf's words."""

    lang: str
    table: str  # the article's
    address_table: str
    gettext: Callable[[str], str]

    def table_of(self, tag: str) -> str:
        return liblouis.table_for(tag) or self.table

    def say(self, text: str) -> Run:
        return Run(text, self.table, generated=True)

    def heading(self, title: str) -> list[Block]:
        return [BLANK, Block((self.say(title),), centred=True, keep=True), BLANK]


def article_blocks(article: Article, library: Library) -> tuple[Block, ...]:
    """The whole braille file as blocks: title page, text, sources, related reading,
    contact details, web addresses."""
    config, lang = library.config, article.lang
    table = liblouis.table_for(lang) or ""
    w = _Words(lang, table, liblouis.address_table_for(lang) or table,
               library.layouts.gettext(lang))  # fmt: skip
    _ = w.gettext
    reader = Reader(w.table_of, _("Transcriber's note"), partial(_address, library),
                    w.address_table, config.braille.cells_per_line)  # fmt: skip
    reader.read(article.body, lang)
    addresses = list(reader.addresses)
    blocks = [*_title_page(article, library, w), Block(new_page=True), *reader.blocks]

    def section(title: str, items: list[tuple[Run, ...]]) -> None:
        if items:
            blocks.extend([*w.heading(title), *(Block(runs, 0, 2) for runs in items)])

    def listed(runs: tuple[Run, ...], address: str) -> tuple[Run, ...]:
        if address and (runs, address) not in addresses:
            addresses.append((runs, address))
        return runs

    m = article.manuscript
    section(_("Sources"), [listed((Run(s.title, table),), s.url) for s in m.sources])
    section(_("Related reading"), [
        listed((Run(a.title, w.table_of(a.lang)),), web_address(config, a.slug))
        for a in library.related_to(article)
    ])  # fmt: skip
    clinic = config.clinic
    contact: list[tuple[Run, ...]] = [(Run(clinic.name, w.table_of(config.collection.language)),)]
    for label, value in ((_("Phone"), clinic.phone), (_("Email"), clinic.email)):
        if value:
            contact.append((w.say(f"{label}: "), Run(value, w.address_table, address=True)))
    if clinic.address:
        contact.append((Run(clinic.address, w.table_of(config.collection.language)),))
    section(_("Contact us"), contact)
    listed((w.say(_("Website")),), clinic.website)
    listed((w.say(_("Read this leaflet online")),), web_address(config, article.slug))
    section(_("Web addresses"), [
        (*runs, w.say(": "), Run(address, w.address_table, address=True))
        for runs, address in addresses
    ])  # fmt: skip
    return tuple(blocks)


def _title_page(article: Article, library: Library, w: _Words) -> list[Block]:
    """The title, authors and reviewers, the clinic and the dates, centred."""
    m, _ = article.manuscript, w.gettext
    blocks = [BLANK, Block((Run(m.title, w.table),), centred=True), BLANK]
    for label, names in ((_("Written by"), m.authors), (_("Reviewed by"), m.reviewers)):
        if names:
            joined = format_list(list(names), locale=babel_locale(w.lang))
            blocks.append(Block((w.say(f"{label} "), Run(joined, w.table)), centred=True))
    clinic = Run(library.config.clinic.name, w.table_of(library.config.collection.language))
    blocks += [BLANK, Block((clinic,), centred=True), BLANK]
    dates = [(_("Published"), m.published), (_("Updated"), m.updated),
             (_("Review due"), m.review_due)]  # fmt: skip
    blocks += [Block((w.say(f"{label}: {long_date(day, w.lang)}"),), centred=True)
               for label, day in dates if day]  # fmt: skip
    return blocks


def _address(library: Library, href: str) -> str:
    """The address a link's text stands for, as the list of web addresses gives it."""
    parts = urlsplit(href)
    if parts.scheme in ("http", "https"):
        return href
    if parts.scheme in ("mailto", "tel"):
        return unquote(parts.path)
    if not parts.scheme and not parts.netloc and parts.path.endswith(".html"):
        found = web_address(library.config, parts.path.removesuffix(".html"))
        return found + (f"#{parts.fragment}" if found and parts.fragment else "")
    return ""


def _not_installed() -> Problem:
    return warning(
        "careleaf", 1, "B951",
        "liblouis is not installed, so the braille edition (braille/*.brf) is not made; "
        "every other edition is",
        hint=f"install the Debian packages {liblouis.PACKAGES} (sudo apt-get install "
        "liblouis-bin python3-louis), or set [braille] enabled = false in careleaf.toml",
    )  # fmt: skip


def _tables_missing(tables: tuple[str, ...]) -> Problem:
    return warning(
        "careleaf", 1, "B952",
        f"liblouis {liblouis.version()} cannot open the braille tables {', '.join(tables)}, "
        "so the braille edition is not made",
        hint=f"install liblouis 3.24 or later with its tables ({liblouis.PACKAGES})",
    )  # fmt: skip


def _missing_character(
    article: Article, library: Library, char: str, table: str, spelled: str
) -> Problem:
    """B954 where the character was written: the article's title or text, else the title
    of an article in its related reading; else the article's title line."""
    m = article.manuscript
    line, column = m.line_of("title"), m.title.find(char) + 1 or None
    where, told = m.path, ""
    found = m.body.find(char)
    if found >= 0:
        line = m.body_line + m.body.count("\n", 0, found)
        column = found - (m.body.rfind("\n", 0, found) + 1) + 1
    elif column is None:
        other = next((a for a in library.related_to(article) if char in a.title), None)
        if other is not None:
            where, line = other.manuscript.path, other.manuscript.line_of("title")
            column = other.title.find(char) + 1
            told = f" (in the related reading of '{article.slug}')"
    done = f"writes it as '{spelled}'" if spelled else "leaves it out"
    return warning(
        where, line, "B954",
        f"{shown(char)} has no braille in the table {table}: the braille edition{told} {done}",
        hint="write it in words, or with characters of the article's language",
        column=column,
    )  # fmt: skip
