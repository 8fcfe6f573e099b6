"""Front matter: the YAML between two ``---`` lines, read safely and with line numbers,
and its values checked one by one, each wrong value a problem at its own line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from careleaf.characters import spaced
from careleaf.frontsplit import Split, split
from careleaf.problems import Problem, error, warning
from careleaf.readfile import read_text
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
        # YAML breaks lines at U+2028 and U+2029, which are a space to careleaf
        node, data = _parse_yaml(spaced(parts.front))
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
