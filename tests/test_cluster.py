"""`extract --dask ADDRESS` (issue 12): the analysis on a real Dask cluster the test starts on
127.0.0.1 (a LocalCluster of two worker processes, each loading the model once)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed", reason="newsents[dask] is not installed")

from test_parallel import _articles, _newsents, _run, _stored  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",  # on 127.0.0.1 only, like everything here
    ) as local:
        yield local.scheduler_address


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cluster") / "news"
    _articles(folder, 240)
    return folder


def test_a_cluster_gives_byte_for_byte_the_graph_a_local_run_gives(cluster, corpus, tmp_path):
    local = _run("extract", str(corpus), "--db", str(tmp_path / "local.db"), "--jobs", "1")
    remote = _run("extract", str(corpus), "--db", str(tmp_path / "dask.db"), "--dask", cluster)
    assert local == remote


def test_a_scheduler_that_does_not_answer_is_one_line_within_seconds(tmp_path):
    (tmp_path / "story.txt").write_text("Faro news\n\nRui Costa went to Faro.\n")
    began = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "newsents", "extract", str(tmp_path / "story.txt")]
        + ["--db", str(tmp_path / "news.db"), "--dask", "tcp://127.0.0.1:9"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in line
    assert time.monotonic() - began < 30


def test_a_worker_lost_mid_run_loses_no_article(cluster, corpus, tmp_path):
    with distributed.Client(cluster, set_as_default=False) as client:
        pids = list(client.run(os.getpid).values())
    db = tmp_path / "news.db"
    running = _newsents("extract", str(corpus), "--db", str(db), "--dask", cluster)
    while _stored(db) < 1:
        assert running.poll() is None, running.stderr.read().decode()
        time.sleep(0.01)
    os.kill(pids[0], signal.SIGKILL)
    out, err = running.communicate(timeout=300)
    assert running.returncode == 0, err.decode()
    assert _stored(db) == 240
    clean = _run("extract", str(corpus), "--db", str(tmp_path / "clean.db"), "--jobs", "1")
    assert out == clean
    assert Path(db).exists()


def _lose_the_model() -> None:
    """On one worker: its model cannot load, as on a machine where it is not installed."""
    import newsents.nlp
    from newsents.errors import ModelNotInstalledError

    def cannot(name):
        raise ModelNotInstalledError(f"the spaCy pipeline {name!r} is not installed")

    newsents.nlp.load_pipeline = cannot


def test_a_worker_that_cannot_load_the_model_is_one_line_and_the_others_do_the_work(
    corpus, tmp_path
):
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
        ) as local,
        distributed.Client(local, set_as_default=False) as client,
    ):
        broken = sorted(client.scheduler_info()["workers"])[0]
        client.run(_lose_the_model, workers=[broken])
        db = tmp_path / "news.db"
        done = _newsents("extract", str(corpus), "--db", str(db), "--dask", local.scheduler_address)
        out, err = done.communicate(timeout=300)
        assert done.returncode == 0, err.decode()
        (line,) = [line for line in err.decode().splitlines() if line.startswith("Warning")]
        assert f"Dask worker {broken}" in line and "is not installed" in line
        assert _stored(db) == 240
        client.run(_lose_the_model)  # now every worker has lost it
        again = _newsents(
            "extract", str(corpus), "--db", str(tmp_path / "none.db"),
            "--dask", local.scheduler_address,
        )  # fmt: skip
        _, err = again.communicate(timeout=300)
    assert again.returncode == 1
    (line,) = err.decode().splitlines()
    assert "no Dask worker can load the model" in line
