"""Fine-tune a pipeline's `ner` on gold articles, keeping what the base model knows.

The model is taught on the text newsents itself gives it (`load.text_for_nlp`: bylines and
datelines blanked, lines of capitals truecased), so training sees what extraction sees.

What each token is taught (`reference_tags`):
- a gold name (PER, ORG, LOC, or person, organization, place): PERSON or ORG; a place takes
  the base model's place label (GPE, LOC, FAC) when the base model found the same span, else
  GPE;
- a gold MISC span: missing (neither an entity nor a non-entity), unless the base model gave
  exactly that span a label of the MISC family (NORP, EVENT...), which it then keeps;
- outside gold, a label the gold scheme does not cover (DATE, MONEY, CARDINAL...): the base
  model's own prediction, rehearsed so that the model does not forget it;
- outside gold, a base prediction of a MISC-family label, when the gold has MISC: missing;
- everything else: not an entity (the base model's PERSON/ORG/GPE outside gold are its errors).
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from newsents.errors import InputError
from newsents.evaluate import (
    GoldDocument,
    check_documents,
    detect_format,
    gold_name_mentions,
    load_gold_article,
    read_gold,
)
from newsents.models import MentionScores, TrainReport, TrainSettings
from newsents.nlp import BASE_KEY

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.training import Example

# Gold labels (CoNLL, newsents types, GUM) and the spaCy label each teaches; None: a place.
LABEL_OF_GOLD: dict[str, str | None] = {
    "PER": "PERSON",
    "person": "PERSON",
    "ORG": "ORG",
    "organization": "ORG",
    "LOC": None,
    "place": None,
}
MISC_LABEL = "MISC"
PLACE_LABELS = ("GPE", "LOC", "FAC")
DEFAULT_PLACE_LABEL = "GPE"
# spaCy labels that CoNLL's MISC covers: nationalities, events, works, laws, languages, products.
MISC_FAMILY = frozenset({"NORP", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "PRODUCT"})
NAME_LABELS = frozenset({"PERSON", "ORG", *PLACE_LABELS})


@dataclass
class LabelledText:
    """One text to learn from, with its spans: gold (taught), missing, and the base model's."""

    text: str
    gold: list[tuple[int, int, str | None]]
    missing: list[tuple[int, int]] = field(default_factory=list)


# --- reading and checking gold ----------------------------------------------------------------


def read_training_gold(path: str | Path) -> list[GoldDocument]:
    """Gold articles with labelled names; InputError naming the first problem."""
    name = str(path)
    documents = read_gold(path)
    fmt = detect_format(documents[0], name=name)
    if fmt not in ("conll", "gum"):
        raise InputError(
            name, f"{fmt} gold has no entity labels: give 'entities' with labels (CoNLL layout)"
        )
    check_documents(documents, fmt, name)
    if fmt == "conll":
        for number, document in enumerate(documents, start=1):
            _check_labels_and_overlaps(document, number, name)
    return documents


def _check_labels_and_overlaps(document: GoldDocument, number: int, name: str) -> None:
    spans = sorted(document.entities or [], key=lambda e: (e.start, e.end))
    for entity in spans:
        if entity.label not in LABEL_OF_GOLD and entity.label != MISC_LABEL:
            known = ", ".join([*LABEL_OF_GOLD, MISC_LABEL])
            raise InputError(
                name,
                f"document {number} ({document.id}): unknown label {entity.label!r} "
                f"(known: {known})",
            )
    for before, after in zip(spans, spans[1:], strict=False):
        if after.start < before.end:
            raise InputError(
                name,
                f"document {number} ({document.id}): spans {before.start}-{before.end} and "
                f"{after.start}-{after.end} overlap",
            )


def gold_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def labelled_texts(documents: Sequence[GoldDocument]) -> list[LabelledText]:
    """Each gold document as the model will see it in newsents, with its spans."""
    from newsents.load import text_for_nlp

    found = []
    for document in documents:
        text = text_for_nlp(load_gold_article(document))
        fmt = "conll" if document.entities is not None else "gum"
        gold: list[tuple[int, int, str | None]] = []
        missing: list[tuple[int, int]] = []
        if fmt == "conll":
            for e in document.entities or []:
                if not text[e.start : e.end].strip():
                    continue  # a byline or dateline the model never sees
                if e.label == MISC_LABEL:
                    missing.append((e.start, e.end))
                else:
                    gold.append((e.start, e.end, LABEL_OF_GOLD[e.label]))
        else:
            names = gold_name_mentions(document, "gum")
            gold = [(s, e, LABEL_OF_GOLD[label]) for s, e, label in names]
            named = {(s, e) for s, e, _ in names}
            missing = [
                (m.start, m.end)
                for m in document.mentions or []
                if m.proper and (m.start, m.end) not in named
            ]
        found.append(LabelledText(text=text, gold=gold, missing=missing))
    return found


def split_into_lines(texts: Iterable[LabelledText]) -> list[LabelledText]:
    """Each non-blank line its own text (sentence-level context), spans moved with it."""
    found = []
    for item in texts:
        at = 0
        for line in item.text.split("\n"):
            start, end = at, at + len(line)
            at = end + 1
            if not line.strip():
                continue
            found.append(
                LabelledText(
                    text=line,
                    gold=[
                        (s - start, e - start, lab)
                        for s, e, lab in item.gold
                        if start <= s < e <= end
                    ],
                    missing=[
                        (s - start, e - start) for s, e in item.missing if start <= s < e <= end
                    ],
                )
            )
    return found


def recased_copies(texts: Sequence[LabelledText], *, share: float, seed: int) -> list[LabelledText]:
    """Copies of a share of the texts with one line in CAPITALS or in Title Case, as headlines
    and captions come; the case of a line never changes its length, so spans still hold."""
    chooser = random.Random(seed)
    copies = []
    for item in texts:
        if chooser.random() >= share:
            continue
        lines = item.text.split("\n")
        candidates = [i for i, line in enumerate(lines) if len(line.split()) >= 3]
        if not candidates:
            continue
        i = chooser.choice(candidates)
        recased = lines[i].upper() if chooser.random() < 0.5 else _title_case(lines[i])
        if len(recased) != len(lines[i]):
            continue
        lines[i] = recased
        copies.append(LabelledText("\n".join(lines), list(item.gold), list(item.missing)))
    return copies


def _title_case(line: str) -> str:
    return " ".join(w[:1].upper() + w[1:] if len(w) > 3 else w for w in line.split(" "))


# --- what each token is taught ----------------------------------------------------------------


@dataclass
class Tally:
    taught: dict[str, int] = field(default_factory=dict)
    rehearsed: dict[str, int] = field(default_factory=dict)
    missing: int = 0
    misaligned: int = 0

    def count(self, table: dict[str, int], label: str) -> None:
        table[label] = table.get(label, 0) + 1


def reference_tags(
    doc: Doc,
    item: LabelledText,
    base_spans: Sequence[tuple[int, int, str]],
    *,
    gold_has_misc: bool,
    tally: Tally,
) -> list[str]:
    """BILUO tags for one text: gold names taught, MISC missing, other base labels rehearsed."""
    tags = ["O"] * len(doc)
    claimed = [False] * len(doc)
    base_label = {(s, e): label for s, e, label in base_spans}

    def tokens(start: int, end: int, mode: str) -> range | None:
        span = doc.char_span(start, end, alignment_mode=mode)
        return range(span.start, span.end) if span is not None and len(span) else None

    def mark(where: range, label: str) -> None:
        if len(where) == 1:
            tags[where.start] = f"U-{label}"
        else:
            tags[where.start] = f"B-{label}"
            for i in where[1:-1]:
                tags[i] = f"I-{label}"
            tags[where[-1]] = f"L-{label}"
        for i in where:
            claimed[i] = True

    def leave_missing(where: range) -> None:
        for i in where:
            if not claimed[i]:
                tags[i] = "-"
                claimed[i] = True

    # outer names first: GUM nests names (`Museum of Flight` holds `Flight`), CoNLL never does
    for start, end, label in sorted(item.gold, key=lambda g: (g[0], -g[1])):
        where = tokens(start, end, "strict")
        if where is None or any(claimed[i] for i in where):
            tally.misaligned += where is None
            expanded = tokens(start, end, "expand")
            if expanded is not None:
                leave_missing(expanded)
            continue
        if label is None:
            predicted = base_label.get((start, end))
            label = predicted if predicted in PLACE_LABELS else DEFAULT_PLACE_LABEL
        mark(where, label)
        tally.count(tally.taught, label)
    for start, end in item.missing:
        where = tokens(start, end, "expand")
        if where is None:
            continue
        predicted = base_label.get((start, end))
        if predicted in MISC_FAMILY and not any(claimed[i] for i in where):
            mark(where, predicted)
            tally.count(tally.taught, predicted)
        else:
            leave_missing(where)
            tally.missing += 1
    for start, end, label in base_spans:
        where = tokens(start, end, "strict")
        if where is None or label in NAME_LABELS:
            continue
        if any(claimed[i] for i in where) or (gold_has_misc and label in MISC_FAMILY):
            leave_missing(where)
            continue
        mark(where, label)
        tally.count(tally.rehearsed, label)
    return tags


# --- the pipeline -----------------------------------------------------------------------------


def load_base(name: str | None) -> tuple[str, Language]:
    """The base pipeline as extraction loads it, with only what it runs (senter, ner and what
    they listen to), ready to train."""
    from newsents.nlp import load_pipeline, model_name

    resolved = model_name(name)
    nlp = load_pipeline(resolved)
    for component in list(nlp.disabled):
        nlp.remove_pipe(component)
    return resolved, nlp


def trained_components(nlp: Language) -> list[str]:
    """`ner` and a shared tok2vec it may listen to: not the sentence splitter."""
    return [c for c in nlp.pipe_names if c not in ("senter", "sentencizer", "parser")]


def base_predictions(nlp: Language, texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
    """The base model's entities for each text, before any update."""
    with nlp.select_pipes(enable=trained_components(nlp)):
        return [
            [(e.start_char, e.end_char, e.label_) for e in doc.ents]
            for doc in nlp.pipe(texts, batch_size=16)
        ]


def make_examples(
    nlp: Language, items: Sequence[LabelledText], *, gold_has_misc: bool, tally: Tally
) -> list[Example]:
    from spacy.training import Example

    predictions = base_predictions(nlp, [item.text for item in items])
    examples = []
    for item, base_spans in zip(items, predictions, strict=True):
        doc = nlp.make_doc(item.text)
        tags = reference_tags(doc, item, base_spans, gold_has_misc=gold_has_misc, tally=tally)
        examples.append(Example.from_dict(doc, {"entities": tags}))
    return examples


def fine_tune(
    nlp: Language,
    examples: Sequence[Example],
    settings: TrainSettings,
    *,
    on_step: Callable[[int, float], None] | None = None,
) -> float:
    """Update `ner` for settings.steps batches; the last step's loss."""
    from spacy.training.batchers import minibatch_by_words
    from thinc.api import Adam, warmup_linear

    schedule = warmup_linear(
        initial_rate=settings.learn_rate,
        # a short run on a user's few articles must not spend itself warming up
        warmup_steps=min(settings.warmup_steps, settings.steps // 5),
        total_steps=settings.steps,
    )
    # thinc's stubs predate its Schedule objects, which Adam accepts
    adam = Adam(learn_rate=cast(Any, schedule), L2=0.01, grad_clip=1.0)
    optimizer = nlp.resume_training(sgd=adam)
    shuffler = random.Random(settings.seed)
    order = list(examples)
    step, loss = 0, 0.0
    with nlp.select_pipes(enable=trained_components(nlp)):
        while step < settings.steps:
            shuffler.shuffle(order)
            for batch in minibatch_by_words(order, size=settings.batch_words, tolerance=0.2):
                losses: dict[str, float] = {}
                nlp.update(batch, drop=settings.dropout, sgd=optimizer, losses=losses)
                optimizer.step_schedules()
                step += 1
                loss = losses.get("ner", 0.0)
                if on_step is not None:
                    on_step(step, loss)
                if step >= settings.steps:
                    break
    return loss


Weights = list[tuple[int, str, Any]]  # (node index in model.walk(), param name, array)


def ner_weights(nlp: Language) -> Weights:
    """A copy of every parameter of the `ner` model, before training changes them."""
    model = cast(Any, nlp.get_pipe("ner")).model
    return [
        (i, name, node.get_param(name).copy())
        for i, node in enumerate(model.walk())
        for name in node.param_names
        if node.has_param(name)
    ]


def blend_weights(nlp: Language, base: Weights, *, share: float) -> None:
    """`ner` weights := share × fine-tuned + (1 − share) × base (WiSE-FT, Wortsman et al.
    2022). The fine-tuned model alone forgets some of what the base knows of news unlike its
    training set (on GUM web news, 62.7 mention F1 against 64.8 blended; docs/models.md)."""
    if share >= 1:
        return
    nodes = list(cast(Any, nlp.get_pipe("ner")).model.walk())
    for i, name, value in base:
        tuned = nodes[i].get_param(name)
        nodes[i].set_param(name, share * tuned + (1 - share) * value)


def write_pipeline(nlp: Language, output: Path, *, meta: dict[str, object]) -> None:
    """Save the pipeline to `output`, replacing what was there only once it is complete."""
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-", dir=output.parent))
    try:
        nlp.meta.update(meta)
        nlp.to_disk(staging)
        if output.exists():
            shutil.rmtree(output)
        staging.rename(output)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def train(
    gold_path: str | Path,
    *,
    output: str | Path,
    base: str | None = None,
    dev: str | Path | None = None,
    settings: TrainSettings | None = None,
    meta: dict[str, object] | None = None,
    on_step: Callable[[int, float], None] | None = None,
) -> TrainReport:
    """Fine-tune `base` (the current model by default) on a gold file and write it to `output`.

    With `dev` (a CoNLL-style or GUM gold file), the report holds its mention scores before
    and after. Raises InputError for bad gold or dev files before anything is written.
    """
    import time

    from spacy.util import fix_random_seed

    began = time.perf_counter()
    settings = settings or TrainSettings()
    documents = read_training_gold(gold_path)
    if dev is not None:
        read_training_gold(dev)
    gold_has_misc = any(e.label == MISC_LABEL for d in documents for e in d.entities or [])
    fix_random_seed(settings.seed)
    base_name, nlp = load_base(base)
    items = labelled_texts(documents)
    if settings.context == "line":
        items = split_into_lines(items)
    items += recased_copies(items, share=settings.recase_share, seed=settings.seed)
    tally = Tally()
    examples = make_examples(nlp, items, gold_has_misc=gold_has_misc, tally=tally)
    if not any(tally.taught.values()):
        raise InputError(str(gold_path), "no names to learn from (every span is MISC or unseen)")
    base_weights = ner_weights(nlp)
    final_loss = fine_tune(nlp, examples, settings, on_step=on_step)
    blend_weights(nlp, base_weights, share=settings.blend)
    report = TrainReport(
        base=base_name,
        output=str(output),
        gold=Path(gold_path).name,
        gold_sha256=gold_sha256(gold_path),
        documents=len(documents),
        examples=len(examples),
        taught=dict(sorted(tally.taught.items())),
        rehearsed=dict(sorted(tally.rehearsed.items())),
        missing_spans=tally.missing,
        misaligned_spans=tally.misaligned,
        settings=settings,
        final_loss=round(float(final_loss), 3),
        seconds=round(time.perf_counter() - began, 1),
    )
    training = json.loads(report.model_dump_json(exclude={"output", "seconds"}))
    saved_meta = {
        BASE_KEY: base_name,
        "spacy_version": _this_spacy_minor(),  # the weights are saved and tested with it
        "newsents_training": training,
        **(meta or {}),
    }
    write_pipeline(nlp, Path(output), meta=saved_meta)
    if dev is not None:
        report.dev_before = dev_mentions(dev, base_name)
        report.dev_after = dev_mentions(dev, str(output))
    report.seconds = round(time.perf_counter() - began, 1)
    return report


def _this_spacy_minor() -> str:
    import spacy

    major, minor = (int(part) for part in spacy.__version__.split(".")[:2])
    return f">={major}.{minor}.0,<{major}.{minor + 1}.0"


def dev_mentions(dev: str | Path, model: str) -> MentionScores | None:
    from newsents.evaluate import evaluate

    return evaluate(dev, model=model).mentions
