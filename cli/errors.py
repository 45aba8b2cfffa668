"""The command's own errors and the exit statuses it ends with."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from graph.errors import OrdergraphError, UnknownEntity

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a process stopped by Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports `… | head` closing early


class WriteError(OrdergraphError):
    """An output file that cannot be written; the message names its path."""


class CompanyWithListings(OrdergraphError):
    """A company named where a security is needed: its listed securities are the suggestions."""

    def __init__(
        self,
        text: str,
        name: str,
        company_id: str,
        listed: list[Any],
        as_of: date | None,
        score: float | None = None,
        others: Sequence[str] = (),
    ) -> None:
        """``score``: how closely the text matched, when loosely; ``others``: lines on the other
        entities it names as closely, said after the company's securities."""
        self.suggestions = [item.security.id for item in listed]
        day = f" --as-of {as_of.isoformat()}" if as_of else ""
        loosely = f" (read loosely, score {score})" if score is not None else ""
        several = f"with {len(listed)} listed securities; which one?"
        lines = [f"{text!r}{loosely} is the company {name} [{company_id}], {several}"]
        for item in listed:
            via = f", via {item.via.name}" if item.via else ""
            lines.append(f"  ordergraph affects {item.security.id}{day}    # {item.security.name}{via}")
        lines += others
        super().__init__("\n".join(lines))


def unknown_message(exc: UnknownEntity) -> str:
    """What the command says of a text that names nothing: the error, and for a ticker no listing
    has, the command listing every listing on its exchange when the suggestions are not all of them.

    >>> exc = UnknownEntity("HKEX:9999", ["SEC:HKEX:1810 (Xiaomi)"], "no listing on HKEX has code 9999",
    ...                     exchange="EXCH:HKEX", listed=12)
    >>> unknown_message(exc)
    "unknown entity 'HKEX:9999': no listing on HKEX has code 9999; all 12: `ordergraph show EXCH:HKEX`"
    """
    if exc.more_listed is None:
        return str(exc)
    return f"{exc}; all {exc.listed}: `ordergraph show {exc.more_listed}`"
