"""Front matter: the YAML between two ``---`` lines, read safely and with line numbers,
and its values checked one by one, each wrong value a problem at its own line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from careleaf.addresses import address_fault
from careleaf.characters import first_bidi_control, first_unprintable, invisible_only
from careleaf.frontsplit import Split, split
from careleaf.problems import Problem, error, warning
from careleaf.readfile import read_text
from careleaf.records import Source
from careleaf.yamlhelp import (
    HiddenComment,
    explain_error,
    hidden_comments,
    not_a_mapping,
    yaml_quoted,
)

MAX_DEPTH = 20  # lists and maps inside each other: no leaflet needs more
_LONGEST_NUMBER = 30  # digits; a longer "number" stays text (Python refuses > 4300 digits)


@dataclass(frozen=True)
class FrontMatter:
    data: dict[Any, Any]
    body: str
    body_line: int  # the file's line number of the body's first line
    key_lines: dict[str, int] = field(default_factory=dict)  # where each key stands
    item_lines: dict[str, tuple[int, ...]] = field(default_factory=dict)  # and each list item
    readable: bool = True  # False: the YAML could not be read; only the body is known


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so that careleaf can explain a bad one, and
    refuses aliases (``*name``): a few of them can expand to gigabytes."""

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "careleaf does not accept YAML aliases (*name); write the value out",
                mark)  # fmt: skip
        if self.depth >= MAX_DEPTH:
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise TooDeep(None, None, f"lists or maps nested more than {MAX_DEPTH} deep", mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        digits = sum(c.isdigit() for c in str(node.value))
        if digits > _LONGEST_NUMBER:
            return str(node.value)  # a whole number this long is nothing a leaflet means
        return super().construct_yaml_int(node)


class TooDeep(yaml.composer.ComposerError):
    """Front matter nested deeper than ``MAX_DEPTH``."""


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parse_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """The YAML's node tree (for line numbers) and its plain values."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


_RAW_DRAFT = re.compile(r"^draft[ \t]*:[ \t]*(?:true|yes|on)[ \t]*(?:#.*)?$", re.I | re.M)


def read_front_matter(
    path: Path, max_bytes: int = 2048 * 1024
) -> tuple[FrontMatter | None, list[Problem]]:
    """Read the file (``careleaf.readfile``) and its front matter. A front matter that
    cannot be read still gives the body (``readable`` False), so that the body's problems
    are found too; only a file that cannot be read at all gives None."""
    text, problems = read_text(path, max_bytes)
    if text is None:
        return None, problems
    parts = split(text)
    if parts.front is None:
        line, message, hint = parts.problem or (1, "no front matter", "")
        # A draft stays a draft while its front matter is being mended.
        draft = {"draft": True} if _RAW_DRAFT.search(text.split("\n\n")[0]) else {}
        return _unreadable(parts, draft), [error(path, line, "M101", message, hint=hint)]
    draft = {"draft": True} if _RAW_DRAFT.search(parts.front) else {}
    try:
        node, data = _parse_yaml(parts.front)
    except TooDeep as exc:
        mark = exc.problem_mark
        line = mark.line + parts.front_line if mark is not None else 1
        message = f"the front matter holds lists or maps nested more than {MAX_DEPTH} deep"
        return _unreadable(parts, draft), [error(path, line, "M121", message)]
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line = parts.front[: exc.position].count("\n") + parts.front_line
        if isinstance(exc.character, int):
            message = f"the front matter holds a control character (U+{exc.character:04X})"
            found = error(path, line, "M104", message, hint="retype the line")
        else:
            found = error(path, line, "M101", "the front matter is not valid YAML")
        return _unreadable(parts, draft), [found]
    except yaml.YAMLError as exc:
        told = explain_error(parts.front, parts.front_line, exc)
        return _unreadable(parts, draft), [
            error(path, told.line, "M101", told.message, hint=told.hint, column=told.column)
        ]
    except (ValueError, RecursionError) as exc:  # what PyYAML lets through from Python
        message = f"the front matter cannot be read: {exc}"
        return _unreadable(parts, draft), [error(path, parts.front_line, "M101", message)]
    if not isinstance(data, dict):
        told = not_a_mapping(parts.front, parts.front_line)
        return _unreadable(parts, {}), [
            error(path, told.line, "M101", told.message, hint=told.hint, column=told.column)
        ]
    matter = FrontMatter(data, parts.body, parts.body_line)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            matter.key_lines.setdefault(str(key_node.value), key_node.start_mark.line + 2)
            if isinstance(value_node, yaml.SequenceNode):
                matter.item_lines[str(key_node.value)] = tuple(
                    item.start_mark.line + 2 for item in value_node.value
                )
        problems += _key_problems(path, node)
    problems += [_cut_short(path, found) for found in hidden_comments(parts.front, 2, node)]
    return matter, problems


def _unreadable(parts: Split, data: dict[Any, Any]) -> FrontMatter:
    return FrontMatter(data, parts.body, parts.body_line, readable=False)


def _cut_short(path: Path, found: HiddenComment) -> Problem:
    read = f"'{found.read}'" if found.read else "empty"
    thing = f"an item of '{found.key}'" if found.item else f"'{found.key}'"
    fix = (
        f"- {yaml_quoted(found.meant)}"
        if found.item
        else f"{found.key}: {yaml_quoted(found.meant)}"
    )
    return warning(
        path,
        found.line,
        "M114",
        f"YAML reads ' #' and the rest of the line as a note, so {thing} is read as {read}",
        hint=f"put it in quotes: {fix}",
        column=found.column,
    )


def _key_problems(path: Path, node: yaml.MappingNode) -> list[Problem]:
    """Keys written twice (YAML would keep the last silently), and keys that are not names."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for key_node, _value in node.value:
        line = key_node.start_mark.line + 2
        key = str(key_node.value)
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
            message = f"the key '{key}' is not a name like 'title'"
            problems.append(error(path, line, "M127", message, hint="write 'name: value'"))
        elif key in seen:
            message = f"'{key}' is written twice (first on line {seen[key]})"
            problems.append(error(path, line, "M127", message, hint="keep one of them"))
        seen.setdefault(key, line)
    return problems


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
        return text

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

    def names(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (self.printable(key, value.strip()),)
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
