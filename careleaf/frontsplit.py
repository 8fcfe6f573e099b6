"""A manuscript cut into its front matter and its body.

When the ``---`` lines are missing or misplaced, the best guess at where the body
starts, so that the body is still checked and its problems point at the right lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Split:
    """A manuscript cut into front matter and body."""

    front: str | None  # None when no front matter could be told apart
    body: str
    body_line: int  # file line of the body's first line
    front_line: int = 2  # file line of the front matter's first line
    problem: tuple[int, str, str] | None = None  # (line, message, hint) when not well formed


def _looks_like_key(line: str) -> bool:
    return bool(re.match(r"[A-Za-z_][\w-]*[ \t]*:", line))


def split(text: str) -> Split:
    """Front matter and body; when the ``---`` lines are missing or misplaced, the best
    guess at where the body starts (so that its problems point at the right lines)."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)

    def broken(body_start: int, line: int, message: str, hint: str) -> Split:
        body = "\n".join(lines[body_start:])
        return Split(None, body, body_start + 1, first + 2, (line, message, hint))

    if lines[first].rstrip() == "---":
        for index in range(first + 1, len(lines)):
            if lines[index].rstrip() in ("---", "..."):
                if first == 0:
                    front, body = "\n".join(lines[1:index]), "\n".join(lines[index + 1 :])
                    return Split(front, body, index + 2)
                return broken(
                    index + 1,
                    1,
                    "the file must start with the line '---'; here empty lines come first",
                    f"delete the empty lines above line {first + 1}",
                )
        end = max(_front_end(lines, first + 1), first + 1)
        return broken(
            end,
            end,
            f"the front matter that starts on line {first + 1} is not closed with a line '---'",
            f"add a line '---' below line {end}, before the article's text",
        )
    if _looks_like_key(lines[first]):
        end = _front_end(lines, first)
        return broken(
            end,
            first + 1,
            "the front matter has no '---' lines around it",
            f"add a line '---' above line {first + 1} and another below line {end}",
        )
    return Split(
        None,
        text,
        1,
        1,
        (
            1,
            "no front matter: the file must start with a line "
            "'---', then the title and other keys, then another line '---'",
            "add at the top: a line '---', 'title: ...', 'published: YYYY-MM-DD' "
            "and another line '---'",
        ),
    )


def _front_end(lines: list[str], start: int) -> int:
    """Index of the first line after a front matter that was not closed: the first empty
    line, or the first line that is not 'key: ...', an indented line or a list item."""
    for index in range(start, len(lines)):
        line = lines[index]
        if not line.strip() or not (_looks_like_key(line) or line[:1] in " \t-#"):
            return index
    return len(lines)
