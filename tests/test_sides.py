"""When a place's name stands for its team: the sport of a report and the cues around a name."""

from __future__ import annotations

import pytest

from newsents.resolve.sports import (
    names_the_place,
    players_in_line_ups,
    players_with_nationality,
    plays_as_side,
    side_name,
    sides_in_tables,
    team_sport,
)


@pytest.mark.parametrize(
    ("opening", "sport"),
    [
        ("CRICKET - INDIA BEAT BANGLADESH.", "cricket"),
        ("SOCCER - GHANA HOLD NIGERIA 1-1.", "football"),
        ("Wales win in the rugby union Six Nations", "rugby"),
        ("RUGBY LEAGUE - LEEDS EDGE PAST HULL.", "rugby league"),
        ("TENNIS - JAPAN, CANADA SQUADS NAMED FOR FINALS.", None),  # players, not sides
        ("Spain freezes wages, unions plan strike.", None),
    ],
)
def test_the_sport_of_a_report_is_the_first_one_its_opening_names(opening, sport):
    assert team_sport(f"{opening}\nPARIS 2024-04-12\nText.") == sport


def test_a_sport_named_only_deep_in_a_story_does_not_make_it_a_sports_report():
    text = "Budget agreed.\n\n" + "The minister spoke. " * 30 + "He likes football."
    assert team_sport(text) is None


def _at(text: str, name: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    return start, start + len(name)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Kenya beat Uganda by 38 runs.", "Kenya"),
        ("Kenya beat Uganda by 38 runs.", "Uganda"),
        ("Scores: Ireland 241-6 innings closed.", "Ireland"),
        ("a series against England in May", "England"),
        ("DENVER AT SEATTLE", "DENVER"),
        ("the new Scotland captain on Tuesday", "Scotland"),
        ("Teams:\nAustria: Lukas Brandauer, Felix Grasbock", "Austria"),
        ("Teams:\nBelgium - 1 - Jonas Verbeeck", "Belgium"),
    ],
)
def test_a_name_that_plays_a_match_or_holds_a_team_role_is_a_side(text, name):
    assert plays_as_side(text, *_at(text, name))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("the 2031 finals in Portugal.", "Portugal"),
        ("Germany could win the cup.", "Germany"),
        ("Rain fell on Scotland in 1996.", "Scotland"),
    ],
)
def test_a_name_without_a_match_cue_is_no_side(text, name):
    assert not plays_as_side(text, *_at(text, name))


@pytest.mark.parametrize(
    ("text", "name", "people"),
    [
        ("Hugo Lemaire (France) beat Tomas Ferrando.", "France", set()),
        ("the 2031 finals in Portugal.", "Portugal", set()),
        ("beat Ewan Kilbride of Scotland 15-11", "Scotland", set()),
        ("Brazil's Caio Moreira was injured", "Brazil", {9}),
        ("Britain's veteran jockey Alfie Redmayne quit", "Britain", {25}),
        ("a storm over Dunoon, Scotland.", "Scotland", set()),
    ],
)
def test_the_text_can_say_a_mention_is_the_place_itself(text, name, people):
    assert names_the_place(text, *_at(text, name), in_dateline=False, person_starts=people)


def test_a_dateline_always_names_the_place():
    text = "BRISTOL, England 2024-06-14"
    assert names_the_place(text, *_at(text, "England"), in_dateline=True, person_starts=set())


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Kenya beat Uganda by 38 runs.", "Kenya"),
        ("Ireland's opening Six Nations match", "Ireland"),  # no person after the 's
        ("Scores: Ireland 241-6, Kenya 203 (Daniel Mwangi 64)", "Kenya"),
    ],
)
def test_a_side_in_a_result_is_not_read_as_the_place(text, name):
    assert not names_the_place(text, *_at(text, name), in_dateline=False, person_starts=set())


def test_a_side_is_named_with_its_sport():
    assert side_name("England", "cricket") == "England (cricket team)"


TENNIS_RESULTS = (
    "TENNIS - RESULTS AT THE LAKESIDE OPEN.\nGENEVA 2024-05-02\n"
    "Women's singles, quarter-finals 1 - Marta Ilvesky (Estonia) beat Dana Korvath (Slovakia) 6-4 "
    "6-2 Lena Brandt (Austria) beat T. Oakes (U.S.) 6-3 6-3\n"
)


def test_results_of_an_individual_sport_name_players_with_their_country():
    found = [TENNIS_RESULTS[s:e] for s, e in players_with_nationality(TENNIS_RESULTS)]
    assert found == ["Marta Ilvesky", "Dana Korvath", "Lena Brandt", "T. Oakes"]


@pytest.mark.parametrize(
    "text",
    [
        TENNIS_RESULTS.replace(
            "TENNIS", "BASKETBALL"
        ),  # a club in brackets: `Riverside Stars (Latvia)`
        TENNIS_RESULTS.replace("TENNIS - ", ""),  # not a sports report
        "GOLF - SCORES.\n\nMarta Ilvesky (Sunday) and Jack Lee (Inc) led.",  # no country inside
    ],
)
def test_no_players_from_brackets_outside_individual_sports_or_without_a_country(text):
    assert players_with_nationality(text) == []


STANDINGS = (
    "SOCCER - NORTHERN LEAGUE TABLE.\nMANCHESTER 2024-10-06\nPremier division\n"
    "Ashford 5 4 1 0 11 3 13\nWest Bromley Rovers 5 3 1 1 9 6 10\n"
    "Results:\nHarlow Town 2 Lydford 1\nHeart of Fenwick 3 St Aldhelm 0\n"
    "Postponed: North Camden v Dunmore, St Keverne v Ripon.\n"
    "BASEBALL TABLE\nDETROIT 61 48 .560 -\n"
)


def test_the_sides_of_standings_and_result_lines_in_a_team_sport():
    found = [STANDINGS[s:e] for s, e in sides_in_tables(STANDINGS)]
    assert found == [
        "Ashford",
        "West Bromley Rovers",
        "Harlow Town",
        "Lydford",
        "Heart of Fenwick",
        "St Aldhelm",
        "North Camden",
        "Dunmore",
        "DETROIT",
    ]


@pytest.mark.parametrize(
    "text",
    [
        STANDINGS.replace("SOCCER", "GOLF"),  # no sides in an individual sport
        "MARKETS - INDICES.\nTOKYO 2024-03-08\nDow Jones 38722 64 12\nNikkei 40 109 88\n",
    ],
)
def test_no_table_sides_outside_team_sports(text):
    assert sides_in_tables(text) == []


RUGBY_REPORT = (
    "RUGBY UNION - SPRINGBOKS HOLD OFF ARGENTINA.\nDURBAN 2024-08-17\n"
    "South Africa beat Argentina 29-24 on Saturday.\n"
    "South Africa - 15 - Thabo Mokoena, 14 - Ruan Steenkamp, 9 - Jaco van der Linde\n"
    "Scorers: Wian de Klerk (35th minute), Sipho Ndlovu (70th)\n"
    "Score 3 - Wales won.\n"
)
CRICKET_CARD = (
    "CRICKET - SCOREBOARD.\nMATARA 2024-02-11\n"
    "D. Harrowby c Weerasekara b Mendaki 27\nK. Ashworth not out 58\n"
    "M.de Lanerolle lbw b Pardoe 4\nBowling: Gunatilleke 8-1-33-2, de Lanerolle 5-0-21-1\n"
)


@pytest.mark.parametrize(
    ("text", "people"),
    [
        (
            RUGBY_REPORT,
            [
                "Thabo Mokoena",
                "Ruan Steenkamp",
                "Jaco van der Linde",
                "Wian de Klerk",
                "Sipho Ndlovu",
            ],
        ),
        (
            CRICKET_CARD,
            ["D. Harrowby", "Weerasekara", "Mendaki", "K. Ashworth", "M.de Lanerolle", "Pardoe"]
            + ["Gunatilleke", "de Lanerolle"],
        ),
    ],
)
def test_line_ups_scorers_and_scorecards_name_players(text, people):
    assert [text[s:e] for s, e in players_in_line_ups(text)] == people


def test_no_line_up_players_outside_team_sports():
    assert players_in_line_ups(RUGBY_REPORT.replace("RUGBY UNION", "POLITICS")) == []
