"""Rules for today's news, on sentences written for these tests: each case states exactly
what the model said (test_resolve.analyse builds the spans), and what a reader expects."""

from __future__ import annotations

import itertools

from test_resolve import _graph, analyse, by_name

from newsents.resolve.names import canonical_key, company_base, company_key


def _entities(graph, entity_type=None):
    return sorted(e.name for e in graph.entities if entity_type in (None, e.type))


# -- company names ---------------------------------------------------------------------------


def test_legal_forms_fold_for_a_companys_key_and_nobody_elses():
    assert company_key("Dominion Textile Inc.") == company_key("Dominion Textile")
    assert company_key("Samsung Electronics Co Ltd") == "samsung electronics"
    assert company_key("Fiat SpA") == company_key("Fiat")
    assert company_key("Lenovo Group") == "lenovo"
    assert company_base("The Boeing Company") == "The Boeing"
    # Nothing but a legal form, or words that end people's and places' names: unchanged.
    assert company_key("Ltd") == "ltd"
    assert company_key("Amazon UK") == "amazon uk"
    assert canonical_key("Demba Ba") == "demba ba"
    assert canonical_key("Dominion Textile Inc") == "dominion textile inc"


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


# -- capitals that only a sentence's start explains -------------------------------------------


def test_a_sentence_initial_word_the_corpus_writes_in_lower_case_is_not_part_of_a_name():
    g = _graph(
        (
            "Cup tie\n\nInjured Chelsea striker Dan Morrow will miss the game. "
            "Chelsea play on Sunday, and the injured man will watch.",
            [("Injured Chelsea", "ORG"), ("Dan Morrow", "PERSON"), ("Chelsea", "ORG")],
        ),
        (
            "Defection\n\nNew UKIP defection shocks party. UKIP gained a new member.",
            [("New UKIP", "ORG"), ("UKIP", "ORG")],
        ),
    )
    assert _entities(g, "organization") == ["Chelsea", "UKIP"]
    chelsea = next(e for e in g.entities if e.name == "Chelsea")
    assert chelsea.mention_count == 2 and "Injured Chelsea" not in chelsea.aliases
    mention = next(m for m in chelsea.mentions if m.start < 40)
    assert mention.text == "Chelsea"


def test_a_name_that_also_stands_inside_a_sentence_keeps_its_first_word():
    g = _graph(
        (
            "Team\n\nReal Madrid won. Fans of Real Madrid sang, and Madrid was loud. "
            "It was a real party.",
            [("Real Madrid", "ORG"), ("Real Madrid", "ORG"), ("Madrid", "GPE")],
        ),
        (
            "Deal\n\nBill Gates gave more. Gates said the bill was paid.",
            [("Bill Gates", "PERSON"), ("Gates", "PERSON")],
        ),
    )
    assert "Real Madrid" in _entities(g, "organization")
    assert "Bill Gates" in _entities(g, "person")


def test_a_common_word_capitalised_only_at_a_sentence_start_is_no_name():
    g = _graph(
        (
            "Poll\n\nPeople who vote early may wait less, and people queued in Leeds.",
            [("People", "ORG"), ("Leeds", "GPE")],
        )
    )
    assert _entities(g) == ["Leeds"]


def test_awards_and_events_are_no_people_organisations_or_places():
    a = analyse(
        "Film\n\nThe Oscars were held on Sunday. She won an Oscar and the World Cup final "
        "drew fewer viewers than the US Open. Olympic champion Ada Lane spoke.",
        [
            ("Oscars", "PERSON"),
            ("Oscar", "PERSON"),
            ("World Cup", "ORG"),
            ("US Open", "ORG"),
            ("Olympic", "GPE"),
            ("Ada Lane", "PERSON"),
        ],
    )
    assert sorted(by_name(a)) == ["Ada Lane", "Sunday"]


# -- parties and groups the model takes for people -------------------------------------------


def test_a_party_the_model_calls_a_person_takes_the_type_its_context_says():
    a = analyse(
        "Vote\n\nLib Dem leader Ruth Penrose spoke. The Lib Dems said Labour MPs would lose.",
        [
            ("Lib Dem", "PERSON"),
            ("Ruth Penrose", "PERSON"),
            ("Lib Dems", "PERSON"),
            ("Labour", "PERSON"),
        ],
    )
    types = {m.name: m.type for m in a.mentions}
    assert types == {
        "Lib Dem": "organization",
        "Ruth Penrose": "person",
        "Lib Dems": "organization",
        "Labour": "organization",
    }


def test_a_person_used_as_a_modifier_stays_a_person():
    a = analyse(
        "Row\n\nBlair's spokesman denied it. The Williams sisters won. The Blair government fell.",
        [("Blair", "PERSON"), ("Williams", "PERSON"), ("Blair", "PERSON")],
    )
    assert {m.type for m in a.mentions if m.type != "date"} == {"person"}


def test_a_glued_long_form_in_one_article_does_not_take_a_name_the_corpus_uses_alone():
    glued = (
        "Transfer\n\nThe striker told the BBC Liverpool were keen. Liverpool denied it.",
        [("BBC Liverpool", "ORG"), ("Liverpool", "ORG")],
    )
    others = [
        (f"Match {i}\n\nLiverpool won again on Saturday.", [("Liverpool", "ORG")]) for i in range(3)
    ]
    g = _graph(glued, *others)
    liverpool = next(e for e in g.entities if e.name == "Liverpool")
    assert liverpool.article_count == 4


def test_a_company_named_alone_elsewhere_is_not_the_division_one_article_names():
    division = (
        "Streaming\n\nHarbourline Music Ltd opened in Oslo. Harbourline said sales rose.",
        [("Harbourline Music Ltd", "ORG"), ("Oslo", "GPE"), ("Harbourline", "ORG")],
    )
    others = [
        (f"Results {i}\n\nHarbourline cut prices again.", [("Harbourline", "ORG")])
        for i in range(3)
    ]
    g = _graph(division, *others)
    company = next(e for e in g.entities if e.name == "Harbourline")
    assert company.article_count == 3  # not joined to the division elsewhere
    division_entity = next(e for e in g.entities if e.name == "Harbourline Music")
    assert "short_form_corpus" not in {m.reason for m in division_entity.merges}
    # The article that named both joined them: it knows what it meant.
    assert "Harbourline" in division_entity.aliases


def test_a_side_named_after_its_city_takes_the_city_alone_in_other_standings():
    report = (
        "BASEBALL - RESULTS.\nCARLOW 2024-07-19\n\nThe Carlow Otters beat Dunmore 5-3.\n"
        "CARLOW 5 DUNMORE 3\n",
        [("Carlow Otters", "ORG"), ("Dunmore", "ORG"), ("CARLOW", "ORG"), ("DUNMORE", "ORG")],
    )
    standings = [
        (f"BASEBALL - STANDINGS {i}.\n\nCARLOW 58 37\nDUNMORE 50 45\n", [("CARLOW", "ORG")])
        for i in range(3)
    ]
    g = _graph(report, *standings)
    side = next(e for e in g.entities if e.name == "Carlow Otters")
    assert side.article_count == 4  # the standings' CARLOW is the side


def test_a_name_that_goes_on_with_a_number_keeps_it():
    a = analyse(
        "Jobs\n\nShe joined BBC Radio 4 and left Channel 5 for it; Radio 1 lost her.",
        [("BBC Radio", "ORG"), ("Channel", "ORG"), ("Radio", "ORG")],
    )
    assert sorted(by_name(a)) == ["BBC Radio 4", "Channel 5", "Radio 1"]


def test_a_word_is_not_found_again_across_the_corpus_where_only_its_sentence_capitalises_it():
    g = _graph(
        ("Magazine\n\nShe edits the People magazine.", [("People", "ORG")]),
        ("Cover\n\nHe read the People magazine.", [("People", "ORG")]),
        ("Queues\n\nPeople waited for hours in Leeds.", [("Leeds", "GPE")]),
    )
    people = next(e for e in g.entities if e.name == "People")
    assert people.article_count == 2


def test_the_nicknames_of_a_party_are_the_party():
    g = _graph(
        (
            "Poll\n\nThe Tories gained seats. A Tory peer resigned, and the Conservatives "
            "cheered. Lib Dem leader Ruth Penrose and the Liberal Democrats lost.",
            [
                ("Tories", "ORG"),
                ("Tory", "PERSON"),
                ("Conservatives", "ORG"),
                ("Lib Dem", "PERSON"),
                ("Ruth Penrose", "PERSON"),
                ("Liberal Democrats", "ORG"),
            ],
        )
    )
    parties = {e.name: e.mention_count for e in g.entities if e.type == "organization"}
    assert parties == {"Conservatives": 3, "Liberal Democrats": 2}
    tories = next(e for e in g.entities if e.name == "Conservatives")
    assert {"alias": "Tories", "reason": "organization_name"} in [
        m.model_dump() for m in tories.merges
    ]


def test_a_plural_in_ies_joins_its_singular():
    g = _graph(
        ("Trade\n\nThe Bakeries Group and the Bakery union met.", [("Bakeries", "ORG")]),
        ("More\n\nBakery shares rose; Bakery said so.", [("Bakery", "ORG"), ("Bakery", "ORG")]),
    )
    assert [(e.name, e.mention_count) for e in g.entities] == [("Bakery", 4)]


def test_a_month_the_model_calls_an_organisation_is_found_nowhere_as_one():
    g = _graph(
        ("Fixtures\n\nSaturday 20 November\n\nKent v Essex", [("November", "ORG")]),
        ("More\n\nThe 4 November vote and the 9 November count.", []),
        ("Again\n\nOn 6 November we met.", []),
    )
    assert [e for e in g.entities if e.type != "date"] == []


def test_products_and_competitions_are_no_organisations():
    a = analyse(
        "Games\n\nMicrosoft cut the price of the Xbox before the Champions League final.",
        [("Microsoft", "ORG"), ("Xbox", "ORG"), ("Champions League", "ORG")],
    )
    assert sorted(by_name(a)) == ["Microsoft"]


def test_share_indices_and_racing_series_are_no_organisations():
    a = analyse(
        "Markets\n\nThe FTSE 100 fell 1% and the S&P 500 rose, while Halvorsen Motors said "
        "its Formula One team would race in F1 next year. The Nikkei newspaper reported it.",
        [
            ("FTSE 100", "ORG"),
            ("S&P 500", "ORG"),
            ("Halvorsen Motors", "ORG"),
            ("Formula One", "ORG"),
            ("F1", "ORG"),
            ("Nikkei", "ORG"),
        ],
    )
    # `Nikkei` is also a newspaper, and stays what the model says.
    assert sorted(by_name(a)) == ["Halvorsen Motors", "Nikkei"]


def test_a_word_before_a_name_says_what_it_is_only_in_its_line_and_sentence():
    a = analyse(
        "Nominees\n\nShe ran a consulting firm. Tomas Reyes said the talks were over.\n"
        "HOUSING AGENCY\nIlse Varga said rents would rise.",
        [("Tomas Reyes", "PERSON"), ("HOUSING AGENCY", "ORG"), ("Ilse Varga", "PERSON")],
    )
    assert [m.type for m in by_name(a)["Tomas Reyes"]] == ["person"]
    assert [m.type for m in by_name(a)["Ilse Varga"]] == ["person"]
    b = analyse(
        "Deal\n\nThe deal was backed by the investment firm Corvane, which said no more.",
        [("Corvane", "PERSON")],
    )
    assert [m.type for m in by_name(b)["Corvane"]] == ["organization"]
    # Prose wrapped to a width runs on across the line break.
    c = analyse(
        "Ships\n\nThe new container port on the river is run by the shipping giant\n"
        "Zubrava, officials said on Monday.",
        [("Zubrava", "PERSON")],
    )
    assert [m.type for m in by_name(c)["Zubrava"]] == ["organization"]


def test_a_name_with_its_short_form_in_brackets_is_two_mentions():
    a = analyse(
        "Talks\n\nMinisters of the Nordic Fisheries Council (NFC) met on Monday in Bergen.",
        [("Nordic Fisheries Council (NFC)", "ORG"), ("Bergen", "GPE")],
    )
    assert sorted(m.text for m in a.mentions if m.type == "organization") == [
        "NFC",
        "Nordic Fisheries Council",
    ]


def test_a_noun_phrase_in_apposition_says_what_a_name_is():
    a = analyse(
        "Drinks deal\n\nVellomar, the world's biggest spirits firm, will buy a winery. "
        "Vellomar said the deal would close in May. Vellomar shares rose.",
        [("Vellomar", "PERSON"), ("Vellomar", "PERSON"), ("Vellomar", "PERSON")],
    )
    assert {m.type for m in by_name(a)["Vellomar"]} == {"organization"}
    b = analyse(
        "Television\n\nJo Reyes, a senior broadcaster with the network, said so. "
        "Kim Olsen, the former president of the company, agreed.",
        [("Jo Reyes", "PERSON"), ("Kim Olsen", "PERSON")],
    )
    assert [m.type for m in b.mentions] == ["person", "person"]
    # A list's next item, and the subject after a fronted place, are no apposition.
    c = analyse(
        "Aid\n\nThe talks were attended by Ana Ruiz, the World Bank and the IMF. "
        "In Kibera, a spokesman for the charity said the clinic would close.",
        [("Ana Ruiz", "PERSON"), ("World Bank", "ORG"), ("IMF", "ORG"), ("Kibera", "GPE")],
    )
    assert by_name(c)["Ana Ruiz"][0].type == "person"
    assert by_name(c)["Kibera"][0].type == "place"


def test_each_place_of_a_dateline_filed_from_several_is_a_place():
    a = analyse("Talks stall\n\nOSLO / HELSINKI (Reuters) - The ferry talks stalled.", [])
    assert sorted((m.text, m.type) for m in a.mentions) == [
        ("HELSINKI", "place"),
        ("OSLO", "place"),
    ]


def test_acronyms_of_common_nouns_name_nothing_even_unspelt():
    a = analyse(
        "Listing\n\nKestrel Bio priced its IPO as GDP figures came out.",
        [("Kestrel Bio", "ORG"), ("IPO", "ORG"), ("GDP", "ORG")],
    )
    assert sorted(m.text for m in a.mentions) == ["Kestrel Bio"]


def test_two_names_the_model_ran_together_are_split_where_the_article_names_each():
    a = analyse(
        "Derby\n\nEverton and Arsenal drew. Everton led early; Arsenal equalised. "
        "Marks and Spencer sold more.",
        [
            ("Everton and Arsenal", "ORG"),
            ("Everton", "ORG"),
            ("Arsenal", "ORG"),
            ("Marks and Spencer", "ORG"),
        ],
    )
    names = sorted(m.name for m in a.mentions)
    assert names == ["Arsenal", "Arsenal", "Everton", "Everton", "Marks and Spencer"]


def test_one_mention_never_belongs_to_two_entities():
    a = analyse(
        "Drug\n\nNuvaxil works, and Pharmacorp will launch Nuvaxil early in 2025.",
        [("Nuvaxil", "PERSON"), ("Pharmacorp", "ORG"), ("Nuvaxil early in 2025", "DATE")],
    )
    spans = sorted((m.start, m.end, m.type) for m in a.mentions)
    assert all(x[1] <= y[0] for x, y in itertools.pairwise(spans)), spans
    (date,) = [m for m in a.mentions if m.type == "date"]
    assert (date.text, date.value) == ("early in 2025", "2025")


def test_a_city_that_plays_as_a_side_is_the_club_the_report_names():
    a = analyse(
        "BASEBALL - RESULTS\n\nCHICAGO 5 Boston 3\n\nThe Chicago Wolves won in Chicago on "
        "Sunday; their pitcher went eight innings and the shortstop hit a home run.",
        [("CHICAGO", "GPE"), ("Boston", "GPE"), ("Chicago Wolves", "ORG"), ("Chicago", "GPE")],
    )
    keys = [(m.text, m.key, m.type) for m in a.mentions if m.type != "date"]
    assert ("CHICAGO", "chicago wolves", "organization") in keys
    assert ("Chicago", "chicago", "place") in keys


def test_a_surname_shared_by_two_people_names_the_one_the_corpus_knows_best():
    stories = [
        (f"Kremlin {i}\n\nPresident Pavel Orlov spoke.", [("Pavel Orlov", "PERSON")])
        for i in range(3)
    ]
    g = _graph(
        *stories,
        ("Visit\n\nIrina Orlov opened a school.", [("Irina Orlov", "PERSON")]),
        ("Health\n\nOrlov was tired, aides said.", [("Orlov", "PERSON")]),
    )
    pavel = next(e for e in g.entities if e.name == "Pavel Orlov")
    assert pavel.mention_count == 4 and pavel.article_count == 4


def test_a_trie_of_terms_matches_as_the_plain_alternation_does():
    """`any_of` is how the sport terms and missed day names are searched: the longest term at
    each place, terms sharing their first letters told apart, and a shorter term kept where
    the longer one does not end a word."""
    import re

    from newsents.resolve.patterns import any_of

    terms = ["home run", "home runs", "hat-trick", "hattie", "fa cup", "free-kick", "f"]
    trie = re.compile(r"(?<![\w-])(?:" + any_of(terms) + r")(?![\w-])", re.IGNORECASE)
    plain = re.compile(
        r"(?<![\w-])(?:"
        + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
        + r")(?![\w-])",
        re.IGNORECASE,
    )
    text = (
        "Two Home Runs and a hat-trick; home run-less Hattie took the FA Cup, "
        "a free-kick, F and f-stop, then home runner."
    )
    found = [m.group(0) for m in trie.finditer(text)]
    assert found == [m.group(0) for m in plain.finditer(text)]
    assert found == ["Home Runs", "hat-trick", "Hattie", "FA Cup", "free-kick", "F"]


def test_a_wire_storys_dateline_and_agency_are_named_but_linked_to_nothing():
    """A wire service files thousands of stories, from a town that is not their subject:
    linked to what each first sentence names, both would be hubs of every graph."""
    g = _graph(
        (
            "Plant idled\n\nDETROIT (Reuters) - Kestrel Motors said it would idle its Fairfax "
            "plant. Kestrel Motors builds vans in Fairfax.",
            [("DETROIT", "GPE"), ("Reuters", "ORG"), ("Kestrel Motors", "ORG"), ("Fairfax", "GPE")],
        )
    )
    types = {e.name: e.type for e in g.entities}
    assert types == {
        "Detroit": "place",
        "Reuters": "organization",
        "Kestrel Motors": "organization",
        "Fairfax": "place",
    }
    names = {e.id: e.name for e in g.entities}
    assert [sorted((names[e.source], names[e.target])) for e in g.edges] == [
        ["Fairfax", "Kestrel Motors"]
    ]


def test_a_place_is_named_as_stories_write_it_not_in_its_datelines_capitals():
    g = _graph(
        ("Louvre\n\nPARIS (Reuters) - The Louvre reopened.", [("PARIS", "GPE"), ("Louvre", "FAC")]),
        ("Metro\n\nPARIS (Reuters) - The metro was shut.", [("PARIS", "GPE")]),
        ("Rain\n\nIt rained in Paris on Monday.", [("Paris", "GPE")]),
        ("Port\n\nLIMA (Reuters) - The port reopened.", [("LIMA", "GPE")]),
        ("Ferry\n\nST. MALO (Reuters) - The ferry sailed.", [("ST. MALO", "GPE")]),
        ("Talks\n\nUAE (Reuters) - Talks began.", [("UAE", "GPE")]),
    )
    places = _entities(g, "place")
    assert "Paris" in places and "PARIS" not in places
    # Named only in datelines: in ordinary case, but for what may be an acronym.
    assert {"Lima", "St. Malo", "UAE"} <= set(places)


def test_a_person_named_like_a_place_the_story_names_stays_a_person():
    a = analyse(
        "Premiere\n\nDenzel Washington flew to Washington on Monday. In Washington, fans waited.",
        [("Denzel Washington", "PERSON"), ("Washington", "GPE"), ("Washington", "GPE")],
    )
    assert by_name(a)["Denzel Washington"][0].type == "person"
    # An organisation's name and a place: the organisation's unit there.
    a = analyse(
        "Units\n\nKestrel grew fast. Kestrel India hired 40 people in India.",
        [("Kestrel", "ORG"), ("Kestrel India", "PERSON"), ("India", "GPE")],
    )
    assert by_name(a)["Kestrel India"][0].type == "organization"


def test_a_possessive_inside_a_name_is_the_names_own_unless_its_possessor_stands_alone():
    a = analyse(
        "Rates\n\nThe People’s Bank of Kestrelia held rates, and analysts at Moody’s "
        "Investors Service and St Anne’s College agreed.",
        [
            ("People’s Bank of Kestrelia", "ORG"),
            ("Moody’s Investors Service", "ORG"),
            ("St Anne’s College", "ORG"),
        ],
    )
    assert [m.name for m in a.mentions] == [
        "People’s Bank of Kestrelia",
        "Moody’s Investors Service",
        "St Anne’s College",
    ]
    # The possessor named on its own, or a country: the model ran two names together.
    a = analyse(
        "Charity\n\nBinance grew. Binance’s Blockchain for Charity gave aid to Kenya’s Red Cross.",
        [("Binance", "ORG"), ("Binance’s Blockchain", "ORG"), ("Kenya’s Red Cross", "ORG")],
    )
    assert [m.name for m in a.mentions] == ["Binance", "Binance", "Kenya"]


def test_a_korean_or_cantonese_given_name_runs_through_its_hyphen():
    """The model often ends such a name at the hyphen (`Moon Jae` for `Moon Jae-in`)."""
    a = analyse(
        "Summit\n\nPresident Moon Jae-in met lawmaker Wong Yeung-tat. Obama-era rules and a "
        "Jane Hale-backed plan were discussed.",
        [
            ("Moon Jae", "PERSON"),
            ("Wong Yeung", "PERSON"),
            ("Obama", "PERSON"),
            ("Jane Hale", "PERSON"),
        ],
    )
    assert [m.name for m in a.mentions] == ["Moon Jae-in", "Wong Yeung-tat", "Obama", "Jane Hale"]


def test_the_town_of_a_dateline_joins_no_persons_name():
    a = analyse(
        "Award\n\nSYDNEY (Reuters) - Sydney Okoro won the award on Thursday. Okoro thanked "
        "her family.",
        [("SYDNEY", "GPE"), ("Reuters", "ORG"), ("Sydney Okoro", "PERSON"), ("Okoro", "PERSON")],
    )
    found = {(m.text, m.type, m.key) for m in a.mentions}
    assert ("SYDNEY", "place", "sydney") in found
    assert ("Sydney Okoro", "person", "sydney okoro") in found


def test_a_name_left_by_its_possessive_that_is_no_name_keeps_it():
    a = analyse(
        "Fees\n\nKing’s College London raised its fees, and Lloyd’s of London agreed. "
        "Amazon’s Jane Hale said Jane Hale would not comment.",
        [
            ("King’s College London", "ORG"),
            ("Lloyd’s of London", "ORG"),
            ("Amazon’s Jane Hale", "PERSON"),
            ("Jane Hale", "PERSON"),
        ],
    )
    assert [m.name for m in a.mentions] == [
        "King’s College London",
        "Lloyd’s of London",
        "Amazon",  # a person's name holds no possessive: the model ran two names together
        "Jane Hale",
    ]


def test_a_persons_name_runs_on_over_a_surnames_particle_the_model_stopped_at():
    a = analyse(
        "Managers\n\nErik ten Hag met Reema bint Bandar on Monday. How did Ana Ruiz do Monday?",
        [("Erik", "PERSON"), ("Reema", "PERSON"), ("Bandar", "PERSON"), ("Ana Ruiz", "PERSON")],
    )
    people = [m.name for m in a.mentions if m.type == "person"]
    assert people == ["Erik ten Hag", "Reema bint Bandar", "Ana Ruiz"]


def test_a_company_named_with_a_possessive_is_one_entity_across_articles():
    g = _graph(
        ("Results\n\nMcDonald’s Corp said sales rose.", [("McDonald’s Corp", "ORG")]),
        ("Shares\n\nMcDonald’s shares rose on Monday.", [("McDonald’s", "ORG")]),
    )
    orgs = [e for e in g.entities if e.type == "organization"]
    assert len(orgs) == 1 and orgs[0].article_count == 2
