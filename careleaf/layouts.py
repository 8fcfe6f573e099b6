"""Layouts: the Jinja2 templates and stylesheets every edition is rendered with.

A clinic's own layouts folder (``layouts = "..."`` in careleaf.toml) overrides the
built-in layouts file by file; anything it lacks falls back to careleaf's own.
Templates autoescape, and a variable a template names but nobody passed is an error.
A layout is untrusted: it runs in Jinja's immutable sandbox, so it can show the data
it is given but not reach Python's insides (``__globals__``, ``__subclasses__``) to run
code or read files, nor change that data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from careleaf.i18n import babel_locale, long_date, translations
from careleaf.problems import Problem, display_path, error

if TYPE_CHECKING:
    import jinja2


def default_layouts() -> Path:
    """careleaf's own layouts: inside the installed package, or beside it in a source tree."""
    packaged = Path(__file__).parent / "layouts"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "layouts"


@cache
def _confined_loader() -> type[jinja2.FileSystemLoader]:
    """A file system loader that will not follow a link out of its layouts folders: a
    clinic's layouts folder could otherwise ``{% include %}`` any file on the computer.
    (Jinja2 is loaded when the first template is rendered, not before.)"""
    import jinja2

    class ConfinedLoader(jinja2.FileSystemLoader):
        def get_source(
            self, environment: jinja2.Environment, template: str
        ) -> tuple[str, str, Callable[[], bool]]:
            source, filename, uptodate = super().get_source(environment, template)
            if not any(inside(Path(filename), Path(folder)) for folder in self.searchpath):
                raise jinja2.TemplateError(
                    f"'{template}' is a link to a file outside the layouts folder"
                )
            return source, filename, uptodate

    return ConfinedLoader


def inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


class Layouts:
    """Finds and renders templates, in the language of what is being rendered."""

    def __init__(self, override: Path | None = None, locales: Path | None = None) -> None:
        self.folders = [f for f in (override, default_layouts()) if f is not None]
        self.locales = locales if locales is not None and locales.is_dir() else None

    @cached_property
    def env(self) -> jinja2.Environment:
        import jinja2
        from jinja2.sandbox import ImmutableSandboxedEnvironment

        env = ImmutableSandboxedEnvironment(
            loader=_confined_loader()([str(f) for f in self.folders]),
            autoescape=jinja2.select_autoescape(["html", "xhtml", "xml", "svg"]),
            undefined=jinja2.StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.filters["longdate"] = _longdate
        env.filters["names"] = _names
        return env

    def path(self, name: str) -> Path:
        """The file that ``name`` resolves to (the override's, if it has one)."""
        for folder in self.folders:
            candidate = folder / name
            if candidate.is_file() and inside(candidate, folder):
                return candidate
        raise FileNotFoundError(name)

    def render(self, name: str, lang: str, **context: Any) -> tuple[str, list[Problem]]:
        """Render template ``name`` with ``lang``'s catalog; a failure is a problem, not a crash."""
        import jinja2
        from jinja2.exceptions import SecurityError

        self.env.install_gettext_translations(  # type: ignore[attr-defined]
            translations(lang, self.locales), newstyle=True
        )
        try:
            return self.env.get_template(name).render(lang=lang, **context), []
        except jinja2.TemplateSyntaxError as exc:
            where = display_path(Path(exc.filename)) if exc.filename else name
            return "", [error(where, exc.lineno, "L301", f"the layout is not valid: {exc.message}")]
        except SecurityError as exc:
            where, line = self._failed_at(name, exc)
            message = f"the layout may not do this: {exc}"
            hint = "a layout can show the data careleaf gives it, nothing of Python's own"
            return "", [error(where, line, "L301", message, hint=hint)]
        except jinja2.TemplateError as exc:
            where, line = self._failed_at(name, exc)
            return "", [error(where, line, "L301", f"the layout '{name}' failed: {exc}")]

    def gettext(self, lang: str) -> Any:
        return translations(lang, self.locales).gettext

    def _failed_at(self, name: str, exc: BaseException) -> tuple[str, int]:
        """The layout file and line a template failed at (Jinja puts the template's own
        lines in the traceback), else the file ``name`` and line 1."""
        tb, found = exc.__traceback__, None
        folders = [f.resolve() for f in self.folders]
        while tb is not None:
            path = Path(tb.tb_frame.f_code.co_filename)
            if path.is_absolute() and any(path.resolve().is_relative_to(f) for f in folders):
                found = (display_path(path), tb.tb_lineno)
            tb = tb.tb_next
        return found or (self._where(name), 1)

    def _where(self, name: str) -> str:
        try:
            return display_path(self.path(name))
        except FileNotFoundError:
            return name


def _longdate(day: date, lang: str) -> str:
    return long_date(day, lang)


def _names(names: Sequence[str], lang: str) -> str:
    """'Ann, Bo and Cy' in the page's language."""
    from babel.lists import format_list

    return format_list(list(names), locale=babel_locale(lang))
