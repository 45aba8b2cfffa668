"""Which of a listing's sources name the listed company (graph.naming), in both directions."""

from __future__ import annotations

from graph.model import Edge, Node, Source
from graph.naming import not_named_by

MEGVII = Node(id="ORG:beijing-megvii", kind="Company", name="Beijing Megvii Technology Co., Ltd.",
              aliases=["Beijing Megvii", "北京旷视科技有限公司"])  # fmt: skip
VIEWS = Source(url="https://views.example/82161", title="Pentagon removes six firms", publisher="Views",
               kind="press", quote="Six companies, including the AI-based logistics automation firm Megvii "
               "and China Telecom, were removed from the list")  # fmt: skip


def _listing(node: Node, sources: list[Source], **properties: object) -> Edge:
    return Edge(
        id="l", kind="LISTED_ON", source=node.id, target="LIST:x", start="2024-01-31", confidence="likely",
        sources=sources, properties=properties,
    )  # fmt: skip


def test_the_short_name_the_list_itself_gives_a_member_names_it_on_that_listing() -> None:
    """Issue 7: DoD's list gives the member as "Beijing Megvii Technology Co., Ltd. (Megvii)" (the
    listing's ``listed_name``), and the reports of its removal call it "Megvii"; "Megvii" alone is no name
    of Beijing Megvii elsewhere (Megvii Technology Limited, its Cayman parent, is another node), but on
    this listing it is the list's own name for the member."""
    listed = {"listed_name": "Beijing Megvii Technology Co., Ltd. (Megvii)"}
    assert not_named_by(_listing(MEGVII, [VIEWS], **listed), MEGVII) == []
    # Without the list's words, "Megvii" is not read as Beijing Megvii.
    assert not_named_by(_listing(MEGVII, [VIEWS]), MEGVII) == [VIEWS.url]


def test_a_bracket_that_is_no_short_form_of_the_members_name_names_nothing() -> None:
    """The bracket closing a listed name counts only as a run of whole words of the member's own name
    or an alias (the list shortening it), longer than a bare acronym: not a former name, a legal form,
    a code, nor a place inside the name."""
    avionics = Node(id="ORG:a", kind="Company", name="China Avionics Systems Company Limited")
    uav = Node(id="ORG:u", kind="Company", name="Aerospace CH UAV Co., Ltd.")
    cccg = Node(id="ORG:g", kind="Company", name="China Communications Construction Group (Limited)")
    aspire = Node(id="ORG:s", kind="Company", name="Aspire Technologies (Shenzhen) Limited")
    cases = [
        (avionics, "AVIC Airborne Systems Co., Ltd. (formerly China Avionics Systems Co., Ltd.)", "formerly"),
        (uav, "Aerospace CH UAV Co., Ltd (S-SEA)", "the S-SEA drones"),
        (cccg, "China Communications Construction Group (Limited)", "a limited company"),
        (aspire, "Aspire Technologies (Shenzhen) Limited", "firms based in Shenzhen"),
    ]
    for node, listed_name, words in cases:
        report = Source(url="https://news.example/r", title="t", publisher="p", kind="press", quote=words)
        listing = _listing(node, [report], listed_name=listed_name)
        assert not_named_by(listing, node) == [report.url], listed_name


def test_a_citation_of_the_members_own_entry_in_ofacs_file_names_it() -> None:
    """A copy of OFAC's cons_prim.csv cited for a listing by the entry's UID ("UID 30902", the listing's
    ``ofac_uid``) cites the row that names the company, as the OFAC loader's own citation does: another
    UID, or a number that only begins with it, does not."""
    aecc = Node(id="ORG:aecc", kind="Company", name="Aero Engine Corporation of China")

    def copy(locator: str) -> Source:
        url = f"https://github.example/cons_prim.csv#{locator.replace(' ', '-')}"
        return Source(url=url, title="cons_prim.csv", publisher="GitHub", kind="other", locator=locator)

    own, other, longer = copy("UID 30902"), copy("UID 30903"), copy("UID 309021")
    listing = _listing(aecc, [own, other, longer], ofac_uid=30902)
    assert not_named_by(listing, aecc) == [other.url, longer.url]
    assert not_named_by(_listing(aecc, [own]), aecc) == [own.url]
