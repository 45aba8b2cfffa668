"""What a property is called and how its value reads, on both faces (the entity page and ``show``).

The labels are data (``property_labels`` in ``graph/schema.yaml``); JSON keeps the keys.

>>> property_label("fr_doc")
'Federal Register document number'
>>> property_label("incorporationDate")
'Incorporation date'
>>> property_text(["Main Board", None, "STAR Market"])
'Main Board, —, STAR Market'
>>> property_text(False), property_text("2021-01")
('no', '2021-01')
"""

from __future__ import annotations

import re

from graph.model import PropertyValue, vocabulary

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def property_label(name: str) -> str:
    """The label of a property key; a key the schema does not list reads as words."""
    label = vocabulary().property_labels.get(name)
    if label is not None:
        return label
    words = _CAMEL.sub(" ", name).replace("_", " ").strip().lower()
    return words[:1].upper() + words[1:] if words else name


def property_text(value: PropertyValue) -> str:
    """A value as text: a date as the sources give it (as the timeline prints it), ``yes``/``no``,
    a list joined, a missing value as a dash (never ``None``)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(property_text(v) for v in value) or "—"
    return str(value)


# Both matched whole (fullmatch): ``$`` would also accept a value ending in a newline.
_WEB_ADDRESS = re.compile(r"(?i)https?://\S+")


def is_web_address(value: PropertyValue) -> bool:
    """Whether a value is an http(s) address a face may show as a link."""
    return isinstance(value, str) and _WEB_ADDRESS.fullmatch(value) is not None


_FR_DOC = re.compile(r"[0-9]{4}-[0-9]{4,6}")


def property_url(name: str, value: PropertyValue) -> str | None:
    """Where a reader checks a value: a web address itself, a Federal Register document number
    at the Register's own link form; else None.

    >>> property_url("fr_doc", "2020-17700")
    'https://www.federalregister.gov/d/2020-17700'
    >>> property_url("number", "13943") is None
    True
    """
    if is_web_address(value):
        return str(value)
    if name == "fr_doc" and isinstance(value, str) and _FR_DOC.fullmatch(value):
        return f"https://www.federalregister.gov/d/{value}"
    return None
