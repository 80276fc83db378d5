"""Resolver rules on hand-built Docs: each case states exactly what the model said."""

from __future__ import annotations

import pytest
import spacy

from newsents.graph import build_graph
from newsents.load import parse_article, text_for_nlp
from newsents.nlp import model_output
from newsents.resolve import analyse_article
from newsents.resolve.article import preferred_name
from newsents.resolve.names import canonical_key, clean_name, clean_span

BLANK = spacy.blank("en")
BLANK.add_pipe("sentencizer")


def analyse(text: str, ents: list[tuple[str, str]], *, article_id: str = "a1"):
    """Analyse `text` as if the model had tagged each (surface, label) in `ents`, in order,
    each at its first occurrence that overlaps no span tagged before it."""
    loaded = parse_article(text, path=f"{article_id}.txt", article_id=article_id, encoding="utf-8")
    doc = BLANK(text_for_nlp(loaded))
    spans, taken = [], []
    for surface, label in ents:
        start = -1
        while True:
            start = text.find(surface, start + 1)
            assert start >= 0, f"{surface!r} not in text"
            if not any(s < start + len(surface) and start < e for s, e in taken):
                break
        taken.append((start, start + len(surface)))
        span = doc.char_span(start, start + len(surface), label=label)
        assert span is not None, f"{surface!r} is not on token boundaries"
        spans.append(span)
    doc.ents = sorted(spans, key=lambda s: s.start)
    return analyse_article(loaded, model_output(doc))


def by_name(analysis) -> dict[str, list]:
    found: dict[str, list] = {}
    for m in analysis.mentions:
        found.setdefault(m.name, []).append(m)
    return found


# -- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("span", "name"),
    [
        ("Binance China’s", "Binance China"),
        ("Binance's", "Binance"),
        ("the United Nations", "United Nations"),
        ("“Binance”", "Binance"),
        ("U.S.", "U.S."),
        ("Washington D.C.", "Washington D.C."),
        ("Teachers'", "Teachers"),
        ("(FOMC)", "FOMC"),
        ("Helen\nHai", "Helen Hai"),
        ("Binance’s Blockchain", "Binance"),
        ("Fergus Lindqvist 318,450", "Fergus Lindqvist"),
        ("Dario Mendes 67th", "Dario Mendes"),
        # A surname's particle in lower case is part of the name (a lower-case word that
        # joins nothing ends a name).
        ("Flavio lo Scalzo", "Flavio lo Scalzo"),
        ("Giovanni dalla Costa", "Giovanni dalla Costa"),
        ("Amira bint Khalid", "Amira bint Khalid"),
        ("Erik ten Hag", "Erik ten Hag"),
        ("Kent at Canterbury", "Kent"),
    ],
)
def test_clean_name_drops_determiner_possessive_and_wrapping_punctuation(span, name):
    assert clean_name(span) == name


@pytest.mark.parametrize(
    ("span", "name", "titles"),
    [
        ("Executive Dean Helen Hai", "Helen Hai", ["Executive", "Dean"]),
        ("Mr Blair", "Blair", ["Mr"]),
        ("Prime Minister Tony Blair", "Tony Blair", ["Prime", "Minister"]),
        ("Dr. Jane Roe", "Jane Roe", ["Dr"]),
        ("Dean Kamen", "Dean Kamen", []),  # a given name, not a title: one word would remain
        ("fullback Thabo Mokoena", "Thabo Mokoena", ["fullback"]),
        ("Canadian Marcus Delaney", "Marcus Delaney", ["Canadian"]),
        ("English Smith", "English Smith", []),  # one word would remain
        ("President", "President", []),
    ],
)
def test_person_titles_are_taken_off_the_name_and_kept(span, name, titles):
    clean = clean_span(span, strip_titles=True)
    assert (clean.name, clean.titles) == (name, titles)


@pytest.mark.parametrize(
    ("a", "b"),
    [("U.S.", "US"), ("JAPAN", "Japan"), ("Binance’s", "Binance's"), ("Zürich", "Zurich")],
)
def test_canonical_key_ignores_case_dots_quotes_and_accents(a, b):
    assert canonical_key(a) == canonical_key(b)


def test_preferred_name_is_the_most_used_then_not_all_caps():
    assert preferred_name(["JAPAN", "Japan"]) == "Japan"


# -- within an article ----------------------------------------------------------------------


def test_surname_joins_the_one_full_name_and_the_title_is_kept():
    a = analyse(
        "Story\n\nThe institute’s Executive Dean Helen Hai spoke. Later, Hai said no.",
        [("Executive Dean Helen Hai", "PERSON"), ("Hai", "PERSON")],
    )
    names = by_name(a)
    full, short = names["Helen Hai"][0], names["Hai"][0]
    assert full.titles == ["Executive", "Dean"]
    assert short.key == full.key and short.reason == "surname"
    assert {full.type, short.type} == {"person"}


def test_surname_with_two_candidates_joins_neither():
    a = analyse(
        "Story\n\nJohn Smith met Anna Smith. Smith left.",
        [("John Smith", "PERSON"), ("Anna Smith", "PERSON"), ("Smith", "PERSON")],
    )
    lone = [m for m in a.mentions if m.name == "Smith"]
    assert lone and all(m.key == "smith" and m.reason is None and m.ambiguous for m in lone)


def test_acronym_joins_its_long_form():
    a = analyse(
        "Story\n\nThe United Nations met. The UN said yes.",
        [("United Nations", "ORG"), ("UN", "ORG")],
    )
    names = by_name(a)
    assert names["UN"][0].key == names["United Nations"][0].key == "united nations"
    assert names["UN"][0].reason == "acronym"


def test_acronym_defined_in_parentheses_joins_even_when_initials_differ():
    a = analyse(
        "Story\n\nThe Federal Open Market Committee (FOMC) met. FOMC members agreed.",
        [("Federal Open Market Committee", "ORG"), ("FOMC", "ORG"), ("FOMC", "ORG")],
    )
    assert {m.key for m in a.mentions} == {"federal open market committee"}


def test_an_acronym_spelt_out_in_lower_case_names_nothing():
    a = analyse(
        "Story\n\nClinics ran short of personal protective equipment (PPE) in April. "
        "PPE stocks recovered by June, and sports utility vehicles (SUVs) sold well.",
        [("PPE", "ORG"), ("PPE", "ORG"), ("SUVs", "ORG")],
    )
    assert a.mentions == []


def test_an_organisation_described_in_lower_case_keeps_its_acronym():
    a = analyse(
        "Story\n\nThe national oil company (NOC) raised output. NOC said exports rose.",
        [("NOC", "ORG"), ("NOC", "ORG")],
    )
    assert [m.name for m in a.mentions] == ["NOC", "NOC"]


def test_an_acronym_spelt_out_in_lower_case_is_not_found_again_from_another_article():
    g = _graph(
        (
            "Story\n\nThe Pensions Policy Forum (PPF) published a study. The PPF said savers "
            "were short.",
            [("Pensions Policy Forum", "ORG"), ("PPF", "ORG"), ("PPF", "ORG")],
        ),
        (
            "Other\n\nThe producer price figure (PPF) rose by 0.3%. Traders said the PPF "
            "would worry the bank.",
            [("PPF", "ORG")],
        ),
    )
    forum = _entity(g, "Pensions Policy Forum")
    assert {m.article for m in forum.mentions} == {"a0"}


def test_trailing_words_of_an_organisation_join_it_and_take_its_type():
    a = analyse(
        "Story\n\nIt joined the United Nations Global Compact drive. Global Compact members met.",
        [("United Nations Global Compact", "ORG"), ("Global Compact", "PERSON")],
    )
    short = by_name(a)["Global Compact"][0]
    assert short.key == "united nations global compact" and short.type == "organization"


def test_a_name_the_model_recognised_once_is_found_again_in_the_article():
    a = analyse(
        "Story\n\nHuobi grew. Rival exchanges watched Huobi closely.",
        [("Huobi", "ORG")],
    )
    found = [m for m in a.mentions if m.name == "Huobi"]
    assert len(found) == 2 and found[1].reason == "refound"


def test_refinding_skips_a_name_inside_a_longer_name():
    a = analyse("Story\n\nHong met us. Then Hong Kong voted.", [("Hong", "PERSON")])
    assert [m.start for m in a.mentions if m.name == "Hong"] == [7]


def test_a_span_that_is_only_a_title_is_no_entity():
    a = analyse("Story\n\nThe institute’s Executive spoke.", [("institute’s Executive", "ORG")])
    assert a.mentions == []


@pytest.mark.parametrize(
    ("text", "ents", "name", "expected"),
    [
        (
            "Story\n\nShares of oil giant Sinopec rose.",
            [("Sinopec", "PERSON")],
            "Sinopec",
            "organization",
        ),
        (
            "Story\n\nThe China Development Bank lent more.",
            [("China Development Bank", "GPE")],
            "China Development Bank",
            "organization",
        ),
        ("Story\n\nBlackBerry joined.", [("BlackBerry", "PERSON")], "BlackBerry", "organization"),
        (
            "CRICKET - COUNTY CHAMPIONSHIP.\n\nDurham beat Sussex with a day to spare.",
            [("Durham", "GPE"), ("Sussex", "GPE")],
            "Sussex",
            "organization",
        ),
        ("Story\n\nChile beat Peru 2-1.", [("Chile", "GPE"), ("Peru", "GPE")], "Peru", "place"),
        ("Story\n\nSettlers moved to the West Bank.", [("West Bank", "GPE")], "West Bank", "place"),
        (
            "Story\n\nThe activist Zhou Minghao was detained. Zhou, 52, was released on bail.",
            [("Zhou Minghao", "PERSON"), ("Zhou", "ORG")],
            "Zhou",
            "person",
        ),
    ],
)
def test_type_comes_from_the_text_as_well_as_the_model(text, ents, name, expected):
    assert by_name(analyse(text, ents))[name][0].type == expected


def test_minority_labels_are_relabelled_and_votes_kept():
    a = analyse(
        "Story\n\nHuobi grew. Huobi hired. In Huobi, staff left.",
        [("Huobi", "ORG"), ("Huobi", "ORG"), ("Huobi", "GPE")],
    )
    assert {m.type for m in a.mentions} == {"organization"}
    assert a.mentions[0].type_votes == {"organization": 2, "place": 1}


def test_the_is_kept_where_the_text_shows_it_belongs_to_the_name():
    a = analyse(
        "Story\n\nJudges met in The Hague on Monday. The United Nations agreed.",
        [("The Hague", "GPE"), ("The United Nations", "ORG")],
    )
    assert {m.name for m in a.mentions if m.type != "date"} == {"The Hague", "United Nations"}


def test_dates_are_normalised_against_the_publication_date():
    a = analyse(
        "Story\n\nDate: 2018-06-01\n\nIt began in September 2017 and grew in March this year.",
        [("September 2017", "DATE"), ("March this year", "DATE")],
    )
    values = {m.name: (m.value, m.granularity) for m in a.mentions}
    assert values == {
        "September 2017": ("2017-09", "month"),
        "March this year": ("2018-03", "month"),
    }


def test_relative_dates_without_a_publication_date_have_no_value():
    a = analyse(
        "Story\n\nIt began in September 2017 and grew in March this year.",
        [("September 2017", "DATE"), ("March this year", "DATE")],
    )
    march = by_name(a)["March this year"][0]
    assert march.value is None and march.relative
    assert by_name(a)["September 2017"][0].value == "2017-09"


# -- across articles ------------------------------------------------------------------------


def _graph(*articles):
    return build_graph(
        [analyse(text, ents, article_id=f"a{i}") for i, (text, ents) in enumerate(articles)]
    )


def _entity(graph, name):
    return next(e for e in graph.entities if e.name == name)


def test_a_short_form_joined_in_one_article_joins_wherever_it_stands_alone():
    g = _graph(
        (
            "Story\n\nThe United Nations met. The UN said yes.",
            [("United Nations", "ORG"), ("UN", "ORG")],
        ),
        ("Other\n\nThe UN said no.", [("UN", "ORG")]),
    )
    un = _entity(g, "United Nations")
    assert un.article_count == 2 and {"UN", "United Nations"} <= set(un.aliases)
    assert {(m.alias, m.reason) for m in un.merges} >= {
        ("UN", "acronym"),
        ("UN", "short_form_corpus"),
    }


def test_a_lone_surname_joins_the_one_person_of_the_corpus():
    g = _graph(
        ("Story\n\nTony Blair spoke.", [("Tony Blair", "PERSON")]),
        ("Other\n\nBlair left.", [("Blair", "PERSON")]),
    )
    assert _entity(g, "Tony Blair").mention_count == 2


def test_a_lone_surname_with_two_people_is_kept_apart_and_marked_ambiguous():
    g = _graph(
        ("Story\n\nTony Blair spoke.", [("Tony Blair", "PERSON")]),
        ("Other\n\nCherie Blair spoke.", [("Cherie Blair", "PERSON")]),
        ("Third\n\nBlair left.", [("Blair", "PERSON")]),
    )
    assert _entity(g, "Blair").ambiguous


def test_same_name_person_and_place_stay_two_entities():
    g = _graph(
        (
            "Story\n\nDenzel Washington starred. Washington smiled.",
            [("Denzel Washington", "PERSON"), ("Washington", "PERSON")],
        ),
        (
            "Other\n\nWashington agreed a budget. Washington is a city.",
            [("Washington", "GPE"), ("Washington", "GPE")],
        ),
    )
    assert {e.type for e in g.entities if "Washington" in e.aliases} == {"person", "place"}


def test_an_organisation_named_after_another_is_related_not_merged():
    g = _graph(
        (
            "Story\n\nBinance grew. Binance China joined the drive.",
            [("Binance", "ORG"), ("Binance China", "ORG")],
        ),
    )
    binance, unit = _entity(g, "Binance"), _entity(g, "Binance China")
    assert binance.id != unit.id
    assert [(r.source, r.target, r.kind) for r in g.relations] == [(unit.id, binance.id, "part_of")]


def test_the_same_month_in_two_articles_is_one_date_entity():
    g = _graph(
        ("Story\n\nDate: 2017-10-02\n\nIt began in September 2017.", [("September 2017", "DATE")]),
        ("Other\n\nDate: 2017-09-20\n\nIt began this month.", [("this month", "DATE")]),
    )
    (sept,) = [e for e in g.entities if e.type == "date"]
    assert sept.value == "2017-09" and sept.article_count == 2


# -- more rules (each case: what the model said, what the reader gets) ----------------------


def test_a_dateline_place_is_a_place_even_when_the_model_says_person():
    a = analyse(
        "Rebels leave mountain pass.\nKHOROG, Tajikistan 2024-03-12\nThe army entered Khorog.",
        [("Khorog", "PERSON")],
    )
    assert {(m.text, m.type) for m in a.mentions if m.type != "date"} == {
        ("KHOROG", "place"),
        ("Tajikistan", "place"),
        ("Khorog", "place"),
    }


def test_an_online_platform_is_an_organisation_whatever_the_model_says():
    a = analyse(
        "Ferry fares\n\nThe mayor said on Twitter that fares would fall. Ana Ruiz replied "
        "on Twitter too, and a video of the ferry spread on TikTok.",
        [("Twitter", "PERSON"), ("Ana Ruiz", "PERSON"), ("Twitter", "GPE"), ("TikTok", "PERSON")],
    )
    assert {(m.text, m.type) for m in a.mentions} == {
        ("Twitter", "organization"),
        ("Ana Ruiz", "person"),
        ("TikTok", "organization"),
    }


def test_names_listed_together_are_of_one_kind():
    a = analyse(
        "Story\n\nThe table is tight: Hampshire, Kent and Sussex each gained ground.",
        [("Hampshire", "ORG"), ("Kent", "ORG"), ("Sussex", "PERSON")],
    )
    assert by_name(a)["Sussex"][0].type == "organization"


def test_a_name_before_a_team_role_is_a_team():
    a = analyse("CRICKET - RESULT.\n\nKent captain Owen Fairbrook scored.", [("Kent", "PERSON")])
    assert by_name(a)["Kent"][0].type == "organization"


@pytest.mark.parametrize(
    ("surface", "label", "names"),
    [
        ("Portugal - Ruben Valcarce", "PERSON", {"Portugal", "Ruben Valcarce"}),
        ("Hollow Lane, Somerset", "GPE", {"Hollow Lane", "Somerset"}),
        ("Wickrama 3 T. Bellamy", "PERSON", {"Wickrama", "T. Bellamy"}),
        ("Interfax news agency", "ORG", {"Interfax"}),
        ("Corvell Inc", "ORG", {"Corvell Inc"}),
    ],
)
def test_one_span_holding_several_names_is_split(surface, label, names):
    a = analyse(f"Story\n\nAt {surface} today.", [(surface, label)])
    assert {m.name for m in a.mentions if m.type != "date"} == names


@pytest.mark.parametrize("surface", ["Men", "W L", "GMT"])
def test_table_words_are_not_names(surface):
    a = analyse(f"Story\n\n{surface} singles at 10.", [(surface, "ORG")])
    assert a.mentions == [] or all(m.type == "date" for m in a.mentions)


def test_a_given_name_joins_the_one_person_within_the_article_only():
    g = _graph(
        (
            "Story\n\nCallum Ashdown scored. Callum smiled.",
            [("Callum Ashdown", "PERSON"), ("Callum", "PERSON")],
        ),
        ("Other\n\nCallum left.", [("Callum", "PERSON")]),
    )
    ashdown = _entity(g, "Callum Ashdown")
    assert {"alias": "Callum", "reason": "given_name"} in [m.model_dump() for m in ashdown.merges]
    assert ashdown.article_count == 1  # the bare `Callum` of another article stays apart


@pytest.mark.parametrize("labels", [("PERSON", "ORG"), ("GPE", "GPE"), ("PERSON", "GPE")])
def test_a_club_named_like_a_person_of_the_article_stays_the_club(labels):
    """The words around the lone name (a side in a result) outweigh its being the first word
    of a person's name; where the model's label alone disagrees, the person's name wins."""
    in_result, later = labels
    g = _graph(
        (
            "FOOTBALL - PREMIER LEAGUE\n\nChelsea Moreau watched from the stand. Chelsea beat "
            "Arsenal 2-1, and last season Chelsea finished fourth.",
            [("Chelsea Moreau", "PERSON"), ("Chelsea", in_result), ("Arsenal", "ORG"),
             ("Chelsea", later)],
        ),
        (
            "Story\n\nDaisy Okafor spoke in Lagos. Daisy said the school would open.",
            [("Daisy Okafor", "PERSON"), ("Lagos", "GPE"), ("Daisy", "ORG")],
        ),
    )  # fmt: skip
    (club,) = [e for e in g.entities if e.name == "Chelsea"]
    assert club.type == "organization" and club.mention_count == 2
    assert _entity(g, "Chelsea Moreau").merges == []
    okafor = _entity(g, "Daisy Okafor")
    assert [m.model_dump() for m in okafor.merges] == [{"alias": "Daisy", "reason": "given_name"}]
    assert okafor.mention_count == 2


def test_the_corpus_corrects_a_type_given_on_thin_evidence():
    people = [(f"Story {i}\n\nIstvan Varga spoke.", [("Istvan Varga", "PERSON")]) for i in range(3)]
    g = _graph(*people, ("Other\n\nIstvan Varga left.", [("Istvan Varga", "ORG")]))
    varga = [e for e in g.entities if e.name == "Istvan Varga"]
    assert [(e.type, e.article_count) for e in varga] == [("person", 4)]


def test_a_clear_name_is_found_again_in_articles_where_the_model_missed_it():
    g = _graph(
        (
            "Story\n\nLeicestershire won. Leicestershire lost.",
            [("Leicestershire", "ORG"), ("Leicestershire", "ORG")],
        ),
        ("Other\n\nFans of Leicestershire cheered.", []),
    )
    county = _entity(g, "Leicestershire")
    assert county.article_count == 2
    assert any(m.section == "body" and m.article == "a1" for m in county.mentions)


def test_all_caps_headlines_are_put_in_the_article_own_case_for_the_model():
    loaded = parse_article(
        "SOCCER - CHILE SNATCH LATE DRAW.\n\nChile drew with Peru on Friday.",
        path="x.txt",
        article_id="x",
        encoding="utf-8",
    )
    assert text_for_nlp(loaded).startswith("soccer - Chile snatch late draw.")


def test_a_word_in_capitals_that_spells_no_acronym_can_still_be_a_short_name():
    a = analyse(
        "SQUASH - TARIQ RETIRES AT 36.\n\nTariq Qadeer won his last final.",
        [("TARIQ", "PERSON"), ("Tariq Qadeer", "PERSON")],
    )
    assert {m.key for m in a.mentions} == {"tariq qadeer"}


def test_a_company_noun_before_a_name_outweighs_the_model():
    a = analyse(
        "Story\n\nShipping giant Maersk grew. Maersk said so. Maersk hired.",
        [("Maersk", "PERSON"), ("Maersk", "PERSON"), ("Maersk", "PERSON")],
    )
    assert {m.type for m in a.mentions} == {"organization"}


def test_a_surname_mistyped_on_thin_evidence_joins_the_person_of_its_article():
    people = [(f"Story {i}\n\nIstvan Varga spoke.", [("Istvan Varga", "PERSON")]) for i in range(2)]
    g = _graph(
        *people,
        (
            "Other\n\nIstvan Varga flew in. Later Varga left.",
            [("Istvan Varga", "ORG"), ("Varga", "GPE")],
        ),
    )
    varga = _entity(g, "Istvan Varga")
    assert varga.type == "person" and "Varga" in varga.aliases
    assert not [e for e in g.entities if e.name == "Varga"]


def test_plural_acronyms_are_classes_not_names():
    a = analyse("Story\n\nLabour MPs met. MPs voted.", [("Labour MPs", "ORG"), ("MPs", "ORG")])
    assert {m.name for m in a.mentions} == {"Labour"}


def test_an_organisation_named_in_the_plural_and_singular_is_one_entity():
    g = _graph(
        ("Story\n\nThe Conservatives said no.", [("Conservatives", "ORG")]),
        ("Other\n\nThe Conservative leader said no.", [("Conservative", "ORG")]),
    )
    tory = _entity(g, "Conservative")
    assert tory.mention_count == 2 and {"alias": "Conservatives", "reason": "plural"} in [
        m.model_dump() for m in tory.merges
    ]


def test_a_corpus_short_form_follows_the_long_form_most_articles_choose():
    union = (
        "Story {}\n\nThe European Union met. The EU agreed.",
        [("European Union", "ORG"), ("EU", "ORG")],
    )
    g = _graph(
        *[(union[0].format(i), union[1]) for i in range(3)],
        ("Typo\n\nThe Europe Union met. The EU agreed.", [("Europe Union", "ORG"), ("EU", "ORG")]),
        ("Alone\n\nThe EU said no.", [("EU", "ORG")]),
    )
    assert _entity(g, "European Union").article_count == 4


def test_honorifics_make_a_person_whatever_the_model_said():
    a = analyse("Story\n\nMr Ebbers denied it.", [("Mr Ebbers", "ORG")])
    (ebbers,) = a.mentions
    assert (ebbers.name, ebbers.type, ebbers.titles) == ("Ebbers", "person", ["Mr"])


def test_a_company_the_model_sometimes_calls_a_person_is_one_organisation():
    company = [(f"Story {i}\n\nYukos shares fell.", [("Yukos", "ORG")]) for i in range(2)]
    g = _graph(*company, ("Other\n\nYukos said no.", [("Yukos", "PERSON")]))
    assert [(e.type, e.article_count) for e in g.entities if e.name == "Yukos"] == [
        ("organization", 3)
    ]


def test_dates_without_a_calendar_value_are_mentions_not_graph_nodes():
    """`recent months` and an unanchored `last year` name no time a reader could place: the
    article keeps the mention (value null), the graph has no node for it in every article."""
    texts = (
        ("Story\n\nDate: 2005-01-10\n\nPrices rose last year.", [("last year", "DATE")]),
        ("Other\n\nSales fell in recent months.", [("recent months", "DATE")]),
        ("Third\n\nWages fell last year.", [("last year", "DATE")]),
    )
    g = _graph(*texts)
    # The one node is named as the year it stands for: `last year` is another year elsewhere.
    dates = [(e.name, e.value, e.aliases) for e in g.entities if e.type == "date"]
    assert dates == [("2004", "2004", ["last year"])]
    unanchored = analyse(*texts[2])
    (mention,) = [m for m in unanchored.mentions if m.type == "date"]
    assert (mention.text, mention.value, mention.relative) == ("last year", None, True)


def test_words_of_frequency_are_no_dates():
    a = analyse(
        "Story\n\nThe annual fair and a daily paper.", [("annual", "DATE"), ("daily", "DATE")]
    )
    assert [m for m in a.mentions if m.type == "date"] == []


@pytest.mark.parametrize(
    ("text", "ents", "short", "full"),
    [
        (
            "Story\n\nThe Baltimore Ravens won. The Ravens celebrated.",
            [("Baltimore Ravens", "ORG"), ("Ravens", "ORG")],
            "Ravens",
            "Baltimore Ravens",
        ),
        (
            "Story\n\nPieter Van Damsteeg retired. Van Damsteeg smiled.",
            [("Pieter Van Damsteeg", "PERSON"), ("Van Damsteeg", "PERSON")],
            "Van Damsteeg",
            "Pieter Van Damsteeg",
        ),
        (
            "Story\n\nThe envoy Karim al-Haddadi arrived on Sunday. Later al-Haddadi spoke.",
            [("Karim al-Haddadi", "PERSON"), ("al-Haddadi", "PERSON")],
            "al-Haddadi",
            "Karim al-Haddadi",
        ),
        (
            "Story\n\nSouth Korea said the South would talk.",
            [("South Korea", "GPE"), ("South", "GPE")],
            "South",
            "South Korea",
        ),
    ],
)
def test_more_short_forms_join_their_one_full_name(text, ents, short, full):
    names = by_name(analyse(text, ents))
    assert names[short][0].key == names[full][0].key


@pytest.mark.parametrize(
    "name", ["Karim al-Haddadi", "Nawaf al-Rashed al-Sabri", "Laila el-Masri", "Omar bin Khalid"]
)
def test_a_name_keeps_its_lower_case_particle(name):
    a = analyse(f"Story\n\nThe minister {name} met reporters.", [(name, "PERSON")])
    assert [m.name for m in a.mentions] == [name]


@pytest.mark.parametrize(
    ("text", "ents", "name"),
    [
        (
            "Story\n\nThe Danish player Asger “Farlig” Jensen won the final.",
            [("Asger", "PERSON"), ("Farlig", "PERSON"), ("Jensen", "PERSON")],
            "Asger “Farlig” Jensen",
        ),
        (
            'Story\n\nThe champion Rodrigo "Hands of Iron" Salas retired.',
            [("Rodrigo", "PERSON"), ("Salas", "PERSON")],
            'Rodrigo "Hands of Iron" Salas',
        ),
    ],
)
def test_a_nickname_in_quotes_between_given_name_and_surname_makes_one_person(text, ents, name):
    a = analyse(text, ents)
    assert [(m.name, m.type) for m in a.mentions] == [(name, "person")]


def test_a_person_with_and_without_the_nickname_is_one_entity():
    g = _graph(
        ("Story\n\nAsger “Farlig” Jensen won.", [("Asger", "PERSON"), ("Jensen", "PERSON")]),
        ("Other\n\nAsger Jensen lost.", [("Asger Jensen", "PERSON")]),
    )
    people = [e for e in g.entities if e.type == "person"]
    assert len(people) == 1 and people[0].mention_count == 2


@pytest.mark.parametrize(
    ("text", "ents", "names"),
    [
        (
            'Story\n\nAnna Berg said "no" and Jonas Lund said yes.',
            [("Anna Berg", "PERSON"), ("Jonas Lund", "PERSON")],
            ["Anna Berg", "Jonas Lund"],
        ),
        (
            "Story\n\nMPs say Anna Berg ‘to sack’ Jonas Lund after the vote.",
            [("Anna Berg", "PERSON"), ("Jonas Lund", "PERSON")],
            ["Anna Berg", "Jonas Lund"],
        ),
        (
            "Story\n\nProsecutors quoted Anna “I did it” Jonas Lund denied it.",
            [("Anna", "PERSON"), ("Jonas Lund", "PERSON")],
            ["Anna", "Jonas Lund"],
        ),
    ],
)
def test_people_either_side_of_a_quotation_stay_apart(text, ents, names):
    assert [m.name for m in analyse(text, ents).mentions] == names


def test_a_word_after_a_lower_case_de_and_a_hyphen_is_no_name():
    a = analyse(
        "Story\n\nThe commission oversees de-Baathification in Iraq.",
        [("de-Baathification", "ORG")],
    )
    assert a.mentions == []


@pytest.mark.parametrize(
    ("text", "ents", "kept"),
    [
        (
            "Story\n\nHealth Secretary Maria Lund said the plan would work.",
            [("Health", "ORG"), ("Maria Lund", "PERSON")],
            ["Maria Lund"],
        ),
        (
            "Story\n\nThe Industry, Commerce and Tourism Minister Omar Saleh spoke.",
            [("Industry", "ORG"), ("Commerce", "ORG"), ("Omar Saleh", "PERSON")],
            ["Omar Saleh"],
        ),
        (
            "Story\n\nThe Health Ministry said the plan would work.",
            [("Health Ministry", "ORG")],
            ["Health Ministry"],
        ),
        ("Story\n\nA Labour spokesman said no.", [("Labour", "ORG")], ["Labour"]),
    ],
)
def test_a_portfolio_before_a_ministers_title_is_no_organisation(text, ents, kept):
    assert [m.name for m in analyse(text, ents).mentions] == kept


def test_a_head_word_alone_does_not_join_an_organisation():
    names = by_name(
        analyse(
            "Story\n\nThe China Development Bank lent. The Bank said no.",
            [("China Development Bank", "ORG"), ("Bank", "ORG")],
        )
    )
    assert names["Bank"][0].key == "bank"


def test_the_dateline_town_is_no_person_of_the_story():
    a = analyse(
        "Rebels leave mountain pass.\nKHOROG, Tajikistan 2024-03-12\n"
        "Khorog was calm. Khorog reopened its market.",
        [("Khorog", "PERSON"), ("Khorog", "PERSON")],
    )
    assert {m.type for m in a.mentions if m.type != "date"} == {"place"}


# -- sports sides, peoples, country names ---------------------------------------------------

CRICKET_REPORT = (
    "CRICKET - ENGLAND EDGE SRI LANKA IN BRISTOL.\n"
    "BRISTOL, England 2024-06-14\n"
    "England beat Sri Lanka by six wickets on Friday. Tom Varley (England) looked on.\n"
    "Rhys Penhallow took two wickets on his England debut.\n"
)


def test_a_country_that_plays_a_match_is_its_side_but_not_in_the_dateline_or_brackets():
    a = analyse(
        CRICKET_REPORT,
        [
            ("ENGLAND", "GPE"),
            ("SRI LANKA", "GPE"),
            ("BRISTOL", "GPE"),
            ("England", "GPE"),  # the dateline
            ("England", "GPE"),
            ("Sri Lanka", "GPE"),
            ("Tom Varley", "PERSON"),
            ("England", "GPE"),  # (England): the player's country
            ("Rhys Penhallow", "PERSON"),
            ("England", "GPE"),
        ],
    )
    england = [(m.text, m.section, m.side) for m in a.mentions if m.key == "england"]
    assert england == [
        ("ENGLAND", "title", "cricket"),
        ("England", "dateline", None),
        ("England", "body", "cricket"),
        ("England", "body", None),
        ("England", "body", "cricket"),
    ]
    assert all(m.type == "place" for m in a.mentions if m.key == "england")
    assert {m.side for m in a.mentions if m.key == "sri lanka"} == {"cricket"}


def test_a_side_is_its_own_entity_related_to_its_country():
    g = _graph(
        (CRICKET_REPORT, [("England", "GPE"), ("England", "GPE"), ("Sri Lanka", "GPE")]),
        ("Politics\n\nEngland voted on Friday.", [("England", "GPE")]),
    )
    side = _entity(g, "England (cricket team)")
    country = _entity(g, "England")
    assert side.type == country.type == "place"
    assert side.id != country.id and side.aliases == ["England"]
    assert {m.article for m in country.mentions} == {"a0", "a1"}  # the dateline and the vote
    assert any(
        r.source == side.id and r.target == country.id and r.reason == "side_of"
        for r in g.relations
    )


@pytest.mark.parametrize(
    "opening",
    [
        "TENNIS - SWEDEN BEAT SPAIN 3-2.",  # an individual sport: players' countries
        "Talks - Sweden beat Spain to the deal.",  # no sport named
    ],
)
def test_outside_team_sports_a_country_stays_the_country(opening):
    a = analyse(f"{opening}\n\nSweden beat Spain 3-2 on Friday.", [("Sweden", "GPE")])
    assert {m.side for m in a.mentions if m.key == "sweden"} == {None}


def test_a_possessive_before_a_person_names_the_country():
    a = analyse(
        "SOCCER - BRAZIL SEE OFF CHILE.\n\nBrazil beat Chile 3-1. Brazil's Caio Moreira scored.",
        [("Brazil", "GPE"), ("Brazil", "GPE"), ("Caio Moreira", "PERSON")],
    )
    assert [m.side for m in a.mentions if m.key == "brazil"] == ["football", None]


@pytest.mark.parametrize(("surface", "label"), [("Dutch", "ORG"), ("Briton", "PERSON")])
def test_a_nationality_word_is_no_entity(surface, label):
    a = analyse(f"Story\n\nThe {surface} side of the deal.", [(surface, label)])
    assert [m for m in a.mentions if m.type != "date"] == []


def test_a_team_named_for_its_people_stays():
    a = analyse("Story\n\nThe Indians won again.", [("Indians", "ORG")])
    assert [m.name for m in a.mentions] == ["Indians"]


def test_other_names_of_a_country_are_one_entity():
    g = _graph(
        ("Story\n\nAmerica said no.", [("America", "GPE")]),
        ("Other\n\nThe United States said yes.", [("United States", "GPE")]),
    )
    us = _entity(g, "United States")
    assert set(us.aliases) == {"America", "United States"}
    assert ("America", "country_name") in {(m.alias, m.reason) for m in us.merges}


@pytest.mark.parametrize(
    ("text", "span", "last"),
    [
        (
            "Standings\n\nNORTH CONFERENCE\nLAKES GROUP\nDETROIT 61 48\n",
            "NORTH CONFERENCE\nLAKES GROUP\nDETROIT",
            "DETROIT",
        ),
        (
            "Results\n\nCoastal League\nDENVER 5 Portland 2\n",
            "Coastal League\nDENVER",
            "DENVER",
        ),
    ],
)
def test_lines_of_a_table_or_heading_are_separate_names(text, span, last):
    a = analyse(text, [(span, "ORG")])
    assert last in {m.name for m in a.mentions}
    assert not any("\n" in m.text for m in a.mentions)


def test_a_name_in_prose_may_wrap_onto_the_next_line():
    text = (
        "Story\n\nFares on the northern routes will rise next spring, the Federation of Island\n"
        "Ferry Operators said on Tuesday.\n"
    )
    a = analyse(text, [("Federation of Island\nFerry Operators", "ORG")])
    assert [m.name for m in a.mentions if m.type != "date"] == [
        "Federation of Island Ferry Operators"
    ]


def test_a_dateline_vote_does_not_hide_what_the_article_says_of_a_name():
    # The report is filed from NEW YORK and names the NEW YORK club three times; two other
    # articles call New York a place. The club stays an organisation.
    standings = (
        "BASEBALL - STANDINGS.\nNEW YORK 2024-07-19\n\nNEW YORK 58 37\nNEW YORK AT BOSTON\n"
        "NEW YORK AT TORONTO\n"
    )
    g = _graph(
        (standings, [("NEW YORK", "GPE")] + [("NEW YORK", "ORG")] * 3),
        ("Story\n\nNew York is a city.", [("New York", "GPE")]),
        ("Other\n\nNew York was hot.", [("New York", "GPE")]),
    )
    club = next(e for e in g.entities if e.type == "organization" and "NEW YORK" in e.aliases)
    assert club.mention_count == 3


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "Film\n\nIt follows Margaret Thornbury, the mill strike leader. Hale spent years "
            'on "Margaret Thornbury", her first feature.',
            1,  # the model's person; the quoted title is not found again as her
        ),
        ('Film\n\nHale spent years on "Margaret Thornbury", her first feature.', 0),
    ],
)
def test_a_full_name_in_quotation_marks_is_a_work_not_the_person(text, kept):
    a = analyse(text, [("Margaret Thornbury", "PERSON")])
    people = [m for m in a.mentions if m.type == "person"]
    assert len(people) == kept and all(text[m.start - 1] != '"' for m in people)


def test_a_nickname_in_quotes_inside_a_name_is_kept():
    text = 'Boxing\n\nLuis "Tornado" Arreola won.'
    a = analyse(text, [('Luis "Tornado" Arreola', "PERSON")])
    assert [m.type for m in a.mentions] == ["person"]


def test_a_quoted_title_is_not_found_again_across_the_corpus_as_the_person():
    person = ("Story\n\nMargaret Thornbury led the strike.", [("Margaret Thornbury", "PERSON")])
    g = _graph(person, person, ('Film\n\nCritics loved "Margaret Thornbury" in Venice.', []))
    thornbury = _entity(g, "Margaret Thornbury")
    assert {m.article for m in thornbury.mentions} == {"a0", "a1"}


def test_the_at_the_start_of_a_line_is_not_part_of_the_name():
    text = (
        "SOCCER - U.S. SEE OFF JAMAICA.\nDALLAS 2024-06-09\n"
        "The United States beat Jamaica 2-0 on Sunday. U.S. fans sang.\n"
    )
    a = analyse(text, [("U.S.", "GPE"), ("The United States", "GPE"), ("U.S.", "GPE")])
    assert {m.name for m in a.mentions if m.key == "united states"} == {"U.S.", "United States"}


def test_a_player_named_with_a_country_in_results_is_a_person_the_model_half_missed():
    a = analyse(
        "TENNIS - RESULTS.\nGENEVA 2024-05-02\n"
        "Third round: Marta Ilvesky (Estonia) beat Dana Korvath (Slovakia) 6-4 6-2\n",
        [("Dana", "ORG"), ("Slovakia", "ORG")],
    )
    people = {m.name for m in a.mentions if m.type == "person"}
    assert people == {"Marta Ilvesky", "Dana Korvath"}


def test_a_side_the_model_missed_in_a_table_is_an_organisation_a_country_a_place():
    a = analyse(
        "SOCCER - RESULTS.\nMANCHESTER 2024-10-06\nSunday's results:\n"
        "Harlow Town 2 Lydford 1\nIreland 0 Wales 3\n",
        [("Harlow", "GPE")],
    )
    types = {m.name: m.type for m in a.mentions if m.type != "date"}
    assert types == {
        "MANCHESTER": "place",
        "Harlow Town": "organization",
        "Lydford": "organization",
        "Ireland": "place",
        "Wales": "place",
    }


def test_a_name_with_a_compass_word_before_it_is_another_name():
    a = analyse(
        "SOCCER - RESULTS.\n\nHarlow beat Lydford on Sunday, and East Harlow lost at home.",
        [("Harlow", "ORG"), ("Lydford", "ORG"), ("East Harlow", "ORG")],
    )
    assert {m.key for m in a.mentions if "Harlow" in m.name} == {"harlow", "east harlow"}


def test_a_name_after_city_of_is_a_place():
    a = analyse(
        "Story\n\nFloods reached the coastal city of Marrowby. Marrowby was cut off.",
        [("Marrowby", "ORG"), ("Marrowby", "ORG")],
    )
    assert {m.type for m in a.mentions if m.name == "Marrowby"} == {"place"}


def test_players_of_a_line_up_are_people_where_the_model_saw_nothing():
    a = analyse(
        "SOCCER - BELGIUM HOLD AUSTRIA.\nBRUSSELS 2024-04-12\nTeams:\n"
        "Belgium - 1 - Jonas Verbeeck; 4 - Dries Claessens, 8 - Wout Maertens\n",
        [("Belgium", "GPE")],
    )
    assert {m.name for m in a.mentions if m.type == "person"} == {
        "Jonas Verbeeck",
        "Dries Claessens",
        "Wout Maertens",
    }


# -- a model that leaves titles and nationality words out of names (CoNLL-trained) ---------


def test_title_words_just_before_a_name_are_its_titles_and_vote_person():
    a = analyse(
        "Story\n\nThe lender's Chief Executive Ines Valcourt resigned. Mr Bergqvist stayed.",
        [("Ines Valcourt", "PERSON"), ("Bergqvist", "ORG")],
    )
    names = by_name(a)
    assert names["Ines Valcourt"][0].titles == ["Chief", "Executive"]
    assert names["Bergqvist"][0].titles == ["Mr"]
    assert names["Bergqvist"][0].type == "person"


def test_a_modifier_alone_before_a_name_is_no_title():
    a = analyse("Story\n\nShe met former Harbourline staff.", [("Harbourline", "ORG")])
    assert by_name(a)["Harbourline"][0].titles == []


def test_a_nationality_word_modifying_the_noun_after_a_name_is_cut_off():
    a = analyse(
        "Story\n\nOther Quillmoor Savings Fund Portuguese members agreed.",
        [("Quillmoor Savings Fund Portuguese", "ORG")],
    )
    assert set(by_name(a)) == {"Quillmoor Savings Fund"}


@pytest.mark.parametrize(
    ("text", "ent"),
    [
        ("Story\n\nCases of COVID-19 rose in the city.", ("COVID-19", "ORG")),
        ("Story\n\nThe Ebola outbreak spread.", ("Ebola", "GPE")),
        ("Story\n\nTalks on Brexit stalled again.", ("Brexit", "ORG")),
        ("Story\n\nThe Affordable Care Act was upheld.", ("Affordable Care Act", "ORG")),
    ],
)
def test_diseases_processes_and_laws_are_no_entities(text, ent):
    assert analyse(text, [ent]).mentions == []


def test_one_word_compounded_with_a_company_head_votes_organisation():
    a = analyse("Story\n\nPer Cryptonews, the deal closed.", [("Cryptonews", "PERSON")])
    assert by_name(a)["Cryptonews"][0].type == "organization"


@pytest.mark.parametrize(
    "text",
    [
        "Election result\n\nHollins beat Marchetti in the state by 3 points on Tuesday.",
        "Court ruling\n\nJudge Amara Dunleavy sided with Okafor against Brandvold on Monday.",
    ],
)
def test_match_words_between_two_people_outside_team_sport_keep_them_people(text):
    names = [w for w in ("Hollins", "Marchetti", "Okafor", "Brandvold") if w in text]
    a = analyse(text, [(n, "PERSON") for n in names])
    assert {m.name: m.type for m in a.mentions if m.name in names} == dict.fromkeys(names, "person")


def test_match_words_in_a_team_sport_report_make_lone_names_sides():
    a = analyse(
        "CRICKET - COUNTY CHAMPIONSHIP.\n\nKent beat Essex by six wickets on Monday.",
        [("Kent", "PERSON"), ("Essex", "PERSON")],
    )
    assert {m.name: m.type for m in a.mentions if m.type != "date"} == {
        "Kent": "organization",
        "Essex": "organization",
    }


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("Rates\n\nThe Central Bank raised rates on Tuesday.", "Central Bank", "organization"),
        ("Rates\n\nThe Northern Bank cut fees.", "Northern Bank", "organization"),
        ("Story\n\nSettlers moved to the West Bank.", "West Bank", "place"),
    ],
)
def test_only_a_side_of_a_place_before_an_organisation_head_makes_a_place(text, name, expected):
    a = analyse(text, [(name, "GPE")])
    assert by_name(a)[name][0].type == expected


@pytest.mark.parametrize(
    ("text", "ent"),
    [
        ("Story\n\nSlideshow (12 images)\n\nThe lender closed.", ("Slideshow", "PERSON")),
        ("Story\n\nMara Quill - The former minister spoke.", ("The", "PERSON")),
    ],
)
def test_page_furniture_and_a_lone_article_are_no_names(text, ent):
    assert analyse(text, [ent]).mentions == []
