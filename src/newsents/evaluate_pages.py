"""Scoring the text newsents reads from saved pages against the body a person marked.

The ground truth is a folder with `ground-truth.json` (`{ID: {"url": ..., "articleBody": ...}}`)
and `pages/ID.html`, as the article-extraction benchmark of Scrapinghub (Zyte) lays it out. The
body newsents yields (the article's body blocks: no title, byline, captions or credits) is
scored by 4-word shingles: tokens are `\\w+` runs; tp, fp and fn count the shingles shared,
only newsents's and only the gold's, each divided by their sum so every page weighs the same;
precision and recall are over those sums, F1 from them (the benchmark's own scoring).
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from pathlib import Path

from pydantic import Field

from newsents.errors import InputError, NewsentsError
from newsents.models import Block, LoadedArticle, Model

GROUND_TRUTH = "ground-truth.json"
SHINGLE = 4


class PageScore(Model):
    page: str
    precision: float
    recall: float
    f1: float
    error: str | None = Field(default=None, description="Why no text was read, if none was.")


class BodyReport(Model):
    """How well newsents reads the article body of saved pages."""

    gold: str
    format: str = "pages"
    pages: int
    precision: float
    recall: float
    f1: float
    failed: int = Field(description="Pages from which no text was read (scored as empty).")
    seconds: float = Field(description="Reading the pages: decoding and extraction, no NLP.")
    pages_per_second: float
    worst: list[PageScore] = Field(description="The ten pages scored lowest, worst first.")


def is_page_ground_truth(path: str | Path) -> bool:
    path = Path(path)
    return path.name == GROUND_TRUTH or (path / GROUND_TRUTH).is_file()


def evaluate_pages(path: str | Path, *, limit: int | None = None) -> BodyReport:
    from newsents.load import read_source

    folder = Path(path).parent if Path(path).name == GROUND_TRUTH else Path(path)
    truth = _ground_truth(folder)
    ids = sorted(truth)[:limit] if limit else sorted(truth)
    sums = [0.0, 0.0, 0.0]
    scores, failed, seconds = [], 0, 0.0
    for page_id in ids:
        page = folder / "pages" / f"{page_id}.html"
        began = time.perf_counter()
        found = [item for _, item in read_source(str(page))]
        seconds += time.perf_counter() - began
        loaded = found[0] if found else InputError(str(page), "nothing read")
        error = None if isinstance(loaded, LoadedArticle) else str(loaded)
        failed += error is not None
        body = body_text(loaded) if isinstance(loaded, LoadedArticle) else ""
        tp, fp, fn = shingle_counts(body, truth[page_id])
        total = tp + fp + fn
        if total:
            sums = [sums[0] + tp / total, sums[1] + fp / total, sums[2] + fn / total]
        scores.append(_page_score(page_id, tp, fp, fn, error))
    precision, recall = _ratio(sums[0], sums[0] + sums[1]), _ratio(sums[0], sums[0] + sums[2])
    return BodyReport(
        gold=str(folder),
        pages=len(ids),
        precision=precision,
        recall=recall,
        f1=_f1(precision, recall),
        failed=failed,
        seconds=round(seconds, 3),
        pages_per_second=round(len(ids) / seconds, 1) if seconds else 0.0,
        worst=sorted(scores, key=lambda s: (s.f1, s.page))[:10],
    )


def body_text(loaded: LoadedArticle) -> str:
    """The article's body: its body blocks, the dateline that opens its first paragraph
    (`PARIS (Reuters) -`) and a wire sign-off (the story's own last words), without title,
    byline, date, captions or credits."""
    blocks = loaded.blocks
    return "\n".join(
        b.text
        for b, after in zip(blocks, [*blocks[1:], None], strict=True)
        if b.section in ("body", "signoff") or _opens_a_paragraph_of_the_story(b, after, loaded)
    )


def _opens_a_paragraph_of_the_story(
    block: Block, after: Block | None, loaded: LoadedArticle
) -> bool:
    return (
        block.section in ("dateline", "credit")
        and after is not None
        and after.section in ("credit", "body")
        and "\n" not in loaded.text[block.end : after.start]
    )


def shingle_counts(predicted: str, gold: str) -> tuple[int, int, int]:
    ours, theirs = _shingles(predicted), _shingles(gold)
    shared = sum((ours & theirs).values())
    return shared, sum(ours.values()) - shared, sum(theirs.values()) - shared


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = re.findall(r"\w+", text)
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def _ground_truth(folder: Path) -> dict[str, str]:
    path = folder / GROUND_TRUTH
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {page_id: entry["articleBody"] for page_id, entry in data.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise NewsentsError(
            f"{path}: not a page ground truth ({{ID: {{articleBody: ...}}}}): {error}"
        ) from error


def _page_score(page: str, tp: int, fp: int, fn: int, error: str | None) -> PageScore:
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    if tp + fp + fn == 0:
        precision = recall = 1.0
    return PageScore(
        page=page, precision=precision, recall=recall, f1=_f1(precision, recall), error=error
    )


def _ratio(part: float, whole: float) -> float:
    return round(part / whole, 4) if whole else 0.0


def _f1(precision: float, recall: float) -> float:
    return round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
