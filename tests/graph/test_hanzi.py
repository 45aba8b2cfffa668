"""Names match across traditional and simplified Chinese characters: the folding itself (search in
every store: tests/graph/test_store_contract.py; an index written before: test_workspace_degrees.py
and test_neo4j_sync.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.hanzi import simplified, table
from graph.model import Node
from graph.names import fold, name_tokens, normalise_name
from graph.store.words import node_words

# Pairs a Hong Kong or Taiwan reader and a mainland source write for the same name.
PAIRS = [
    ("中國移動", "中国移动"),
    ("華為技術有限公司", "华为技术有限公司"),
    ("杭州海康威視數字技術股份有限公司", "杭州海康威视数字技术股份有限公司"),
    ("小米集團", "小米集团"),
    ("中國聯通", "中国联通"),
    ("中國電信股份有限公司", "中国电信股份有限公司"),
]


def test_the_table_folds_each_character_to_one_simplified_word_character_once_for_all() -> None:
    folded = table()
    assert len(folded) > 4000  # OpenCC's character table, not a handful of names
    word = re.compile(r"\w")
    for code, to in folded.items():
        assert len(to) == 1 and word.match(to), (chr(code), to)  # never a space, punctuation or two
        assert to.translate(folded) == to  # folding twice is folding once (薴 → 苧 → 苎)
    assert simplified("薴") == "苎"


@pytest.mark.parametrize(("traditional", "simple"), PAIRS)
def test_traditional_and_simplified_forms_of_a_name_match_alike(traditional: str, simple: str) -> None:
    assert fold(traditional) == fold(simple) == simple
    assert normalise_name(traditional) == normalise_name(simple)
    assert name_tokens(traditional) == name_tokens(simple)


def test_what_is_not_chinese_folds_as_before() -> None:
    assert fold("Société Générale S.A.") == "societe generale s a"
    assert fold("China Mobile Ltd.") == "china mobile ltd"
    assert fold("ＺＴＥ") == "zte"  # full-width letters, as NFKD gave them
    assert fold("中國", simplify=False) == "中國"  # an id from a title keeps its characters


def test_the_index_holds_simplified_words_and_the_node_its_name_as_given() -> None:
    node = Node(id="ORG:x", kind="Company", name="小米集團", aliases=["中國移動"])
    assert node_words(node) == ["小米", "米集", "集团", "中国", "国移", "移动"]
    assert (node.name, node.aliases) == ("小米集團", ["中國移動"])


def test_opening_a_workspace_again_reads_and_hashes_the_table_once_a_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each open asks whether the workspace's names were folded with the tables in use (their
    hash): the table's text is read and hashed once a process, not at every open (twice when an
    upgrade is due)."""
    from graph import hanzi
    from loaders.workspace import Workspace

    Workspace(tmp_path / "ws").close()
    real = hanzi.table_text
    reads: list[str] = []

    def table_text() -> str:
        reads.append("read")
        return real()

    monkeypatch.setattr(hanzi, "table_text", table_text)
    for _ in range(3):
        workspace = Workspace(tmp_path / "ws")
        workspace.store()
        workspace.close()
    assert len(reads) <= 1  # none when an earlier open in this process read it
