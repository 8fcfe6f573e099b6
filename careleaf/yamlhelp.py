"""What went wrong in a front matter, said so that an editor can fix it.

PyYAML's own messages ("mapping values are not allowed here") name the parser's state,
not the editor's mistake. The usual mistakes (a colon or a ``#`` inside a value, a tab,
a quote left open, a missing space after a colon) are recognised from the raw line and
explained with the fix written out: the editor's own value, quoted the way YAML needs.
Pure functions: text in, places and words out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

TEXT_KEYS = frozenset({"title", "summary", "authors", "reviewers", "tags", "sources"})
_LINE = re.compile(r"(?P<indent>[ \t]*)(?P<dash>-[ \t]+)?(?:(?P<key>[\w-]+)[ \t]*:(?=[ \t]|$))?")
_NO_SPACE = re.compile(r"[ \t]*(?:-[ \t]+)?([A-Za-z_][\w-]*):(?![ \t/]|$)")
_SPECIAL_START = "@`%*&!|>[]{}?,"


@dataclass(frozen=True)
class Explained:
    line: int  # file line
    column: int | None
    message: str
    hint: str


def yaml_quoted(text: str) -> str:
    """``text`` as a YAML value in quotes that reads back as exactly ``text``."""
    if '"' in text and "'" not in text:
        return f"'{text}'"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _mark(exc: yaml.YAMLError) -> tuple[int, int]:
    """Where the mistake is (0-based line and column of the front matter)."""
    context = getattr(exc, "context", None) or ""
    mark = getattr(exc, "problem_mark", None)
    if context.startswith(("while scanning a quoted", "while scanning a simple key")):
        mark = getattr(exc, "context_mark", None) or mark
    return (mark.line, mark.column) if mark is not None else (0, 0)


@dataclass(frozen=True)
class _Line:
    """One raw line read as ``[indent][- ][key:] value``."""

    raw: str
    indent: str
    dash: str
    key: str | None
    value: str
    colon: int  # 0-based column of the key's colon, -1 without a key

    @classmethod
    def read(cls, raw: str) -> _Line:
        shape = _LINE.match(raw)
        assert shape is not None  # every group is optional
        key, dash = shape.group("key"), "- " if shape.group("dash") else ""
        value = raw[shape.end() :].strip() if key or dash else raw.strip()
        return cls(raw, shape.group("indent"), dash, key, value, shape.end() - 1 if key else -1)

    @property
    def what(self) -> str:
        return f"the {self.key}" if self.key else "the item" if self.dash else "the value"

    def fixed(self, value: str) -> str:
        """The line as it should be written, with ``value`` in quotes."""
        return (
            f"{self.dash}{self.key}: {yaml_quoted(value)}"
            if self.key
            else (f"{self.dash}{yaml_quoted(value)}")
        )

    def unclosed_quote(self) -> bool:
        closed = {'"': r'"(?:[^"\\]|\\.)*"', "'": r"'(?:[^']|'')*'"}
        quote = self.value[:1]
        return quote in closed and not re.match(closed[quote], self.value)


def explain_error(front: str, front_line: int, exc: yaml.YAMLError) -> Explained:
    """A YAML error in the front matter as the editor's mistake and its fix."""
    lines = front.split("\n")
    index, column = _mark(exc)
    index = min(index, len(lines) - 1)
    problem = str(getattr(exc, "problem", None) or "")

    def at(line: int, col: int | None, message: str, hint: str) -> Explained:
        return Explained(front_line + line, col, message, hint)

    for number, text in enumerate(lines[: index + 1]):
        if re.match(r"[ \t-]*\t", text) or ("'\\t'" in problem and number == index):
            col = text.index("\t") + 1 if "\t" in text else None
            return at(
                number,
                col,
                "this line has a tab; the front matter needs spaces instead",
                "replace the tab with two spaces",
            )
    for number, text in enumerate(lines[: index + 1]):
        glued = _NO_SPACE.match(text)
        if glued and "://" not in text:
            key, value = glued.group(1), text[glued.end() :].strip()
            return at(
                number,
                glued.end(1) + 2,
                f"there is no space after '{key}:'",
                f"write it as {key}: {value}",
            )
        if _Line.read(text).unclosed_quote():
            line = _Line.read(text)
            return at(
                number,
                text.index(line.value[0]) + 1,
                f"the quote {line.value[0]} that starts {line.what} is never closed",
                f"close it at the end of the line: {line.fixed(line.value[1:])}",
            )
    line = _Line.read(lines[index])
    raw, value = line.raw, line.value
    if "aliases" in problem:
        return at(
            index,
            column + 1,
            problem,
            f"if you meant the text, put it in quotes: {line.fixed(value)}",
        )
    if not line.key and not line.dash:
        if line.indent:
            return at(
                index,
                1,
                "this line starts with spaces, but it is not in a list",
                "remove the spaces at the start of the line",
            )
        return at(
            index,
            1,
            f"line {front_line + index} is not written 'key: value'",
            "if it continues the line above, join the two lines; otherwise start it "
            "with its key, e.g. 'summary: ...'",
        )
    if "mapping values" in problem and column == line.colon and line.indent and not line.dash:
        return at(
            index,
            1,
            f"the line of '{line.key}' starts with spaces, so YAML reads it as "
            "part of the line above",
            "remove the spaces at the start of the line",
        )
    if value[:1] and value[0] in "\"'":
        quote = value[0]
        inner = value[1:-1] if len(value) > 1 and value.endswith(quote) else value
        return at(
            index,
            raw.index(quote) + 1,
            f"{line.what} starts with a quote {quote}, so YAML ends it at the next {quote}",
            f"put the whole of {line.what} in quotes: {line.fixed(inner)}",
        )
    if re.search(r":[ \t]|:$", value) or ("mapping values" in problem and ":" in value):
        col = raw.find(":", len(raw) - len(raw.lstrip()) + max(line.colon + 1, 0)) + 1
        return at(
            index,
            col or None,
            f"{line.what} holds a colon followed by a space (': '), which YAML reads "
            "as the start of another key",
            f"put {line.what} in quotes: {line.fixed(value)}",
        )
    if value[:1] and value[0] in _SPECIAL_START:
        return at(
            index,
            raw.index(value) + 1,
            f"{line.what} starts with '{value[0]}', which YAML reads as a sign, not text",
            f"put {line.what} in quotes: {line.fixed(value)}",
        )
    return at(
        index,
        column + 1,
        f"the front matter is not valid YAML: {problem or exc}",
        "write each line as 'key: value', and put a value that holds ': ', ' #' or "
        f"quotes in quotes, e.g. {line.fixed(value or '...')}",
    )


def not_a_mapping(front: str, front_line: int) -> Explained:
    """Front matter that is valid YAML but not 'key: value' lines (such as 'title:Flu')."""
    lines = front.split("\n")
    for number, text in enumerate(lines):
        glued = _NO_SPACE.match(text)
        if glued and "://" not in text:
            key, value = glued.group(1), text[glued.end() :].strip()
            return Explained(
                front_line + number,
                glued.end(1) + 2,
                f"there is no space after '{key}:'",
                f"write it as {key}: {value}",
            )
    first = next((n for n, text in enumerate(lines) if text.strip()), 0)
    return Explained(
        front_line + first,
        None,
        "the front matter must be 'key: value' lines, such as 'title: Flu'",
        "write one key on each line, then a colon, a space and its value",
    )


@dataclass(frozen=True)
class HiddenComment:
    """A value cut short by ``#``: YAML reads `` #`` and the rest of its line as a note."""

    line: int  # file line
    column: int  # of the '#'
    key: str
    read: str  # what YAML read
    meant: str  # the whole text on the line
    item: bool  # the value is an item of a list


def hidden_comments(front: str, front_line: int, node: yaml.Node | None) -> list[HiddenComment]:
    """Plain text values of the keys that hold words (title, summary, tags...) that a
    `` #`` cut short."""
    lines = front.split("\n")
    found: list[HiddenComment] = []

    def visit(value: yaml.Node, key: str, item: bool) -> None:
        if isinstance(value, yaml.ScalarNode) and value.style is None:
            end = value.end_mark
            rest = lines[end.line][end.column :] if end.line < len(lines) else ""
            comment = re.match(r"[ \t]+#", rest)
            if comment:
                meant = (value.value + rest).strip() if value.value else rest.strip()
                found.append(
                    HiddenComment(
                        front_line + end.line,
                        end.column + comment.end(),
                        key,
                        value.value,
                        meant,
                        item,
                    )
                )
        elif isinstance(value, yaml.SequenceNode):
            for child in value.value:
                visit(child, key, True)
        elif isinstance(value, yaml.MappingNode):  # a source: its title
            for sub, child in value.value:
                visit(child, str(sub.value), False)

    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if str(key_node.value) in TEXT_KEYS:
                visit(value_node, str(key_node.value), False)
    return found
