"""Typed values out of front matter: each wrong one a problem at its own line (text,
dates, names, flags, whole numbers, sources); front matter itself is read by
``careleaf.frontmatter``."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from careleaf.addresses import address_fault
from careleaf.characters import composed, first_bidi_control, first_unprintable, invisible_only
from careleaf.frontmatter import FrontMatter
from careleaf.problems import Problem, error, warning
from careleaf.records import Source


def _quoted(value: object) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


class Fields:
    """Typed values out of front matter; each wrong one noted as a problem at its line."""

    def __init__(self, path: Path, matter: FrontMatter) -> None:
        self.path = path
        self.data = matter.data
        self.key_lines = matter.key_lines
        self.problems: list[Problem] = []

    def line(self, key: str) -> int:
        return self.key_lines.get(key, 1)

    def report(self, key: str, code: str, message: str, hint: str | None = None) -> None:
        line = self.line(key) if key in self.data else 1
        self.problems.append(error(self.path, line, code, message, hint=hint))

    def unknown_keys(self, known: tuple[str, ...]) -> None:
        for key in self.data:
            if str(key) not in known:
                self.problems.append(
                    warning(
                        self.path,
                        self.line(str(key)),
                        "M108",
                        f"unknown front matter key '{key}' is ignored",
                        hint="known keys: " + ", ".join(known),
                    )
                )

    def text(self, key: str, required: bool = False) -> str:
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.missing(key, "...")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.report(key, "M104", f"'{key}' must be text")
            return ""
        text = self.printable(key, str(value).strip())
        if invisible_only(text):
            self.report(
                key,
                "M125",
                f"'{key}' holds no character one can see",
                hint="write it out in letters",
            )
            return ""
        return text

    def missing(self, key: str, example: str) -> None:
        if key in self.data:
            message, hint = f"front matter '{key}' is empty", f"write it after '{key}: '"
        else:
            message = f"front matter '{key}' is missing"
            hint = f"add a line '{key}: {example}' between the '---' lines"
        self.report(key, "M102", message, hint=hint)

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            self.report(key, "M104", f"'{key}' must be true or false, not '{_quoted(value)}'",
                        hint=f"write '{key}: true' or '{key}: false'")  # fmt: skip
            return False  # so that the error stops the build like any other
        return value

    def printable(self, key: str, text: str) -> str:
        bad = first_unprintable(text)
        if bad is not None:
            self.report(
                key,
                "M104",
                f"'{key}' holds a character that cannot be shown ({bad})",
                hint="retype the text; it may have been pasted from elsewhere",
            )
        bidi = first_bidi_control(text)
        if bidi is not None:
            self.report(
                key,
                "M125",
                f"'{key}' holds an invisible direction control ({bidi})",
                hint="retype the text; careleaf sets the direction from 'lang'",
            )
        return composed(text)

    def day(self, key: str, required: bool = False) -> date | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.missing(key, "YYYY-MM-DD")
            return None
        raw = str(value).strip() if isinstance(value, str | int) else ""
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
                raise ValueError(raw)
            return date.fromisoformat(raw)
        except ValueError:
            self.report(
                key,
                "M103",
                f"'{key}' must be a real date written YYYY-MM-DD, not '{_quoted(value)}'",
            )
            return None

    def names(self, key: str, commas: bool = False) -> tuple[str, ...]:
        """A list of names; one name written alone is a list of one (with ``commas``,
        ``tags: flu, vaccines`` written on one line is a list of two)."""
        value = self.data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            parts = value.split(",") if commas else [value]
            return tuple(self.printable(key, p.strip()) for p in parts if p.strip())
        if not isinstance(value, list) or not all(
            isinstance(item, str | int) and not isinstance(item, bool) for item in value
        ):
            self.report(
                key,
                "M104",
                f"'{key}' must be a list of names",
                hint=f"write one '- name' line under '{key}:'",
            )
            return ()
        return tuple(self.printable(key, str(item).strip()) for item in value)

    def whole_number(self, key: str, largest: int = 1_000_000) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or abs(value) > largest:
            self.report(key, "M104", f"'{key}' must be a whole number from -{largest} to {largest}")
            return None
        return value

    def sources(self) -> tuple[Source, ...]:
        value = self.data.get("sources")
        if value is None:
            return ()
        shape = "write each source as '- title: ...' with 'url: https://...' under it"
        if not isinstance(value, list):
            self.report("sources", "M104", "'sources' must be a list", hint=shape)
            return ()
        found = []
        for item in value:
            if not isinstance(item, dict) or not all(
                isinstance(item.get(part), str) for part in ("title", "url")
            ):
                self.report(
                    "sources", "M104", "each source needs a 'title' and a 'url'", hint=shape
                )
            elif not re.match(r"https?://", item["url"].strip()):
                self.report(
                    "sources",
                    "M104",
                    f"the source address '{_quoted(item['url'])}' must start with https://",
                )
            elif fault := address_fault(item["url"].strip()):
                self.report(
                    "sources",
                    "I208",
                    f"the source address '{_quoted(item['url'])}' is malformed: {fault}",
                    hint="copy the address again from the browser's address bar",
                )
            else:
                title = self.printable("sources", item["title"].strip())
                found.append(Source(title, item["url"].strip()))
        return tuple(found)
