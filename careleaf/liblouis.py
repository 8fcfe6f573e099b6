"""liblouis, the open braille translator screen readers use: finding its Python binding,
and the tables careleaf translates each language with.

liblouis is not on PyPI: it comes from the system (Debian: ``liblouis-bin`` and
``python3-louis``, whose binding is ctypes over ``liblouis.so`` in
``/usr/lib/python3/dist-packages/louis``, which a virtual environment does not see).
``binding()`` imports ``louis`` if the environment has it, else loads that one package
from the Debian path by an explicit, narrow import (never all of dist-packages). Where
neither works the braille edition is skipped with one warning (B951). liblouis reads
its own table files from the system (``/usr/share/liblouis/tables``).
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from careleaf.problems import Problem, warning

if TYPE_CHECKING:
    from careleaf.records import Article

DEBIAN_LOUIS = Path("/usr/lib/python3/dist-packages/louis/__init__.py")
PACKAGES = "liblouis-bin and python3-louis"
DISPLAY = "unicode.dis"  # cells as Unicode braille patterns (U+2800...), made into BRF here

# The language's standard literary braille, as liblouis 3.24 ships it: contracted
# (grade 2) Unified English Braille; uncontracted Spanish (the only Spanish table that
# translates both ways), French (braille intégral, which every French reader learns
# first) and Arabic (the Unified Arabic Braille of Mada, Qatar).
TABLES: dict[str, str] = {
    "en": "en-ueb-g2.ctb",
    "es": "es-g1.ctb",
    "fr": "fr-bfu-comp6.utb",
    "ar": "ar-ar-g1.utb",
}
# Web and email addresses are written uncontracted, letter for letter.
ADDRESS_TABLES: dict[str, str] = {"en": "en-ueb-g1.ctb"}
NAMES: dict[str, str] = {  # in the words of careleaf's messages and README
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "ar": "Arabic",
}


def language(lang: str) -> str:
    """The language of a BCP 47 tag, in lower case: 'en-GB' -> 'en'."""
    return lang.split("-")[0].lower()


def table_for(lang: str) -> str | None:
    """The braille table of a language tag, or None when careleaf has none for it."""
    return TABLES.get(language(lang))


def address_table_for(lang: str) -> str | None:
    code = language(lang)
    return ADDRESS_TABLES.get(code, TABLES.get(code))


@cache
def binding() -> ModuleType | None:
    """The ``louis`` module, or None when liblouis cannot be used on this computer."""
    try:
        import louis  # type: ignore[import-not-found, unused-ignore]

        return _quiet(louis)
    except (ImportError, OSError):  # OSError: the binding is there, the library is not
        pass
    if not DEBIAN_LOUIS.is_file():
        return None
    spec = importlib.util.spec_from_file_location(
        "louis", DEBIAN_LOUIS, submodule_search_locations=[str(DEBIAN_LOUIS.parent)]
    )
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except (ImportError, OSError, AttributeError):
        return None
    sys.modules.setdefault("louis", module)
    return _quiet(module)


def _quiet(louis: ModuleType) -> ModuleType:
    """liblouis prints its errors (a table it cannot find) on the terminal: careleaf
    reports them as problems instead."""
    louis.setLogLevel(louis.LOG_OFF)
    return louis


@cache
def version() -> str:
    """liblouis's version ('3.24.0'), or '' without it."""
    louis = binding()
    return str(louis.version()) if louis is not None else ""


@cache
def missing_tables() -> tuple[str, ...]:
    """The tables careleaf uses that this liblouis cannot open (a partial install)."""
    louis = binding()
    if louis is None:
        return ()
    missing = []
    for table in sorted({*TABLES.values(), *ADDRESS_TABLES.values()}):
        try:
            louis.checkTable([DISPLAY, table])
        except RuntimeError:
            missing.append(table)
    return tuple(missing)


def language_problems(article: Article, enabled: bool = True) -> list[Problem]:
    """B953: an article in a language careleaf has no braille table for."""
    if not enabled or table_for(article.lang) is not None:
        return []
    m = article.manuscript
    known = ", ".join(f"{name} ({code})" for code, name in NAMES.items())
    message = (
        f"careleaf has no braille table for the language '{article.lang}', so this article "
        "has no braille edition"
    )
    hint = f"braille is made for {known}"
    return [warning(m.path, m.line_of("lang"), "B953", message, hint=hint)]
