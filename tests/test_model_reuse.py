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


def test_articles_a_run_does_not_name_are_resolved_by_the_new_rules_from_the_same_text(
    folder, tmp_path, monkeypatch
):
    store = open_store(tmp_path / "news.db")
    extract([str(folder)], store=store, jobs=1)
    old_keys = dict(store.db.execute("SELECT id, model FROM articles"))

    _a_newer_loader(monkeypatch)
    real_rules = fingerprint.article_rules
    monkeypatch.setattr(fingerprint, "article_rules", lambda: "new-rules-" + real_rules())
    later = tmp_path / "later"
    later.mkdir()
    (later / "port.txt").write_text(
        "Port reopens\n\nThe port of Calais reopened on Wednesday, Seaways Ltd said.\n",
        encoding="utf-8",
    )
    run = extract([str(later)], store=store, jobs=1)
    assert run.analysed == 1
    rows = store.db.execute("SELECT id, model, analyzer FROM articles").fetchall()
    earlier = {i: (model, rules) for i, model, rules in rows if i in old_keys}
    # Resolved by this build's rules, from their stored reading and output, with no NLP; their
    # key still says an older loader read them, so a run naming their files reads them again.
    assert earlier == {i: (old_keys[i], fingerprint.article_rules()) for i in old_keys}


def test_the_runner_fingerprint_follows_nlp_and_the_output_model_not_the_loader(
    tmp_path, monkeypatch
):
    import shutil
    from pathlib import Path

    import newsents

    copy = tmp_path / "newsents"
    shutil.copytree(Path(newsents.__file__).parent, copy)
    monkeypatch.setattr(fingerprint, "_PACKAGE", copy)

    def after(file: str, old: str, new: str) -> tuple[str, str]:
        path = copy / file
        text = path.read_text(encoding="utf-8")
        assert old in text, "the check is broken"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        fingerprint.fingerprint.cache_clear()
        fingerprint.definitions.cache_clear()
        return fingerprint.model_runner(), fingerprint.model_input()

    try:
        runner, loader = after("nlp.py", "", "")
        edited = after("load/text.py", "def text_for_nlp(", "# edited\ndef text_for_nlp(")
        assert edited[0] == runner and edited[1] != loader
        assert after("nlp.py", "PIECE_CHARS = 20_000", "PIECE_CHARS = 10_000")[0] != runner
        runner = fingerprint.model_runner()
        output_model = "class ModelOutput(Model):"
        assert after("models.py", output_model, output_model + "\n    x: int = 0")[0] != runner
    finally:
        fingerprint.fingerprint.cache_clear()
        fingerprint.definitions.cache_clear()
