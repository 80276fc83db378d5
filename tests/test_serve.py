"""`newsents serve` (issue 13): the store in Datasette, started for real on 127.0.0.1 and read
through its JSON API. The articles are our own."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import run_json

from newsents.cli import cli

pytest.importorskip("datasette", reason="`newsents serve` needs the serve extra (Datasette)")

STORIES = {
    ("budget.txt", "2005-01-10"): (
        "Budget row in London\n\nGordon Brown met Tony Blair in London on Monday. "
        "Gordon Brown said Tony Blair had read the budget.\n"
    ),
    ("election.txt", "2005-02-03"): (
        "Election tour\n\nTony Blair spoke to voters in Leeds. Michael Howard answered him "
        "from Bristol a day later.\n"
    ),
    ("final.txt", "2005-03-21"): (
        "Cup final in Cardiff\n\nGordon Brown watched the cup final in Cardiff with Alan "
        "Shearer. Alan Shearer said Cardiff was loud.\n"
    ),
}


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    root = tmp_path_factory.mktemp("serve")
    db = str(root / "news.db")
    for (name, date), text in STORIES.items():
        path = root / name
        path.write_text(text, encoding="utf-8")
        result = CliRunner().invoke(cli, ["extract", str(path), "--db", db, "--published", date])
        assert result.exit_code == 0, result.stderr
    return db


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_a_store_from_before_the_views(db: str) -> None:
    with sqlite3.connect(db) as connection:
        for (view,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'view'"):
            connection.execute(f"DROP VIEW {view}")
        connection.execute("DELETE FROM migrations WHERE name = '005_views'")


class Server:
    def __init__(self, db: str) -> None:
        self.port = _free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "newsents", "serve", "--db", db, "--port", str(self.port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
        )
        self.base = f"http://127.0.0.1:{self.port}/{Path(db).stem}"

    def get(self, path: str, **params: str) -> list[dict]:
        query = urllib.parse.urlencode({"_shape": "array", **params})
        with urllib.request.urlopen(f"{self.base}/{path}.json?{query}", timeout=30) as answer:
            return json.loads(answer.read())

    def wait_until_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"newsents serve stopped: {self.process.stderr.read()}")
            try:
                urllib.request.urlopen(f"{self.base}.json", timeout=2).close()
                return
            except OSError:
                time.sleep(0.2)
        pytest.fail("Datasette did not answer within a minute")

    def interrupt(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGINT)
        try:
            _, stderr = self.process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        return self.process.returncode, stderr


@pytest.fixture(scope="module")
def server(store):
    _as_a_store_from_before_the_views(store)
    code, _, err = run_json(CliRunner(), ["entities", "--db", store, "--json"])
    assert code == 0, f"a store without the views cannot be read: {err}"
    running = Server(store)
    try:
        running.wait_until_ready()
        yield running
    finally:
        if running.process.poll() is None:
            running.process.kill()
            running.process.wait()


def _cli(db: str, *args: str):
    code, data, err = run_json(CliRunner(), [*args, "--db", db, "--json"])
    assert code == 0, err
    return data


def test_the_views_hold_what_the_cli_shows(server, store):
    people = server.get("entity_overview", type="person", _size="max")
    listed = _cli(store, "entities", "--type", "person")
    assert {p["name"] for p in people} == {e["name"] for e in listed}
    blair = next(p for p in people if p["name"] == "Tony Blair")
    mentions = server.get("mentions", entity_id=blair["id"], _size="max")
    (shown,) = _cli(store, "show", "--entity", "Tony Blair", "--all")
    assert len(mentions) == blair["mention_count"] == len(shown["contexts"]) >= 3
    assert {m["text"] for m in mentions} == {"Tony Blair"}
    articles = server.get("article_overview", _sort="published")
    assert [a["title"] for a in articles] == [
        "Budget row in London",
        "Election tour",
        "Cup final in Cardiff",
    ]


def test_canned_queries_answer_by_name_in_any_case(server, store):
    both = server.get("articles_with_both", first="gordon brown", second="TONY BLAIR")
    expected = _cli(store, "articles", "--entity", "Gordon Brown", "--entity", "Tony Blair")
    assert [a["title"] for a in both] == [a["title"] for a in expected] == ["Budget row in London"]

    neighbours = server.get("neighbours", entity="Alan Shearer")
    assert {n["neighbour_name"] for n in neighbours} >= {"Gordon Brown", "Cardiff"}
    (shown,) = _cli(store, "show", "--entity", "Alan Shearer", "--all")
    by_name = {n["name"]: n["weight"] for n in shown["neighbours"]}
    assert {n["neighbour_name"]: n["weight"] for n in neighbours} == by_name

    assert {(b["first_name"], b["second_name"]) for b in both} == {("Gordon Brown", "Tony Blair")}

    timeline = server.get("timeline", entity="Gordon Brown")
    assert [(t["month"], t["articles"]) for t in timeline] == [("2005-01", 1), ("2005-03", 1)]
    assert {t["entity_name"] for t in timeline} == {"Gordon Brown"}


def test_the_entities_are_faceted_by_type(server):
    url = f"{server.base}/entity_overview.json?_size=1"
    with urllib.request.urlopen(url, timeout=30) as answer:
        page = json.loads(answer.read())
    types = {f["value"] for f in page["facet_results"]["type"]["results"]}
    assert {"person", "place"} <= types


def test_ctrl_c_stops_the_server_without_a_traceback(server):
    code, stderr = server.interrupt()
    assert code == 0
    assert "Traceback" not in stderr
    assert f"127.0.0.1:{server.port}" in stderr


def test_a_port_in_use_is_one_line(store):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "newsents", "serve", "--db", store, "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"cannot listen on 127.0.0.1:{port}" in lines[0], result.stderr


def test_a_port_in_use_on_ipv6_is_one_line_too(store):
    if not socket.has_ipv6:
        pytest.skip("no IPv6 here")
    with socket.socket(socket.AF_INET6) as taken:
        try:
            taken.bind(("::1", 0))
        except OSError:
            pytest.skip("no IPv6 loopback here")
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "newsents", "serve", "--db", store, "--host", "::1"]
            + ["--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"cannot listen on ::1:{port}" in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_a_free_ipv6_port_may_be_served_on():
    from newsents.serve import check_port_free

    with socket.socket(socket.AF_INET6) as probe:
        try:
            probe.bind(("::1", 0))
        except OSError:
            pytest.skip("no IPv6 loopback here")
        port = probe.getsockname()[1]
    check_port_free("::1", port)  # raises when it cannot listen


def test_metadata_names_the_queries_for_running_datasette_yourself(store):
    code, metadata, err = run_json(CliRunner(), ["serve", "--db", store, "--metadata"])
    assert code == 0, err
    queries = metadata["databases"]["news"]["queries"]
    assert set(queries) == {"neighbours", "articles_with_both", "timeline"}
