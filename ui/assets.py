"""vis-network, served once by the app itself (``app/static/``) instead of in-lined on every rerun."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyvis

STATIC = Path(__file__).resolve().parent.parent / "static"
VIS_JS = "vis-network.min.js"
VIS_URL = f"app/static/{VIS_JS}"


def vis_source() -> Path:
    """The vis-network build pyvis ships (the one its own template uses)."""
    lib = Path(pyvis.__file__).parent / "templates" / "lib"
    return sorted(lib.glob("vis-*/vis-network.min.js"))[-1]


def install_static() -> Path:
    """Copy vis-network into ``static/`` when it is missing or stale; return its path."""
    source, target = vis_source(), STATIC / VIS_JS
    if not target.exists() or target.stat().st_size != source.stat().st_size:
        STATIC.mkdir(exist_ok=True)
        shutil.copyfile(source, target)
    return target
