"""Quality gate on the gold dev sets in ../shared/eval (evaluation-only data, never copied here).

Floors sit just under what `newsents evaluate` measures today (docs/evaluation.md). They may
only be raised: a change that lowers one must be fixed, not the floor.
"""

from __future__ import annotations

import pytest

from newsents.evaluate import evaluate

pytestmark = pytest.mark.corpus

# Measured with the bundled en_newsents_md 1.0.0 on 2026-12-01 (docs/models.md): CoNLL++ dev
# 86.7 / ORG 82.6 / entity set 86.7, CoNLL dev 90.8 / 83.2 / 91.4, GUM 64.8 / 57.0, AIDA
# 97.0 (98.5) / 94.6 (94.1), TBAQ 0.912.
FLOORS = {
    "conllpp-dev.jsonl": {"mentions": 0.86, "ORG": 0.82, "entity_set": 0.86},
    "conll2003-dev.jsonl": {"mentions": 0.90, "ORG": 0.825, "entity_set": 0.91},
    "gum-news.jsonl": {"mentions": 0.64, "entity_set": 0.565},
    "aida-conll-dev.jsonl": {
        "within_f1": 0.965,
        "within_precision": 0.98,
        "across_f1": 0.942,
        "across_precision": 0.935,
    },
    "tbaq.jsonl": {"timex": 0.91},
}


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


@pytest.mark.parametrize("gold", sorted(FLOORS))
def test_quality_stays_above_its_floors(shared, gold):
    measured = _measured(evaluate(shared / "eval" / gold))
    below = {k: (measured[k], floor) for k, floor in FLOORS[gold].items() if measured[k] < floor}
    assert not below, f"{gold}: below the floor (measured, floor): {below}"
