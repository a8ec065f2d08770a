"""Which lines of a document the answerer may quote: citations and symbol-only lines are not
answers (in another script they sit close to every question and would crowd the answer out)."""

from __future__ import annotations

import pytest

from bot.services.corpus_view import _is_citation


@pytest.mark.parametrize("line", [
    "[^12]: CEDAW/C/GC/39.", "[^6]: A/AC.297/2025/CRP.2/Rev.5.",
    "[^8]: Report of the Fourth World Conference on Women, Beijing, 4–15 September 1995",
    "CEDAW/C/GC/40.", "A/RES/80/10", "EC-96/DG.1."])
def test_footnotes_and_symbol_lines_are_citations(line):
    assert _is_citation(line)


@pytest.mark.parametrize("line", [
    "Geneva and Online", "Twenty-sixth Annual Session",
    "The Panel will consider the report A/78/62-E/2023/49.", "讨论将以联合国六种正式语文进行。",
    "Приоритет отдаётся участникам в зале.", "ستُعقد الحلقة في جنيف.", "Panel: AI, IoT and 5G",
])
def test_ordinary_lines_are_not(line):
    assert not _is_citation(line)
