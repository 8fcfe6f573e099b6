"""Characters a leaflet would print that none of careleaf's fonts has (P603), and emoji
sequences leaflets cannot print as written (P606), found before anything is rendered,
so that ``check`` reports exactly what ``build`` would.

Everything a leaflet prints is looked at, each in the file it was written in: an
article's title, summary, authors, sources and body (the manuscript), the clinic's
details (careleaf.toml), the leaflet layouts, and a clinic's own translations. Each
character is named once per file, as itself and by its Unicode name, at the line and
column where it first stands (``careleaf.problems.summarised`` sums up a long list).
``careleaf.glyphs`` decides which characters need a glyph, and the project's
``careleaf.fontset.FontSet`` (careleaf's fonts and the clinic's) which fonts have one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from careleaf.config import Config
from careleaf.fontset import FontSet, font_set
from careleaf.glyphs import SEQUENCE_KINDS, emoji_sequences, ignorable, needs_glyph
from careleaf.i18n import long_date
from careleaf.layouts import Layouts
from careleaf.problems import Problem, display_path, error
from careleaf.records import Article

HINT = (
    "write it another way, or leave it out: careleaf's fonts have Latin, Greek, Cyrillic, "
    "Arabic, Hebrew and Devanagari letters, common symbols and emoji; for another script, "
    "add a font for it in careleaf.toml, as [[fonts]]"
)
PRIVATE_HINT = (
    "a private-use character is usually pasted from a symbol font such as Wingdings: "
    "type the symbol itself, or a word"
)
_CLINIC_KEYS = ("name", "phone", "email", "address", "website")
_COMMENTS = re.compile(r"\{#.*?#\}|<!--.*?-->|/\*.*?\*/", re.DOTALL)


@dataclass(frozen=True)
class Printed:
    """Text a leaflet prints, and the file (and its lines) it was written in."""

    path: Path | str
    text: str  # as the leaflet prints it
    source: str = ""  # the file's text where it was written ('' when not known)
    first_line: int = 1  # the file's line number of the first line of ``source``
    note: str = ""  # said of a character that is not in ``source`` as such


def shown(char: str, line: str = "", index: int = -1) -> str:
    """A character as an editor can find it: '☎' (U+260E BLACK TELEPHONE); an invisible,
    combining or private-use one by its code point and the words around it."""
    name = unicodedata.name(char, "")
    label = f"U+{ord(char):04X}" + (f" {name}" if name else "")
    category = unicodedata.category(char)
    if category[0] not in "MZC":
        return f"'{char}' ({label})"
    kind = {"M": "a combining character", "Z": "an invisible space"}.get(category[0])
    kind = kind or ("a private-use character" if category == "Co" else "an invisible character")
    if index < 0:
        return f"{label} ({kind})"
    text = "".join(c if needs_glyph(c) else " " for c in line)
    before = " ".join(text[:index].split()[-2:])
    after = " ".join(text[index + 1 :].split()[:2])
    if before and after:
        return f"{label} ({kind}, between '{before}' and '{after}')"
    if before or after:
        return f"{label} ({kind}, {'after' if before else 'before'} '{before or after}')"
    return f"{label} ({kind})"


def problems_for(printed: Iterable[Printed], fonts: FontSet) -> list[Problem]:
    """For each file, P603 for each character no font has and P606 for each emoji
    sequence leaflets cannot print, once each, at its first place."""
    found: dict[str, dict[str, tuple[str, int, int | None, str, str]]] = {}
    for item in printed:
        needles = [(c, "P603") for c in fonts.uncovered(item.text)]
        needles += [(sequence, "P606") for sequence, _kind in emoji_sequences(item.text)]
        if not needles:
            continue
        path = display_path(item.path) if isinstance(item.path, Path) else item.path
        places = found.setdefault(path, {})
        located = _locate(item.source, {n for n, _ in needles} - set(places), item.first_line)
        for needle, code in needles:
            if needle not in places:
                line, column, text = located.get(needle, (item.first_line, None, ""))
                places[needle] = (code, line, column, text, "" if column else item.note)
    problems: list[Problem] = []
    for path, places in found.items():  # (careleaf.problems.summarised shortens a long list)
        for needle, (code, line, column, text, note) in places.items():
            message, hint = _describe(needle, code, text, column)
            if note:
                message += f": it is {note}"
                hint = "choose a language careleaf's fonts have the letters of, or leave out 'lang'"
            problems.append(error(path, line, code, message, hint=hint, column=column))
    return problems


def _describe(needle: str, code: str, line: str, column: int | None) -> tuple[str, str]:
    """The message and hint for a character no font has (P603), or an emoji sequence (P606)."""
    index = column - 1 if column else -1
    if code == "P603":
        message = f"the character {shown(needle, line, index)} is in none of careleaf's fonts"
        return message, PRIVATE_HINT if unicodedata.category(needle) == "Co" else HINT
    kind = dict(emoji_sequences(needle)).get(needle, "joined")
    points = " ".join(f"U+{ord(c):04X}" for c in needle)
    message = f"the {SEQUENCE_KINDS[kind]} '{needle}' ({points}) cannot be printed as written"
    visible = "".join(c for c in needle if not ignorable(c))
    hints = {
        "flag": "leaflets print emoji in black and white, where flags look alike: "
        "write the country's or the language's name",
        "skin": "leaflets print emoji in black and white: leave out the skin tone "
        f"('{visible[:-1] or visible}' without '{visible[-1]}')",
        "keycap": f"write the number or sign itself: '{needle[0]}'",
        "joined": "write the emoji one by one ("
        + " ".join(
            dict.fromkeys(
                c for c in visible if c not in "\U0001f3fb\U0001f3fc\U0001f3fd\U0001f3fe\U0001f3ff"
            )
        )
        + "), or say it in words",
    }
    return message, hints[kind]


def _unprintable(text: str, fonts: FontSet) -> bool:
    return bool(fonts.uncovered(text) or emoji_sequences(text))


def _locate(
    source: str, needles: set[str], first_line: int
) -> dict[str, tuple[int, int | None, str]]:
    """Where each of ``needles`` (characters, or emoji sequences) first stands in
    ``source``: (line, column, the line's text). One pass over the text for characters."""
    places: dict[str, tuple[int, int | None, str]] = {}
    chars = {n for n in needles if len(n) == 1}
    longer = needles - chars
    for number, line in enumerate(source.split("\n"), start=first_line):
        if chars:
            for index, char in enumerate(line):
                if char in chars and char not in places:
                    places[char] = (number, index + 1, line)
        for needle in longer:
            index = line.find(needle)
            if index >= 0 and needle not in places:
                places[needle] = (number, index + 1, line)
        if len(places) == len(needles):
            break
    return places


def manuscript_texts(article: Article, fonts: FontSet) -> list[Printed]:
    """What the leaflet prints of an article, each part with the lines it was written in.
    The file is read (once) only when some character of it has no font."""
    m = article.manuscript
    fields = {
        "title": m.title,
        "summary": m.summary,
        "authors": "\n".join(m.authors),
        "sources": "\n".join(f"{s.title} {s.url}" for s in m.sources),
    }
    dates = f"{long_date(m.published, m.lang)} {long_date(m.review_due, m.lang)}"
    if not any(_unprintable(text, fonts) for text in (*fields.values(), article.text, dates)):
        return []
    try:
        lines = m.path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").split("\n")
    except (OSError, UnicodeDecodeError):
        lines = []
    starts = sorted({*m.key_lines.values(), m.body_line})
    printed = []
    for key, text in fields.items():
        start = m.key_lines.get(key, 1)
        end = next((s for s in starts if s > start), m.body_line)
        printed.append(Printed(m.path, text, "\n".join(lines[start - 1 : end - 1]), start))
    body = "\n".join(lines[m.body_line - 1 :]) if lines else m.body
    printed.append(Printed(m.path, article.text, body, m.body_line))
    note = f"in the dates, which leaflets write out in the article's language '{m.lang}'"
    printed.append(Printed(m.path, dates, "", m.line_of("lang"), note))
    return printed


def config_texts(config: Config) -> list[Printed]:
    """The clinic's details as the leaflet prints them, at their lines of careleaf.toml."""
    clinic = config.clinic
    values = {key: str(getattr(clinic, key, "")) for key in _CLINIC_KEYS}
    fonts = font_set(config.fonts)
    if config.path is None or not any(_unprintable(v, fonts) for v in values.values()):
        return []
    lines = _read(config.path).replace("\r\n", "\n").split("\n")
    printed = []
    for key, value in values.items():
        number = _toml_line(lines, "clinic", key)
        source = lines[number - 1] if 0 < number <= len(lines) else ""
        printed.append(Printed(config.path, value, source, max(number, 1)))
    return printed


def _toml_line(lines: Sequence[str], table: str, key: str) -> int:
    """The line of ``key = ...`` in ``[table]`` (0 when it is not there)."""
    current = ""
    for number, line in enumerate(lines, start=1):
        header = re.match(r"\s*\[\s*([\w.-]+)\s*\]", line)
        if header:
            current = header.group(1)
        elif re.match(rf"\s*{re.escape(key if current == table else f'{table}.{key}')}\s*=", line):
            return number
    return 0


def layout_texts(layouts: Layouts, languages: Iterable[str]) -> list[Printed]:
    """The leaflet layouts' own text (comments aside), and a clinic's own translations
    into the languages in use."""
    printed = []
    for name in ("leaflet.html", "leaflet.css"):
        source = _read(layouts.path(name))
        printed.append(Printed(layouts.path(name), _COMMENTS.sub("", source), source))
    if layouts.locales is not None:
        for lang in sorted(set(languages)):
            catalog = layouts.locales / lang / "LC_MESSAGES" / "messages.po"
            if catalog.is_file():
                source = _read(catalog)
                printed.append(Printed(catalog, _translations(source), source))
    return printed


def _translations(catalog: str) -> str:
    """The translated strings of a gettext catalog (``msgstr`` and its continuation lines)."""
    texts: list[str] = []
    keyword = ""
    for line in catalog.splitlines():
        match = re.match(r'\s*(msg\w+(?:\[\d+\])?)?\s*"(.*)"\s*$', line)
        if match is None:
            keyword = ""
            continue
        keyword = match.group(1) or keyword
        if keyword.startswith("msgstr"):
            texts.append(match.group(2))
    return "\n".join(texts)


def check_glyphs(articles: Sequence[Article], config: Config, layouts: Layouts) -> list[Problem]:
    """P603 for every character a leaflet would print that no leaflet font has, and P606
    for every emoji sequence leaflets cannot print as written."""
    fonts = font_set(config.fonts)
    problems = [p for article in articles for p in article_glyphs(article, fonts)]
    return problems + settings_glyphs(articles, config, layouts)


def article_glyphs(article: Article, fonts: FontSet) -> list[Problem]:
    """What an article itself would print that leaflets cannot (found once per article)."""
    return problems_for(manuscript_texts(article, fonts), fonts)


def settings_glyphs(articles: Sequence[Article], config: Config, layouts: Layouts) -> list[Problem]:
    """What the clinic's details, the layouts and the clinic's translations would print."""
    languages = [config.collection.language, *(a.lang for a in articles)]
    printed = [*config_texts(config), *layout_texts(layouts, languages)]
    return problems_for(printed, font_set(config.fonts))


def drawn_elsewhere(
    foreign: Mapping[str, str], html: str, article: Article, layouts: Layouts
) -> list[Problem]:
    """P603 for characters a rendered leaflet drew with a font of the computer (or with
    none): checks find these before rendering, so they come from what checks cannot
    see, such as a list marker or ``content`` of a clinic's own leaflet.css."""
    problems: list[Problem] = []
    for font, chars in foreign.items():
        for char in dict.fromkeys(c for c in chars if needs_glyph(c)):
            path: Path = article.manuscript.path
            if char not in article.text and char not in article.manuscript.title:
                name = "leaflet.html" if char in html else "leaflet.css"
                path = layouts.path(name)
            line, column, text = _locate(_read(path), {char}, 1).get(char, (1, None, ""))
            index = column - 1 if column else -1
            message = f"the character {shown(char, text, index)} would " + (
                f"need the computer's font {font}" if font else "print as an empty box"
            )
            message += ": none of careleaf's fonts has it"
            hint = HINT
            if column is None and path.name == "leaflet.css":
                message += " (it is drawn by the stylesheet: a list marker or generated content)"
                hint = "choose list-style-type and content that careleaf's fonts can draw"
            problems.append(error(path, line, "P603", message, hint=hint, column=column))
    return problems


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""
