"""Input formats (issue 11): pages, dumps, spreadsheets, feeds, web archives, URLs, front matter.

The fixtures in tests/data/input are written for these tests (invented places, people and
news); the WARC file and the web server are made by the tests themselves.
"""

from __future__ import annotations

import gzip
import http.server
import io
import json
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA, SHARED

from newsents.cli import cli
from newsents.errors import InputError
from newsents.load import ReadOptions, read_source
from newsents.models import LoadedArticle

INPUT = DATA / "input"


def _read(path: Path | str, **options) -> list[tuple[str, LoadedArticle | InputError]]:
    return list(read_source(str(path), ReadOptions(**options)))


def _articles(path: Path | str, **options) -> dict[str, LoadedArticle]:
    return {p: item for p, item in _read(path, **options) if isinstance(item, LoadedArticle)}


def _errors(path: Path | str, **options) -> dict[str, str]:
    return {p: item.reason for p, item in _read(path, **options) if isinstance(item, InputError)}


def _assert_exact_blocks(loaded: LoadedArticle) -> None:
    for block in loaded.blocks:
        assert loaded.text[block.start : block.end] == block.text


def _extract(tmp_path, *args: str, input: bytes | None = None):
    result = CliRunner().invoke(
        cli, ["extract", *args, "--db", str(tmp_path / "news.db")], input=input
    )
    graph = json.loads(result.stdout) if result.stdout.strip() else None
    return result, graph


# -- saved pages -----------------------------------------------------------------------------


def test_a_saved_page_gives_its_article_without_navigation_ads_related_links_or_comments():
    (loaded,) = _articles(INPUT / "page.html").values()
    article = loaded.article
    assert article.title == "Quillmoor Shipping buys the port of Faro"
    assert article.authors == ["Ana Sousa"]
    assert article.published == "2021-03-04"
    assert article.updated == "2021-03-06"
    assert article.site == "The Harbour Gazette"
    assert article.url == "https://gazette.example/business/quillmoor-buys-faro-port"
    assert article.format == "html"
    assert article.captions == [
        "Cranes at the port of Faro, which handles most of the Algarve's freight."
    ]
    assert article.credits == ["Marta Pinto/Gazette"]
    body = " ".join(b.text for b in loaded.blocks if b.section == "body")
    assert "competition authority in Lisbon" in body and "Ines Lobo" in body
    for junk in ("Subscribe", "Advertisement", "Related stories", "Tiago Reis", "Copyright"):
        assert junk not in loaded.text
    assert loaded.text.count("Quillmoor Shipping buys the port of Faro") == 1  # the <h1> once
    _assert_exact_blocks(loaded)


def test_a_gzipped_page_reads_as_the_page_does(tmp_path):
    zipped = tmp_path / "page.html.gz"
    zipped.write_bytes(gzip.compress((INPUT / "page.html").read_bytes()))
    (plain,) = _articles(INPUT / "page.html").values()
    (unzipped,) = _articles(zipped).values()
    assert unzipped.text == plain.text
    assert unzipped.article.title == plain.article.title


def test_a_page_labelled_latin_1_is_read_as_browsers_read_it_windows_1252(tmp_path):
    page = (INPUT / "page.html").read_text(encoding="utf-8")
    page = page.replace('charset="utf-8"', 'charset="iso-8859-1"')
    page = page.replace("240 million euros", "\u20ac240m").replace("Faro", "Far\u00f3")
    (tmp_path / "latin.html").write_bytes(page.encode("cp1252"))  # € is 0x80: not Latin-1
    (loaded,) = _articles(tmp_path / "latin.html").values()
    assert loaded.article.encoding == "cp1252"
    assert "port of Far\u00f3" in loaded.text and "\u20ac240m" in loaded.text


def test_a_footer_copyright_year_is_no_publication_date(tmp_path):
    page = (INPUT / "page.html").read_text(encoding="utf-8")
    for tag in ("article:published_time", "article:modified_time"):
        page = "\n".join(line for line in page.splitlines() if tag not in line)
    (tmp_path / "undated.html").write_text(page.replace("Copyright 2021", "\u00a9 2019"))
    (loaded,) = _articles(tmp_path / "undated.html").values()
    assert loaded.article.published is None


def test_a_script_shell_saying_enable_javascript_is_no_article(tmp_path):
    shell = (
        "<html><head><title>Loading\u2026</title></head><body><div id='app'></div>"
        "<noscript><p>Please enable JavaScript to view this site.</p></noscript></body></html>"
    )
    (tmp_path / "shell.html").write_text(shell)
    assert list(_errors(tmp_path / "shell.html").values()) == ["no article text found in this page"]


def test_a_page_without_article_text_is_one_line(tmp_path):
    shell = '<html><head><script>app()</script></head><body><div id="app"></div></body></html>'
    (tmp_path / "empty.html").write_text(shell)  # a page its scripts would fill
    assert _errors(tmp_path / "empty.html") == {
        str(tmp_path / "empty.html"): "no article text found in this page"
    }


# -- dumps -----------------------------------------------------------------------------------


def test_html_character_references_in_a_dump_are_the_characters_they_stand_for(tmp_path):
    dump = tmp_path / "escaped.jsonl"
    record = {"title": "Marks &amp; Spencer opens in Faro", "text": "Marks &amp; Spencer "
              "opened a shop in Faro.<br>The mayor Ines Lobo came."}  # fmt: skip
    dump.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (loaded,) = _articles(dump).values()
    assert loaded.article.title == "Marks & Spencer opens in Faro"
    assert "Marks & Spencer opened" in loaded.text and "<br>" not in loaded.text


def test_a_gzipped_dump_cut_short_keeps_the_records_before_the_cut(tmp_path):
    lines = [json.dumps({"title": f"Report {i}", "text": f"Ana Sousa went to Faro {i}."})
             for i in range(200)]  # fmt: skip
    zipped = gzip.compress(("\n".join(lines) + "\n").encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(zipped[: len(zipped) // 2])
    read = _read(tmp_path / "cut.jsonl.gz")
    articles = [item for _, item in read if isinstance(item, LoadedArticle)]
    errors = [item.reason for _, item in read if isinstance(item, InputError)]
    assert 20 < len(articles) < 200
    assert any("cut short" in reason for reason in errors)


def test_nested_api_fields_and_excel_sep_lines_read_as_they_are(tmp_path):
    answer = {"response": {"status": "ok", "results": [{
        "webTitle": "Porto ferry cut", "webPublicationDate": "2024-03-01T10:00:00Z",
        "webUrl": "https://news.example/ferry",
        "fields": {"byline": "Rui Costa", "bodyText": "The Porto ferry will sail twice a day."},
    }]}}  # fmt: skip
    (tmp_path / "guardian.json").write_text(json.dumps(answer), encoding="utf-8")
    (loaded,) = _articles(tmp_path / "guardian.json").values()
    assert (loaded.article.title, loaded.article.authors) == ("Porto ferry cut", ["Rui Costa"])
    sheet = "sep=;\ntitle;text;author\nHarbour news;Rui Costa retired in Faro.;Ana Sousa\n"
    (tmp_path / "excel.csv").write_text(sheet, encoding="utf-8")
    (row,) = _articles(tmp_path / "excel.csv").values()
    assert (row.article.path.endswith("#1"), row.article.authors) == (True, ["Ana Sousa"])


def test_author_fields_name_people_not_sentences_dates_or_desks():
    from newsents.load.records import authors_of

    assert authors_of("Phil Helsel is a reporter for the Gazette") == ["Phil Helsel"]
    assert authors_of("Malcolm Owen Monday, November 18") == ["Malcolm Owen"]
    assert authors_of(["AP Auto Writer", "News Nation Bureau", "The Russian"]) == []
    assert authors_of("Theresa May and Jan de Vries") == ["Theresa May", "Jan de Vries"]


def test_each_record_of_a_json_lines_dump_is_an_article_and_a_bad_one_is_one_line():
    dump = str(INPUT / "dump.jsonl")
    articles, errors = _articles(dump), _errors(dump)
    assert list(articles) == [f"{dump}#1", f"{dump}#2", f"{dump}#5"]
    strike, bridge, coach = articles.values()
    assert (strike.article.title, strike.article.authors) == (
        "Dock strike ends in Porto",
        ["Rui Costa"],
    )
    assert strike.article.published == "2021-02-15T10:00:00"
    assert strike.article.url == "https://gazette.example/strike"
    assert bridge.article.authors == ["Tiago Reis", "Marta Pinto"]  # "By ... and ..."
    assert bridge.article.published == "2021-02-16T09:30:00+00:00"  # RFC 2822
    assert "<p>" not in coach.text and "named Joao Vaz as its coach" in coach.text
    assert set(errors) == {f"{dump}#3", f"{dump}#4"}
    assert "no text field" in errors[f"{dump}#3"] and "not valid JSON" in errors[f"{dump}#4"]
    for loaded in articles.values():
        assert loaded.article.format == "json"
        _assert_exact_blocks(loaded)


def test_a_json_array_an_api_answer_and_scrapers_own_outputs_read_as_they_are():
    array = _articles(INPUT / "dump.json")
    assert [a.article.title for a in array.values()] == [
        "Dock strike ends in Porto",
        "Lisbon opens a new metro line",  # `maintext`, as news-please writes it
    ]
    api = list(_articles(INPUT / "newsapi.json").values())  # {"articles": [...]}
    assert [a.article.site for a in api] == ["The Harbour Gazette", "Coimbra Daily"]
    assert api[0].article.published == "2021-03-01T07:00:00+00:00"
    assert "Coimbra will open a new campus" in api[1].text  # no content: its description
    (n4k,) = _articles(INPUT / "newspaper4k.json").values()
    assert (n4k.article.site, n4k.article.authors) == ("The Harbour Gazette", ["Rui Costa"])
    (traf,) = _articles(INPUT / "trafilatura.json").values()
    assert traf.article.authors == ["Ines Lobo", "Tiago Reis"]
    assert traf.article.url == "https://gazette.example/storm"  # its `source`
    assert traf.article.site == "The Harbour Gazette"


def test_the_same_article_has_the_same_id_in_any_dump():
    ids = {
        next(iter(_articles(INPUT / name).values())).article.id
        for name in ("dump.jsonl", "dump.json", "newspaper4k.json")
    }
    assert len(ids) == 1


def test_a_spreadsheet_export_with_semicolons_and_a_bom_reads_row_by_row():
    sheet = str(INPUT / "newsroom.csv")
    articles = _articles(sheet)
    assert list(articles) == [f"{sheet}#1", f"{sheet}#3"]
    derby = articles[f"{sheet}#1"].article
    assert (derby.title, derby.authors, derby.published) == (
        "Braga wins the derby",
        ["Rui Costa"],
        "2021-02-21",  # 21/02/2021: day first, as 21 is no month
    )
    assert derby.format == "csv"
    assert "no text field" in _errors(sheet)[f"{sheet}#2"]
    (festival,) = _articles(INPUT / "articles.tsv").values()
    assert festival.article.title == "Evora hosts a film festival"


@pytest.mark.parametrize("name", ["broken-first.jsonl", "broken-first.json"])
def test_a_dump_whose_first_line_is_broken_keeps_every_other_record(tmp_path, name):
    """JSON Lines are told by their lines, not by the first one alone: a broken first record is
    one line of its own, at its place, saying where it breaks."""
    good = [json.dumps({"title": f"Faro report {i}", "text": f"Ana Sousa went to Faro {i}."})
            for i in range(2)]  # fmt: skip
    dump = tmp_path / name
    dump.write_text('{"title": "Cut", "text": "Ana Sousa\n' + "\n".join(good) + "\n")
    assert sorted(_articles(dump)) == [f"{dump}#2", f"{dump}#3"]
    assert _errors(dump) == {
        f"{dump}#1": "not valid JSON: Unterminated string starting at column 26"
    }


@pytest.mark.parametrize("wrapped", [False, True])
def test_a_document_in_a_file_named_as_json_lines_is_read_whole(tmp_path, wrapped):
    dump = tmp_path / "misnamed.jsonl"
    records = [
        {"title": f"Faro report {i}", "text": f"Ana Sousa went to Faro {i}."} for i in (1, 2)
    ]
    dump.write_text(json.dumps({"articles": records} if wrapped else records, indent=2))
    assert sorted(_articles(dump)) == [f"{dump}#1", f"{dump}#2"]


def test_a_json_lines_error_counts_columns_as_the_line_is_written(tmp_path):
    dump = tmp_path / "indented.jsonl"
    good = json.dumps({"title": "Faro", "text": "Ana Sousa went to Faro."})
    dump.write_text(good + "\n" + '    {"title": "Cut",, "text": "x"}\n')
    expected = "not valid JSON: Expecting property name enclosed in double quotes at column 21"
    assert _errors(dump) == {f"{dump}#2": expected}


def test_a_json_document_that_does_not_parse_says_where(tmp_path):
    dump = tmp_path / "one.json"
    dump.write_text('{\n  "title": "Faro",\n  "text": "Ana Sousa"\n  "byline": "Rui"\n}\n')
    assert _errors(dump) == {
        str(dump): "not valid JSON: Expecting ',' delimiter at line 4, column 3"
    }


def test_fields_are_named_with_field_when_a_dump_uses_other_names(tmp_path):
    dump = tmp_path / "odd.jsonl"
    rows = [
        {"hed": "Faro beach cleaned", "story": {"copy": "Volunteers cleaned the beach at Faro."}},
        {"hed": "Porto fair opens", "story": {"copy": "The Porto book fair opened on Friday."}},
    ]
    dump.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert "no text field" in next(iter(_errors(dump).values()))
    named = _articles(dump, fields={"title": "hed", "text": "story.copy"})
    assert [a.article.title for a in named.values()] == ["Faro beach cleaned", "Porto fair opens"]


# -- feeds, front matter, archives -------------------------------------------------------------


def test_each_feed_item_is_an_article_and_an_item_without_content_is_one_line():
    feed = str(INPUT / "feed.rss")
    items = _articles(feed)
    assert list(items) == [f"{feed}#1", f"{feed}#2"]
    first = items[f"{feed}#1"].article
    assert (first.site, first.authors, first.published) == (
        "The Harbour Gazette",
        ["Ana Sousa"],
        "2021-03-04T08:15:00+00:00",
    )
    assert "competition authority in Lisbon" in items[f"{feed}#1"].text  # content:encoded
    assert "Porto council met on Friday" in items[f"{feed}#2"].text  # the summary
    assert _errors(feed) == {f"{feed}#3": "a feed item without content or summary"}
    (atom,) = _articles(INPUT / "feed.atom").values()
    assert (atom.article.authors, atom.article.updated) == (
        ["Marta Pinto"],
        "2021-03-03T08:00:00+00:00",
    )


def test_an_rss_author_given_as_an_address_and_a_name_is_the_name(tmp_path):
    feed = (
        (INPUT / "feed.rss")
        .read_text(encoding="utf-8")
        .replace(
            "<dc:creator>Ana Sousa</dc:creator>",
            "<author>desk@gazette.example (Ana Sousa)</author>",
        )
    )
    (tmp_path / "feed.rss").write_text(feed, encoding="utf-8")
    first = next(iter(_articles(tmp_path / "feed.rss").values()))
    assert first.article.authors == ["Ana Sousa"]


def test_hugo_toml_front_matter_and_front_matter_on_standard_input(tmp_path):
    post = '+++\ntitle = "Faro lighthouse restored"\ndate = 2022-07-01\n+++\n\n'
    post += "The lighthouse at Faro shines again.\n"
    (tmp_path / "post.md").write_text(post, encoding="utf-8")
    (loaded,) = _articles(tmp_path / "post.md").values()
    assert (loaded.article.title, loaded.article.published) == (
        "Faro lighthouse restored",
        "2022-07-01",
    )
    result, graph = _extract(tmp_path, "-", input=(INPUT / "post.md").read_bytes())
    assert graph["articles"][0]["title"] == "Evora film festival announces its jury"
    result, graph = _extract(tmp_path, "-", input=(INPUT / "articles.tsv").read_bytes())
    assert graph["articles"][0]["format"] == "csv"


def test_markdown_front_matter_gives_the_metadata_and_is_never_shown_to_the_model():
    from newsents.load import text_for_nlp

    (post,) = _articles(INPUT / "post.md").values()
    article = post.article
    assert (article.title, article.published, article.authors) == (
        "Evora film festival announces its jury",
        "2021-02-26",
        ["Tiago Reis"],
    )
    assert article.url == "https://gazette.example/evora-jury"
    assert post.text == (INPUT / "post.md").read_text(encoding="utf-8")  # offsets into the file
    assert "author" not in text_for_nlp(post) and "Marta Pinto" in text_for_nlp(post)
    assert post.blocks[0].text.startswith("The Evora film festival")


def _warc(path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = (INPUT / "page.html").read_bytes() + b"<!-- archived -->"  # not the saved page's bytes
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, kind, body in (
            ("https://gazette.example/business/quillmoor-buys-faro-port", "text/html", page),
            ("https://gazette.example/img/faro-port.jpg", "image/jpeg", b"\xff\xd8\xff\xe0jpeg"),
        ):
            headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
            request = writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET /"))
            writer.write_record(request)
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
            record.rec_headers.replace_header("WARC-Date", "2021-03-05T12:00:00Z")
            writer.write_record(record)


def test_each_html_response_of_a_web_archive_is_an_article_with_its_url_and_fetch_date(tmp_path):
    archive = tmp_path / "crawl.warc.gz"
    _warc(archive)
    (article,) = [a.article for a in _articles(archive).values()]
    assert article.title == "Quillmoor Shipping buys the port of Faro"
    assert article.url == "https://gazette.example/business/quillmoor-buys-faro-port"
    assert article.fetched == "2021-03-05T12:00:00+00:00"
    assert article.format == "warc"
    assert article.path == f"{archive}#2"
    assert _errors(archive) == {f"{archive}#4": "not an HTML page (image/jpeg): skipped"}
    cut = tmp_path / "cut.warc"
    with gzip.open(archive) as unzipped:
        whole = unzipped.read()
    cut.write_bytes(whole[: whole.index(b"Ines Lobo")])
    assert _errors(cut) == {f"{cut}#2": "the archive is cut short in this record: skipped"}


# -- the command line --------------------------------------------------------------------------


def test_extract_reads_a_folder_of_every_format_one_line_per_bad_record(tmp_path):
    folder = tmp_path / "pile"
    shutil.copytree(INPUT, folder)
    _warc(folder / "crawl.warc.gz")
    result, graph = _extract(tmp_path, str(folder))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    failed = sorted(line.split(": ")[1].removeprefix(f"{folder}/") for line in errors)
    assert failed == [
        "crawl.warc.gz#4", "dump.jsonl#3", "dump.jsonl#4", "feed.rss#3", "newsroom.csv#2"
    ]  # fmt: skip
    formats = {a["format"] for a in graph["articles"]}
    assert formats == {"html", "json", "csv", "feed", "markdown", "warc"}
    assert "Quillmoor Shipping" in {e["name"] for e in graph["entities"]}


def test_every_mention_points_into_the_text_articles_text_gives_back(tmp_path):
    result, graph = _extract(tmp_path, str(INPUT / "dump.jsonl"), str(INPUT / "page.html"))
    listed = CliRunner().invoke(
        cli, ["articles", "--json", "--text", "--db", str(tmp_path / "news.db")]
    )
    texts = {a["id"]: a["text"] for a in json.loads(listed.stdout)}
    assert len(texts) == 4
    mentions = [m for e in graph["entities"] for m in e["mentions"]]
    assert mentions
    for mention in mentions:
        assert texts[mention["article"]][mention["start"] : mention["end"]] == mention["text"]


def _said(stderr: str) -> list[str]:
    """The error and warning lines; the run's summary line follows them."""
    lines = stderr.splitlines()
    assert " failed, " in lines[-1], lines
    return lines[:-1]


def test_a_file_of_an_unknown_format_named_is_an_error_naming_the_formats_read(tmp_path):
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.7")
    (tmp_path / "story.txt").write_text("Faro news\n\nRui Costa went to Faro.\n")
    result, graph = _extract(tmp_path, str(tmp_path / "report.pdf"), str(tmp_path / "story.txt"))
    assert result.exit_code == 1
    (line,) = _said(result.stderr)
    assert "report.pdf: unknown format (.pdf)" in line and ".html" in line and ".warc" in line
    assert [a["title"] for a in graph["articles"]] == ["Faro news"]


def test_standard_input_is_known_by_its_content(tmp_path):
    dump = (INPUT / "dump.jsonl").read_bytes()
    result, graph = _extract(tmp_path, "-", input=dump)
    assert result.exit_code == 1  # its two bad records
    assert [a["path"] for a in graph["articles"]] == ["-#1", "-#2", "-#5"]


def _dated(graph: dict, name: str) -> str | None:
    return next(
        (e["value"] for e in graph["entities"] if name in (a.lower() for a in e["aliases"])),
        None,
    )


def test_published_and_published_from_filename_date_articles_that_state_none(tmp_path):
    story = "Bridge reopens\n\nThe bridge at Faro reopened yesterday, the mayor Ines Lobo said.\n"
    named = tmp_path / "2005-02-13-bridge.txt"
    named.write_text(story, encoding="utf-8")
    plain = tmp_path / "bridge.txt"
    plain.write_text(story.replace("Faro", "Porto"), encoding="utf-8")

    _, undated = _extract(tmp_path, str(named))
    assert undated["articles"][0]["published"] is None
    assert _dated(undated, "yesterday") is None

    result, graph = _extract(tmp_path, str(named), "--published-from", "filename")
    assert result.exit_code == 0 and graph["articles"][0]["published"] == "2005-02-13"
    assert _dated(graph, "yesterday") == "2005-02-12"

    result, graph = _extract(tmp_path, str(plain), "--published", "2010-06-01")
    assert graph["articles"][-1]["published"] == "2010-06-01"
    result, graph = _extract(tmp_path, str(INPUT / "dump.jsonl"), "--published", "2010-06-01")
    assert {a["published"] for a in graph["articles"] if "dump" in a["path"]} == {
        "2021-02-15T10:00:00",
        "2021-02-16T09:30:00+00:00",
        "2021-02-17",
    }  # an article's own date wins


def test_dates_in_paths_follow_the_documented_patterns():
    from newsents.load.formats import date_in_path

    assert date_in_path("news/2005-02-13-bridge.txt") == "2005-02-13"
    assert date_in_path("news/20050213_bridge.html") == "2005-02-13"
    assert date_in_path("archive/2005/02/13/bridge.txt") == "2005-02-13"
    assert date_in_path("news/bridge-2005.txt") is None
    assert date_in_path("news/2005-13-45-bridge.txt") is None


# -- URLs --------------------------------------------------------------------------------------


class _Site(http.server.BaseHTTPRequestHandler):
    pages = {
        "/robots.txt": ("text/plain", b"User-agent: *\nDisallow: /private/\n"),
        "/news/faro-port": ("text/html; charset=utf-8", (INPUT / "page.html").read_bytes()),
        "/files/report.pdf": ("application/pdf", b"%PDF-1.7"),
        "/private/memo": ("text/html", b"<html><body><p>secret</p></body></html>"),
        "/feed": ("application/rss+xml", (INPUT / "feed.rss").read_bytes()),
    }
    seen: list[tuple[str, str]] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        type(self).seen.append((self.path, self.headers.get("User-Agent", "")))
        if self.path == "/old-address":
            self.send_response(301)
            self.send_header("Location", "/news/faro-port")
            self.end_headers()
            return
        if self.path not in self.pages:
            self.send_error(404)
            return
        kind, body = self.pages[self.path]
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def site(monkeypatch):
    import newsents.load.fetch

    monkeypatch.setattr(newsents.load.fetch, "POLITE_INTERVAL_SECONDS", 0.0)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Site.seen = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_urls_are_fetched_politely_read_as_pages_and_a_failed_fetch_is_one_line(tmp_path, site):
    urls = tmp_path / "links.txt"
    urls.write_text(
        f"# links to read\n{site}/old-address\n{site}/missing\n{site}/files/report.pdf\n"
        f"{site}/private/memo\n",
        encoding="utf-8",
    )
    result, graph = _extract(tmp_path, "--urls", str(urls), f"{site}/feed")
    assert result.exit_code == 1
    errors = sorted(line for line in result.stderr.splitlines() if line.startswith("Error"))
    assert len(errors) == 4, errors  # the 404, the PDF, robots.txt's /private/, the empty item
    assert any("/missing: the server answered HTTP 404" in e for e in errors)
    assert any("report.pdf: not an HTML page but application/pdf" in e for e in errors)
    assert any("/private/memo: its site's robots.txt asks" in e for e in errors)
    page = next(a for a in graph["articles"] if a["format"] == "html")
    assert page["path"] == f"{site}/old-address"
    assert page["url"] == "https://gazette.example/business/quillmoor-buys-faro-port"  # canonical
    assert page["fetched"] is not None
    assert sum(a["format"] == "feed" for a in graph["articles"]) == 2
    assert all(agent.startswith("newsents/") for _, agent in _Site.seen)
    assert "/private/memo" not in [path for path, _ in _Site.seen]


def test_a_server_that_does_not_answer_is_one_line(tmp_path, monkeypatch):
    import socket

    import newsents.load.fetch

    monkeypatch.setattr(newsents.load.fetch, "TIMEOUT_SECONDS", 1.0)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts, never answers
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/news"
        result, _ = _extract(tmp_path, url)
    finally:
        listener.close()
    assert result.exit_code == 1
    (line,) = _said(result.stderr)
    assert url in line and "timed out" in line


# -- the 88 real pages -------------------------------------------------------------------------


def test_the_article_body_of_real_news_pages_is_read_with_f1_of_at_least_0_95():
    from newsents.evaluate_pages import evaluate_pages

    pages = SHARED / "corpora" / "news-html"
    if not pages.is_dir():
        pytest.skip(f"{pages} is absent: the page benchmark needs ../shared beside the checkout")
    report = evaluate_pages(pages)
    assert report.pages == 88 and report.failed == 0
    assert report.f1 >= 0.95, report.worst[:3]
