"""The ``ordergraph`` command's entry point (``ordergraph``, ``python -m ordergraph``).

The commands live in the ``cli`` package (see its docstring); this module only starts them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from cli import cli

__all__ = ["cli", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``ordergraph ARGS``; returns the exit status (0, or 2 for a bad input)."""
    # pydantic looks for plugins in every installed distribution's entry points the first
    # time a model is built; the command uses none, and the scan is a tenth of its start-up.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    code: int = cli.main(argv, "ordergraph", standalone_mode=False)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
