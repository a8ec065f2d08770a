"""Question answering on the dev set: retrieval beside two baselines, answers, abstention, speed.

    .venv/bin/python bench/qa_eval.py [--dev bench/data/dev_questions.jsonl] [--sweep]

The thresholds and weights were tuned on the dev set; bench/data/heldout_questions.jsonl was
written afterwards and is reported separately (--heldout PATH, '' to skip).

Indexes knowledge/ into a temporary directory (real embedder, real Chroma), then prints, in one
run: hit@1, hit@5 and MRR for dense-only (a plain langchain-chroma similarity search with the
same embedder), BM25-only (the index's FTS5 BM25) and our hybrid fusion; answer correctness
(every gold fact in the answer); abstention precision and recall; warm latency p50/p95 per
question (no LLM). --sweep also tries fusion weights (how the defaults were chosen).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.config import load_config  # noqa: E402
from bot.domain.answer import render_plain  # noqa: E402
from bot.domain.evidence import Lexicon  # noqa: E402
from bot.domain.extractive import clean_text, fold  # noqa: E402
from bot.services.answering import AnswerService, build_answer_service  # noqa: E402
from bot.services.content_answer import ContentAnswerer  # noqa: E402
from bot.services.retrieval import FusionWeights  # noqa: E402
from bot.storage.embeddings import LangchainEmbeddings, default_embedder  # noqa: E402

K = 5
CPU_MS: list[float] = []  # CPU time per question (all threads): robust to a busy machine


def load_dev(path: Path) -> list[dict[str, Any]]:
    """The dev questions, one JSON object per line."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def is_gold(text: str, gold: Sequence[str]) -> bool:
    """A retrieved text is gold when it contains one of the gold passages' snippets."""
    folded = fold(clean_text(text))
    return any(fold(g) in folded for g in gold)


def ranks(rows: list[dict[str, Any]], search: Callable[[str], list[str]]) -> dict[str, float]:
    """hit@1, hit@5 and MRR of a search function (question -> texts, best first)."""
    hit1 = hit5 = rr = 0.0
    for row in rows:
        texts = search(row["question"])[:K]
        first = next((i for i, t in enumerate(texts, 1) if is_gold(t, row["gold_text"])), None)
        if first is not None:
            hit1 += first == 1
            hit5 += 1
            rr += 1 / first
    n = len(rows) or 1
    return {"hit@1": hit1 / n, "hit@5": hit5 / n, "MRR": rr / n}


def correct(service: AnswerService, row: dict[str, Any], answer: Any) -> bool:
    """Answerable: not abstained and every fact (alternatives split by |) in the text."""
    if not row["answerable"]:
        return bool(answer.abstained)
    text = fold(render_plain(answer, service.i18n.translator(answer.language).gettext))
    return not answer.abstained and all(
        any(fold(alt) in text for alt in fact.split("|")) for fact in row["facts"])


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def main() -> int:
    """Run the evaluation and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=REPO / "bench/data/dev_questions.jsonl")
    parser.add_argument("--config", type=Path, default=REPO / "config.toml")
    parser.add_argument("--sweep", action="store_true", help="also try other fusion weights")
    parser.add_argument("--heldout", default=str(REPO / "bench/data/heldout_questions.jsonl"),
                        help="questions not used for tuning, reported separately")
    args = parser.parse_args()
    from langchain_chroma import Chroma

    from indexer.run import run_index

    config = load_config(args.config)
    rows = load_dev(args.dev)
    answerable = [r for r in rows if r["answerable"]]
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        summary = run_index(config, data_dir)
        embedder = default_embedder()
        service = build_answer_service(config, data_dir, embedder=embedder)
        store: Any = service.store
        started = time.perf_counter()
        service.warm_up()
        warm_up_s = time.perf_counter() - started
        target = store.chroma_collection()
        dense = Chroma(client=target.client, collection_name=target.collection_name,
                       embedding_function=LangchainEmbeddings(embedder))

        def hybrid(weights: FusionWeights) -> Callable[[str], list[str]]:
            content = ContentAnswerer(store, embedder, Lexicon(),
                                      replace(service.tuning, weights=weights))
            return lambda q: [h.chunk.text for h in content.search(
                q, embedder.embed_queries([q])[0], k=K)]

        table = {
            "dense (langchain-chroma)": ranks(answerable, lambda q: [
                d.page_content for d in dense.similarity_search(q, k=K)]),
            "BM25 (FTS5)": ranks(answerable, lambda q: [c.text for c, _ in store.lexical(q, K)]),
            "hybrid (ours)": ranks(answerable, hybrid(service.tuning.weights)),
        }
        if args.sweep:
            for rrf_k in (10.0, 30.0, 60.0):
                for l_w in (0.1, 0.25, 0.5, 1.0):
                    key = f"  sweep k={rrf_k:g} bm25={l_w}"
                    table[key] = ranks(answerable, hybrid(FusionWeights(1.0, l_w, rrf_k)))
        latencies, outcomes = answer_all(service, rows)
        cpu = list(CPU_MS)
        heldout_rows = load_dev(Path(args.heldout)) if args.heldout else []
        heldout = answer_all(service, heldout_rows)[1] if heldout_rows else []
    print(f"corpus: {summary.documents} document(s), {summary.chunks} chunks; dev set: "
          f"{len(rows)} questions ({len(answerable)} answerable, "
          f"{len(rows) - len(answerable)} not in the documents, "
          f"{sum(r.get('lang') != 'en' for r in rows)} in French or Spanish)")
    print(f"fusion weights: dense={service.tuning.weights.dense} "
          f"bm25={service.tuning.weights.lexical} rrf_k={service.tuning.weights.rrf_k}")
    print()
    print(f"{'retrieval (answerable questions)':<34}{'hit@1':>8}{'hit@5':>8}{'MRR':>8}")
    for name, m in table.items():
        print(f"{name:<34}{m['hit@1']:>8.3f}{m['hit@5']:>8.3f}{m['MRR']:>8.3f}")
    print()
    print_answers("dev set", outcomes)
    print(f"latency per question (warm, no LLM): p50 {statistics.median(latencies):.1f} ms  "
          f"p95 {percentile(latencies, 95):.1f} ms  max {max(latencies):.1f} ms  "
          f"(warm-up {warm_up_s:.1f} s; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores)")
    print(f"CPU time per question (all threads): p50 {statistics.median(cpu):.1f} ms  "
          f"p95 {percentile(cpu, 95):.1f} ms")
    if heldout:
        print()
        print_answers("held-out set (not used for tuning)", heldout)
    from bench.results_file import record

    record("qa_eval", {
        "retrieval": table, "dev": answer_figures(outcomes),
        "heldout": answer_figures(heldout) if heldout else None,
        "latency_ms": {"p50": round(statistics.median(latencies), 1),
                       "p95": round(percentile(latencies, 95), 1),
                       "max": round(max(latencies), 1)},
        "load_average_1min": os.getloadavg()[0],
    })
    return 0


def answer_figures(outcomes: list[tuple[dict[str, Any], Any, bool]]) -> dict[str, float]:
    """Answer correctness and abstention precision/recall, for the results file."""
    ok_answerable = [ok for row, _a, ok in outcomes if row["answerable"]]
    abstained = [row for row, a, _ok in outcomes if a.abstained]
    true_abstain = sum(not row["answerable"] for row in abstained)
    unanswerable = sum(not row["answerable"] for row, _a, _ok in outcomes)
    return {
        "correct": round(sum(ok_answerable) / len(ok_answerable), 3) if ok_answerable else 1.0,
        "abstention_precision": round(true_abstain / len(abstained), 3) if abstained else 1.0,
        "abstention_recall": round(true_abstain / unanswerable, 3) if unanswerable else 1.0,
    }


def answer_all(service: AnswerService, rows: list[dict[str, Any]]
               ) -> tuple[list[float], list[tuple[dict[str, Any], Any, bool]]]:
    """Latencies (ms) and (row, answer, correct) for every question."""
    latencies: list[float] = []
    outcomes = []
    cpu: list[float] = []
    for row in rows:
        t0, c0 = time.perf_counter(), time.process_time()
        answer = service.answer(row["question"], row.get("lang"), row.get("tz"))
        latencies.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        outcomes.append((row, answer, correct(service, row, answer)))
    CPU_MS.extend(cpu)
    return latencies, outcomes


def print_answers(title: str, outcomes: list[tuple[dict[str, Any], Any, bool]]) -> None:
    """Answer correctness by kind, abstention precision/recall, and the misses."""
    by_kind: dict[str, list[bool]] = {}
    for row, _answer, ok in outcomes:
        by_kind.setdefault(row["kind"] if row["answerable"] else "not in docs", []).append(ok)
    ok_answerable = [ok for row, _a, ok in outcomes if row["answerable"]]
    abstained = [(row, a) for row, a, _ok in outcomes if a.abstained]
    true_abstain = sum(not row["answerable"] for row, _a in abstained)
    unanswerable = sum(not row["answerable"] for row, _a, _ok in outcomes)
    precision = true_abstain / len(abstained) if abstained else 1.0
    recall = true_abstain / unanswerable if unanswerable else 1.0
    print(f"{title}: {len(outcomes)} questions")
    print(f"answers correct (answerable, all facts present): "
          f"{sum(ok_answerable) / len(ok_answerable):.3f} ({sum(ok_answerable)}/"
          f"{len(ok_answerable)})")
    for kind, oks in sorted(by_kind.items()):
        print(f"  {kind:<12} {sum(oks)}/{len(oks)}")
    print(f"abstention precision {precision:.3f}  recall {recall:.3f}  "
          f"({true_abstain} right of {len(abstained)} abstentions; {unanswerable} unanswerable)")
    for row, a, ok in outcomes:
        if not ok:
            print(f"  MISS {row['id']}: {row['question']} -> abstained={a.abstained} "
                  f"{a.details.get('reason', '')}")


if __name__ == "__main__":
    sys.exit(main())
