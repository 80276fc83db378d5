"""Quality gate on the gold dev sets in ../shared/eval (evaluation-only data, never copied here).

Floors (tests/quality_floors.json, with the sha256 of the gold file each was measured on) sit
just under what `newsents evaluate` measures today (docs/evaluation.md). They may
only be raised: a change that lowers one must be fixed, not the floor.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from newsents.evaluate import evaluate

FLOORS_FILE = Path(__file__).with_name("quality_floors.json")


def _floors(text: str) -> dict[str, dict]:
    return json.loads(text)["sets"]


FLOORS = _floors(FLOORS_FILE.read_text(encoding="utf-8"))


def _measured(report) -> dict[str, float]:
    found = {}
    if report.mentions:
        found["mentions"] = report.mentions.total.f1
        found["ORG"] = report.mentions.by_label["ORG"].f1
    if report.entity_set:
        found["entity_set"] = report.entity_set.f1
    if report.links:
        found["within_f1"] = report.links.within_documents.f1
        found["within_precision"] = report.links.within_documents.precision
        found["across_f1"] = report.links.across_corpus.f1
        found["across_precision"] = report.links.across_corpus.precision
    if report.timex:
        found["timex"] = report.timex.accuracy
    return found


@pytest.mark.corpus
@pytest.mark.parametrize("gold", sorted(FLOORS))
def test_quality_stays_above_its_floors(shared, gold):
    path = shared / "eval" / gold
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert digest == FLOORS[gold]["sha256"], (
        f"{path} is not the gold file the floors were measured on: measure again and record "
        "its sha256 with the new floors in tests/quality_floors.json"
    )
    measured = _measured(evaluate(path))
    floors = FLOORS[gold]["floors"]
    below = {k: (measured[k], floor) for k, floor in floors.items() if measured[k] < floor}
    assert not below, f"{gold}: below the floor (measured, floor): {below}"


def _committed_floors() -> list[tuple[str, dict[str, dict]]]:
    """The floors file as the last two commits hold it (none outside a git checkout)."""
    found = []
    for revision in ("HEAD", "HEAD~1"):
        shown = subprocess.run(
            ["git", "show", f"{revision}:tests/{FLOORS_FILE.name}"],
            cwd=FLOORS_FILE.parent,
            capture_output=True,
            text=True,
            check=False,
        )
        if shown.returncode == 0:
            found.append((revision, _floors(shown.stdout)))
    return found


def test_no_floor_is_lowered_without_saying_why():
    """Against the last commit and the one before (so CI checks the commit it runs on): a
    lower floor, or a dropped one, needs an entry in that set's `lowered` naming it."""
    committed = _committed_floors()
    if not committed:
        pytest.skip("not a git checkout: no earlier floors to compare with")
    lowered = []
    for revision, before in committed:
        for gold, entry in before.items():
            now = FLOORS.get(gold, {})
            explained = now.get("lowered", {})
            for measure, floor in entry["floors"].items():
                current = now.get("floors", {}).get(measure)
                if (current is None or current < floor) and measure not in explained:
                    lowered.append(f"{gold} {measure}: {floor} at {revision}, now {current}")
    assert not lowered, "floors lowered silently: " + "; ".join(lowered)
