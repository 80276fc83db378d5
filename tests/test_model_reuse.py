"""A newer loader that shows the model the same text reuses the stored model output: an upgrade
that changes how files are read, but not what the model reads, runs no NLP again."""

from __future__ import annotations

import pytest

import newsents.nlp as nlp_module
from newsents import fingerprint
from newsents.pipeline import extract
from newsents.store import open_store

ARTICLES = {
    "ferry.txt": "Ferry strike ends\n\nDockers in Calais voted on Monday to end a strike against "
    "Seaways Ltd, said union leader Marta Quellec.\n",
    "budget.txt": "Budget talks stall\n\nFinance minister Oren Haldane met officials of the "
    "World Bank in Washington on Tuesday.\n",
}


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "news"
    root.mkdir()
    for name, text in ARTICLES.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def _entities(result) -> list[tuple[str, str, int]]:
    return sorted((e.id, e.name, e.mention_count) for e in result.graph.entities)


def _a_newer_loader(monkeypatch) -> None:
    """What the store sees of a newsents whose loader changed: another input fingerprint."""
    real = fingerprint.model_input
    monkeypatch.setattr(fingerprint, "model_input", lambda: "new-loader-" + real())


def _no_model(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the model ran")

    monkeypatch.setattr(nlp_module, "analyze_texts", refuse)


def test_a_newer_loader_showing_the_model_the_same_text_runs_no_nlp(folder, tmp_path, monkeypatch):
    store = open_store(tmp_path / "news.db")
    first = extract([str(folder)], store=store, jobs=1)
    assert first.analysed == 2

    _a_newer_loader(monkeypatch)
    _no_model(monkeypatch)
    again = extract([str(folder)], store=store, jobs=1)
    assert (again.analysed, again.resolved) == (0, 2)
    assert _entities(again) == _entities(first)

    # The output is now kept under the newer loader's key: the next run reads no file at all.
    third = extract([str(folder)], store=store, jobs=1)
    assert (third.analysed, third.resolved, third.reused) == (0, 0, 2)
    assert store.db.execute("SELECT count(*) FROM model_outputs").fetchone()[0] == 2


def test_a_loader_that_shows_the_model_another_text_runs_it_again(folder, tmp_path, monkeypatch):
    store = open_store(tmp_path / "news.db")
    extract([str(folder)], store=store, jobs=1)

    _a_newer_loader(monkeypatch)
    real = fingerprint.text_digest
    monkeypatch.setattr(fingerprint, "text_digest", lambda text: real(text.upper()))
    again = extract([str(folder)], store=store, jobs=1)
    assert (again.analysed, again.resolved) == (2, 0)


def test_outputs_stored_before_texts_had_digests_are_not_reused(folder, tmp_path, monkeypatch):
    store = open_store(tmp_path / "news.db")
    extract([str(folder)], store=store, jobs=1)
    store.db.execute("UPDATE model_outputs SET text_digest = NULL")
    store.db.commit()

    _a_newer_loader(monkeypatch)
    again = extract([str(folder)], store=store, jobs=1)
    assert (again.analysed, again.resolved) == (2, 0)


def test_another_way_of_running_the_model_runs_it_again(folder, tmp_path, monkeypatch):
    store = open_store(tmp_path / "news.db")
    extract([str(folder)], store=store, jobs=1)

    _a_newer_loader(monkeypatch)
    monkeypatch.setattr(fingerprint, "model_runner", lambda: "another-runner")
    again = extract([str(folder)], store=store, jobs=1)
    assert (again.analysed, again.resolved) == (2, 0)
