"""The editions every build makes, in the order they are planned.

Each is one module's ``Edition`` (see ``careleaf.engine``); adding an edition means
writing that module and adding one line here. Leaflets come first, so that their
tasks keep the workers busy while the parent makes the cheaper editions.
"""

from __future__ import annotations

from careleaf.engine import Edition


def editions() -> tuple[Edition, ...]:
    from careleaf.braille import BrailleEdition
    from careleaf.ebook import EbookEdition
    from careleaf.leaflet import LeafletEdition
    from careleaf.report import ReportEdition
    from careleaf.versions import ManifestEdition
    from careleaf.web import WebEdition

    return (
        LeafletEdition("standard"),
        LeafletEdition("large-print"),
        BrailleEdition(),
        WebEdition(),
        EbookEdition(),
        ManifestEdition(),
        ReportEdition(),
    )
