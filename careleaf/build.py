"""The build, top to bottom: settings, manuscripts, checks, the library, the editions.

1. Read ``careleaf.toml`` and the layouts.
2. Read every manuscript: each file converted and checked on its own, or taken from
   the last build when nothing it depends on changed (``careleaf.frontend``).
3. Check what only the whole library can tell (slugs, links between articles,
   titles, review dates, the theme).
4. Make the ``Library`` once: the articles to publish, related reading, readability,
   the collection's edition.
5. Every edition plans its jobs; those whose inputs changed run as tasks on a pool of
   workers (``careleaf.engine``); the parent stages what they make.
6. Only when everything succeeded are the staged files put in place (with
   ``--keep-going``, the articles with errors keep their last outputs instead).

Every problem is collected; a build with an error (or, with ``--strict``, any
problem) writes nothing, so the last good outputs stay as they were.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

from careleaf.checks import check_collection
from careleaf.config import Config, load_config
from careleaf.engine import Built, Runner, run_editions
from careleaf.fingerprint import code_digest, config_digest, digest, folder_digest
from careleaf.fontset import font_set
from careleaf.frontend import CACHE, ArticleCache, Read, read_all
from careleaf.layouts import Layouts
from careleaf.library import Library, related_reading
from careleaf.logo import load_logo
from careleaf.manuscript import blame_order, check_library, collection_order
from careleaf.output import Busy, OutputFolder, WriteResult
from careleaf.problems import Problem, display_path, error, has_errors, summarised
from careleaf.progress import progress_for
from careleaf.records import Article, Readability
from careleaf.selection import about, chosen, mark_drafts, published
from careleaf.versions import CollectionEdition, Manifest, next_edition


@dataclass(frozen=True)
class BuildOptions:
    manuscripts: Path = Path("manuscripts")
    output: Path = Path("output")
    config: Path = Path("careleaf.toml")
    config_given: bool = False  # a --config that does not exist is an error
    strict: bool = False  # warnings stop the build too
    write: bool = True  # False for 'check'
    today: date | None = None  # the date review dates are checked against (None: the clock)
    jobs: int | None = None  # worker processes (None: the machine's cores)
    keep_going: bool = False  # build the good articles; the others keep their last outputs
    quiet: bool = True  # no progress display
    dry: bool = False  # plan only: what a build would make ('status')
    only: Path | None = None  # one manuscript to check or build, with its library around it
    # the editions to make (their names: "web", "report", ...; None: all); the others'
    # outputs stay as they were, to be made by the next full build (the preview's builds)
    editions: frozenset[str] | None = None
    scheduler: str | None = None  # a Dask scheduler's address, "local" (None: careleaf.toml's)
    scheduler_fallback: str | None = None  # "local": build here if it cannot be used


@dataclass(frozen=True)
class BuildReport:
    problems: tuple[Problem, ...] = ()
    articles: tuple[Article, ...] = ()
    result: WriteResult | None = None  # None when nothing was written
    config: Config = field(default_factory=Config)
    reused: tuple[str, ...] = ()  # outputs taken unchanged from the last build
    readability: Mapping[str, Readability] = field(default_factory=dict)
    pending: tuple[str, ...] = ()  # with 'dry': the outputs a build would make
    edition: CollectionEdition = field(default_factory=CollectionEdition)
    held: tuple[str, ...] = ()  # with --keep-going: articles left as they were
    pages: Mapping[str, int | None] = field(default_factory=dict)  # each leaflet's pages
    stale: tuple[str, ...] = ()  # with 'editions': outputs kept although their inputs changed

    @property
    def failed(self) -> bool:
        return has_errors(self.problems)


def build(options: BuildOptions, runner: Runner | None = None) -> BuildReport:
    config, problems = load_config(options.config, explicit=options.config_given)
    layouts = Layouts(config.layouts, config.root / "locale")
    folder = OutputFolder(options.output)
    try:
        with folder.locked() if options.write else nullcontext():
            return _build(options, config, layouts, folder, problems, runner)
    except Busy as busy:
        problems.append(error(options.output, 1, "L305",
                              f"another careleaf build ({busy}) is writing to this folder",
                              hint="wait for it to finish, then build again"))  # fmt: skip
    except OSError as exc:
        reason = f"{exc.strerror} ({exc.filename})"
        problems.append(
            error(options.output, 1, "L302", f"the output folder cannot be used: {reason}")
        )
    return BuildReport(tuple(summarised(problems)), config=config)


def load_library(options: BuildOptions) -> Library:
    """Steps 1 to 4 alone: the ``Library`` a build would make (nothing is written; the
    problems found are in ``library.problems``)."""
    config, problems = load_config(options.config, explicit=options.config_given)
    layouts = Layouts(config.layouts, config.root / "locale")
    library, _, _ = _prepare(options, config, layouts, OutputFolder(options.output), problems)
    return library


def _prepare(
    options: BuildOptions,
    config: Config,
    layouts: Layouts,
    folder: OutputFolder,
    problems: list[Problem],
) -> tuple[Library, ArticleCache, frozenset[str]]:
    context = digest(code_digest(), config_digest(config), folder_digest(
        [*layouts.folders, config.root / "locale"]))  # fmt: skip
    cache = ArticleCache(folder.internal / CACHE)
    # what an article's checks depend on: the characters the clinic's fonts have too
    coverage = font_set(config.fonts).coverage_digest
    reading = digest(context, coverage) if coverage else context
    reads, found = read_all(options.manuscripts, config, layouts, reading, cache)
    problems += found
    logo, found = load_logo(config)
    problems += found
    only = options.only
    articles, digests = _library_articles(reads, problems, only)
    today = options.today or date.today()
    problems += check_collection(articles, config, today, layouts, only)
    every = [read.article for read in reads if read.article is not None]
    problems[:] = about(mark_drafts(problems, every), options.manuscripts, only)
    held = _held(articles, reads, problems) if options.keep_going else frozenset()
    publish = tuple(a for a in published(articles) if a.slug not in held)
    inputs = json.dumps([(a.slug, a.manuscript.tags, a.manuscript.related, digests[a.slug])
                         for a in publish])  # fmt: skip
    related = cache.related_reading(digest(context, inputs), lambda: related_reading(publish))
    library = Library(
        config, layouts, options.manuscripts, options.output, publish, digests, related,
        {r.slug: r.readability for r in reads if r.readability is not None}, context,
        next_edition(publish, digests, Manifest.load(options.output), held),
        only=frozenset(a.slug for a in chosen(publish, only)) if only else None,
        problems=tuple(problems), sources=tuple(r.path for r in reads),
        unpublished=tuple(a for a in articles if a not in publish), logo=logo,
    )  # fmt: skip
    return library, cache, held


def _build(
    options: BuildOptions,
    config: Config,
    layouts: Layouts,
    folder: OutputFolder,
    problems: list[Problem],
    runner: Runner | None,
) -> BuildReport:
    library, cache, held = _prepare(options, config, layouts, folder, problems)
    articles = chosen(library.everything, options.only)

    def report(built: Built | None = None, result: WriteResult | None = None) -> BuildReport:
        found = [*problems, *(built.problems if built else ())]
        return BuildReport(
            tuple(summarised(found)), articles, result, config,
            tuple(sorted(built.reused)) if built else (), library.readability,
            tuple(sorted(built.pending)) if built else (), library.edition, tuple(sorted(held)),
            {name: built.info(name).get("pages") for name in built.made if name.endswith(".pdf")}
            if built else {},
            tuple(sorted(built.stale)) if built else (),
        )  # fmt: skip

    if options.keep_going:  # only what no article can be left out for stops the build
        places = {display_path(path) for path in library.sources}
        stop = has_errors([p for p in problems if p.path not in places], options.strict)
    else:
        stop = has_errors(problems, options.strict)
    if stop or not (options.write or options.dry) or not library.articles:
        # nothing is made (check, problems, or drafts only): what making the braille
        # files would find is said all the same, as a build that makes them says it
        from careleaf.braille import check_problems

        problems += check_problems(library)
        return report()
    if library.only is not None and not library.only:
        return report()  # the one article asked for is a draft
    built = _make(options, library, folder, runner)
    if options.dry:
        return report(built)
    if has_errors(built.problems, options.strict) and not options.keep_going:
        folder.discard()
        return report(built)
    for slug in built.failed - {""}:  # --keep-going: an article whose outputs failed
        for name in built.by_article.get(slug, ()):
            built.made.pop(name, None)
            folder.staged.pop(name, None)
    keep = _kept(folder, held | built.failed, everything=options.only is not None)
    made = {name: built.made[name] for name in built.made}
    try:
        result = folder.commit(made, keep)
        cache.save()
    except OSError as exc:
        reason = f"{exc.strerror} ({exc.filename})"
        problems.append(
            error(options.output, 1, "L302", f"could not put the outputs in place: {reason}")
        )
        return report(built)
    return report(built, result)


def _library_articles(
    reads: Sequence[Read], problems: list[Problem], focus: Path | None
) -> tuple[tuple[Article, ...], dict[str, str]]:
    """The articles read (drafts and those whose front matter has errors too), in
    collection order, one per slug (a published article before a draft)."""
    found = [read.article for read in reads if read.article is not None]
    for read in reads:
        problems += read.problems
    problems += check_library([a.manuscript for a in found], focus)
    found.sort(key=lambda a: blame_order(focus)(a.manuscript))
    by_slug: dict[str, Article] = {}
    for article in found:
        by_slug.setdefault(article.slug, article)
    ordered = collection_order([a.manuscript for a in by_slug.values()])
    of_path = {read.path: read.digest for read in reads}
    digests = {slug: of_path[a.manuscript.path] for slug, a in by_slug.items()}
    return tuple(by_slug[m.slug] for m in ordered), digests


def _held(
    articles: Sequence[Article],
    reads: Sequence[Read],
    problems: Sequence[Problem],
) -> frozenset[str]:
    """With --keep-going: the articles that have an error, left out of this build (a
    manuscript that cannot be read at all is known by the slug it had last time)."""
    by_path = {display_path(r.path): r.slug for r in reads}
    by_path.update({display_path(a.manuscript.path): a.slug for a in articles})
    return frozenset(
        by_path[p.path]
        for p in problems
        if p.severity == "error" and not p.draft and p.path in by_path
    )


def _kept(
    folder: OutputFolder, held: frozenset[str] | set[str], everything: bool = False
) -> frozenset[str]:
    """Files of the last build that stay although this build did not make them: those of
    articles held back, the archived editions of the e-book, and (``everything``: a build
    of one article) all of them."""
    return frozenset(
        name
        for name, made in folder.state.files.items()
        if everything or made.article in held or name.startswith("editions/")
    )


def _make(
    options: BuildOptions, library: Library, folder: OutputFolder, runner: Runner | None
) -> Built:
    from careleaf.editions import editions
    from careleaf.leafletfonts import shared_fonts
    from careleaf.runners import Closing, default_jobs, local_runner, runner_for

    make, dry = options.editions, options.dry
    if runner is not None:
        with progress_for(options.quiet or dry) as progress:
            return run_editions(editions(), library, folder, runner, progress, dry=dry, make=make)
    shared = partial(shared_fonts, library.fonts)
    local = partial(local_runner, options.jobs or default_jobs(), shared)
    pool: Closing
    found: list[Problem] = []
    if dry:  # nothing is rendered
        pool = local()
    else:
        pool, found = runner_for(
            library.config, options.scheduler, options.scheduler_fallback, local, shared
        )
    if found:  # a scheduler asked for without Dask installed
        pool.close()
        return Built(problems=found)
    try:
        with progress_for(options.quiet or dry) as progress:
            return run_editions(editions(), library, folder, pool, progress, dry=dry, make=make)
    finally:
        pool.close()
