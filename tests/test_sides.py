"""When a place's name stands for its team: the sport of a report and the cues around a name."""

from __future__ import annotations

import pytest

from newsents.sides import (
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
        ("CRICKET - ENGLAND BEAT PAKISTAN.", "cricket"),
        ("SOCCER - FRANCE BEAT MEXICO 2-0.", "football"),
        ("Wales win in the rugby union Six Nations", "rugby"),
        ("RUGBY LEAGUE - WIGAN BEAT BRADFORD.", "rugby league"),
        ("TENNIS - SPAIN, U.S. TEAMS OPEN ON ROAD.", None),  # players, not sides
        ("France expels African, unions protest.", None),
    ],
)
def test_the_sport_of_a_report_is_the_first_one_its_opening_names(opening, sport):
    assert team_sport(f"{opening}\nPARIS 1996-08-30\nText.") == sport


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
        ("England beat Pakistan by 107 runs.", "England"),
        ("England beat Pakistan by 107 runs.", "Pakistan"),
        ("Scores: England 292-8 innings closed.", "England"),
        ("a series against England in May", "England"),
        ("CHICAGO AT BOSTON", "CHICAGO"),
        ("the new England captain on Friday", "England"),
        ("Teams:\nAustria: Michael Konsel, Markus Schopp", "Austria"),
        ("Teams:\nFrance - 1 - Bernard Lama", "France"),
    ],
)
def test_a_name_that_plays_a_match_or_holds_a_team_role_is_a_side(text, name):
    assert plays_as_side(text, *_at(text, name))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("the 1998 finals in France.", "France"),
        ("Germany could win the cup.", "Germany"),
        ("Rain fell on Scotland in 1996.", "Scotland"),
    ],
)
def test_a_name_without_a_match_cue_is_no_side(text, name):
    assert not plays_as_side(text, *_at(text, name))


@pytest.mark.parametrize(
    ("text", "name", "people"),
    [
        ("Guy Forget (France) beat Felix Mantilla.", "France", set()),
        ("the 1998 finals in France.", "France", set()),
        ("beat Peter Nicol of Scotland 15-10", "Scotland", set()),
        ("Mexico's Manuel Medina was retired", "Mexico", {9}),
        ("Britain's popular boxer Frank Bruno quit", "Britain", {24}),
        ("over Lockerbie, Scotland.", "Scotland", set()),
    ],
)
def test_the_text_can_say_a_mention_is_the_place_itself(text, name, people):
    assert names_the_place(text, *_at(text, name), in_dateline=False, person_starts=people)


def test_a_dateline_always_names_the_place():
    text = "BIRMINGHAM, England 1996-08-31"
    assert names_the_place(text, *_at(text, "England"), in_dateline=True, person_starts=set())


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("England beat Pakistan by 107 runs.", "England"),
        ("England's opening World Cup qualifier", "England"),  # no person after the 's
        ("Scores: England 292-8, Pakistan 185 (Ijaz Ahmed 79)", "Pakistan"),
    ],
)
def test_a_side_in_a_result_is_not_read_as_the_place(text, name):
    assert not names_the_place(text, *_at(text, name), in_dateline=False, person_starts=set())


def test_a_side_is_named_with_its_sport():
    assert side_name("England", "cricket") == "England (cricket team)"


TENNIS_RESULTS = (
    "TENNIS - RESULTS AT THE U.S. OPEN.\nNEW YORK 1996-08-31\n"
    "Women's singles, third round 1 - Marta Ilvesky (Estonia) beat Dana Korvath (Slovakia) 6-4 "
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
        ),  # a club in brackets: `Red Star (Yugoslavia)`
        TENNIS_RESULTS.replace("TENNIS - ", ""),  # not a sports report
        "GOLF - SCORES.\n\nMarta Ilvesky (Sunday) and Jack Lee (Inc) led.",  # no country inside
    ],
)
def test_no_players_from_brackets_outside_individual_sports_or_without_a_country(text):
    assert players_with_nationality(text) == []


STANDINGS = (
    "SOCCER - ENGLISH LEAGUE STANDINGS.\nLONDON 1996-08-31\nDivision one\n"
    "Stoke 4 3 1 0 7 4 10\nQueens Park Rangers 3 2 1 0 5 3 7\n"
    "Results:\nGreenock Morton 1 Falkirk 0\nQueen of South 2 St Mirren 1\n"
    "Postponed: East Fife v Clydebank, St Johnstone v Ayr.\n"
    "BASEBALL TABLE\nNEW YORK 74 59 .556 -\n"
)


def test_the_sides_of_standings_and_result_lines_in_a_team_sport():
    found = [STANDINGS[s:e] for s, e in sides_in_tables(STANDINGS)]
    assert found == [
        "Stoke",
        "Queens Park Rangers",
        "Greenock Morton",
        "Falkirk",
        "Queen of South",
        "St Mirren",
        "East Fife",
        "Clydebank",
        "NEW YORK",
    ]


@pytest.mark.parametrize(
    "text",
    [
        STANDINGS.replace("SOCCER", "GOLF"),  # no sides in an individual sport
        "MARKETS - INDICES.\nLONDON 1996-08-31\nDow Jones 5616 31 44\nNikkei 20 166 19\n",
    ],
)
def test_no_table_sides_outside_team_sports(text):
    assert sides_in_tables(text) == []


RUGBY_REPORT = (
    "RUGBY UNION - SOUTH AFRICA BEAT NEW ZEALAND.\nJOHANNESBURG 1996-08-31\n"
    "South Africa beat New Zealand 32-22 on Saturday.\n"
    "South Africa - 15 - Andre Joubert, 14 - Justin Swart, 9 - Joost van der Westhuizen\n"
    "Scorers: Joel Stransky (48th minute), Henry Honiball (61st)\n"
    "Score 3 - Wales won.\n"
)
CRICKET_CARD = (
    "CRICKET - SCOREBOARD.\nCOLOMBO 1996-08-30\n"
    "S. Law c Tillekeratne b Dharmasena 13\nR. Ponting not out 46\n"
    "A.de Silva lbw b Fleming 8\nBowling: Vass 7-0-29-0, de Silva 4-0-25-0\n"
)


@pytest.mark.parametrize(
    ("text", "people"),
    [
        (
            RUGBY_REPORT,
            [
                "Andre Joubert",
                "Justin Swart",
                "Joost van der Westhuizen",
                "Joel Stransky",
                "Henry Honiball",
            ],
        ),
        (
            CRICKET_CARD,
            ["S. Law", "Tillekeratne", "Dharmasena", "R. Ponting", "A.de Silva", "Fleming"]
            + ["Vass", "de Silva"],
        ),
    ],
)
def test_line_ups_scorers_and_scorecards_name_players(text, people):
    assert [text[s:e] for s, e in players_in_line_ups(text)] == people


def test_no_line_up_players_outside_team_sports():
    assert players_in_line_ups(RUGBY_REPORT.replace("RUGBY UNION", "POLITICS")) == []
