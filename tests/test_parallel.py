"""`extract --jobs N` (issue 12): the model in N worker processes, the same output as one."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsents.parallel import BATCH, MIN_ARTICLES_PER_JOB

# Enough for two workers to share, in full batches and then the small ones of the end.
N = 3 * BATCH + 5
assert N >= 2 * MIN_ARTICLES_PER_JOB


def test_articles_go_in_full_batches_and_the_last_ones_in_small_batches():
    """The model batches well, and at the end no worker waits long for another's last task:
    every article is sent once, in order."""
    from newsents.parallel import LAST_BATCH, _batches

    n = 5 * BATCH + 3
    batches = list(_batches(iter(range(n)), 2))
    assert [a for batch in batches for a in batch] == list(range(n))
    sizes = [len(batch) for batch in batches]
    full = sizes.index(LAST_BATCH)
    assert set(sizes[:full]) == {BATCH} and max(sizes[full:]) == LAST_BATCH
    assert BATCH <= sum(sizes[full:]) <= 2 * BATCH  # what was read ahead of 2 workers


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


def _newsents(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "newsents", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kwargs,
    )


def _run(*args: str) -> bytes:
    done = _newsents(*args)
    out, err = done.communicate(timeout=600)
    assert done.returncode == 0, err.decode()
    return out


def _stored(db: Path) -> int:
    try:
        connection = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            return int(connection.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            connection.close()
    except sqlite3.Error:
        return -1


def _children(pid: int) -> list[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(child) for child in found]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parallel") / "news"
    _articles(folder, N)
    return folder


def test_two_jobs_give_byte_for_byte_the_graph_and_store_one_gives(corpus, tmp_path):
    one = _run("extract", str(corpus), "--db", str(tmp_path / "one.db"), "--jobs", "1")
    two = _run("extract", str(corpus), "--db", str(tmp_path / "two.db"), "--jobs", "2")
    assert json.loads(one)["articles"] and one == two
    exports = [_run("export", "--db", str(tmp_path / f"{n}.db")) for n in ("one", "two")]
    assert exports[0] == exports[1]


def _wait_for_workers(running: subprocess.Popen, db: Path, stored: int) -> list[int]:
    began = time.monotonic()
    while _stored(db) < stored:
        assert running.poll() is None, running.stderr.read().decode()
        assert time.monotonic() - began < 300
        time.sleep(0.01)
    return [pid for pid in _children(running.pid) if _alive(pid) and _is_worker(pid)]


def _is_worker(pid: int) -> bool:
    """A pool worker, not multiprocessing's resource tracker."""
    try:
        return b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_stopping_a_parallel_run_keeps_what_was_stored_and_leaves_no_process(corpus, tmp_path, how):
    db = tmp_path / "news.db"
    running = _newsents(
        "extract", str(corpus), "--db", str(db), "--jobs", "2", start_new_session=True
    )
    workers = _wait_for_workers(running, db, 1)
    assert len(workers) >= 2
    if how == "ctrl-c":  # a terminal sends SIGINT to the whole foreground group
        os.killpg(running.pid, signal.SIGINT)
    else:
        running.send_signal(signal.SIGTERM)
    _, err = running.communicate(timeout=60)
    assert running.returncode == (130 if how == "ctrl-c" else 143)
    assert err.decode().count("\n") == 1 and "interrupted" in err.decode()
    time.sleep(0.5)
    assert not [pid for pid in workers if _alive(pid)]
    assert _stored(db) >= 1


class _Stopped(Exception):
    pass


def _handler_that_counts(calls: list[int], *, raising: bool):
    def handle(signum, frame):
        calls.append(signum)
        if raising:
            raise _Stopped

    return handle


def test_a_signal_met_between_the_pools_calls_is_handled_once_and_never_lost():
    from newsents.parallel import _interrupts_deferred

    before = signal.getsignal(signal.SIGTERM)
    calls: list[int] = []
    try:
        signal.signal(signal.SIGTERM, _handler_that_counts(calls, raising=False))
        with _interrupts_deferred() as interrupted:
            signal.raise_signal(signal.SIGTERM)
            assert calls == []  # held while the pool's calls run
            interrupted()
            interrupted()
        assert calls == [signal.SIGTERM]  # a handler that does not raise runs once
        signal.signal(signal.SIGTERM, _handler_that_counts(calls, raising=True))
        with pytest.raises(_Stopped), _interrupts_deferred():
            signal.raise_signal(signal.SIGTERM)  # after the last check: met on the way out
        assert signal.getsignal(signal.SIGTERM) is not before
    finally:
        signal.signal(signal.SIGTERM, before)


# SIGTERM delivered at the worst moment: while concurrent.futures.wait holds a future's lock.
# A handler's exception raised there used to leave the lock held, and the run never exited.
_SIGTERM_INSIDE_WAIT = """
import signal, sys
import concurrent.futures._base as base
from newsents import cli

real_enter = base._AcquireFutures.__enter__
sent = []

def enter(self):
    if sent or not any(f.running() for f in self.futures):
        return real_enter(self)
    sent.append(True)
    self.futures[0]._condition.acquire()
    signal.raise_signal(signal.SIGTERM)
    for future in self.futures[1:]:
        future._condition.acquire()

if __name__ == "__main__":
    base._AcquireFutures.__enter__ = enter
    sys.argv = ["newsents", *sys.argv[1:]]
    cli.main()
"""


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_a_sigterm_while_the_pool_holds_a_lock_still_ends_the_run_at_once(corpus, tmp_path):
    script = tmp_path / "sigterm_inside_wait.py"
    script.write_text(_SIGTERM_INSIDE_WAIT, encoding="utf-8")
    running = subprocess.Popen(
        [sys.executable, str(script), "extract", str(corpus), "--db", str(tmp_path / "n.db")]
        + ["--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _, err = running.communicate(timeout=60)
    finally:
        os.killpg(running.pid, signal.SIGKILL) if running.poll() is None else None
    assert running.returncode == 143
    assert err.decode().count("\n") == 1 and "interrupted" in err.decode()


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_workers_end_themselves_when_their_parent_is_killed_with_sigkill(corpus, tmp_path):
    db = tmp_path / "news.db"
    running = _newsents("extract", str(corpus), "--db", str(db), "--jobs", "2")
    workers = _wait_for_workers(running, db, 1)
    running.kill()
    running.communicate(timeout=30)  # returns only once no worker holds its pipes
    time.sleep(0.2)
    assert not [pid for pid in workers if _alive(pid)]


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_a_worker_killed_mid_run_loses_no_article(corpus, tmp_path):
    db = tmp_path / "news.db"
    running = _newsents("extract", str(corpus), "--db", str(db), "--jobs", "2")
    workers = _wait_for_workers(running, db, 1)
    os.kill(workers[0], signal.SIGKILL)
    out, err = running.communicate(timeout=300)
    assert running.returncode == 0, err.decode()
    (line,) = [line for line in err.decode().splitlines() if line.startswith("Warning")]
    assert "a worker process died; its articles are sent again" in line
    clean = _run("extract", str(corpus), "--db", str(tmp_path / "clean.db"), "--jobs", "1")
    assert out == clean
