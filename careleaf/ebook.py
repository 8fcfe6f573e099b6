"""The e-book edition: one EPUB 3 collection of every article.

This module plans it (one job whose digest covers every article, the related reading,
the collection's edition and the settings) and keeps the last edition's e-book in
``editions/`` when this build makes a new one; ``careleaf.epubbook`` makes the book.
"""

from __future__ import annotations

import json
import os
from functools import partial
from typing import TYPE_CHECKING

from careleaf import epubparts
from careleaf.codec import encode
from careleaf.fingerprint import digest
from careleaf.library import Library
from careleaf.problems import Problem

if TYPE_CHECKING:
    from careleaf.engine import Built, Job, Outcome, Plan


class EbookEdition:
    """The e-book, made whole again when any of its inputs changes; when this build makes
    a new edition of the collection, the last edition's e-book is kept in ``editions/``."""

    name = "e-book"
    final = False

    def plan(self, library: Library, built: Built) -> Plan:
        from careleaf.engine import Job, Plan

        if library.only is not None:
            return Plan()
        slug, _ = epubparts.file_slug(library.config)
        name = f"ebook/{slug}.epub"
        edition = library.edition
        inputs = digest(
            library.context,
            "ebook",
            json.dumps([(a.slug, library.digests[a.slug], library.related.get(a.slug))
                        for a in library.articles]),
            json.dumps(encode((edition.name, edition.previous, edition.changes))),
            os.environ.get("SOURCE_DATE_EPOCH", ""),
        )  # fmt: skip
        jobs = [Job((name,), inputs, partial(_made, library))]
        old = library.output / name
        if edition.new and edition.previous and old.is_file():
            kept = f"editions/{slug}-{edition.previous}.epub"
            data = old.read_bytes()
            jobs.append(Job((kept,), digest(data), partial(_kept, kept, data)))
        return Plan(tuple(jobs))

    def problems(self, library: Library, job: Job, outcome: Outcome) -> list[Problem]:
        return []


def _made(library: Library) -> Outcome:
    from careleaf.engine import Outcome
    from careleaf.epubbook import ebook  # ebooklib and lxml, when the book is made

    files, problems = ebook(library)
    return Outcome(tuple(files.items()), problems=tuple(problems))


def _kept(name: str, data: bytes) -> Outcome:
    from careleaf.engine import Outcome

    return Outcome(((name, data),))
