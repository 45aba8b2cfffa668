"""What the app says of a text that names nothing: the graph's hint in the app's words."""

from __future__ import annotations

from graph.errors import NOTHING_LIKE, UnknownEntity
from ui.safe import code, md


def unknown_text(exc: UnknownEntity) -> str:
    """Markdown for an unknown text: what the graph found near it, and for a ticker no listing has,
    where in the app all the listings on its exchange are (never a CLI command).

    >>> exc = UnknownEntity("HKEX:9999", ["SEC:HKEX:1810 (Xiaomi)"], "no HKEX listing has 9999",
    ...                     exchange="EXCH:HKEX", listed=12)
    >>> print(unknown_text(exc))
    “HKEX\\:9999”: no HKEX listing has 9999. All 12 are on the exchange’s page: `EXCH:HKEX` in Explore.
    """
    if exc.hint == NOTHING_LIKE:  # the face says "nothing … is called" already
        return f"“{md(exc.text)}”."
    said = f"“{md(exc.text)}”: {md(exc.hint)}"
    said = said if said.endswith(("?", ".")) else said + "."
    if exc.more_listed is not None:
        said += f" All {exc.listed} are on the exchange’s page: {code(exc.more_listed)} in Explore."
    return said
