"""`make bench`: run every benchmark; each prints a table and writes bench/results/latest.json.

    .venv/bin/python bench/run_all.py [--quick]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    ("qa_eval.py", []),
    ("index_bench.py", []),
    ("load_bench.py", []),
    ("broadcast_bench.py", []),
]
QUICK = {"load_bench.py": ["--users", "40"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller load run")
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
