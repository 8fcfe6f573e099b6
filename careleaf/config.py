"""Configuration: ``careleaf.toml``, every key optional, checked against a small schema."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from careleaf.clinicfonts import ClinicFont, read_fonts
from careleaf.colour import MINIMUM_CONTRAST, contrast_ratio
from careleaf.problems import Problem, error, warning

PAPER_SIZES = ("A4", "letter", "A5")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_EMAIL = re.compile(r"([^@\s<>\"'():;,]+@[^@\s<>\"'():;,]+\.[A-Za-z]{2,})?")
_PHONE = re.compile(r"[0-9+()\-. ]*")


@dataclass(frozen=True)
class Clinic:
    name: str = "Your clinic"
    phone: str = ""
    email: str = ""
    address: str = ""
    website: str = ""
    logo: str = ""  # an image file in the project, printed on each leaflet (careleaf.logo)
    logo_alt: str = ""  # what the logo says, for screen readers (required with a logo)
    other_formats: str = ""  # how to get a leaflet in other formats (default: a sentence)


@dataclass(frozen=True)
class Collection:
    title: str = "Patient information"
    identifier: str = ""
    language: str = "en"
    base_url: str = ""
    review_months: int = 24


@dataclass(frozen=True)
class Print:
    paper: str = "A4"


@dataclass(frozen=True)
class Theme:
    accent: str = "#1d4f91"


@dataclass(frozen=True)
class Checks:
    reading_grade: int = 8  # the school grade articles should be readable at
    overdue_review: str = "error"  # a passed review date (R804) is an error, or a warning


@dataclass(frozen=True)
class Limits:
    """How much of a manuscript careleaf reads: more is a problem, not a hang."""

    manuscript_kb: int = 2048  # the largest manuscript file, in kilobytes (1024 bytes)
    leaflet_pages: int = 40  # the longest leaflet (standard print), estimated before rendering


@dataclass(frozen=True)
class Braille:
    """The braille edition (BRF files): the page of the embosser or display it is for."""

    enabled: bool = True  # false: no braille edition (and no warnings about it)
    cells_per_line: int = 40
    lines_per_page: int = 25


@dataclass(frozen=True)
class Build:
    """Where leaflets are rendered (``careleaf.cluster``)."""

    scheduler: str = ""  # a Dask scheduler's address; empty: this machine's cores
    scheduler_fallback: str = "none"  # "local": build here when the scheduler cannot be used


@dataclass(frozen=True)
class Config:
    root: Path = field(default_factory=Path.cwd)
    path: Path | None = None  # the file read, if there was one
    clinic: Clinic = Clinic()
    collection: Collection = Collection()
    print: Print = Print()
    theme: Theme = Theme()
    checks: Checks = Checks()
    limits: Limits = Limits()
    braille: Braille = Braille()
    build: Build = Build()
    layouts: Path | None = None  # a folder of overriding templates and CSS
    fonts: tuple[ClinicFont, ...] = ()  # the clinic's own fonts ([[fonts]], careleaf.clinicfonts)


_SECTIONS: dict[str, type] = {
    "clinic": Clinic,
    "collection": Collection,
    "print": Print,
    "theme": Theme,
    "checks": Checks,
    "limits": Limits,
    "braille": Braille,
    "build": Build,
}


def key_line(lines: list[str], section: str | None, key: str) -> int:
    """The line of ``key`` (inside ``[section]``), found by reading the file as text."""
    current: str | None = None
    for number, text in enumerate(lines, start=1):
        stripped = text.strip()
        header = re.fullmatch(r"\[\s*([A-Za-z0-9_.-]+)\s*\]", stripped)
        if header:
            current = header.group(1)
            if section is not None and key == "" and current == section:
                return number
            continue
        if current == section and re.match(rf"{re.escape(key)}\s*=", stripped):
            return number
    return 1


def _check_value(section: str, key: str, value: object) -> str | None:
    """Beyond type: the values careleaf accepts. Returns a message, or None when fine."""
    if section == "print" and key == "paper" and value not in PAPER_SIZES:
        return f"[print] paper must be one of {', '.join(PAPER_SIZES)}, not {value!r}"
    if section == "theme" and key == "accent":
        if not _COLOUR.fullmatch(str(value)):
            return f'[theme] accent must be a colour like "#1d4f91", not {value!r}'
        ratio = contrast_ratio(str(value), "#ffffff")
        if ratio < MINIMUM_CONTRAST:
            return (
                f"[theme] accent {value} has a contrast of only {ratio:.2f}:1 against the "
                f"white page; text needs at least {MINIMUM_CONTRAST}:1 (choose a darker colour)"
            )
    if section == "collection" and key == "review_months" and not 1 <= int(str(value)) <= 120:
        return f"[collection] review_months must be between 1 and 120, not {value}"
    if section == "checks" and key == "reading_grade" and not 1 <= int(str(value)) <= 18:
        return f"[checks] reading_grade must be a school grade from 1 to 18, not {value}"
    if section == "limits" and key == "manuscript_kb" and not 1 <= int(str(value)) <= 65536:
        return f"[limits] manuscript_kb must be from 1 to 65536 (64 MB), not {value}"
    if section == "limits" and key == "leaflet_pages" and not 1 <= int(str(value)) <= 1000:
        return f"[limits] leaflet_pages must be from 1 to 1000, not {value}"
    if section == "braille" and key == "cells_per_line" and not 20 <= int(str(value)) <= 100:
        return f"[braille] cells_per_line must be from 20 to 100 cells, not {value}"
    if section == "braille" and key == "lines_per_page" and not 10 <= int(str(value)) <= 100:
        return f"[braille] lines_per_page must be from 10 to 100 lines, not {value}"
    if section == "build" and key == "scheduler" and value:
        from careleaf.runners import address_problem

        wrong = address_problem(str(value))
        return f"[build] scheduler: {wrong}" if wrong else None
    if section == "build" and key == "scheduler_fallback" and value not in ("none", "local"):
        return f'[build] scheduler_fallback must be "none" or "local", not {value!r}'
    if section == "checks" and key == "overdue_review" and value not in ("error", "warning"):
        return f'[checks] overdue_review must be "error" or "warning", not {value!r}'
    if (section, key) in (("collection", "base_url"), ("clinic", "website")) and not re.match(
        r"(https?://[^\s<>\"']+$|$)", str(value)
    ):
        return f"[{section}] {key} must be a web address starting with https://, not {value!r}"
    if section == "clinic" and key == "email" and not _EMAIL.fullmatch(str(value)):
        return f"[clinic] email must be an address like info@clinic.org, not {value!r}"
    if section == "clinic" and key == "phone" and not _PHONE.fullmatch(str(value)):
        return f"[clinic] phone may hold only digits, spaces, + ( ) - and dots, not {value!r}"
    return None


def setting_line(config: Config, section: str, key: str) -> int:
    """The line of ``[section] key`` in the configuration file that was read (1 if none)."""
    try:
        text = config.path.read_text(encoding="utf-8-sig") if config.path else ""
    except (OSError, UnicodeDecodeError):
        return 1
    return key_line(text.splitlines(), section, key)


def load_config(path: Path, *, explicit: bool = False) -> tuple[Config, list[Problem]]:
    """Read ``path``; a missing file gives the defaults (an error only if it was asked for)."""
    root = path.parent.resolve()
    if not path.is_file():
        if explicit:
            return Config(root=root), [
                error(path, 1, "C101", "the configuration file does not exist")
            ]
        return Config(root=Path.cwd().resolve()), []
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        line = _toml_error_line(str(exc), text if isinstance(exc, tomllib.TOMLDecodeError) else "")
        return Config(root=root, path=path), [
            error(path, line, "C101", f"this is not valid TOML: {exc}")
        ]
    lines = text.splitlines()
    problems: list[Problem] = []
    sections: dict[str, Any] = {}
    layouts: Path | None = None
    fonts: tuple[ClinicFont, ...] = ()
    for name, value in data.items():
        if name == "fonts":
            fonts, found = read_fonts(value, path, lines, root)
            problems += found
            continue
        if name == "layouts":
            if not isinstance(value, str):
                problems.append(
                    error(
                        path,
                        key_line(lines, None, name),
                        "C102",
                        "'layouts' must be a folder name in quotes",
                    )
                )
                continue
            layouts = (root / value).resolve()
            reason = (
                "does not exist"
                if not layouts.is_dir()
                else "is outside the project folder"
                if not layouts.is_relative_to(root)
                else ""
            )
            if reason:
                problems.append(
                    error(
                        path,
                        key_line(lines, None, name),
                        "C105",
                        f"the layouts folder '{value}' {reason}",
                    )
                )
                layouts = None
            continue
        kind = _SECTIONS.get(name)
        if kind is None:
            problems.append(
                warning(
                    path,
                    key_line(lines, None, name)
                    if not isinstance(value, dict)
                    else key_line(lines, name, ""),
                    "C103",
                    f"unknown setting '{name}' is ignored",
                )
            )
            continue
        if not isinstance(value, dict):
            problems.append(
                error(
                    path,
                    key_line(lines, None, name),
                    "C102",
                    f"'{name}' must be a section written [{name}]",
                )
            )
            continue
        sections[name] = _read_section(path, lines, name, kind, value, problems)
    config = Config(root=root, path=path, layouts=layouts, fonts=fonts, **sections)
    return config, problems


def _read_section(
    path: Path,
    lines: list[str],
    name: str,
    kind: type,
    table: dict[str, Any],
    problems: list[Problem],
) -> Any:
    fields = {f.name: f for f in dataclasses.fields(kind)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        line = key_line(lines, name, key)
        spec = fields.get(key)
        if spec is None:
            known = ", ".join(fields)
            problems.append(
                warning(
                    path,
                    line,
                    "C103",
                    f"unknown setting '{key}' in [{name}] is ignored (known: {known})",
                )
            )
            continue
        wanted = type(spec.default)
        if type(value) is not wanted:
            word = {int: "a whole number", bool: "true or false"}.get(wanted, "text in quotes")
            problems.append(
                error(path, line, "C102", f"[{name}] {key} must be {word}, not {value!r}")
            )
            continue
        if name == "print" and key == "paper":  # "a4", "Letter": the size, however written
            value = next(
                (size for size in PAPER_SIZES if size.lower() == str(value).lower()), value
            )
        message = _check_value(name, key, value)
        if message:
            problems.append(error(path, line, "C104", message))
            continue
        values[key] = value
    return kind(**values)


def _toml_error_line(message: str, text: str) -> int:
    found = re.search(r"line (\d+)", message)
    if found:
        return int(found.group(1))
    return max(len(text.splitlines()), 1) if "end of document" in message else 1
