import pytest

from newsents.resolve import RawMention, canonical_key, clean_name, preferred_name, resolve_article


@pytest.mark.parametrize(
    ("span", "name"),
    [
        ("Binance China’s", "Binance China"),
        ("Binance's", "Binance"),
        ("the United Nations", "United Nations"),
        ("“Binance”", "Binance"),
        ("‘Grows’", "Grows"),
        ("U.S.", "U.S."),
        ("Washington D.C.", "Washington D.C."),
        ("Teachers'", "Teachers"),
        ("(FOMC)", "FOMC"),
        ("Helen\nHai", "Helen Hai"),
    ],
)
def test_clean_name_drops_determiner_possessive_and_wrapping_punctuation(span, name):
    assert clean_name(span) == name


@pytest.mark.parametrize(
    ("a", "b"),
    [("U.S.", "US"), ("JAPAN", "Japan"), ("Binance’s", "Binance's"), ("Helen  Hai", "Helen Hai")],
)
def test_canonical_key_ignores_case_dots_quotes_and_spacing(a, b):
    assert canonical_key(a) == canonical_key(b)


def test_resolve_article_types_labels_and_keeps_exact_source_span():
    text = "Binance’s UN unit met Tim Alper in China in 2017. It cost $5."
    raw = [
        RawMention(0, 9, "ORG", "body", 0),
        RawMention(10, 12, "ORG", "body", 0),
        RawMention(22, 31, "PERSON", "body", 0),
        RawMention(35, 40, "GPE", "body", 0),
        RawMention(44, 48, "DATE", "body", 0),
        RawMention(58, 60, "MONEY", "body", 1),
    ]
    resolved = resolve_article(raw, text)
    assert [(m.text, m.name, m.type, m.label) for m in resolved] == [
        ("Binance’s", "Binance", "organization", "ORG"),
        ("UN", "UN", "organization", "ORG"),
        ("Tim Alper", "Tim Alper", "person", "PERSON"),
        ("China", "China", "place", "GPE"),
        ("2017", "2017", "date", "DATE"),
    ]
    assert all(text[m.start : m.end] == m.text for m in resolved)


def test_resolve_article_drops_spans_that_are_only_punctuation():
    assert resolve_article([RawMention(0, 3, "ORG", "body", 0)], "“’” rest") == []


def test_preferred_name_is_the_most_used_then_not_all_caps():
    assert preferred_name(["Binance", "Binance", "BINANCE"]) == "Binance"
    assert preferred_name(["JAPAN", "Japan"]) == "Japan"
