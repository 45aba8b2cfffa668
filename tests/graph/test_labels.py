"""Every property has a human label in one place (graph/schema.yaml), read by both faces."""

from __future__ import annotations

from graph.labels import is_web_address, property_label, property_text, property_url
from graph.model import vocabulary
from graph.store.memory import MemoryStore


def test_every_property_of_the_curated_data_has_a_label(store: MemoryStore) -> None:
    keys = {k for n in store.nodes() for k in n.properties} | {k for e in store.edges() for k in e.properties}
    assert keys - set(vocabulary().property_labels) == set()


def test_labels_are_words_not_keys() -> None:
    for key, label in vocabulary().property_labels.items():
        assert "_" not in label and label[:1].isupper(), (key, label)
    assert property_label("prohibitions_note") == "Note on the prohibitions"


def test_an_unlisted_key_reads_as_words() -> None:
    assert property_label("incorporationDate") == "Incorporation date"
    assert property_label("legal_form") == "Legal form"


def test_values_read_as_text_and_dates_keep_their_precision() -> None:
    assert property_text("2020-09") == "2020-09"
    assert property_text(True) == "yes"
    assert property_text(None) == "—"
    assert property_text([47, 60]) == "47, 60"
    assert is_web_address("https://www.federalregister.gov/d/2020-17700")
    assert not is_web_address("javascript:alert(1)")


def test_a_value_ending_in_a_newline_is_no_link() -> None:
    """``$`` also matches before a final newline: the whole value must match."""
    assert property_url("fr_doc", "2020-17700") == "https://www.federalregister.gov/d/2020-17700"
    assert property_url("fr_doc", "2020-17700\n") is None
    assert is_web_address("https://www.federalregister.gov/d/2020-17700")
    assert not is_web_address("https://www.federalregister.gov/d/2020-17700\n")
    assert property_url("website", "https://example.org/\n") is None
