"""Score :func:`frontline.events.classify` on the CASE 2021 task 2 event-type snippets.

The corpus (../shared/eval/events/case2021_task2_event_types.tsv, or the folder named by
$FRONTLINE_EVAL) is read for measuring only; the script exits cleanly when it is absent.

Mapping of the CASE (ACLED-style) sub-types to Frontline's types:

=====================================================  ==============================
CASE label(s)                                          Frontline type
=====================================================  ==============================
ART_MISS_ATTACK                                        shelling or missile_strike *
AIR_STRIKE                                             air_drone_strike
ARMED_CLASH                                            armed_clash
GOV_REGAINS_TERIT, NON_STATE_ACTOR_OVERTAKES_TER,      territory_change
NON_VIOL_TERRIT_TRANSFER
ATTACK, ABDUCT_DISSAP, SEX_VIOL                        civilian_harm (violence against
                                                       civilians)
MAN_MADE_DISASTER                                      infrastructure (accidents, fires,
                                                       spills, crashes)
DIPLO, AGREEMENT, ATTRIB                               statement
GRENADE, SUIC_BOMB, REM_EXPLOS, CHEM_WEAP,             other (explosions and remote
DISR_WEAP, PEACE_PROTEST, PROTEST_WITH_INTER,          violence without a weapon type of
VIOL_DEMONSTR, FORCE_AGAINST_PROTEST, MOB_VIOL,        ours, protests, riots, arrests,
ARREST, ORG_CRIME, PROPERTY_DISTRUCT,                  crime, strategic developments,
CHANGE_TO_GROUP_ACT, HQ_ESTABLISHED, NATURAL_DISASTER, disasters)
OTHER
=====================================================  ==============================

\\* CASE does not separate artillery from missiles, so ``shelling`` and ``missile_strike``
are scored as one class, ``shelling|missile``. CASE has no evacuation label.

Usage::

    .venv/bin/python benchmarks/event_types_eval.py [--json]
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections import Counter
from pathlib import Path

from frontline.events import classify

ROOT = Path(__file__).resolve().parents[1]
CASE_FILE = Path("events") / "case2021_task2_event_types.tsv"

LABEL_MAP = {
    "ART_MISS_ATTACK": "shelling|missile",
    "AIR_STRIKE": "air_drone_strike",
    "ARMED_CLASH": "armed_clash",
    "GOV_REGAINS_TERIT": "territory_change",
    "NON_STATE_ACTOR_OVERTAKES_TER": "territory_change",
    "NON_VIOL_TERRIT_TRANSFER": "territory_change",
    "ATTACK": "civilian_harm",
    "ABDUCT_DISSAP": "civilian_harm",
    "SEX_VIOL": "civilian_harm",
    "MAN_MADE_DISASTER": "infrastructure",
    "DIPLO": "statement",
    "AGREEMENT": "statement",
    "ATTRIB": "statement",
    **{
        label: "other"
        for label in (
            "GRENADE",
            "SUIC_BOMB",
            "REM_EXPLOS",
            "CHEM_WEAP",
            "DISR_WEAP",
            "PEACE_PROTEST",
            "PROTEST_WITH_INTER",
            "VIOL_DEMONSTR",
            "FORCE_AGAINST_PROTEST",
            "MOB_VIOL",
            "ARREST",
            "ORG_CRIME",
            "PROPERTY_DISTRUCT",
            "CHANGE_TO_GROUP_ACT",
            "HQ_ESTABLISHED",
            "NATURAL_DISASTER",
            "OTHER",
        )
    },
}
# Our types as scored: shelling and missile_strike are one class against CASE.
SCORED = {"shelling": "shelling|missile", "missile_strike": "shelling|missile"}


def eval_dir() -> Path:
    """The evaluation folder: $FRONTLINE_EVAL, else ../shared/eval beside the repo."""
    env = os.environ.get("FRONTLINE_EVAL")
    return Path(env) if env else ROOT / ".." / "shared" / "eval"


def load_case(path: Path) -> list[tuple[str, str]]:
    """``(snippet, our_label)`` pairs; unknown CASE labels raise ``KeyError``."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(row["EventSnippet"], LABEL_MAP[row["SubType"]]) for row in reader]


def evaluate(pairs: list[tuple[str, str]]) -> dict:
    """Macro-F1, per-class precision/recall/F1 and the confusion matrix."""
    confusion: Counter[tuple[str, str]] = Counter()
    for text, gold in pairs:
        predicted = classify(text)[0]
        confusion[(gold, SCORED.get(predicted, predicted))] += 1
    gold_labels = sorted({g for _, g in pairs})
    predicted_labels = sorted({p for _, p in confusion})
    per_class = {}
    for label in gold_labels:
        tp = confusion[(label, label)]
        fp = sum(n for (g, p), n in confusion.items() if p == label and g != label)
        fn = sum(n for (g, p), n in confusion.items() if g == label and p != label)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per_class[label] = {
            "precision": round(prec, 3),
            "recall": round(rec, 3),
            "f1": round(f1, 3),
            "support": tp + fn,
        }
    macro = sum(c["f1"] for c in per_class.values()) / len(per_class)
    accuracy = sum(n for (g, p), n in confusion.items() if g == p) / len(pairs)
    return {
        "n": len(pairs),
        "macro_f1": round(macro, 3),
        "accuracy": round(accuracy, 3),
        "per_class": per_class,
        "confusion": {g: {p: confusion[(g, p)] for p in predicted_labels} for g in gold_labels},
    }


def main(argv: list[str]) -> int:
    path = eval_dir() / CASE_FILE
    if not path.exists():
        print(f"skipped: {path} not found (set FRONTLINE_EVAL to the eval folder)")
        return 0
    result = evaluate(load_case(path))
    if "--json" in argv:
        print(json.dumps(result, indent=1))
        return 0
    print(
        f"CASE 2021 task 2 event types, n={result['n']}: macro-F1 {result['macro_f1']:.3f}, "
        f"accuracy {result['accuracy']:.3f}"
    )
    print(f"{'class':20} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}")
    for label, c in result["per_class"].items():
        print(
            f"{label:20} {c['precision']:6.3f} {c['recall']:6.3f} {c['f1']:6.3f} {c['support']:5d}"
        )
    cols = list(next(iter(result["confusion"].values())))
    short = [c[:8] for c in cols]
    print("\nconfusion (rows gold, columns predicted)")
    print(f"{'':20} " + " ".join(f"{s:>8}" for s in short))
    for gold, row in result["confusion"].items():
        print(f"{gold:20} " + " ".join(f"{row[c]:8d}" for c in cols))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
