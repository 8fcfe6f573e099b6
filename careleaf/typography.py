"""What must not be split across two lines: a number and its unit, a sign and its
number, "Call 999" or "Day 3", a phone number; and French spaces before ``: ; ! ?`` and inside
« ». Done on an article's HTML (text only: never tags, attributes or code) with the
no-break space U+00A0, in every edition: the leaflet is set once for paper, but web
pages and e-books reflow too, and "38" at the end of one line with "°C" at the start of
the next misleads everywhere.

A no-break space is a space: screen readers read "38 °C" as they read it with a plain
space, text copied or extracted from a PDF gives it back as U+00A0 or as a plain space
(pdftotext and pdfium differ), and nothing else is added: no word joiner, no span that
would split "°C" from its number in the structure. U+00A0 rather than the narrow
U+202F, also for French: the leaflet fonts all have it (Atkinson Hyperlegible has no
U+202F), and careleaf's smart quotes for French already use it inside « ».
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
_SKIP = frozenset({"code", "pre", "kbd", "samp", "script", "style"})
TAG = re.compile(r"(<[^>]*>)")  # a tag, kept by split()
_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)")
_NUMBER = r"(?<![\w.,/:#&])\d+(?:[.,:/\u2013-]\d+)*"
_SYMBOLS = (
    r"°\s?[CF]|℃|℉|%|‰|mmHg|mmol/mol|mmol/[lL]|mg/d[lL]|mg/kg|mg/m[lL]|mg|mcg|µg|μg|ng|"
    r"kg/m²|kg|g|m[lL]|c[lL]|d[lL]|[lL]|IU|UI|cm|mm|km|m|kcal|kJ|bpm|hrs?|h|mins?|s"
)
_WORDS = {  # counted things a number is kept with, in the article's language
    "en": "tablets?|capsules?|puffs?|drops?|doses?|sachets?|spoonfuls?|teaspoons?|"
    "tablespoons?|units?|hours?|days?|weeks?|months?|years?|minutes?|seconds?|times|"
    "litres?|liters?|pints?|glasses?|cups?|kilos?|metres?|meters?|miles?|grams?|"
    "milligrams?|millilitres?|milliliters?|per cent|percent|am|pm|a\\.m\\.|p\\.m\\.",
    "es": "comprimidos?|pastillas?|cápsulas?|gotas?|dosis|sobres?|cucharadas?|"
    "cucharaditas?|unidades?|horas?|días?|semanas?|meses|mes|años?|minutos?|segundos?|"
    "veces|vez|litros?|vasos?|kilos?|metros?|gramos?|por ciento",
    "fr": "comprimés?|gélules?|gouttes?|doses?|sachets?|cuillères?|unités?|heures?|jours?|"
    "semaines?|mois|ans|années?|minutes?|secondes?|fois|litres?|verres?|kilos?|mètres?|"
    "grammes?|pour cent",
}
_CALLS = (  # "Call 999", "NHS 111", and words that number things: "Day 3", "Step 2"
    r"(?i:\b(?:call|dial|ring|phone|text|NHS|llame al|llamar al|llama al|marque el|"
    r"appelez le|appeler le|composez le|faites le|day|week|month|step|stage|type|room|"
    r"ward|floor|page|día|semana|paso|jour|semaine|étape|salle))"
)
_SIGNS = r"(?<![\w.])(?:[<>≤≥±~≈=]|&lt;|&gt;)"
_ENTITIES = re.compile(r"&(?:nbsp|#160|#[xX]0*[aA]0);")
_PHONE = re.compile(r"(?<![\w+.,/])(?:\+|0)\d{1,4}(?: \d{2,6}){1,4}(?![\w.,/]\d)")


def _unit_rule(lang: str) -> re.Pattern[str]:
    words = _WORDS.get(lang.split("-")[0].lower())
    units = f"{_SYMBOLS}|{words}" if words else _SYMBOLS
    return re.compile(rf"({_NUMBER}) +(?=(?:{units})(?![^\W\d_]))")


_RULES: dict[str, re.Pattern[str]] = {}


def keep_together(html: str, lang: str) -> str:
    """``html`` (an article's body) with no-break spaces where a line must not break."""
    primary = lang.split("-")[0].lower()
    units = _RULES.setdefault(primary, _unit_rule(primary))
    parts = TAG.split(html)
    skipping = 0
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            name = _NAME.match(part)
            if name and name.group(1).lower() in _SKIP:
                skipping += -1 if part.startswith("</") else 1
                skipping = max(skipping, 0)
            continue
        if skipping or not part.strip():
            continue
        text = _ENTITIES.sub(NBSP, part)  # one spelling of the no-break space
        text = units.sub(rf"\1{NBSP}", text)
        text = re.sub(rf"({_SIGNS}) +(?=\d)", rf"\1{NBSP}", text)
        text = re.sub(rf"({_CALLS}) +(?=\d)", rf"\1{NBSP}", text)
        text = _PHONE.sub(lambda m: m.group(0).replace(" ", NBSP), text)
        if primary == "fr":
            text = _french(text, canadian=lang.lower().startswith("fr-ca"))
        parts[index] = text
    return "".join(parts)


def _french(text: str, canadian: bool) -> str:
    """A no-break space before ``: ; ! ?`` and », after «: a space typed there becomes
    one, and where none was typed one is added (in Canada, before ``:`` only)."""
    text = re.sub(r"(?<=\S)[ \t]+(?=[:;!?»])", NBSP, text)
    text = re.sub(r"«[ \t]+", "«" + NBSP, text)
    marks = ":" if canadian else ":;!?"
    # after a letter or a closing bracket, before a space or the end: not "https:", "10:30"
    text = re.sub(rf"(?<=[^\W\d_]|[)\]»])([{marks}])(?=\s|$)", NBSP + r"\1", text)
    if not canadian:
        text = re.sub(r"«(?=[^\s\u00a0])", "«" + NBSP, text)
        text = re.sub(r"(?<=[^\s\u00a0])»", NBSP + "»", text)
    return text
