"""A generated library of realistic patient leaflets, for the benchmarks.

Each article has front matter (summary, tags, related, authors, sources), sections
with headings, paragraphs, a nested list, a numbered list, a table, a definition
list, footnotes, an abbreviation, a link to another article, and (every third
article) a photo-sized PNG image; a third of them are in Spanish. Deterministic:
the same ``count`` gives the same files.

    python benchmarks/generate.py FOLDER [--articles 200]
"""

from __future__ import annotations

import argparse
import random
import struct
import zlib
from pathlib import Path

TAGS = ["heart", "lungs", "skin", "children", "medicines", "tests", "diet", "sleep", "pain"]
_WORDS = """you your doctor nurse clinic medicine blood pressure sugar sleep water food rest
pain breathing cough skin rash fever child test result appointment call help week day night
tablet dose side effect allergy heart lungs exercise walk diet fruit vegetables"""
_PALABRAS = """usted su médico enfermera clínica medicina sangre presión azúcar sueño agua comida
descanso dolor tos piel fiebre niño prueba cita ayuda semana día noche pastilla dosis"""
WORDS = tuple(_WORDS.split())
PALABRAS = tuple(_PALABRAS.split())


def png(width: int, height: int, seed: int) -> bytes:
    """A PNG of ``width`` by ``height`` (a gradient, so that it compresses like a photo)."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            rows += bytes(((x * 7 + seed) % 256, (y * 5) % 256, (x + y + seed * 3) % 256))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 6))
        + chunk(b"IEND", b"")
    )


def sentence(rng: random.Random, words: tuple[str, ...]) -> str:
    return " ".join(rng.choice(words) for _ in range(rng.randint(7, 14))).capitalize() + "."


def article(number: int, total: int, rng: random.Random) -> str:
    spanish = number % 3 == 2
    words = PALABRAS if spanish else WORDS
    other = (number + 1 + rng.randrange(total - 1)) % total if total > 1 else number
    related = f"related: [article-{other:04d}]\n" if other != number else ""
    front = (
        "---\n"
        f"title: {'Folleto' if spanish else 'Patient leaflet'} number {number}\n"
        "published: 2026-03-01\n"
        f"summary: {sentence(rng, words)}\n"
        f"tags: [{', '.join(sorted(rng.sample(TAGS, 2)))}]\n"
        f"{related}"
        f"{'lang: es' + chr(10) if spanish else ''}"
        "authors: [Sam Patel]\n"
        "sources:\n"
        "  - title: NHS health A to Z\n"
        "    url: https://www.nhs.uk/conditions/\n"
        "---\n\n"
    )
    parts = [front]
    for section in range(1, 5):
        parts.append(f"## {'Sección' if spanish else 'Section'} {section}\n\n")
        parts.append(" ".join(sentence(rng, words) for _ in range(4)) + "\n\n")
        parts.append(f"- {sentence(rng, words)}\n  - {sentence(rng, words)}\n")
        parts.append(f"    - {sentence(rng, words)}\n- {sentence(rng, words)}\n\n")
    parts.append(f"1. {sentence(rng, words)}\n2. {sentence(rng, words)}[^n{number}]\n\n")
    parts.append("| Time | What to do |\n|---|---|\n")
    parts.append(f"| Morning | {sentence(rng, words)} |\n| Night | Take the GP tablet |\n\n")
    parts.append(f"Dose\n:   {sentence(rng, words)}\n\n")
    if total > 1:
        parts.append(f"Read [the other leaflet](article-{other:04d}.md) too.\n\n")
    if number % 3 == 0:
        parts.append(f"![A chart of doses for leaflet {number}](images/photo-{number % 4}.png)\n\n")
    parts.append(f"[^n{number}]: {sentence(rng, words)}\n\n*[GP]: general practitioner\n")
    return "".join(parts)


def generate(folder: Path, count: int) -> None:
    """Write a library of ``count`` articles into ``folder`` (careleaf.toml, manuscripts/)."""
    rng = random.Random(11)
    manuscripts = folder / "manuscripts"
    (manuscripts / "images").mkdir(parents=True, exist_ok=True)
    (folder / "careleaf.toml").write_text(
        '[clinic]\nname = "Benchmark Clinic"\nphone = "01632 960 000"\n'
        '[collection]\ntitle = "Benchmark Leaflets"\n'
        'base_url = "https://clinic.example/leaflets/"\n',
        encoding="utf-8",
    )
    for image in range(4):
        (manuscripts / "images" / f"photo-{image}.png").write_bytes(png(600, 400, image))
    for number in range(count):
        (manuscripts / f"article-{number:04d}.md").write_text(
            article(number, count, rng), encoding="utf-8"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--articles", type=int, default=200)
    arguments = parser.parse_args()
    generate(arguments.folder, arguments.articles)
