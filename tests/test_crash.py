"""kill -9 at any moment of `extract` or `rebuild` loses nothing stored and corrupts nothing:
the next run gives the store a clean run gives (issue 10).

The test watches the store (read-only, as any reader may) and kills the process at each moment
of a run: starting, creating the store, loading the model, after the first article, halfway,
and with every article stored while the graph is built and written. SIGKILL gives newsents no
chance to clean up, as an OOM kill, a closed laptop lid or `kill -9` does not.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

N = 120
OLDER_RULES = "rules of an older newsents"


def _articles(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    towns = ["Lisbon", "Porto", "Faro", "Braga", "Evora", "Sintra", "Coimbra"]
    people = ["Ana Sousa", "Rui Costa", "Ines Lobo", "Tiago Reis", "Marta Pinto", "Joao Vaz"]
    for i in range(n):
        text = (
            f"Harbour report {i}\n\n{people[i % 6]} met {people[(i + 1) % 6]} in "
            f"{towns[i % 7]} on Monday. The Quillmoor Bank lent {i} million euros to the "
            f"port of {towns[(i + 3) % 7]}, {people[(i + 2) % 6]} said on 3 March.\n"
        )
        (folder / f"r{i:03}.txt").write_text(text, encoding="utf-8")


def _newsents(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "newsents", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run(*args: str) -> None:
    done = _newsents(*args)
    _, err = done.communicate(timeout=600)
    assert done.returncode == 0, err


def _count(db: Path, sql: str) -> int:
    """A count read from the store as a reader would, or -1 while there is nothing to read."""
    if not db.exists():
        return -1
    try:
        connection = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        return -1
    try:
        return int(connection.execute(sql).fetchone()[0])
    except sqlite3.Error:
        return -1
    finally:
        connection.close()


def _kill_when(moment: Callable[[], bool], *args: str) -> None:
    running = _newsents(*args)
    began = time.monotonic()
    while not moment():
        assert running.poll() is None, "the run ended before the moment to kill it came"
        assert time.monotonic() - began < 300
        time.sleep(0.002)
    running.send_signal(signal.SIGKILL)
    running.communicate(timeout=60)
    assert running.returncode == -signal.SIGKILL


def _exported(db: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "newsents", "export", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _intact(db: Path) -> bool:
    connection = sqlite3.connect(db)
    try:
        return connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        connection.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The articles, and the store and export of one clean run over them."""
    folder = tmp_path_factory.mktemp("crash") / "news"
    _articles(folder, N)
    clean = folder.parent / "clean.db"
    _run("extract", str(folder), "--db", str(clean))
    return folder, clean, _exported(clean)


def _extract_moments(db: Path) -> dict[str, Callable[[], bool]]:
    began = time.monotonic()
    stored = "SELECT count(*) FROM articles"
    return {
        "starting": lambda: time.monotonic() - began > 0.2,
        "creating the store": db.exists,
        "loading the model": lambda: _count(db, "SELECT count(*) FROM migrations") >= 1,
        "after the first article": lambda: _count(db, stored) >= 1,
        "halfway": lambda: _count(db, stored) >= N // 2,
        "building the graph": lambda: _count(db, stored) == N,
    }


@pytest.mark.parametrize("moment", list(_extract_moments(Path("-"))))
def test_kill_9_during_extract_then_a_re_run_gives_the_clean_runs_store(corpus, tmp_path, moment):
    folder, _, wanted = corpus
    db = tmp_path / "news.db"
    _kill_when(_extract_moments(db)[moment], "extract", str(folder), "--db", str(db))
    if db.exists():
        assert _intact(db)
    _run("extract", str(folder), "--db", str(db))
    assert _exported(db) == wanted


def _rebuild_moments(db: Path) -> dict[str, Callable[[], bool]]:
    began = time.monotonic()
    redone = f"SELECT count(*) FROM articles WHERE analyzer != '{OLDER_RULES}'"
    return {
        "starting": lambda: time.monotonic() - began > 0.2,
        "after the first article": lambda: _count(db, redone) >= 1,
        "halfway": lambda: _count(db, redone) >= N // 2,
        "building the graph": lambda: _count(db, redone) == N,
    }


def _as_made_by_older_rules(clean: Path, db: Path) -> None:
    """A copy of the store whose analyses and graph another build's rules made, so `rebuild`
    has every article to resolve again and the graph to write."""
    db.write_bytes(clean.read_bytes())
    connection = sqlite3.connect(db)
    with connection:
        connection.execute("UPDATE articles SET analyzer = ?", (OLDER_RULES,))
        connection.execute("UPDATE meta SET value = ? WHERE key = 'graph_rules'", (OLDER_RULES,))
    connection.close()


@pytest.mark.parametrize("moment", list(_rebuild_moments(Path("-"))))
def test_kill_9_during_rebuild_leaves_a_readable_store_and_a_rebuild_repairs_it(
    corpus, tmp_path, moment
):
    _, clean, wanted = corpus
    db = tmp_path / "news.db"
    _as_made_by_older_rules(clean, db)
    _kill_when(_rebuild_moments(db)[moment], "rebuild", "--db", str(db))
    assert _intact(db)
    read = subprocess.run(
        [sys.executable, "-m", "newsents", "entities", "--json", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert read.returncode == 0 and "Traceback" not in read.stderr
    assert json.loads(read.stdout)
    _run("rebuild", "--db", str(db))
    assert _exported(db) == wanted


@pytest.mark.parametrize(("sent", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_sigterm_or_ctrl_c_mid_run_says_so_in_one_line_and_keeps_what_was_stored(
    corpus, tmp_path, sent, code
):
    folder, _, wanted = corpus
    db = tmp_path / "news.db"
    running = _newsents("extract", str(folder), "--db", str(db))
    while _count(db, "SELECT count(*) FROM articles") < N // 3:
        assert running.poll() is None
        time.sleep(0.002)
    running.send_signal(sent)
    _, err = running.communicate(timeout=60)
    assert running.returncode == code
    assert err.count("\n") == 1 and "interrupted" in err
    assert _count(db, "SELECT count(*) FROM articles") >= N // 3
    _run("extract", str(folder), "--db", str(db))
    assert _exported(db) == wanted


@pytest.fixture
def small_disk(tmp_path):
    """A 400 KB file system (tmpfs), where one may mount; else the test skips."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=400k", "newsents-test", str(disk)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small file system here (needs root in a container)")
    yield disk
    subprocess.run(["umount", str(disk)], check=True)


def test_a_full_disk_is_one_line_keeps_what_was_stored_and_a_re_run_with_room_finishes(
    tmp_path, small_disk
):
    folder = tmp_path / "news"
    _articles(folder, 300)
    db = small_disk / "news.db"
    full = subprocess.run(
        [sys.executable, "-m", "newsents", "extract", str(folder), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert full.returncode == 1
    assert full.stderr.count("\n") == 1 and "the disk is full" in full.stderr
    assert _intact(db)
    kept = _count(db, "SELECT count(*) FROM articles")
    assert 0 < kept < 300
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    _run("extract", str(folder), "--db", str(db))
    clean = tmp_path / "clean.db"
    _run("extract", str(folder), "--db", str(clean))
    assert _exported(db) == _exported(clean)
