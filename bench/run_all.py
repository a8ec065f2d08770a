"""`make bench`: run every benchmark; each prints a table and writes bench/results/latest.json.

    .venv/bin/python bench/run_all.py [--quick]

qa_eval (answer quality on the shared tuning set, alone and with the distractors), index_bench,
load_bench, broadcast_bench, screen_load (100 live room screens), and startup_bench (first
answer after start) when it is present.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS: list[tuple[str, list[str]]] = [
    ("qa_eval.py", []),
    ("index_bench.py", []),
    ("load_bench.py", []),
    ("broadcast_bench.py", []),
    ("screen_load.py", []),
    ("startup_bench.py", []),  # optional: skipped when the file is not there
]
QUICK = {"load_bench.py": ["--users", "40"], "qa_eval.py": ["--no-distractors"],
         "screen_load.py": ["--rounds", "5"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="smaller load run; qa_eval without the distractors")
    args = parser.parse_args()
    failed = []
    for script, extra in SCRIPTS:
        path = HERE / script
        if not path.exists():
            print(f"-- {script}: not present, skipped")
            continue
        extra = QUICK.get(script, extra) if args.quick else extra
        print(f"\n-- {script} {' '.join(extra)}", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(path), *extra], cwd=HERE.parent)
        print(f"-- {script}: exit {result.returncode} in {time.perf_counter() - started:.1f} s")
        if result.returncode != 0:
            failed.append(script)
    print(f"\nresults: {HERE / 'results' / 'latest.json'}")
    if failed:
        print("failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
