"""Date normalisation accuracy on TempEval-3 TBAQ (TimeBank + AQUAINT), evaluation only.

Of the DATE timexes whose gold value is a calendar value (YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Www),
a mention is right when a predicted date span overlaps the gold span and its value equals the
gold value (ISO week numbers compared without zero padding: the gold writes both W07 and W7).
Predicted spans are spaCy's DATE entities, optionally with TIME entities and the span fixes of
`newsents.resolve.dates.find_date_spans`; each is normalised with the document's publication date.

    python benchmarks/dates_tbaq.py                 # spaCy DATE spans + find_date_spans
    python benchmarks/dates_tbaq.py --raw-spans     # spaCy DATE spans only
    python benchmarks/dates_tbaq.py --errors 40     # list 40 wrong mentions too

The data is read from ../shared/eval/tbaq.jsonl and never written; without it the script exits
with a message.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from newsents.nlp import DEFAULT_MODEL, load_pipeline
from newsents.resolve.dates import find_date_spans, normalize_date

ROOT = Path(__file__).resolve().parents[1]
TBAQ = ROOT.parent / "shared" / "eval" / "tbaq.jsonl"
README_DENOMINATOR = 1070  # the count quoted in ../shared/eval/README.md
CALENDAR = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?|-W\d{1,2})?")


@dataclass
class Outcome:
    anchor: dt.date
    gold_text: str
    gold_value: str
    granularity: str
    predicted: list[tuple[str, str | None]]  # (span text, value) of overlapping predictions
    right: bool


def granularity_of(value: str) -> str:
    if "-W" in value:
        return "week"
    return {4: "year", 7: "month", 10: "day"}[len(value)]


def same_value(predicted: str | None, gold: str) -> bool:
    if predicted is None:
        return False
    return re.sub(r"-W0(\d)$", r"-W\1", predicted) == re.sub(r"-W0(\d)$", r"-W\1", gold)


def predicted_spans(nlp, text: str, *, raw: bool, with_time: bool) -> list[tuple[int, int]]:
    doc = nlp(text)
    ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    if not raw:
        return find_date_spans(text, ents)
    labels = {"DATE", "TIME"} if with_time else {"DATE"}
    return [(start, end) for start, end, label in ents if label in labels]


def score_doc(nlp, doc: dict, *, raw: bool, with_time: bool) -> list[Outcome]:
    anchor = dt.date.fromisoformat(doc["dct"])
    text = doc["text"]
    predictions = [
        (start, end, normalize_date(text[start:end], anchor=anchor).value)
        for start, end in predicted_spans(nlp, text, raw=raw, with_time=with_time)
    ]
    outcomes = []
    for timex in doc["timexes"]:
        if timex["type"] != "DATE" or not CALENDAR.fullmatch(timex["value"]):
            continue
        overlapping = [
            (text[start:end], value)
            for start, end, value in predictions
            if start < timex["end"] and end > timex["start"]
        ]
        right = any(same_value(value, timex["value"]) for _, value in overlapping)
        outcomes.append(
            Outcome(
                anchor,
                timex["text"],
                timex["value"],
                granularity_of(timex["value"]),
                overlapping,
                right,
            )
        )
    return outcomes


def error_kind(outcome: Outcome) -> str:
    if not outcome.predicted:
        return "no overlapping span"
    values = [value for _, value in outcome.predicted]
    if all(value is None for value in values):
        return "unresolved (None)"
    if any(value and value[:4] == outcome.gold_value[:4] for value in values):
        return "right year, wrong value/unit"
    return "wrong year"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=TBAQ)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--raw-spans", action="store_true", help="spaCy spans, no span fixes")
    parser.add_argument("--with-time", action="store_true", help="with --raw-spans: add TIME")
    parser.add_argument("--errors", type=int, default=0, help="list this many wrong mentions")
    args = parser.parse_args()
    if not args.data.is_file():
        print(f"skipped: {args.data} not found (the shared eval data is absent)", file=sys.stderr)
        return 0

    nlp = load_pipeline(args.model)
    docs = [json.loads(line) for line in args.data.open(encoding="utf-8")]
    outcomes = [
        outcome
        for doc in docs
        for outcome in score_doc(nlp, doc, raw=args.raw_spans, with_time=args.with_time)
    ]
    report(outcomes, args.errors)
    return 0


def report(outcomes: list[Outcome], show_errors: int) -> None:
    right = sum(o.right for o in outcomes)
    print(f"TBAQ calendar-valued DATE timexes: {len(outcomes)}")
    print(
        f"accuracy: {right / len(outcomes):.3f} ({right}/{len(outcomes)}); "
        f"over the README's {README_DENOMINATOR}: {right / README_DENOMINATOR:.3f}"
    )
    print("\nby gold granularity:")
    totals = Counter(o.granularity for o in outcomes)
    hits = Counter(o.granularity for o in outcomes if o.right)
    for unit, total in totals.most_common():
        print(f"  {unit:<6} {hits[unit]:>4}/{total:<4} {hits[unit] / total:.3f}")
    wrong = [o for o in outcomes if not o.right]
    print("\nerror kinds:")
    for kind, count in Counter(error_kind(o) for o in wrong).most_common():
        print(f"  {count:>4}  {kind}")
    print("\nmost frequent wrong gold texts:")
    for text, count in Counter(o.gold_text.lower() for o in wrong).most_common(12):
        print(f"  {count:>4}  {text!r}")
    for outcome in wrong[:show_errors]:
        gold = f"{outcome.gold_text!r}={outcome.gold_value}"
        print(f"  {outcome.anchor:%Y-%m-%d %a} gold {gold}  predicted {outcome.predicted}")


if __name__ == "__main__":
    sys.exit(main())
