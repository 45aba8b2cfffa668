"""A document's days as every face words them: which documents are acts (they name what they
mention), which are a court's orders, and the first day a document was out (the day it bears, its
public inspection, its issue, its publication), with the words for each.

>>> rescission = Node(id="DOC:r", kind="Document", name="r", properties={"effective": "2021-06-16",
...     "public_inspection": "2021-06-21"})
>>> names_act(rescission), document_day(rescission).words
(True, 'put on public inspection')
"""

from __future__ import annotations

from typing import NamedTuple

from graph.model import Node, is_date


def court_order(document: Node) -> bool:
    """Whether a document is a court's order: on its docket, or in an appeal from a case
    (``appeal_from``), and put out by a court (its ``publisher``)."""
    props = document.properties
    on_record = "docket" in props or "appeal_from" in props
    return on_record and "court" in str(props.get("publisher", "")).lower()


def names_act(document: Node) -> bool:
    """Whether a document is itself an act (it takes effect, is in the Federal Register or was put on
    public inspection there, is a notice an agency issued, or is a court's order on its docket or in
    an appeal from a case, ``appeal_from``, where the appeal's number was not seen): what it mentions,
    it names — "named in" the rescission, not "mentioned in"; its own timeline says it "names" them.
    A party's filing on a docket is no act."""
    props = document.properties
    # Put on public inspection with the Federal Register, or a notice an agency issued.
    issued = "public_inspection" in props or "issued" in props
    return "effective" in props or "fr_doc" in props or issued or court_order(document)


# The days a document was out, first first, each as every face words it: the day it bears (an act's
# reads "issued": :func:`document_day_words`), else the day it was put on public inspection with the
# Federal Register, before it was published there (31 CFR part 586, 2022-02-15), the day a notice was
# issued where the day it bears is not known, or the day it was published.
DOCUMENT_DAYS = {
    "date": "dated",
    "public_inspection": "put on public inspection",
    "issued": "issued",
    "published": "published",
}


# The days an act (an order, a rule, a case) gives beside the days it was out, as every face words them:
# signed, takes effect, the day set for its prohibitions to start, filed (a case).
ACT_DAYS = {
    "signed": "signed",
    "effective": "takes effect",
    "prohibitions_from": "prohibitions set to start",
    "filed": "filed",
}


class DocumentDay(NamedTuple):
    """A document's first day out (:func:`document_day`): the ``day``, the property that gives it
    (``given_by``, one of :data:`DOCUMENT_DAYS`) and how every face words it (``words``)."""

    day: str
    given_by: str
    words: str


def document_day_words(document: Node, prop: str) -> str:
    """How every face words the day ``prop`` (one of :data:`DOCUMENT_DAYS`) of ``document``: the day
    it bears was the day an act (:func:`names_act`) was "issued", a court's order
    (:func:`court_order`) "issued by the court"; another document (an article) is only "dated" so.

    >>> order = Node(id="DOC:o", kind="Document", name="o", properties={"date": "2021-07-14",
    ...     "docket": "20-3322", "publisher": "U.S. Court of Appeals for the Third Circuit"})
    >>> article = Node(id="DOC:a", kind="Document", name="a", properties={"date": "2021-01"})
    >>> document_day_words(order, "date"), document_day_words(article, "date")
    ('issued by the court', 'dated')
    >>> document_day_words(article, "public_inspection")
    'put on public inspection'
    """
    if prop != "date":
        return DOCUMENT_DAYS[prop]
    if court_order(document):
        return "issued by the court"
    return "issued" if names_act(document) else DOCUMENT_DAYS["date"]


def document_day(document: Node) -> DocumentDay | None:
    """The first day a document was out: the first of :data:`DOCUMENT_DAYS` it gives, with the
    property that gives it and its words (:func:`document_day_words`); None where it gives none.

    >>> rescission = Node(id="DOC:r", kind="Document", name="r", properties={
    ...     "public_inspection": "2021-06-21", "published": "2021-06-22", "effective": "2021-06-16"})
    >>> document_day(rescission)
    DocumentDay(day='2021-06-21', given_by='public_inspection', words='put on public inspection')
    >>> document_day(rescission.model_copy(update={"properties": {"effective": "2021-06-16"}})) is None
    True
    """
    for prop in DOCUMENT_DAYS:
        value = document.properties.get(prop)
        if isinstance(value, str) and is_date(value):
            return DocumentDay(value, prop, document_day_words(document, prop))
    return None
