"""Raised marks drawn so that PDF readers keep them in their word.

HarfBuzz places a combining mark above a tall letter (Arabic tanween over an alef or
a lam, a shadda over a kaf) with a vertical offset; WeasyPrint draws that mark as a
text run of its own, raised with text rise (``Ts``). Text extractors take the raised
mark for a word of its own on another baseline: poppler (pdftotext, Evince, Okular)
prints it on a line of its own and pdfium (Chrome's and Edge's PDF viewer) moves it
to the start of the line, so "مفاجئًا" reads back broken.

Here each such mark is drawn twice, on the same spot as before:

- as text, for readers: a *ghost* code in the line's own run, at the baseline and in
  reading order, with no outline and no width (an unused, empty glyph slot of the
  embedded subset font, whose ToUnicode entry is the mark); the runs around it merge
  into one, so extractors see one unbroken word;
- as ink, for the eye: the mark's outline, taken from the embedded font program,
  filled as a path at the raised position, inside the same marked content.

The page looks the same to the dot, and the text of the word is whole. A page that
sets character or word spacing, horizontal scaling or a text rendering mode (which
WeasyPrint does not) is left as it is, as is a font without a free empty glyph slot.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Operator
from pikepdf import ContentStreamInstruction as Instruction

from careleaf.markfonts import PREBASE, MarkFont, add_ghosts, coordinate, load_font

_UNHANDLED = frozenset({"Tc", "Tw", "Tz", "Tr", "TD", "Td", "T*", "'", '"', "Tj"})


def _codes(string: Any) -> list[int]:
    data = bytes(string)
    return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data) - 1, 2)]


def _string(codes: list[int]) -> pikepdf.String:
    return pikepdf.String(b"".join(code.to_bytes(2, "big") for code in codes))


Matrix = tuple[float, float, float, float, float, float]


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
        e * a2 + f * c2 + e2, e * b2 + f * d2 + f2,
    )  # fmt: skip


@dataclass
class _Text:
    """The text state inside one BT ... ET."""

    matrix: Matrix = (1, 0, 0, 1, 0, 0)
    advance: float = 0.0  # along the line since the last Tm, in text space
    font: MarkFont | None = None
    size: float = 0.0
    rise: float = 0.0


def lower_marks(pdf: pikepdf.Pdf) -> int:
    """Redraw raised combining marks as described above; how many were redrawn."""
    fonts: dict[tuple[int, int], MarkFont | None] = {}
    lowered = 0
    for page in pdf.pages:
        instructions = list(pikepdf.parse_content_stream(page))
        if any(str(i.operator) in _UNHANDLED for i in instructions):
            continue
        resources = page.obj.get("/Resources", Dictionary()).get("/Font", Dictionary())
        output, count = _page(pdf, instructions, resources, fonts)
        if count:
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(output))
            lowered += count
    for font in fonts.values():
        if font is not None and font.ghosts:
            add_ghosts(pdf, font)
    return lowered


def _page(
    pdf: pikepdf.Pdf,
    instructions: list[Any],
    resources: Any,
    fonts: dict[tuple[int, int], MarkFont | None],
) -> tuple[list[Any], int]:
    output: list[Any] = []
    ink: list[Any] = []  # paths to draw after the current ET, each within q ... Q
    state = _Text()
    lowered = 0
    index = 0
    while index < len(instructions):
        instruction = instructions[index]
        operator, operands = str(instruction.operator), instruction.operands
        if operator == "BT":
            state = _Text()
        elif operator == "Tm":
            state.matrix = tuple(float(x) for x in operands)  # type: ignore[assignment]
            state.advance = 0.0
        elif operator == "Tf":
            pdf_font = resources.get(str(operands[0]))
            key = pdf_font.objgen if pdf_font is not None else (0, 0)
            if key not in fonts:
                fonts[key] = load_font(pdf, pdf_font) if pdf_font is not None else None
            state.font, state.size = fonts[key], float(operands[1])
        elif operator == "Ts":
            state.rise = float(operands[0])
            raised = _raised(instructions, index, state)
            if raised is not None:
                ghost_run, paths, after = raised
                ink += paths
                lowered += sum(1 for p in paths if str(p.operator) == "f")
                _append_run(output, ghost_run)
                index = after  # past the mark's run and the Ts that ends it
                continue
        elif operator == "TJ":
            run, paths = _rewrite(_tokens(operands[0]), state)
            ink += paths
            lowered += sum(1 for p in paths if str(p.operator) == "f")
            _append_run(output, _items(run))
            index += 1
            continue
        elif operator == "ET" and ink:
            output += [instruction, *ink]
            ink = []
            index += 1
            continue
        output.append(instruction)
        index += 1
    return output, lowered


def _append_run(output: list[Any], run: list[Any]) -> None:
    """Add a TJ, merged into the TJ just before it (same font, nothing between)."""
    if output and str(output[-1].operator) == "TJ":
        output[-1] = Instruction([Array([*output[-1].operands[0], *run])], Operator("TJ"))
    else:
        output.append(Instruction([Array(run)], Operator("TJ")))


Token = int | float  # a glyph code, or a move in thousandths of the font size


def _tokens(run: Any) -> list[Token]:
    tokens: list[Token] = []
    for item in run:
        if isinstance(item, pikepdf.String):
            tokens += _codes(item)
        else:
            tokens.append(float(item))
    return tokens


def _items(tokens: list[Token]) -> list[Any]:
    """Tokens back as TJ operands: runs of codes as strings, moves as numbers."""
    items: list[Any] = []
    codes: list[int] = []
    for token in tokens:
        if isinstance(token, int):
            codes.append(token)
            continue
        if codes:
            items.append(_string(codes))
            codes = []
        items.append(token)
    if codes:
        items.append(_string(codes))
    return items


# the viramas that join consonants into a cluster (PREBASE: careleaf.markfonts)
VIRAMAS = ("\u094d", "\u09cd", "\u0a4d", "\u0acd", "\u0b4d", "\u0bcd", "\u0d4d", "\u0dca")
NUKTAS = frozenset("\u093c\u09bc\u0a3c\u0abc\u0b3c")
_AWAY = 50  # a mark moved this far (thousandths of the font size) is a word of its own


def _ink(font: MarkFont, code: int, state: _Text) -> list[Any]:
    """The glyph's outline, filled where the text state would draw it."""
    assert font.program is not None
    scale = state.size / font.program["head"].unitsPerEm
    place = _multiply((scale, 0, 0, scale, state.advance, state.rise), state.matrix)
    return [
        Instruction([], Operator("q")),
        Instruction([coordinate(x) for x in place], Operator("cm")),
        *font.outline(code),
        Instruction([], Operator("f")),
        Instruction([], Operator("Q")),
    ]


def _rewrite(tokens: list[Token], state: _Text) -> tuple[list[Token], list[Any]]:
    """One text run with each glyph that extractors would put in the wrong place (a
    mark moved away from its letter; a vowel sign drawn before its consonant) replaced
    by its ink and a ghost code where the text has it; the pen moves as before."""
    font = state.font
    usable = font is not None and font.marks and font.program is not None
    out: list[Token] = []
    paths: list[Any] = []
    waiting: list[int] = []  # ghosts of vowel signs, for after their consonant
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if isinstance(token, float):
            if (
                usable and abs(token) >= _AWAY and isinstance(following, int)
                and font.is_mark(following) and font.ghost(following) is not None  # type: ignore[union-attr]
            ):  # fmt: skip
                out += [font.ghost(following), token]  # type: ignore[union-attr, list-item]
                state.advance -= token / 1000 * state.size
                paths += _ink(font, following, state)  # type: ignore[arg-type]
                index += 2
                continue
            out.append(token)
            state.advance -= token / 1000 * state.size
            index += 1
            continue
        text = font.text.get(token, "") if font is not None else ""
        width = font.width(token) if font is not None else 0.0
        if usable and text in PREBASE and font.ghost(token) is not None:  # type: ignore[union-attr]
            paths += _ink(font, token, state)  # type: ignore[arg-type]
            out.append(-width)  # its room on the line, without the glyph
            state.advance += width / 1000 * state.size
            waiting.append(font.ghost(token))  # type: ignore[union-attr, arg-type]
            index += 1
            continue
        out.append(token)
        state.advance += width / 1000 * state.size
        index += 1
        if waiting and text and not text.endswith(VIRAMAS) and not font.is_mark(token):  # type: ignore[union-attr]
            while index < len(tokens) and isinstance(tokens[index], int):
                if font.text.get(int(tokens[index]), "") not in NUKTAS:  # type: ignore[union-attr]
                    break
                out.append(tokens[index])
                index += 1
            out += waiting
            waiting = []
    return out + waiting, paths


def _raised(
    instructions: list[Any], index: int, state: _Text
) -> tuple[list[Any], list[Any], int] | None:
    """At ``Ts r``: when it raises a run of combining marks only and the next ``Ts``
    takes the rise back, (the ghost run, the marks' paths, the index after it all)."""
    font = state.font
    if font is None or not font.marks or font.program is None or index + 2 >= len(instructions):
        return None
    run, closing = instructions[index + 1], instructions[index + 2]
    if str(run.operator) != "TJ" or str(closing.operator) != "Ts":
        return None
    prior = _rise_before(instructions, index)
    if float(closing.operands[0]) != prior:
        return None  # the rise is not taken back: leave the run as WeasyPrint drew it
    items = list(run.operands[0])
    codes = [c for item in items if isinstance(item, pikepdf.String) for c in _codes(item)]
    if not codes or not all(font.is_mark(c) for c in codes):
        return None
    ghosts = [font.ghost(c) for c in codes]
    if any(g is None for g in ghosts):
        return None
    paths: list[Any] = []
    for item in items:
        if not isinstance(item, pikepdf.String):
            state.advance -= float(item) / 1000 * state.size
            continue
        for code in _codes(item):
            paths += _ink(font, code, state)
            state.advance += font.width(code) / 1000 * state.size
    state.rise = prior
    adjustments = [item for item in items if not isinstance(item, pikepdf.String)]
    ghost_run: list[Any] = [_string([g for g in ghosts if g is not None]), *adjustments]
    return ghost_run, paths, index + 3


def _rise_before(instructions: list[Any], index: int) -> float:
    """The rise in force before the ``Ts`` at ``index`` (0 at the start of the text)."""
    for instruction in reversed(instructions[:index]):
        operator = str(instruction.operator)
        if operator == "Ts":
            return float(instruction.operands[0])
        if operator == "BT":
            return 0.0
    return 0.0
