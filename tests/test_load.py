"""Tests for newsents.load: finding files, decoding bytes, recognising article structure.

GUM (Wikinews, CC BY 2.5) phrases quoted here are attributed in tests/data/gum/ATTRIBUTION.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import sys
from pathlib import Path

import pytest

from newsents.errors import InputError
from newsents.load import decode, iter_input_files, parse_article, read_article, text_for_nlp
from newsents.models import LoadedArticle

TESTS = Path(__file__).resolve().parent
FOLDER = TESTS / "data" / "load" / "folder"
SEED = TESTS.parent / "seeds" / "000_34c81fb4a4f7305e.txt"
SHARED = Path(__file__).resolve().parents[2] / "shared"


def parse(text: str) -> LoadedArticle:
    return parse_article(text, path="inline.txt", article_id="0" * 16, encoding="utf-8")


def sections(loaded: LoadedArticle) -> list[tuple[str, str]]:
    return [(block.section, block.text) for block in loaded.blocks]


def assert_blocks_consistent(loaded: LoadedArticle) -> None:
    previous_end = 0
    for block in loaded.blocks:
        assert loaded.text[block.start : block.end] == block.text
        assert block.text and block.text == block.text.strip()
        assert block.start >= previous_end, "blocks overlap or are out of order"
        previous_end = block.end


# --- iter_input_files ------------------------------------------------------------------------


def test_folder_is_walked_sorted_skipping_dot_files_and_other_extensions(monkeypatch):
    monkeypatch.chdir(FOLDER.parent)
    assert list(iter_input_files(["folder"])) == [
        os.path.join("folder", "a.md"),
        os.path.join("folder", "b.txt"),
        os.path.join("folder", "sub.txt"),
        os.path.join("folder", "sub", "d.txt"),
    ]


def test_explicit_file_is_taken_whatever_its_extension_and_stdin_passes_through(monkeypatch):
    monkeypatch.chdir(FOLDER)
    assert list(iter_input_files(["notes.pdf", "-", ".hidden.txt"])) == [
        "notes.pdf",
        "-",
        ".hidden.txt",
    ]


def test_file_named_twice_is_yielded_once(monkeypatch):
    monkeypatch.chdir(FOLDER.parent)
    found = list(iter_input_files(["folder/b.txt", "folder"]))
    assert found.count("folder/b.txt") == 1
    assert len(found) == 4


def test_missing_path_raises_file_not_found_before_anything_is_yielded():
    with pytest.raises(InputError, match="no/such/file.txt"):
        iter_input_files([str(FOLDER), "no/such/file.txt"])


# --- read_article and decode -----------------------------------------------------------------


def test_article_id_is_the_sha256_prefix_of_the_raw_bytes():
    data = b"Title\n\nBody text.\n"
    loaded = read_article("x.txt", data)
    assert loaded.article.id == hashlib.sha256(data).hexdigest()[:16]
    assert loaded.article.path == "x.txt"


def test_read_article_reads_the_file_when_no_data_is_given(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"Title\n\nBody.\n")
    assert read_article(str(path)).article.title == "Title"


def test_dash_reads_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"From stdin\n\nBody.\n")))
    loaded = read_article("-")
    assert loaded.article.title == "From stdin"
    assert loaded.article.path == "-"


def test_utf8_bom_is_stripped_and_recorded():
    loaded = read_article("x.txt", b"\xef\xbb\xbfTitle\n\nBody.")
    assert loaded.article.encoding == "utf-8-sig"
    assert loaded.text.startswith("Title")
    assert loaded.article.title == "Title"


def test_utf16_with_bom_is_text_not_binary():
    data = "Caf\u00e9 news\n\nBody \u2019quoted\u2019.".encode("utf-16")  # BOM + UTF-16 LE
    assert data.startswith(b"\xff\xfe")
    loaded = read_article("x.txt", data)
    assert loaded.article.encoding == "utf-16"
    assert loaded.article.title == "Caf\u00e9 news"
    assert "\ufeff" not in loaded.text


def test_cp1252_bytes_decode_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="newsents.load"):
        text, encoding = decode(b"Price \xa35", "sport/199.txt")
    assert (text, encoding) == ("Price \u00a35", "cp1252")
    assert "sport/199.txt: not UTF-8; decoded as cp1252" in caplog.text


def test_utf8_is_decoded_without_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="newsents.load"):
        assert decode("\u00a35".encode(), "x") == ("\u00a35", "utf-8")
    assert caplog.text == ""


def test_non_western_legacy_text_uses_the_detected_encoding():
    text, encoding = decode("Привет, как дела? Это тест на русском языке.".encode("cp1251"), "x")
    assert text.startswith("Привет")
    assert encoding == "cp1251"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "file is empty"),
        (b"  \n\t\r\n  ", "no text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file (contains NUL bytes)"),
        (bytes(range(0x80, 0x100)) * 3, "cannot decode"),
    ],
    ids=["empty", "whitespace-only", "binary", "undecodable"],
)
def test_bad_content_raises_input_error_with_the_reason(data, reason):
    with pytest.raises(InputError) as caught:
        read_article("bad.txt", data)
    assert caught.value.path == "bad.txt"
    assert reason in caught.value.reason


def test_unreadable_path_raises_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_article(str(tmp_path))  # a folder


def test_crlf_and_cr_newlines_are_normalised_before_offsets():
    loaded = read_article("x.txt", b"Title\r\n\r\nFirst paragraph.\r\n\r\nSecond.\rThird.")
    assert "\r" not in loaded.text
    assert sections(loaded) == [
        ("title", "Title"),
        ("body", "First paragraph."),
        ("body", "Second.\nThird."),
    ]
    assert_blocks_consistent(loaded)


def test_typographic_quotes_are_kept():
    loaded = parse("\u201cQuoted\u201d title\n\nIt\u2019s here.")
    assert loaded.article.title == "\u201cQuoted\u201d title"


# --- title, paragraphs -----------------------------------------------------------------------


def test_title_is_the_first_line_and_paragraphs_split_on_blank_lines():
    loaded = parse("\n  A headline  \n\nOne line\nstill one paragraph.\n\nAnother.\n")
    assert loaded.article.title == "A headline"
    assert sections(loaded) == [
        ("title", "A headline"),
        ("body", "One line\nstill one paragraph."),
        ("body", "Another."),
    ]
    assert_blocks_consistent(loaded)


def test_without_blank_lines_each_line_is_a_paragraph():
    loaded = parse("Headline\nFirst line of text\nsecond line of text")
    assert sections(loaded) == [
        ("title", "Headline"),
        ("body", "First line of text"),
        ("body", "second line of text"),
    ]


def test_markdown_heading_mark_is_not_part_of_the_title():
    loaded = parse("# A heading\n\nBody.")
    assert loaded.article.title == "A heading"
    assert_blocks_consistent(loaded)


def test_absent_metadata_is_null_never_invented():
    loaded = parse("Just a headline\n\nA body paragraph about Paris on Tuesday, 1 March.")
    article = loaded.article
    assert article.title == "Just a headline"
    assert article.authors == []
    assert article.published is None
    assert article.updated is None
    assert article.reading_time_minutes is None
    assert article.dateline is None
    assert article.captions == []
    assert article.credits == []


# --- bylines ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("By Tim Alper", ["Tim Alper"]),
        ("Tim Alper", ["Tim Alper"]),
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("BY JANE DOE", []),
        ("by Mary-Jane O'Neil, BBC News", ["Mary-Jane O'Neil"]),
        ("Ludwig van Beethoven", ["Ludwig van Beethoven"]),
        ("By J. A. Smith & Al Jones", ["J. A. Smith", "Al Jones"]),
    ],
)
def test_byline_after_the_title(line, authors):
    loaded = parse(f"Markets fall on rate fears\n{line}\n\nShares fell sharply on Monday.")
    assert loaded.article.authors == authors
    if authors:
        assert ("byline", line) in sections(loaded)


@pytest.mark.parametrize(
    "line",
    [
        "LONDON 1996-08-30",  # a dateline
        "Markets Fall Again",  # repeats the title's words
        "Results of Danish league",  # lowercase words: a heading
        "Company Name Brightwater Lodging Inc",  # an organisation
        "Ewood Park",  # a place
        "Prices rose 3 percent.",  # a sentence
        "The Prime Minister",
    ],
)
def test_short_lines_that_are_not_names_are_not_bylines(line):
    loaded = parse(f"Markets fall on rate fears\n{line}\nShares fell sharply on Monday.")
    assert loaded.article.authors == []
    assert ("byline", line) not in sections(loaded)


def test_name_line_before_the_dateline_is_a_byline_but_not_after_it():
    loaded = parse("Rebels leave mountain pass.\nMarek Ostrowicz\nKHOROG, Tajikistan 2024-03-12")
    assert loaded.article.authors == ["Marek Ostrowicz"]
    loaded = parse("Rebels leave mountain pass.\nKHOROG, Tajikistan 2024-03-12\nMarek Ostrowicz")
    assert loaded.article.authors == []


def test_byline_is_only_looked_for_near_the_top():
    body = "\n\n".join(f"Paragraph number {n} of the story." for n in range(3))
    loaded = parse(f"Headline\n\n{body}\n\nJane Doe\n\nMore text.")
    assert loaded.article.authors == []


# --- dates and reading time ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "published", "updated"),
    [
        ("Friday, July 21, 2017", "2017-07-21", None),
        ("Published: 3 March 2020", "2020-03-03", None),
        ("Published: March 3, 2020 2:05 PM", "2020-03-03T14:05:00", None),
        ("Updated 3 March 2020 14:05", None, "2020-03-03T14:05:00"),
        ("Last updated: 2020-03-03T14:05:00Z", None, "2020-03-03T14:05:00+00:00"),
        ("Last updated:", None, None),
        ("Published: sometime last week", None, None),
        ("1996-08-30", "1996-08-30", None),
    ],
)
def test_date_lines_are_parsed_to_iso_8601(line, published, updated):
    loaded = parse(f"Headline\n{line}\n\nBody text of the story.")
    assert loaded.article.published == published
    assert loaded.article.updated == updated
    assert ("date", line) in sections(loaded)


def test_date_line_first_means_no_title():
    loaded = parse("Date: 2003-04-17\n\n\nFor once, it was a quiet week for the markets.")
    assert loaded.article.title is None
    assert loaded.article.published == "2003-04-17"
    assert sections(loaded) == [
        ("date", "Date: 2003-04-17"),
        ("body", "For once, it was a quiet week for the markets."),
    ]


@pytest.mark.parametrize(
    "first",
    [
        "LIMA (Reuters) - Port workers in Peru ended a strike on Monday, the union said.",
        "SAO PAULO, Dec 7 (Wire) - Brazil's central bank held its rate on Monday.",
    ],
)
def test_a_first_line_opening_with_an_agency_dateline_is_the_story_not_a_title(first):
    loaded = parse(f"{first}\n\nThe talks lasted a week.\n")
    assert loaded.article.title is None
    assert loaded.article.dateline == first.split(" (")[0].split(",")[0]
    assert sections(loaded)[0][0] == "dateline"
    assert sections(loaded)[2] == ("body", first.split(" - ", 1)[1])


def test_a_sports_headline_with_a_dash_stays_the_title():
    loaded = parse("RUGBY - WALES HOLD ON IN CARDIFF\n\nWales beat Samoa on Saturday.\n")
    assert loaded.article.title == "RUGBY - WALES HOLD ON IN CARDIFF"


def test_invalid_calendar_date_is_not_invented():
    loaded = parse("Headline\nPublished: 2017-02-30\n\nBody.")
    assert loaded.article.published is None


@pytest.mark.parametrize(
    ("line", "minutes"),
    [("2 min read", 2), ("5 minute read", 5), ("Reading time: 3 minutes", 3), ("4-min read", 4)],
)
def test_reading_time(line, minutes):
    loaded = parse(f"Headline\n{line}\n\nBody.")
    assert loaded.article.reading_time_minutes == minutes
    assert ("reading_time", line) in sections(loaded)


def test_pipe_separated_header_line_is_split_into_parts():
    loaded = parse("Headline\nTim Alper\nLast updated: | 2 min read\n\nBody.")
    assert loaded.article.updated is None
    assert loaded.article.reading_time_minutes == 2
    assert sections(loaded)[1:4] == [
        ("byline", "Tim Alper"),
        ("date", "Last updated:"),
        ("reading_time", "2 min read"),
    ]
    assert_blocks_consistent(loaded)


def test_paragraph_opening_with_the_date_is_split_into_date_and_body():
    loaded = parse("Headline\n\nMonday, March 9, 2026 On Sunday, the council voted.\n")
    assert loaded.article.published == "2026-03-09"
    assert sections(loaded)[1:] == [
        ("date", "Monday, March 9, 2026"),
        ("body", "On Sunday, the council voted."),
    ]


# --- datelines -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "place", "published"),
    [
        ("LONDON 1996-08-30", "LONDON", "1996-08-30"),
        ("KHOROG, Tajikistan 2024-03-12", "KHOROG, Tajikistan", "2024-03-12"),
        ("UNITED NATIONS 2023-11-02", "UNITED NATIONS", "2023-11-02"),
        ("KEENE, N.H. 2022-09-15", "KEENE, N.H.", "2022-09-15"),
    ],
)
def test_dateline_line(line, place, published):
    loaded = parse(f"ROWING - OXFORD CREW SET RECORD.\n{line}\nFarmers in the valley celebrated.")
    assert loaded.article.dateline == place
    assert loaded.article.published == published
    assert sections(loaded)[1] == ("dateline", line)


def test_place_line_followed_by_a_date_line():
    loaded = parse("Bakery chain expands.\nGRAND RAPIDS, Mich.\n2021-05-19\nSales grew.")
    assert loaded.article.dateline == "GRAND RAPIDS, Mich."
    assert loaded.article.published == "2021-05-19"
    assert sections(loaded)[1:3] == [
        ("dateline", "GRAND RAPIDS, Mich."),
        ("date", "2021-05-19"),
    ]


@pytest.mark.parametrize(
    ("paragraph", "place", "parts"),
    [
        (
            "WASHINGTON (Reuters) - The economy grew.",
            "WASHINGTON",
            [("dateline", "WASHINGTON"), ("credit", "(Reuters) -")],
        ),
        (
            "HOBART, Australia (AP)_ Ferry services resumed on time.",
            "HOBART, Australia",
            [("dateline", "HOBART, Australia"), ("credit", "(AP)_")],
        ),
        (
            "OSLO / HELSINKI (Reuters) - The ferry talks stalled.",
            "OSLO / HELSINKI",
            [("dateline", "OSLO / HELSINKI"), ("credit", "(Reuters) -")],
        ),
        (
            "OSLO/HELSINKI, May 3 (Reuters) - The ferry talks stalled.",
            "OSLO/HELSINKI",
            [("dateline", "OSLO/HELSINKI, May 3"), ("credit", "(Reuters) -")],
        ),
        ("(Bloomberg) -- Shares in Kestrel rose.", None, [("credit", "(Bloomberg) --")]),
    ],
)
def test_an_agencys_dateline_opening_the_first_paragraph_is_apart_from_the_story(
    paragraph, place, parts
):
    """Place, agency and the story apart, so what the dateline names is linked to nothing."""
    loaded = parse(f"Headline\n\n{paragraph}\n\nMore.")
    assert loaded.article.dateline == place
    assert loaded.article.published is None  # no year given: not invented
    assert loaded.article.credits == []  # an image's credits only
    found = sections(loaded)
    story = paragraph[len(" ".join(text for _, text in parts)) :].strip()
    assert found == [("title", "Headline"), *parts, ("body", story), ("body", "More.")]
    assert_blocks_consistent(loaded)


@pytest.mark.parametrize(
    ("paragraph", "place"),
    [
        ("LONDON, Aug 30 - Shares fell.", "LONDON"),
        ("CAMDEN, N.J. _ A harbour study was published.", "CAMDEN, N.J."),
        ("Porto, Portugal \u2014 The regatta began.", "Porto, Portugal"),
        ("US - EU trade fell by a tenth last year, the minister said.", "US"),
        ("NATO (the alliance) - members met on Monday.", "NATO"),
        ("KESTREL (KES.L) - Shares in Kestrel rose.", "KESTREL"),
    ],
)
def test_a_paragraph_opening_like_a_dateline_without_an_agency_stays_whole(paragraph, place):
    """Capitals and a dash open a sentence as often as a story (`US - EU trade fell`): without
    an agency in brackets the paragraph is the story's, its dateline only read."""
    loaded = parse(f"Headline\n\n{paragraph}\n\nMore.")
    assert loaded.article.dateline == place
    assert ("body", paragraph) in sections(loaded)


def test_dateline_is_only_taken_from_the_first_paragraph():
    loaded = parse("Headline\n\nThe story starts.\n\nLONDON - not a dateline here.")
    assert loaded.article.dateline is None


def test_a_photo_credit_line_before_the_first_paragraph_leaves_its_dateline_to_it():
    loaded = parse(
        "Ferry talks stall\n\nREUTERS / Ana Lindqvist / File Photo\n"
        "OSLO (Reuters) - The ferry talks stalled on Monday.\n"
    )
    assert loaded.article.dateline == "OSLO"
    # A line of prose comes first: the story has begun, and a later line has no dateline.
    loaded = parse("Ferry talks stall\n\nThe talks stalled.\nOSLO (Reuters) - Not here.\n")
    assert loaded.article.dateline is None
    # Prose wrapped short is no credit: a line of it that begins with capitals and a dash
    # is no dateline.
    loaded = parse("Trade\n\nThe talks went on\nfor a long time and\nUS - EU trade fell.\n")
    assert loaded.article.dateline is None


# --- captions and credits --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("Source: Adobe/AlekseyIvanov", "Adobe/AlekseyIvanov"),
        ("Image: United States Navy.", "United States Navy"),
        ("Photo: Reuters", "Reuters"),
        ("Credit: Jane Doe/AP", "Jane Doe/AP"),
        ("Picture: U.S. Navy", "U.S. Navy"),
        ("(Photo: Getty Images)", "Getty Images"),
    ],
)
def test_credit_line_and_the_caption_before_it(line, credit):
    loaded = parse(f"Headline\n\nFirst paragraph of body.\n\nbinance china\n{line}\n\nMore.")
    assert loaded.article.credits == [credit]
    assert loaded.article.captions == ["binance china"]
    assert ("credit", line) in sections(loaded)
    assert ("caption", "binance china") in sections(loaded)


@pytest.mark.parametrize(
    "credit",
    [
        "REUTERS/Ana Lindqvist/File Photo",
        "REUTERS / Flavio lo Bianco / Illustration",
        "(AP Photo/Tom Hale)",
        "Ana Lindqvist / Pool via REUTERS",
        "Tom Hale/AFP via Getty Images",
        "ANI / Reuters TV / via REUTERS",
        "Getty Images",
    ],
)
def test_an_agencys_photo_credit_makes_the_line_before_it_a_caption(credit):
    caption = (
        "Workers unload crates of frozen cod from a trawler at the harbour in Tromso, "
        "Norway, on a cold morning while gulls circle overhead and a crane swings a "
        "pallet of boxes onto a waiting lorry, March 3, 2020."
    )  # 37 words: longer than a caption before a labelled credit may be
    loaded = parse(f"{caption}\n{credit}\nOSLO (Reuters) - The ferry talks stalled.\n")
    assert loaded.article.title is None
    assert loaded.article.captions == [caption]
    assert loaded.article.credits == [credit.strip("()")]
    assert loaded.article.dateline == "OSLO"  # the story begins after the picture
    assert sections(loaded)[-3:] == [
        ("dateline", "OSLO"),
        ("credit", "(Reuters) -"),
        ("body", "The ferry talks stalled."),
    ]
    assert_blocks_consistent(loaded)


@pytest.mark.parametrize(
    "line",
    [
        "Pfizer / BioNTech",  # no agency
        "Reuters",  # an agency alone, one word: anything
        "EUR/USD",
        "Reuters / Ipsos poll shows a lead for the mayor.",  # a sentence
        "Reuters/Ipsos, a pollster, asked 1,000 voters",
    ],
)
def test_a_line_with_a_slash_or_an_agency_alone_is_no_photo_credit(line):
    loaded = parse(f"Headline\n\nThe first paragraph.\n\nA short line here\n{line}\n")
    assert loaded.article.credits == []
    assert loaded.article.captions == []


def test_a_wire_caption_label_makes_a_caption_wherever_it_is():
    first = "FILE PHOTO: A trawler unloads cod in Tromso, Norway, March 3, 2020."
    later = "FILE - Gulls circle over the harbour in Tromso, Norway, on March 3, 2020."
    loaded = parse(f"{first}\nOSLO (Reuters) - The talks stalled.\nThey resume.\n{later}\n")
    assert loaded.article.title is None
    assert loaded.article.captions == [first, later]
    assert loaded.article.dateline == "OSLO"


def test_a_first_paragraph_opened_by_the_agency_alone_is_no_title():
    paragraph = "(Reuters) - Shares in Kestrel Dynamics rose on Monday after the deal."
    loaded = parse(f"{paragraph}\nThe deal closes in May.\n")
    assert loaded.article.title is None
    assert loaded.article.dateline is None
    assert sections(loaded)[:2] == [("credit", "(Reuters) -"), ("body", paragraph[12:])]
    # A headline in brackets without the dash stays a headline.
    assert parse("(Updated) Ferry talks stall\n\nBody.").article.title == (
        "(Updated) Ferry talks stall"
    )


@pytest.mark.parametrize("credit", ["REUTERS / Ana Lindqvist / File Photo", "Getty Images"])
def test_a_headline_above_a_bare_photo_credit_stays_the_title(credit):
    loaded = parse(f"Ferry talks stall\n\n{credit}\nOSLO (Reuters) - The talks stalled.\n")
    assert loaded.article.title == "Ferry talks stall"
    assert loaded.article.credits == [credit]
    assert loaded.article.captions == []
    assert loaded.article.authors == []  # `Getty Images` is no byline
    assert loaded.article.dateline == "OSLO"


def test_a_byline_above_a_photo_credit_stays_a_byline():
    loaded = parse("Talks stall\n\nBy Ana Ruiz\n\nREUTERS / Tom Hale\n\nOSLO (Reuters) - Talks.\n")
    assert loaded.article.authors == ["Ana Ruiz"]
    assert loaded.article.captions == []


def test_the_last_paragraph_above_a_credit_at_the_end_stays_body():
    last = (
        "The union said it would meet again on Friday to discuss the offer, which both sides "
        "described as a step forward despite the stalled talks."
    )  # 24 words and no picture's date: no caption
    loaded = parse(
        f"Talks stall\n\nOSLO (Reuters) - Talks stalled.\n\n{last}\n\nREUTERS/Tom Hale\n"
    )
    assert ("body", last) in sections(loaded)
    assert loaded.article.captions == []


def test_a_sentence_ending_via_an_agency_is_no_credit():
    lead = "OSLO (Reuters) - The ferry talks stalled on Monday, the union said."
    loaded = parse(f"Talks stall\n\n{lead}\n\nFull statement obtained via Reuters\n\nMore.\n")
    assert loaded.article.credits == []
    assert ("body", "Full statement obtained via Reuters") in sections(loaded)


@pytest.mark.parametrize(
    ("caption", "story", "place"),
    [
        (
            "Rail workers leave a depot in Leeds on Monday.",
            "LEEDS — Rail workers ended their strike on Monday.",
            "LEEDS",
        ),
        (  # a picture agency's caption opens with where and when, as a dateline does
            "LEEDS, ENGLAND - MAY 28: Rail workers leave a depot in Leeds, England.",
            "OSLO (Reuters) - The ferry talks stalled.",
            "OSLO",
        ),
        (  # past 20 words too
            "LEEDS, ENGLAND - MAY 28: Rail workers carrying banners and flags leave a depot "
            "in Leeds, England, on the first morning of a strike over pay that has closed "
            "most lines.",
            "OSLO (Reuters) - The ferry talks stalled.",
            "OSLO",
        ),
    ],
)
def test_the_dateline_after_a_picture_is_the_storys(caption, story, place):
    loaded = parse(f"Strike ends\n\n{caption}\nPA Images\n\n{story}\n")
    assert loaded.article.captions == [caption]
    assert loaded.article.dateline == place


def test_an_ap_credit_with_a_note_after_a_comma_and_what_the_model_is_shown_of_it():
    credit = "(AP Photo/Tom Hale, File)"
    loaded = parse(
        f"Fares fall\n\nA ferry leaves Oslo on Monday.\n{credit}\n\nOSLO (AP) — Fares fell.\n"
    )
    assert loaded.article.credits == ["AP Photo/Tom Hale, File"]
    assert loaded.article.captions == ["A ferry leaves Oslo on Monday."]
    assert loaded.article.dateline == "OSLO"
    # The model sees the agency and the photographer, not `AP Photo`, which it takes for a name.
    assert "(AP      /Tom Hale,     )" in text_for_nlp(loaded)


def test_a_bloomberg_opener_with_a_double_dash_is_no_title():
    loaded = parse("(Bloomberg) -- Shares in Kestrel rose on Monday.\n\nAnalysts said more.\n")
    assert loaded.article.title is None


def test_a_stated_title_above_a_photo_credit_is_never_a_caption():
    from newsents.load.compose import Stated, compose

    loaded = compose(
        Stated(title="Rates held.", text="REUTERS/Tom Hale\nOSLO (Reuters) - Rates held.\n"),
        path="r.json",
        article_id="0" * 16,
        encoding="utf-8",
        format="json",
    )
    assert loaded.article.title == "Rates held."
    assert loaded.article.captions == []


@pytest.mark.parametrize(
    ("line", "caption", "credit"),
    [
        (
            "FILE PHOTO: A trawler leaves Tromso, March 4, 2023. REUTERS/Ana Lindqvist/File Photo",
            "FILE PHOTO: A trawler leaves Tromso, March 4, 2023.",
            "REUTERS/Ana Lindqvist/File Photo",
        ),
        (
            "The mayor speaks in Tromso, Norway. Tom Hale/Getty Images",
            "The mayor speaks in Tromso, Norway.",
            "Tom Hale/Getty Images",
        ),
        (
            "Ferries wait in Tromso, Aug. 11, 2023. (AP Photo/J. Ruiz Lind, File)",
            "Ferries wait in Tromso, Aug. 11, 2023.",
            "AP Photo/J. Ruiz Lind, File",
        ),
    ],
)
def test_an_agencys_credit_after_a_caption_on_its_line_is_split_off(line, caption, credit):
    loaded = parse(f"Fares fall\n\n{line}\n\nOSLO (Reuters) - Ferry fares fell on Monday.\n")
    assert loaded.article.title == "Fares fall"
    assert loaded.article.captions == [caption]
    assert loaded.article.credits == [credit]
    assert loaded.article.dateline == "OSLO"
    assert_blocks_consistent(loaded)
    # The model is not shown the wire's caption label, which it took for a name.
    assert "FILE PHOTO" not in text_for_nlp(loaded)


def test_caption_ending_with_an_image_credit_is_split():
    caption = "The first FIRST Global robotics competition was held this week in Washington D.C."
    loaded = parse(
        f"Headline\n\nFriday, July 21, 2017\n\nBody.\n\n{caption} Image: United States Navy."
    )
    assert loaded.article.captions == [caption]
    assert loaded.article.credits == ["United States Navy"]
    assert sections(loaded)[-2:] == [
        ("caption", caption),
        ("credit", "Image: United States Navy."),
    ]
    assert_blocks_consistent(loaded)


def test_last_line_of_a_long_paragraph_before_a_credit_stays_body():
    loaded = parse("Headline\n\nBody.\n\nA longer paragraph\nends here\nSource: Reuters\n")
    assert loaded.article.captions == []
    assert loaded.article.credits == ["Reuters"]


def test_source_mid_sentence_is_not_a_credit():
    loaded = parse("Headline\n\nThe figures came from one Source: the ministry said it.")
    assert loaded.article.credits == []


# --- a wire sign-off ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_line", "body", "signoff"),
    [
        (
            "Talks resume on Monday. (Reporting by Ana Ruiz in Lima; Editing by Tom Hale)",
            "Talks resume on Monday.",
            "(Reporting by Ana Ruiz in Lima; Editing by Tom Hale)",
        ),
        (
            "($1 = 3.71 soles) (Reporting by Ana Ruiz and Carl Berg; additional reporting by "
            "Bo Li in Beijing; writing by Mia Cole; editing by Tom Hale and Ed Park)",
            "($1 = 3.71 soles)",
            "(Reporting by Ana Ruiz and Carl Berg; additional reporting by Bo Li in Beijing; "
            "writing by Mia Cole; editing by Tom Hale and Ed Park)",
        ),
        (
            "Reporting by Ana Ruiz; Editing by Tom Hale",
            None,
            "Reporting by Ana Ruiz; Editing by Tom Hale",
        ),
    ],
)
def test_a_wire_sign_off_is_its_own_section(last_line, body, signoff):
    loaded = parse(f"Port talks stall\n\nAna Ruiz said the port would stay shut.\n\n{last_line}\n")
    assert sections(loaded)[-1] == ("signoff", signoff)
    if body is not None:
        assert sections(loaded)[-2] == ("body", body)
    assert_blocks_consistent(loaded)


def test_who_reported_and_wrote_a_story_are_its_authors_when_no_byline_names_them():
    story = (
        "Port talks stall\n\nAna Ruiz said the port would stay shut.\n\n"
        "(Reporting by Ana Ruiz in Lima and Carl Berg; additional reporting by Bo Li in "
        "Beijing; writing by Mia Cole; editing by Tom Hale and Ed Park)\n"
    )
    assert parse(story).article.authors == ["Ana Ruiz", "Carl Berg", "Bo Li", "Mia Cole"]
    bylined = story.replace("\n\nAna Ruiz said", "\nBy Lucia Mora\n\nAna Ruiz said")
    assert parse(bylined).article.authors == ["Lucia Mora"]
    for signoff, authors in [
        ("(Reporting by Marco Aquino in Lima, Peru and Ana Ruiz in London and Paris)", None),
        ("(Writing by Tom Hale, Editing by Lea Ott)", ["Tom Hale"]),
        ("(REPORTING BY TOM HALE; EDITING BY LEA OTT)", ["TOM HALE"]),
    ]:
        wire = story.replace(story.splitlines()[-1], signoff)
        assert parse(wire).article.authors == (authors or ["Marco Aquino", "Ana Ruiz"])


def test_a_sign_off_before_a_credit_line_stays_a_sign_off():
    loaded = parse(
        "Port talks stall\n\nAna Ruiz said the port would stay shut.\n\n"
        "Talks resume in Lima. (Reporting by Ana Ruiz)\nSource: Wire\n\nMore about Chile.\n"
    )
    assert_blocks_consistent(loaded)
    assert sections(loaded)[2:5] == [
        ("body", "Talks resume in Lima."),
        ("signoff", "(Reporting by Ana Ruiz)"),
        ("credit", "Source: Wire"),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Reporting by the agency showed that the port lost money.",
        "Reporting by local papers was wrong, she said (Editing by hand is slow)",
        "The port was shut (reporting by the harbour master, who was there).",
        "Edited by Tom Hale, the report runs to ninety pages and names every ship.",
    ],
)
def test_prose_that_begins_like_a_sign_off_stays_body(line):
    loaded = parse(f"Port talks stall\n\nFirst paragraph.\n\n{line}\n")
    assert sections(loaded)[-1] == ("body", line)


# --- the seed article ------------------------------------------------------------------------


def test_seed_article():
    loaded = read_article(str(SEED))
    article = loaded.article
    assert (
        article.title
        == "Binance China\u2019s Presence \u2018Grows\u2019 as Unit Joins UN Sustainability Drive"
    )
    assert article.authors == ["Tim Alper"]
    assert article.updated is None
    assert article.published is None
    assert article.reading_time_minutes == 2
    assert article.credits == ["Adobe/AlekseyIvanov"]
    assert article.captions == ["binance china"]
    assert article.encoding == "utf-8"
    body = [block.text for block in loaded.blocks if block.section == "body"]
    assert not any("Adobe/AlekseyIvanov" in text for text in body)
    assert not any("Tim Alper" in text for text in body)
    assert_blocks_consistent(loaded)


# --- the shared corpora ----------------------------------------------------------------------

CORPORA = {
    "gum": ("eval/gum-news-txt", 24),
    "conll": ("eval/conll2003-dev-txt", 216),
    "tbaq": ("eval/tbaq-txt", 255),
    "bbc": ("corpora/bbc", 2225),
}


def load_corpus(name: str) -> list[LoadedArticle]:
    folder, count = CORPORA[name]
    if not (SHARED / folder).is_dir():
        pytest.skip(f"{SHARED / folder} is absent")
    loaded = [read_article(path) for path in iter_input_files([str(SHARED / folder)])]
    assert len(loaded) == count
    return loaded


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_every_corpus_file_loads_with_exact_non_overlapping_blocks(name):
    for loaded in load_corpus(name):
        assert loaded.blocks, loaded.article.path
        assert_blocks_consistent(loaded)


def test_gum_has_title_date_captions_and_credits():
    articles = [loaded.article for loaded in load_corpus("gum")]
    assert all(article.title and article.published for article in articles)
    afghan = next(a for a in articles if a.path.endswith("GUM_news_afghan.txt"))
    assert afghan.published == "2017-07-21"
    assert afghan.credits == ["United States Navy"]
    assert afghan.captions == [
        "The first FIRST Global robotics competition was held this week in Washington D.C."
    ]
    assert sum(len(article.credits) for article in articles) >= 20
    assert not any(article.authors for article in articles)


def test_tbaq_has_no_title_and_the_date_line_as_published():
    articles = [loaded.article for loaded in load_corpus("tbaq")]
    assert all(article.title is None for article in articles)
    assert all(article.published for article in articles)
    first = next(a for a in articles if a.path.endswith("ABC19980108.1830.0711.txt"))
    assert first.published == "1998-01-08"


def _first_lines(path: str, count: int) -> list[str]:
    with open(path, encoding="utf-8") as handle:
        return [handle.readline().strip() for _ in range(count)]


def test_conll_has_title_dateline_and_bylines():
    # Expected values are read from the files: no CoNLL text is copied into the repository.
    by_name = {Path(la.article.path).name: la for la in load_corpus("conll")}
    first = by_name["dev-0001.txt"].article
    title, dateline = _first_lines(first.path, 2)  # headline, `PLACE YYYY-MM-DD`
    place, date = dateline.rsplit(" ", 1)
    assert first.title == title
    assert (first.dateline, first.published, first.authors) == (place, date, [])
    bylined = by_name["dev-0050.txt"].article
    _, byline, dateline = _first_lines(bylined.path, 3)  # headline, byline, dateline
    assert len(byline.split()) == 2
    assert bylined.authors == [byline]
    assert bylined.dateline == dateline.rsplit(" ", 1)[0]
    assert all(loaded.article.title for loaded in by_name.values())
    assert all(len(a.split()) == 2 for la in by_name.values() for a in la.article.authors)


def test_bbc_has_titles_and_body_and_the_latin1_file_decodes_its_pound_sign():
    loaded = load_corpus("bbc")
    assert all(la.article.title and la.blocks[0].section == "title" for la in loaded)
    assert not any(la.article.authors for la in loaded)
    latin1 = next(la for la in loaded if la.article.path.endswith(os.path.join("sport", "199.txt")))
    assert latin1.article.encoding == "cp1252"
    assert "\u00a315.8m" in latin1.text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read_as_text_with_a_warning(encoding, caplog):
    text = "Caf\u00e9 owners meet\n\nThe owners of \u0141\u00f3d\u017a caf\u00e9s met on Monday."
    with caplog.at_level(logging.WARNING, logger="newsents.load"):
        loaded = read_article("notes.txt", text.encode(encoding))
    assert loaded.text == text
    assert loaded.article.encoding == encoding
    assert "notes.txt: UTF-16 without a byte order mark" in caplog.text


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 4,  # every byte value
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(200),  # a zip header and zero padding
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
    ],
)
def test_binary_data_with_nul_bytes_is_still_binary(data):
    with pytest.raises(InputError, match="binary"):
        read_article("blob.txt", data)


def test_the_loader_package_exports_its_functions_not_its_modules():
    import newsents.load
    import newsents.load.records  # noqa: F401  (loads the `decode` submodule too)

    assert callable(newsents.load.decode) and callable(newsents.load.read_source)
    assert newsents.load.decode(b"caf\xc3\xa9", "x.txt")[0] == "café"
    assert {"decode", "read_source", "ReadOptions"} <= set(dir(newsents.load))


def test_a_first_line_longer_than_any_headline_that_ends_as_a_sentence_is_the_story():
    lead = (
        "Shares in Kestrel Dynamics rose 5% on Monday after the company said it would sell "
        "its ferry unit to a rival for 40 million pounds, analysts in London said."
    )  # 28 words
    loaded = parse(f"{lead}\n\nThe deal closes in May.\n")
    assert loaded.article.title is None
    assert sections(loaded)[0] == ("body", lead)
    # A headline may be a sentence, and a long one need not end as a sentence does.
    for headline in (
        "Will the ferry strike end before the summer holidays begin?",
        "Ferry firms, unions, ministers, councils, port owners, hauliers, fishermen, "
        "tourist boards and passengers all say the talks on routes, fares, wages, timetables, "
        "safety and subsidies must go on",
    ):
        assert parse(f"{headline}\n\nThe talks went on.\n").article.title == headline
