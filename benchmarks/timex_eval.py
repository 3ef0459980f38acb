"""Evaluate Frontline's temporal tagger against TimeML gold data, with dateparser beside it.

Measures, on ``../shared/eval/temporal`` (or ``$FRONTLINE_EVAL/temporal``):

1. **Gold-span value accuracy** on the DATE expressions of TE3-platinum and TBAQ whose
   gold value is a calendar value (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, ``YYYY-Www``):
   each gold text is normalized alone with the document creation time (DCT) as anchor.
   Frontline must produce the gold value exactly; dateparser (``dateparser.parse`` with
   ``RELATIVE_BASE`` = DCT) returns a datetime with no granularity, so it is given the
   benefit of the doubt and compared at the gold granularity only.
2. **End-to-end extraction** on the TE3-platinum ``.tml`` files: strict (same span) and
   relaxed (overlapping span) precision/recall/F1 over every gold TIMEX3, and value F1
   (a relaxed match with the gold value, over all system and gold expressions).
   dateparser's ``search.search_dates`` runs on the same texts; its values are again
   compared at the gold granularity.
3. **Speed**: seconds per article for :func:`frontline.timex.tag` and for
   ``dateparser.search.search_dates`` on the same articles.

Usage::

    .venv/bin/python benchmarks/timex_eval.py [--errors] [--speed-articles N] [--no-dateparser]

Exits with status 0 and a message when the evaluation data are absent.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import html
import json
import os
import re
import sys
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from frontline.timex import normalize, tag

CALENDAR = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
TIMEX = re.compile(r"<TIMEX3\s([^>]*)>(.*?)</TIMEX3>", re.S)
ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
TAG = re.compile(r"<[^>]+>")


def eval_root() -> Path | None:
    """The evaluation folder: ``$FRONTLINE_EVAL`` or ``../shared/eval`` beside the repo."""
    env = os.environ.get("FRONTLINE_EVAL")
    root = Path(env) if env else Path(__file__).resolve().parents[1] / ".." / "shared" / "eval"
    return root.resolve() if (root / "temporal").is_dir() else None


# ------------------------------------------------------------------ gold-span values


def is_calendar(value: str) -> bool:
    return bool(CALENDAR.match(value) or WEEK.match(value))


def matches_at_granularity(gold: str, moment: dt.datetime) -> bool:
    """Whether *moment* falls in the calendar period *gold* names."""
    week = WEEK.match(gold)
    if week:
        iso = moment.isocalendar()
        return (iso[0], iso[1]) == (int(week[1]), int(week[2]))
    year, month, day = CALENDAR.match(gold).groups()
    return (
        moment.year == int(year)
        and (not month or moment.month == int(month))
        and (not day or moment.day == int(day))
    )


def gold_span_accuracy(path: Path, *, with_dateparser: bool, errors: bool) -> dict:
    records = [json.loads(line) for line in path.open(encoding="utf-8")]
    dates = [r for r in records if r["type"] == "DATE" and r["dct"]]
    calendar = [r for r in dates if is_calendar(r["value"])]
    result = {"n_calendar": len(calendar), "n_date": len(dates)}
    ours_cal = ours_all = 0
    misses = []
    for r in dates:
        anchor = dt.date.fromisoformat(r["dct"][:10])
        expr = normalize(r["text"], anchor)
        ok = expr is not None and expr.value == r["value"]
        ours_all += ok
        if is_calendar(r["value"]):
            ours_cal += ok
            if not ok:
                misses.append((r["text"], r["value"], r["dct"][:10], expr.value if expr else None))
    result["frontline_calendar"] = ours_cal / len(calendar)
    result["frontline_all_date"] = ours_all / len(dates)
    if with_dateparser:
        import dateparser

        right = 0
        for r in calendar:
            base = dt.datetime.fromisoformat(r["dct"][:10])
            got = dateparser.parse(r["text"], languages=["en"], settings={"RELATIVE_BASE": base})
            right += bool(got) and matches_at_granularity(r["value"], got)
        result["dateparser_calendar"] = right / len(calendar)
    if errors:
        result["misses"] = misses
    return result


# ------------------------------------------------------------------ end to end (TE3)


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    text: str
    type: str
    value: str


def read_tml(path: Path) -> tuple[str, dt.date, list[Gold]]:
    """The TEXT of a TimeML file with its tags removed, its DCT and its gold TIMEX3s."""
    raw = path.read_text(encoding="utf-8")
    dct_match = re.search(
        r'functionInDocument="CREATION_TIME"[^>]*value="([^"]+)"', raw
    ) or re.search(r'value="([^"]+)"[^>]*functionInDocument="CREATION_TIME"', raw)
    dct = dt.date.fromisoformat(dct_match[1][:10])
    body = raw[raw.index("<TEXT>") + len("<TEXT>") : raw.index("</TEXT>")]
    text_parts: list[str] = []
    gold: list[Gold] = []
    pos = 0
    length = 0
    for m in TIMEX.finditer(body):
        before = html.unescape(TAG.sub("", body[pos : m.start()]))
        text_parts.append(before)
        length += len(before)
        inner = html.unescape(TAG.sub("", m[2]))
        attrs = dict(ATTRIBUTE.findall(m[1]))
        gold.append(
            Gold(length, length + len(inner), inner, attrs.get("type", ""), attrs.get("value", ""))
        )
        text_parts.append(inner)
        length += len(inner)
        pos = m.end()
    text_parts.append(html.unescape(TAG.sub("", body[pos:])))
    return "".join(text_parts), dct, gold


@dataclass
class Counts:
    system: int = 0
    gold: int = 0
    strict: int = 0
    relaxed_sys: int = 0
    relaxed_gold: int = 0
    value: int = 0

    def scores(self) -> dict[str, float]:
        def f1(p: float, r: float) -> float:
            return 2 * p * r / (p + r) if p + r else 0.0

        out = {}
        for name, hits_sys, hits_gold in (
            ("strict", self.strict, self.strict),
            ("relaxed", self.relaxed_sys, self.relaxed_gold),
            ("value", self.value, self.value),
        ):
            p = hits_sys / self.system if self.system else 0.0
            r = hits_gold / self.gold if self.gold else 0.0
            out[f"{name}_p"], out[f"{name}_r"], out[f"{name}_f1"] = p, r, f1(p, r)
        return out


def score_spans(
    predicted: list[tuple[int, int, object]], gold: list[Gold], counts: Counts, value_ok
) -> list[tuple[str, str, str]]:
    """Add one document's matches to *counts*; return (kind, text, detail) misses."""
    counts.system += len(predicted)
    counts.gold += len(gold)
    misses = []
    used: set[int] = set()
    for g in gold:
        overlapping = [i for i, (s, e, _) in enumerate(predicted) if s < g.end and g.start < e]
        if not overlapping:
            misses.append(("missed", g.text, g.value))
            continue
        counts.relaxed_gold += 1
        best = min(
            overlapping, key=lambda i: predicted[i][0] != g.start or predicted[i][1] != g.end
        )
        s, e, val = predicted[best]
        counts.strict += (s, e) == (g.start, g.end)
        if best not in used and value_ok(g.value, val):
            counts.value += 1
            used.add(best)
        elif best not in used:
            misses.append(("value", g.text, f"gold {g.value} got {val}"))
    for s, e, val in predicted:
        if any(s < g.end and g.start < e for g in gold):
            counts.relaxed_sys += 1
        else:
            misses.append(("spurious", f"{s}:{e}", str(val)))
    return misses


def end_to_end(folder: Path, *, with_dateparser: bool, errors: bool) -> dict:
    ours, theirs = Counts(), Counts()
    our_misses: list = []
    for path in sorted(folder.glob("*.tml")):
        text, dct, gold = read_tml(path)
        found = [(e.start, e.end, e.value) for e in tag(text, dct)]
        misses = score_spans(found, gold, ours, lambda g, v: g == v)
        our_misses.extend((path.name, *m) for m in misses)
        if with_dateparser:
            score_spans(dateparser_spans(text, dct), gold, theirs, dateparser_value_ok)
    result = {"frontline": ours.scores()}
    if with_dateparser:
        result["dateparser"] = theirs.scores()
    if errors:
        result["misses"] = our_misses
    return result


def dateparser_spans(text: str, anchor: dt.date) -> list[tuple[int, int, object]]:
    """search_dates' findings as (start, end, datetime), located in order in *text*."""
    from dateparser.search import search_dates

    base = dt.datetime(anchor.year, anchor.month, anchor.day)
    found = search_dates(text, languages=["en"], settings={"RELATIVE_BASE": base}) or []
    spans = []
    pos = 0
    for surface, moment in found:
        at = text.find(surface, pos)
        if at < 0:
            at = text.find(surface)
        if at < 0:
            continue
        spans.append((at, at + len(surface), moment))
        pos = at + len(surface)
    return spans


def dateparser_value_ok(gold: str, moment: object) -> bool:
    return is_calendar(gold) and matches_at_granularity(gold, moment)


# ------------------------------------------------------------------------- speed


def speed_articles(root: Path, limit: int) -> Iterator[tuple[str, dt.date]]:
    for path in sorted((root / "temporal" / "te3-platinum").glob("*.tml")):
        text, dct, _ = read_tml(path)
        yield text, dct
    releases = root / "ukraine" / "zelenskyy_press_releases.csv"
    if releases.exists():
        with releases.open(encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.DictReader(fh)):
                if i >= limit:
                    break
                yield row["body"], dt.date.fromisoformat(row["date"][:10])


def speed(root: Path, *, limit: int, with_dateparser: bool) -> dict:
    """Mean seconds per article; the two taggers alternate article by article so that
    both see the same machine load."""
    articles = list(speed_articles(root, limit))
    chars = sum(len(t) for t, _ in articles)
    ours = theirs = 0.0
    ratios = []
    for text, anchor in articles:
        start = time.perf_counter()
        tag(text, anchor)
        mine = time.perf_counter() - start
        ours += mine
        if with_dateparser:
            start = time.perf_counter()
            dateparser_spans(text, anchor)
            other = time.perf_counter() - start
            theirs += other
            ratios.append(other / mine)
    result = {
        "articles": len(articles),
        "mean_chars": chars / len(articles),
        "frontline_s_per_article": ours / len(articles),
    }
    if with_dateparser:
        result["dateparser_s_per_article"] = theirs / len(articles)
        result["speedup"] = theirs / ours
        result["median_article_speedup"] = sorted(ratios)[len(ratios) // 2]
    return result


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list Frontline's misses")
    parser.add_argument("--no-dateparser", action="store_true", help="skip the baseline")
    parser.add_argument(
        "--speed-articles",
        type=int,
        default=30,
        help="press releases added to the 20 TE3 texts for timing",
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    root = eval_root()
    if root is None:
        print("timex_eval: ../shared/eval/temporal not found (set FRONTLINE_EVAL); skipped")
        return 0
    warnings.filterwarnings("ignore")
    with_dp = not args.no_dateparser
    temporal = root / "temporal"
    results = {
        "te3_gold_spans": gold_span_accuracy(
            temporal / "te3_platinum_gold_timex.jsonl", with_dateparser=with_dp, errors=args.errors
        ),
        "tbaq_gold_spans": gold_span_accuracy(
            temporal / "tbaq_gold_timex.jsonl", with_dateparser=with_dp, errors=args.errors
        ),
        "te3_end_to_end": end_to_end(
            temporal / "te3-platinum", with_dateparser=with_dp, errors=args.errors
        ),
        "speed": speed(root, limit=args.speed_articles, with_dateparser=with_dp),
    }
    report(results)
    if args.errors:
        for key in ("te3_gold_spans", "tbaq_gold_spans", "te3_end_to_end"):
            print(f"\n== {key} misses")
            for miss in results[key]["misses"]:
                print("  ", miss)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    return 0


def report(results: dict) -> None:
    for key in ("te3_gold_spans", "tbaq_gold_spans"):
        r = results[key]
        line = (
            f"{key}: calendar DATE n={r['n_calendar']}  frontline "
            f"{100 * r['frontline_calendar']:.1f}%"
        )
        if "dateparser_calendar" in r:
            line += f"  dateparser {100 * r['dateparser_calendar']:.1f}%"
        line += f"  | all DATE n={r['n_date']} frontline {100 * r['frontline_all_date']:.1f}%"
        print(line)
    e2e = results["te3_end_to_end"]
    for system in ("frontline", "dateparser"):
        if system in e2e:
            s = e2e[system]
            print(
                f"te3_end_to_end {system:10s} strict P/R/F1 {100 * s['strict_p']:.1f}/"
                f"{100 * s['strict_r']:.1f}/{100 * s['strict_f1']:.1f}  relaxed "
                f"{100 * s['relaxed_p']:.1f}/{100 * s['relaxed_r']:.1f}/"
                f"{100 * s['relaxed_f1']:.1f}  value {100 * s['value_p']:.1f}/"
                f"{100 * s['value_r']:.1f}/{100 * s['value_f1']:.1f}"
            )
    sp = results["speed"]
    line = (
        f"speed: {sp['articles']} articles, {sp['mean_chars']:.0f} chars avg; frontline "
        f"{1000 * sp['frontline_s_per_article']:.2f} ms/article"
    )
    if "dateparser_s_per_article" in sp:
        line += (
            f"; dateparser {1000 * sp['dateparser_s_per_article']:.1f} ms/article; "
            f"{sp['speedup']:.0f}x faster overall, median article "
            f"{sp['median_article_speedup']:.0f}x"
        )
    print(line)


if __name__ == "__main__":
    sys.exit(main())
