"""Run every benchmark and evaluation script, each in its own process (``make bench``).

Every ``benchmarks/*_bench.py`` and ``benchmarks/*_eval.py`` present is run with this
Python; what it prints goes to ``benchmarks/results/<name>.txt`` and a summary line is
printed here. A script that prints ``skipped...`` as its first line (its data, such as
../shared/eval, is absent) is reported as skipped; one that fails or times out is
reported with the end of its error output, and the others still run.

Usage::

    python benchmarks/run_all.py [NAME ...] [--timeout SECONDS]

NAME selects scripts by stem (``throughput_bench``) or part of it (``throughput``).
Exit code 1 when a script failed, else 0.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def scripts(selected: list[str]) -> list[Path]:
    """The benchmark scripts present, in name order, narrowed to *selected* names."""
    found = sorted({*HERE.glob("*_bench.py"), *HERE.glob("*_eval.py")})
    if selected:
        found = [p for p in found if any(s == p.stem or s in p.stem for s in selected)]
    return found


def run_one(script: Path, timeout: float | None) -> tuple[str, float, str]:
    """Run *script*; write its output; return (status, seconds, note)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    out_path = RESULTS / f"{script.stem}.txt"
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, str(script)],
            cwd=HERE.parent,
            timeout=timeout,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    except subprocess.TimeoutExpired as err:
        partial = err.stdout.decode() if isinstance(err.stdout, bytes) else (err.stdout or "")
        out_path.write_text(partial + f"\n[timed out after {timeout:.0f} s]\n", encoding="utf-8")
        return "timeout", time.perf_counter() - t0, f"stopped after {timeout:.0f} s"
    seconds = time.perf_counter() - t0
    first = proc.stdout.lstrip().splitlines()[0] if proc.stdout.strip() else ""
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-5:])
        out_path.write_text(
            proc.stdout + f"\n[exit {proc.returncode}]\n{proc.stderr}", encoding="utf-8"
        )
        return "failed", seconds, tail
    out_path.write_text(proc.stdout, encoding="utf-8")
    if "skipped" in first.lower():
        return "skipped", seconds, first
    return "ok", seconds, str(out_path.relative_to(HERE.parent))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="only these scripts (by stem or part of it)")
    ap.add_argument("--timeout", type=float, default=None, help="seconds per script")
    args = ap.parse_args(argv)
    todo = scripts(args.names)
    if not todo:
        print("no benchmark script matched" if args.names else "no benchmark script found")
        return 0
    failed = 0
    for script in todo:
        print(f"{script.name} ...", flush=True)
        status, seconds, note = run_one(script, args.timeout)
        failed += status in ("failed", "timeout")
        print(f"  {status} in {seconds:.0f} s: {note}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
