"""The mutation report: verdicts read from mutmut's files, scores, and each survivor's diff."""

from __future__ import annotations

import json
from pathlib import Path

from bench import mutation


def write_module(root: Path, module: str, codes: dict[str, int | None], source: str) -> None:
    path = root / module
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, "utf-8")
    meta = {"exit_code_by_key": codes, "durations_by_key": {}, "estimated_durations_by_key": {}}
    (root / (module + ".meta")).write_text(json.dumps(meta), "utf-8")


SOURCE = '''
def x_f__mutmut_orig(a):
    """Doc."""
    return a + 1

def x_f__mutmut_1(a):
    """Doc."""
    return a - 1
'''


def test_scores_count_timeouts_as_killed_and_unreached_mutants_as_survivors(
    tmp_path: Path,
) -> None:
    codes: dict[str, int | None] = {
        "bot.domain.floor_ops.x_f__mutmut_1": 0,  # survived
        "bot.domain.floor_ops.x_f__mutmut_2": 1,  # killed
        "bot.domain.floor_ops.x_f__mutmut_3": 36,  # timeout
        "bot.domain.floor_ops.x_f__mutmut_4": 33,  # no tests
        "bot.domain.floor_ops.x_f__mutmut_5": 34,  # skipped: not counted
        "bot.domain.floor_ops.x_f__mutmut_6": None,  # not checked: not counted, but reported
    }
    write_module(tmp_path, "bot/domain/floor_ops.py", codes, SOURCE)
    write_module(tmp_path, "bot/domain/text.py", {"bot.domain.text.x_g__mutmut_1": 3}, "")
    scores = {s.module: s for s in mutation.read_scores(tmp_path)}
    floor = scores["bot/domain/floor_ops.py"]
    assert (floor.detected, floor.counted, floor.not_checked) == (2, 4, 1)
    assert floor.score == 50.0
    assert sorted(floor.undetected) == [
        ("bot.domain.floor_ops.x_f__mutmut_1", "survived"),
        ("bot.domain.floor_ops.x_f__mutmut_4", "no tests"),
    ]
    assert scores["bot/domain/text.py"].score == 100.0


def test_the_report_gives_the_core_and_the_whole_domain(tmp_path: Path, capsys) -> None:
    write_module(tmp_path, "bot/domain/floor_ops.py", {"bot.domain.floor_ops.x_f__mutmut_1": 1,
                                                   "bot.domain.floor_ops.x_f__mutmut_2": 0}, "")
    write_module(tmp_path, "bot/domain/text.py", {"bot.domain.text.x_g__mutmut_1": 1}, "")
    core, total = mutation.print_report(mutation.read_scores(tmp_path))
    assert (core, round(total, 1)) == (50.0, 66.7)
    out = capsys.readouterr().out
    assert "floor queue, agenda, reminders" in out and "total (bot/domain)" in out


def test_a_survivors_diff_shows_the_changed_line(tmp_path: Path) -> None:
    write_module(tmp_path, "bot/domain/floor_ops.py", {}, SOURCE)
    diff = mutation.mutant_diff("bot.domain.floor_ops.x_f__mutmut_1", tmp_path)
    assert diff.splitlines() == ["    - return a + 1", "    + return a - 1"]
