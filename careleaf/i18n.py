"""Languages: gettext catalogs (compiled from .po with Babel) and locale-aware dates.

careleaf ships catalogs in ``careleaf/locale/<lang>/LC_MESSAGES/messages.po``; a clinic
adds or corrects a language by putting its own catalog in ``locale/`` beside its
``careleaf.toml``. English, the language of the templates' source strings, is the
fallback for every other language.
"""

from __future__ import annotations

import gettext
import io
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Babel is loaded when a page is made, not before
    from babel import Locale
    from babel.support import Translations

BUILTIN_LOCALES = Path(__file__).parent / "locale"
DOMAIN = "messages"


def babel_locale(lang: str) -> Locale:
    """The Babel locale for a BCP 47 tag, falling back to its language, then to English."""
    from babel import Locale, UnknownLocaleError

    for candidate in (lang.replace("-", "_"), lang.split("-")[0]):
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale("en")


def _catalog_names(lang: str) -> list[str]:
    locale = babel_locale(lang)
    names = [str(locale)]
    if locale.language not in names:
        names.append(locale.language)
    return names


@lru_cache(maxsize=64)
def translations(lang: str, extra: Path | None = None) -> gettext.NullTranslations:
    """Catalog for ``lang``: the project's own (``extra``) first, then careleaf's."""
    folders = [extra, BUILTIN_LOCALES] if extra is not None else [BUILTIN_LOCALES]
    for name in _catalog_names(lang):
        for folder in folders:
            po = folder / name / "LC_MESSAGES" / f"{DOMAIN}.po"
            # never a link to a file outside the folder (a project's catalog is its own)
            if po.is_file() and po.resolve().is_relative_to(folder.resolve()):
                return compile_po(po, name)
    return gettext.NullTranslations()


def has_catalog(lang: str, extra: Path | None = None) -> bool:
    """Whether careleaf (or the clinic, in ``extra``) has interface words in ``lang``:
    English is the templates' own language; any other without a catalog falls back to
    it, which the build report says."""
    if babel_locale(lang).language == "en" and lang.split("-")[0].lower() == "en":
        return True
    return type(translations(lang, extra)) is not gettext.NullTranslations  # a catalog


def english_interface(lang: str, extra: Path | None = None) -> str:
    """What the build report says of an article whose interface words are English."""
    if has_catalog(lang, extra):
        return ""
    return f"interface words in English: no catalog for '{lang}'"


def compile_po(po: Path, locale: str) -> Translations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with po.open("rb") as handle:
        catalog = read_po(handle, locale=locale, domain=DOMAIN)
    for message in catalog:
        # A translation is plain words: one holding markup or a quotation mark that could
        # end an attribute is not used (English shows instead), since templates put
        # translations into pages as they are; nor is one whose placeholders are not the
        # English text's own (the page could not be made).
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        ids = tuple(map(str, message.id if isinstance(message.id, tuple) else (message.id,)))
        if message.id and not all(_usable(str(text), ids) for text in strings if text):
            message.string = ("", "") if isinstance(message.string, tuple) else ""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


_PLACEHOLDER = re.compile(r"%(?:\((\w*)\))?[^a-zA-Z%]*[a-zA-Z%]?")


def _usable(text: str, ids: tuple[str, ...]) -> bool:
    if any(c in text for c in '<>"'):
        return False
    own = {found[0] for i in ids for found in _PLACEHOLDER.finditer(i)}
    return all(found[0] in own or found[0] == "%%" for found in _PLACEHOLDER.finditer(text))


def long_date(day: date, lang: str) -> str:
    """A date as people of that language write it out, e.g. '4 March 2026', '4 de marzo de 2026'."""
    from babel.dates import format_date

    return format_date(day, format="long", locale=babel_locale(lang))
