"""Report what Frontline makes of the President of Ukraine's press releases.

Reads ``../shared/eval/ukraine/zelenskyy_press_releases.csv`` (or the folder named by
``$FRONTLINE_EVAL``; columns ``link, headline, date, body``), runs every stage on each
release with merging off, and reports:

- events per article (mean, median, the largest);
- events dated after their article's publication day (must be 0);
- events older than two years (flagged ``historical``);
- events at country or continent level (``kind`` country, or a continent);
- events by type, and by ACLED event type;
- a reproducible sample of events (``--sample N``, default 30, seed 16) with their
  sentences, for judging by hand.

The releases are speeches and statements: most of their sentences are commentary, so
the report is a check on what is *not* an event as much as on what is.

Usage::

    .venv/bin/python benchmarks/press_release_report.py [--sample N] [--limit N] [--json]

Exits with status 0 and a message when the data are absent.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import statistics
import sys
from collections import Counter
from pathlib import Path

from frontline.articles import Article
from frontline.pipeline import process_article

_CONTINENTS = frozenset(
    {
        "europe",
        "asia",
        "africa",
        "north america",
        "south america",
        "oceania",
        "antarctica",
        "european union",
        "the eu",
        "eu",
    }
)


def data_path() -> Path | None:
    """The press-release CSV, or None when the evaluation data are absent."""
    env = os.environ.get("FRONTLINE_EVAL")
    root = Path(env) if env else Path(__file__).resolve().parents[1] / ".." / "shared" / "eval"
    path = (root / "ukraine" / "zelenskyy_press_releases.csv").resolve()
    return path if path.is_file() else None


def read_releases(path: Path, limit: int | None = None) -> list[Article]:
    """The releases as articles (id: row number; published: the day of ``date``)."""
    csv.field_size_limit(10_000_000)
    out = []
    with open(path, newline="", encoding="utf-8") as f:
        for i, row in enumerate(csv.DictReader(f)):
            if limit is not None and i >= limit:
                break
            out.append(
                Article(
                    f"pr{i:04d}",
                    row["body"] or "",
                    title=row["headline"] or "",
                    published=(row["date"] or "")[:10] or None,
                    source="president.gov.ua",
                    url=row["link"] or "",
                )
            )
    return out


def report(articles: list[Article], sample: int = 30, seed: int = 16) -> dict:
    """Run every stage on *articles* and gather the figures of the module docstring."""
    from frontline.gazetteer import Gazetteer

    gaz = Gazetteer.load()
    per_article: list[int] = []
    events = []
    for a in articles:
        found = process_article(a, gazetteer=gaz).events
        per_article.append(len(found))
        events.extend(found)
    future = [
        e
        for e in events
        if e.published
        and e.date
        and (dt.date.fromisoformat(e.date) - dt.date.fromisoformat(e.published)).days > 1
    ]
    wide = [e for e in events if e.kind == "country" or e.place.strip().lower() in _CONTINENTS]
    rng = random.Random(seed)
    picked = rng.sample(events, min(sample, len(events)))
    picked.sort(key=lambda e: (e.article_id, e.date, e.place))
    return {
        "articles": len(articles),
        "events": len(events),
        "events_per_article": {
            "mean": round(statistics.fmean(per_article), 3) if per_article else 0.0,
            "median": statistics.median(per_article) if per_article else 0,
            "max": max(per_article, default=0),
            "articles_with_none": sum(1 for n in per_article if n == 0),
        },
        "dated_after_publication": len(future),
        "historical": sum(1 for e in events if e.historical),
        "country_or_continent": len(wide),
        "country_or_continent_places": Counter(e.place for e in wide).most_common(10),
        "by_type": dict(Counter(e.event_type for e in events).most_common()),
        "by_acled_type": dict(
            Counter(e.acled_event_type or "(not an ACLED event)" for e in events).most_common()
        ),
        "date_span": [
            min((e.date for e in events), default=""),
            max((e.date for e in events), default=""),
        ],
        "future_examples": [
            (e.article_id, e.date, e.published, e.place, e.quote[:160]) for e in future[:10]
        ],
        "sample": [
            {
                "article_id": e.article_id,
                "published": e.published,
                "date": e.date,
                "place": e.place,
                "kind": e.kind,
                "event_type": e.event_type,
                "quote": e.quote,
            }
            for e in picked
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=30, help="events to list for judging")
    parser.add_argument("--limit", type=int, default=None, help="read only the first N")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    path = data_path()
    if path is None:
        print(
            "press releases not found (../shared/eval/ukraine/zelenskyy_press_releases.csv);"
            " nothing to report"
        )
        return 0
    result = report(read_releases(path, args.limit), sample=args.sample)
    if args.json:
        json.dump(result, sys.stdout, indent=1, ensure_ascii=False)
        print()
        return 0
    per = result["events_per_article"]
    print(
        f"articles: {result['articles']}  events: {result['events']}  per article: mean "
        f"{per['mean']}, median {per['median']}, max {per['max']}, "
        f"{per['articles_with_none']} with none"
    )
    print(f"dated after publication: {result['dated_after_publication']}")
    print(f"older than two years (historical): {result['historical']}")
    print(
        f"at country or continent level: {result['country_or_continent']} "
        f"{result['country_or_continent_places']}"
    )
    print(f"date span: {result['date_span'][0]} .. {result['date_span'][1]}")
    print("by type: " + ", ".join(f"{k} {v}" for k, v in result["by_type"].items()))
    print("by ACLED type: " + ", ".join(f"{k} {v}" for k, v in result["by_acled_type"].items()))
    for ex in result["future_examples"]:
        print("  FUTURE", *ex)
    print(f"\nsample of {len(result['sample'])} events:")
    for i, e in enumerate(result["sample"], 1):
        print(
            f"{i:2d}. {e['article_id']} pub {e['published']} | {e['date']} {e['place']} "
            f"({e['kind']}) {e['event_type']}\n    {e['quote'][:300]}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
