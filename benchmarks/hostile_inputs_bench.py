"""Time and peak memory of single hostile inputs, each read and processed as one article
through ``frontline events`` in its own process (issue 18).

Cases (add one with a line in ``CASES``):

* ``html-many-attributes``: one 5 MB HTML page whose one tag has 500,000 attributes
  (the parsers' cost grew with their square: about an hour before the reader dropped
  such tags' attributes);
* ``csv-one-long-line``: a gzipped CSV file whose one line is 200 MB (read whole
  before the line cap: memory grew with the line);
* ``misspellings-repeated``: one 5 MB text of a sentence with a misspelled village
  ("Popsana") and an axis adjective, over and over (each occurrence was checked against
  every name of the text: geoparsing 0.7 MB of it took 11 s before, 0.4 s after).

Usage::

    python benchmarks/hostile_inputs_bench.py [CASE ...]

Prints one line per case: seconds, peak resident memory (of the command's process and its
workers, from ``resource``), exit code. Timings are of a shared machine: compare ratios.
"""

from __future__ import annotations

import gzip
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SENTENCE = "Shelling hit Kherson on Monday, officials said.\n"


def html_many_attributes(folder: Path) -> Path:
    path = folder / "page.html"
    attributes = " ".join(f"a{i}=1" for i in range(500_000))
    path.write_text(
        f"<html><head><title>Kherson</title></head><body><div {attributes}>"
        f"</div><p>{SENTENCE}</p></body></html>",
        encoding="utf-8",
    )
    return path


def csv_one_long_line(folder: Path) -> Path:
    path = folder / "feed.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as f:
        f.write(f"id,published,text\na,2024-03-04,{SENTENCE.strip()}\nb,2024-03-04,")
        block = "x" * (1 << 20)
        for _ in range(200):
            f.write(block)
        f.write(f"\nc,2024-03-04,{SENTENCE.strip()}\n")
    return path


def misspellings_repeated(folder: Path) -> Path:
    path = folder / "dispatch.txt"
    line = "Shelling hit Kupiansk and Popsana on the Kurakhivske direction. "
    path.write_text(line * (5_000_000 // len(line)), encoding="utf-8")
    return path


CASES: dict[str, Callable[[Path], Path]] = {
    "html-many-attributes": html_many_attributes,
    "csv-one-long-line": csv_one_long_line,
    "misspellings-repeated": misspellings_repeated,
}


#: Runs a command and prints the peak resident memory of its process tree, in kB: a fresh
#: process per case, so one case's peak is not another's.
_PEAK = (
    "import resource, subprocess, sys; "
    "code = subprocess.run(sys.argv[1:], capture_output=True).returncode; "
    "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def run(name: str, make: Callable[[Path], Path]) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = make(folder)
        size = path.stat().st_size
        start = time.perf_counter()
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                _PEAK,
                sys.executable,
                "-m",
                "frontline",
                "events",
                str(path),
                "-o",
                str(folder / "events.csv"),
                "--jobs",
                "1",
                "--no-cache",
                "-q",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        seconds = time.perf_counter() - start
        code, peak_kb = int(out[0]), int(out[1])
        return (
            f"{name:22s} file {size / 1e6:6.1f} MB  {seconds:6.1f} s  "
            f"peak RSS {peak_kb / 1024:,.0f} MB  exit {code}"
        )


def main(selected: list[str]) -> None:
    print("hostile inputs: one article each, `frontline events --jobs 1 --no-cache`")
    for name, make in CASES.items():
        if not selected or name in selected:
            print(run(name, make), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
