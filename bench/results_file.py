"""Shared by the benchmark scripts: print a figures table and merge results into latest.json."""

from __future__ import annotations

import json
import platform
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "latest.json"

if str(ROOT) not in sys.path:  # scripts run as `python bench/x.py`
    sys.path.insert(0, str(ROOT))


def record(name: str, figures: dict[str, Any]) -> None:
    """Store one benchmark's figures under its name in bench/results/latest.json."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    data: dict[str, Any] = {}
    if RESULTS.exists():
        try:
            data = json.loads(RESULTS.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            data = {}
    data[name] = {**figures, "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
                  "machine": f"{platform.machine()} {platform.python_version()}"}
    RESULTS.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")


def print_table(title: str, rows: list[tuple[str, str, str, str]]) -> None:
    """Rows of (figure, measured, target, verdict) as an aligned table."""
    header = ("figure", "measured", "target", "")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(4)]
    print(f"\n== {title}")
    for row in [header, *rows]:
        print("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)).rstrip())


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"
