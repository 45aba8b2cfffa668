import re
from datetime import date
from typing import Any

from graph.labels import kind_label
from graph.query import neighbours
from graph.store.memory import MemoryStore
from ui.graph_view import KIND_STYLE, NAME_INSIDE, SPRING_LENGTH, capped, legend, vis_data
from ui.safe import link, safe_url
from ui.subgraph import filter_kinds


def test_every_node_kind_has_a_colour_and_shape(store: MemoryStore) -> None:
    kinds = {n.kind for n in store.nodes()}
    assert kinds <= set(KIND_STYLE)
    assert len({KIND_STYLE[k] for k in kinds}) == len(kinds)
    assert all(kind_label(k) in legend(sorted(kinds)).replace("\u00a0", " ") for k in kinds)


def test_edges_carry_their_label_and_dates_and_tooltips_are_plain_text(store: MemoryStore) -> None:
    sub = neighbours(store, "ORG:xiaomi", depth=1)
    data = vis_data(sub, "ORG:xiaomi")
    listing = next(e for e in data["edges"] if e["to"] == "LIST:DOD-1237")
    # Two short lines along the edge, its kind then its dates: one long line ran over the nodes.
    assert listing["label"] == "listed on\n2021-01-14 → 2021-05-25"
    # likely: DoD's release of 2021-01-14 was not seen here, only copies and reports of it (review 34).
    assert listing["tooltip"].startswith("listed on · 2021-01-14 → 2021-05-25 · likely")
    # An edge with no end: its known side on the graph, the whole in words in its tooltip.
    issues = next(e for e in data["edges"] if e["to"] == "SEC:HKEX:1810")
    assert issues["label"] == "issues\nfrom 2018-07-09"
    assert issues["tooltip"].startswith("issues · from 2018-07-09, no end recorded · verified")
    # Every edge as the faces name its kind, never the kind itself (LISTED_ON, ISSUES).
    assert not [
        e["label"]
        for e in data["edges"]
        if re.search(r"[A-Z]{2,}_|[A-Z]{5,}", e["label"] + e["tooltip"][:30])
    ]
    assert all("title" not in n for n in data["nodes"])  # the browser builds tooltips with textContent
    assert data["vis_url"].startswith("app/static/")


def test_as_of_hides_edges_not_valid_that_day(store: MemoryStore) -> None:
    every = neighbours(store, "ORG:xiaomi", depth=1)
    before = neighbours(store, "ORG:xiaomi", depth=1, as_of=date(2019, 1, 1))
    assert len(before.edges) < len(every.edges)


def test_cap_keeps_the_centre_and_counts_the_rest(store: MemoryStore) -> None:
    sub = neighbours(store, "LIST:DOD-1237", depth=2)
    shown, total = capped(sub, "LIST:DOD-1237", 10)
    assert total == len(sub.nodes) > 10
    assert len(shown.nodes) == 10 and shown.nodes[0].id == "LIST:DOD-1237"
    ids = {n.id for n in shown.nodes}
    assert all(e.source in ids and e.target in ids for e in shown.edges)


def test_node_kind_filter_keeps_the_centre(store: MemoryStore) -> None:
    sub = filter_kinds(neighbours(store, "ORG:xiaomi", depth=1), ("Security",), "ORG:xiaomi")
    assert {n.kind for n in sub.nodes} == {"Company", "Security"}


def test_only_http_links_are_clickable() -> None:
    assert safe_url("javascript:alert(1)") is None
    assert safe_url(" JaVaScRiPt:alert(1)") is None
    assert safe_url("data:text/html,<script>") is None
    assert safe_url("https://www.federalregister.gov/d/2020-25459") is not None
    assert "](" not in link("x", "javascript:alert(1)")
    assert link("FR", "https://example.org/a(b)") == "[FR](https://example.org/a%28b%29)"


def test_every_legend_symbol_is_drawn_by_an_installed_font() -> None:
    """A symbol no font has is drawn as an empty box (Person's ellipse, U+2B2D, was): each legend
    symbol must be one the machine's fonts (those Chromium draws the page with) have."""
    import subprocess

    from ui.graph_view import SHAPE_SYMBOL

    for shape, symbol in SHAPE_SYMBOL.items():
        found = subprocess.run(
            ["fc-list", f":charset={ord(symbol):x}", "family"], capture_output=True, text=True, check=True
        )
        assert found.stdout.strip(), f"{shape}: no installed font draws {symbol!r} (U+{ord(symbol):04X})"


def test_the_legend_names_exactly_the_kinds_drawn(store: MemoryStore) -> None:
    from ui.graph_view import drawn_legend

    sub = neighbours(store, "CASE:DDC:1:21-cv-00280", depth=1)
    drawn = {n.kind for n in sub.nodes}
    text = drawn_legend(sub)
    assert "Person" in drawn and "Security" not in drawn
    # Each kind as words (Court case, Government body), as a reader names it, not as the schema's key.
    names = [part.split("\u00a0", 1)[1].replace("\u00a0", " ") for part in text.split(" · ")]
    assert names == [kind_label(k) for k in sorted(drawn)]
    assert "Court\u00a0case" in text and "CourtCase" not in text


def test_a_legend_line_breaks_only_between_its_items() -> None:
    """A shape and its name stay together: a legend wider than its column broke after a hexagon and
    put "Government body" on the next line, under nothing."""
    from ui.graph_view import legend

    items = legend(["GovernmentBody", "CourtCase", "Company"]).split(" · ")
    assert len(items) == 3 and not [item for item in items if " " in item.split("}", 1)[1]], items


def test_every_kind_draws_a_marker_of_its_own_as_its_legend_shows(store: MemoryStore) -> None:
    """A document (a news article) was drawn with vis-network's "text" shape: its name alone, no
    marker, while the legend showed a "T". Now every kind draws a marker: a document a page with
    lines of text (an image drawn offline, a ``data:`` address), the legend's ▤ in the same colour."""
    import base64

    from ui.graph_view import SHAPE_SYMBOL

    assert "text" not in {shape for _, shape in KIND_STYLE.values()}
    assert not NAME_INSIDE - {shape for _, shape in KIND_STYLE.values()}, "a shape no kind draws"
    colour, shape = KIND_STYLE["Document"]
    assert (shape, SHAPE_SYMBOL[shape]) == ("image", "▤")
    assert f":color[▤]{{foreground='{colour}'}}" in legend(["Document"])
    sub = neighbours(store, "ORG:xiaomi", depth=1)
    data = vis_data(sub, "ORG:xiaomi")
    (doc,) = [n for n in data["nodes"] if n["id"].startswith("DOC:")]
    assert doc["shape"] == "image" and doc["image"].startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(doc["image"].split(",", 1)[1]).decode()
    assert f'fill="{colour}"' in svg and svg.count("<path") == 1  # the page and its lines of text
    # On a highlighted path it is ringed in the path's colour, or dimmed, as every other node is.
    dimmed = vis_data(sub, "ORG:xiaomi", highlight=["ORG:xiaomi"], dim_others=True)
    (faded,) = [n for n in dimmed["nodes"] if n["id"].startswith("DOC:")]
    assert "rgba(188,189,34,0.22)" in base64.b64decode(faded["image"].split(",", 1)[1]).decode()
    centred = vis_data(
        neighbours(store, doc["id"], depth=1), doc["id"], highlight=[doc["id"]], dim_others=True
    )
    (ringed,) = [n for n in centred["nodes"] if n["id"] == doc["id"]]
    assert 'stroke="#d62728"' in base64.b64decode(ringed["image"].split(",", 1)[1]).decode()


def test_a_crowded_star_is_placed_as_a_grid_without_edge_labels(store: MemoryStore) -> None:
    """The article's 31 mentions: placed (no physics), the article above its neighbours' rows, no
    label on its 31 edges (each kept in its tooltip); a small graph keeps springs and labels."""
    from ui.graph_view import GRID_CELL

    article = "DOC:zdnet-xiaomi-denies-military-ties"
    data = vis_data(neighbours(store, article, depth=1), article)
    assert data["placed"] and data["options"]["physics"] == {"enabled": False}
    assert len(data["edges"]) == 31 and not [e for e in data["edges"] if e.get("label")]
    assert all(e["tooltip"].startswith("mentions · ") for e in data["edges"])
    at = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    assert at[article] == (0, 0) and all(y >= GRID_CELL[1] for i, (x, y) in at.items() if i != article)
    assert len(set(at.values())) == len(at)  # one cell each
    small = vis_data(neighbours(store, "ORG:xiaomi", depth=1), "ORG:xiaomi")
    assert not small["placed"] and all(e["label"] for e in small["edges"]) and "x" not in small["nodes"][0]


def test_long_names_are_cut_where_they_stay_apart_and_read_whole_on_hover(store: MemoryStore) -> None:
    """SMIC, its subsidiaries and its two listings all clipped to "Semiconductor Manufacturing
    International…": each node's label is now its own (a listing's ends with its exchange and code), at
    most NODE_LABEL_CHARS, and the tooltip begins with the whole name. A name that stays apart when
    clipped is clipped as before."""
    from graph.labels import clipped
    from ui.graph_view import NODE_LABEL_CHARS

    for centre, depth in (("ORG:smic", 1), ("ORG:smic", 2), ("ORG:cccc", 1)):
        sub = neighbours(store, centre, depth=depth)
        data = vis_data(sub, centre)
        names = {n.id: n.name for n in sub.nodes}
        labels = {n["id"]: n["label"] for n in data["nodes"]}
        assert len(set(labels.values())) == len({names[i] for i in labels}), (centre, sorted(labels.values()))
        assert all(len(label) <= NODE_LABEL_CHARS for label in labels.values())
        clips = [clipped(name, NODE_LABEL_CHARS) for name in names.values()]
        for node in data["nodes"]:
            assert node["tooltip"].split("\n")[0] == names[node["id"]]
            if clips.count(clipped(names[node["id"]], NODE_LABEL_CHARS)) == 1:
                assert node["label"] == clipped(names[node["id"]], NODE_LABEL_CHARS)
    data = vis_data(neighbours(store, "ORG:smic", depth=1), "ORG:smic")
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    assert labels["SEC:HKEX:0981"].endswith("(HKEX 0981)") and labels["SEC:SSE:688981"].endswith(
        "(SSE 688981)"
    )


def test_a_highlighted_edges_label_is_boxed_over_its_red_line(store: MemoryStore) -> None:
    """The explaining path's thick red edges keep the pale box under their labels, as other edges'
    labels have: without it the red line ran through "listed on" and its dates."""
    from ui.graph_view import LABEL_BOX

    sub = neighbours(store, "SEC:HKEX:0728", depth=2)
    path = [e.id for e in sub.edges][:2]
    data = vis_data(sub, "SEC:HKEX:0728", highlight=path, dim_others=True)
    assert data["options"]["edges"]["font"]["background"] == LABEL_BOX
    marked = [e for e in data["edges"] if e["id"] in path]
    assert len(marked) == 2
    for edge in marked:
        assert edge["color"] == "#d62728" and edge["label"]
        assert "background" not in edge.get("font", {}), edge  # the box every label has, not a clear one


def test_an_exchanges_actions_are_labelled_by_what_each_did_on_curves_apart(store: MemoryStore) -> None:
    """NYSE and China Mobile's ADS: five actions and the trading, six edges between the same two
    nodes. Each action's label names it as the timeline does (``delisting announcement``, not "acts
    on"), and each edge of the pair is drawn on a curve of its own, alternately on either side of the
    line between the nodes and further out, so no two labels lie on each other."""
    sub = neighbours(store, "SEC:NYSE:CHL", depth=1)
    data = vis_data(sub, "SEC:NYSE:CHL")
    pair = [e for e in data["edges"] if {e["from"], e["to"]} == {"EXCH:NYSE", "SEC:NYSE:CHL"}]
    assert len(pair) == 6
    labels = sorted(e["label"].split("\n")[0] for e in pair)
    assert labels == [
        "delisting",
        "delisting announcement",
        "delisting announcement",
        "trades on",
        "trading suspension",
        "withdrawal of the delisting",
    ]
    assert all(e["tooltip"].startswith(e["label"].split("\n")[0] + " · ") for e in pair)

    # One curve each, read from the same end: a curve drawn from the other end turns the other way.
    def side(edge: dict[str, Any]) -> tuple[int, float]:
        smooth = edge["smooth"]
        assert smooth["enabled"] and smooth["type"] in ("curvedCW", "curvedCCW")
        turn = 1 if smooth["type"] == "curvedCW" else -1
        return (turn if edge["from"] == "EXCH:NYSE" else -turn, smooth["roundness"])

    curves = [side(e) for e in pair]
    assert len(set(curves)) == len(pair)
    assert all(0 < roundness <= 1 for _, roundness in curves)
    assert all(e["length"] > SPRING_LENGTH for e in pair)  # longer springs: room for six labels
    # An edge alone between its two nodes keeps the graph's own smoothing.
    issues = next(e for e in data["edges"] if e["from"] == "ORG:china-mobile-ltd")
    assert "smooth" not in issues
