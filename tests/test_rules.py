"""Rules for today's news, on sentences written for these tests: each case states exactly
what the model said (test_resolve.analyse builds the spans), and what a reader expects."""

from __future__ import annotations

from test_resolve import _graph, analyse, by_name

from newsents.resolve.names import canonical_key, company_base


def _entities(graph, entity_type=None):
    return sorted(e.name for e in graph.entities if entity_type in (None, e.type))


# -- company names ---------------------------------------------------------------------------


def test_legal_forms_fold_for_the_canonical_key():
    assert canonical_key("Dominion Textile Inc.") == canonical_key("Dominion Textile")
    assert canonical_key("Samsung Electronics Co Ltd") == "samsung electronics"
    assert canonical_key("Fiat SpA") == canonical_key("Fiat")
    assert canonical_key("Lenovo Group") == "lenovo"
    assert company_base("The Boeing Company") == "The Boeing"
    # Nothing but a legal form, or a person's suffix: unchanged.
    assert canonical_key("Ltd") == "ltd"
    assert canonical_key("Sammy Davis Jr") == "sammy davis jr"


def test_a_company_with_and_without_its_legal_form_and_its_first_word_are_one_entity():
    g = _graph(
        (
            "Mill closes\n\nDominion Textile Inc said on Monday it would close a mill. "
            "Dominion Textile employs 900 people, and Dominion plans no other cuts.",
            [
                ("Dominion Textile Inc", "ORG"),
                ("Dominion Textile", "ORG"),
                ("Dominion", "ORG"),
            ],
        ),
        ("Jet order\n\nThe Boeing Company won an order.", [("Boeing Company", "ORG")]),
        ("Jets\n\nBoeing delivered 40 jets.", [("Boeing", "ORG")]),
    )
    orgs = {e.name: e for e in g.entities if e.type == "organization"}
    assert set(orgs) == {"Dominion Textile", "Boeing"}
    assert orgs["Dominion Textile"].mention_count == 3
    assert orgs["Boeing"].article_count == 2


def test_a_place_before_a_bank_is_not_the_bank():
    g = _graph(
        (
            "Loans\n\nChina Development Bank lent more. China said growth slowed.",
            [("China Development Bank", "ORG"), ("China", "GPE")],
        )
    )
    assert _entities(g) == ["China", "China Development Bank"]


# -- parties ---------------------------------------------------------------------------------


def test_new_labour_does_not_swallow_labour():
    a = analyse(
        "Party history\n\nNew Labour was born in 1994. Labour won the vote, and Labour MPs "
        "cheered.",
        [("New Labour", "ORG"), ("Labour", "ORG"), ("Labour", "ORG")],
    )
    names = by_name(a)
    assert {m.key for m in names["Labour"]} == {"labour"}


def test_a_company_is_not_its_own_institute():
    a = analyse(
        "Lab opens\n\nBinance opened the Binance Research Institute. Binance said so.",
        [("Binance", "ORG"), ("Binance Research Institute", "ORG"), ("Binance", "ORG")],
    )
    assert {m.key for m in by_name(a)["Binance"]} == {"binance"}
