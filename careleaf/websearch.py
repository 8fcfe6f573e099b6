"""The index page's search, worked out when the library is built.

``search-index.js`` holds, for each article, the words of its title, summary, topics
and body, each once, written without accents and in lower case (``fold``): small
enough to load with the page (about 2 KB an article), and a script file rather than
JSON so that it loads from the output folder opened from disk too (browsers refuse to
fetch a JSON file from ``file://``). ``search.js`` (a layout) reads it and shows only
the articles that have every word typed, or a word starting with it. Without
JavaScript the search box stays hidden and the index lists every article.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence

from careleaf.records import Article

_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case, without accents or other marks: 'Niños' -> 'ninos' (as ``search.js``
    folds what is typed: NFKD, marks removed, lower case)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")).lower()


def words(*texts: str) -> list[str]:
    """The distinct folded words of ``texts``, in the order they first come."""
    return list(dict.fromkeys(w for text in texts for w in _WORD.findall(fold(text))))


def search_index(articles: Sequence[Article]) -> bytes:
    """``search-index.js``: one record per article, by slug."""
    records = [
        {
            "slug": a.slug,
            "words": " ".join(
                words(a.title, a.manuscript.summary, " ".join(a.manuscript.tags), a.text)
            ),
        }
        for a in articles
    ]
    data = json.dumps(records, ensure_ascii=False, separators=(",", ":"))
    return (
        "/* careleaf: the words of each article, for search.js. Made by careleaf build. */\n"
        f"window.careleafSearch = {data};\n"
    ).encode()
