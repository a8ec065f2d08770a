"""Mutation testing of the pure domain: run mutmut over bot/domain/ with tests/domain/ and print
the kill rate per module and in total (`make mutation`; not part of `make test`).

mutmut 3 keeps its verdicts in mutants/ and re-tests only functions whose code changed. A verdict
does not change when only the tests do, so when tests/domain/ changed since the last run the
mutants not killed then are tested again (new tests may kill them); `--fresh` starts over, which
is also what to do after deleting tests. Configuration: [tool.mutmut] in pyproject.toml.

    python bench/mutation.py [--workers 2] [--fresh] [--report-only] [--survivors]
                             [--fail-under 95]

The score is (killed + timed out) / (all mutants - skipped): a mutant that no test reaches
counts as surviving. docs/MUTATION.md has the figures and the survivors judged equivalent.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import functools
import hashlib
import json
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
DOMAIN = Path("bot") / "domain"
TESTS = ROOT / "tests" / "domain"
FINGERPRINT = MUTANTS / "panel-tests.sha256"
# The time-critical core that the floor, agenda and reminder features rest on (the modules
# issue #14 measured); `--fail-under` applies to it, and to everything with `--gate all`.
CORE = frozenset(
    f"bot/domain/{name}.py"
    for name in ("floor_ops", "floor_model", "floor_undo", "floor_rules", "agenda", "reminders")
)

# mutmut's exit-code meanings (mutmut/stats.py), grouped the way the score counts them.
DETECTED = {1: "killed", 3: "killed", 36: "timeout", -24: "timeout", 24: "timeout",
            152: "timeout", 255: "timeout", 37: "caught by type check", -11: "segfault",
            -9: "segfault"}
UNDETECTED = {0: "survived", 5: "no tests", 33: "no tests"}
SKIPPED = {34: "skipped"}


@dataclass
class ModuleScore:
    """Verdict counts of one mutated module."""

    module: str
    statuses: Counter[str] = field(default_factory=Counter)
    undetected: list[tuple[str, str]] = field(default_factory=list)  # (mutant, status)
    not_checked: int = 0

    @property
    def detected(self) -> int:
        return sum(self.statuses[s] for s in set(DETECTED.values()))

    @property
    def counted(self) -> int:
        return self.detected + len(self.undetected)

    @property
    def score(self) -> float:
        return 100.0 * self.detected / self.counted if self.counted else 100.0


def status_of(code: int | None) -> str:
    if code is None:
        return "not checked"
    return DETECTED.get(code) or UNDETECTED.get(code) or SKIPPED.get(code) or "suspicious"


def read_scores(mutants: Path = MUTANTS) -> list[ModuleScore]:
    """Per-module verdicts from mutmut's .meta files under mutants/bot/domain/."""
    scores = []
    for meta in sorted((mutants / DOMAIN).rglob("*.py.meta")):
        codes: dict[str, int | None] = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
        if not codes:
            continue
        module = meta.relative_to(mutants).as_posix().removesuffix(".meta")
        score = ModuleScore(module)
        for name, code in codes.items():
            status = status_of(code)
            if status == "not checked":
                score.not_checked += 1
            elif code in UNDETECTED or status == "suspicious":
                score.undetected.append((name, status))
            elif code not in SKIPPED:
                score.statuses[status] += 1
        scores.append(score)
    return scores


def _row(label: str, scores: list[ModuleScore]) -> float:
    detected = sum(s.detected for s in scores)
    counted = sum(s.counted for s in scores)
    total = 100.0 * detected / counted if counted else 100.0
    print(f"{label:44} {counted:7d} {detected:7d} {counted - detected:5d} {total:6.1f}%")
    return total


def print_report(scores: list[ModuleScore]) -> tuple[float, float]:
    """Print the table; return the scores (in percent) of the core modules and of all."""
    print(f"{'module':44} {'mutants':>7} {'killed':>7} {'left':>5} {'score':>7}")
    for s in sorted(scores, key=lambda s: s.module):
        _row(s.module, [s])
    core = _row("floor queue, agenda, reminders", [s for s in scores if s.module in CORE])
    total = _row("total (bot/domain)", scores)
    not_checked = sum(s.not_checked for s in scores)
    if not_checked:
        print(f"warning: {not_checked} mutants not checked yet (an interrupted run?)")
    return core, total


def mutant_diff(name: str, mutants: Path = MUTANTS) -> str:
    """The changed lines of one mutant against the original function, from mutants/."""
    module, _, function = name.rpartition(".")
    path = mutants / (module.replace(".", "/") + ".py")
    original_name = function.rsplit("__mutmut_", 1)[0] + "__mutmut_orig"
    bodies = _functions(path)
    before = bodies.get(original_name, "").splitlines()[1:]
    after = bodies.get(function, "").splitlines()[1:]
    lines = [
        line for line in difflib.unified_diff(before, after, lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    return "\n".join(f"    {line.strip()[:1]} {line[1:].strip()}" for line in lines)


@functools.cache
def _functions(path: Path) -> dict[str, str]:
    """Every function of a mutated module (originals and mutants), by name."""
    source = path.read_text("utf-8")
    lines = source.splitlines()
    return {
        node.name: "\n".join(lines[node.lineno - 1 : node.end_lineno])
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def tests_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(TESTS.rglob("*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def mutmut(*args: str) -> None:
    command = [str(Path(sys.executable).parent / "mutmut"), *args]
    completed = subprocess.run(command, cwd=ROOT, check=False)
    if completed.returncode != 0:
        raise SystemExit(f"mutmut {' '.join(args[:2])}... failed ({completed.returncode})")


def run(workers: int, fresh: bool) -> None:
    if fresh and MUTANTS.exists():
        shutil.rmtree(MUTANTS)
    previous = FINGERPRINT.read_text().strip() if FINGERPRINT.exists() else None
    mutmut("run", "--max-children", str(workers))
    current = tests_fingerprint()
    if previous is not None and previous != current:
        again = [name for score in read_scores() for name, _status in score.undetected]
        if again:
            print(f"tests/domain changed: testing the {len(again)} mutants not killed again")
            mutmut("run", "--max-children", str(workers), *again)
    FINGERPRINT.write_text(current + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="mutmut worker processes")
    parser.add_argument("--fresh", action="store_true", help="forget every earlier verdict")
    parser.add_argument("--report-only", action="store_true", help="only read mutants/")
    parser.add_argument("--survivors", action="store_true", help="list each mutant not killed")
    parser.add_argument("--fail-under", type=float, default=95.0, help="minimum score")
    parser.add_argument("--gate", choices=("core", "all"), default="core",
                        help="what --fail-under applies to: the core modules or all")
    args = parser.parse_args(argv)
    if not args.report_only:
        run(args.workers, args.fresh)
    scores = read_scores()
    if not scores:
        print("no mutation results: run without --report-only first")
        return 1
    if args.survivors:
        for score in scores:
            for name, status in sorted(score.undetected):
                print(f"{name}: {status}")
                print(mutant_diff(name))
    core, total = print_report(scores)
    gated = total if args.gate == "all" else core
    if gated < args.fail_under:
        print(f"mutation score ({args.gate}) {gated:.1f}% is below {args.fail_under:.0f}%")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
