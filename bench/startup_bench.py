"""Start-up with a large index: time from process start to the first answer of `python -m bot ask`.

    .venv/bin/python bench/startup_bench.py [--chunks 1000] [--runs 3] [--keep DIR]

Builds, in a temporary directory, a corpus of knowledge/concept_note.md, the 27 UN resolutions
of /work/shared/eval/distractors (linked, not copied) and generated UN-like Markdown documents
(new paragraphs from a pool of POOL sentences) until it has at least `--chunks` chunks;
indexes it with `python -m indexer` (a fresh process: build time and chunks/s); then, each in
a fresh process with PANEL_DATA_DIR on that index and PANEL_CONFIG on a copy of config.toml
whose [knowledge].dir is the corpus, times from process start to the first line of
`python -m bot ask --json` for a schedule and a content question. The baseline beside them,
measured in the same run: a process that only imports the bot and loads the embedding model.
Also prints the index size, the time `KnowledgeStore.vectors()` takes, and exact dense search
beside Chroma's HNSW search (same vectors; share of questions with the same top 5).
Target: the first answer within 5 s of start with >= 1,000 chunks indexed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from results_file import ROOT, print_table, record, verdict

from bot.config import load_config  # noqa: E402  (results_file puts the repo on sys.path)
from bot.storage.embeddings import default_embedder  # noqa: E402
from bot.storage.knowledge import INDEX_DB_NAME, KnowledgeStore  # noqa: E402
from indexer.chunking import chunk_document, document_key  # noqa: E402
from indexer.loaders import load_document  # noqa: E402

DISTRACTORS = Path("/work/shared/eval/distractors")
QUESTIONS = {"schedule": "When does the panel start?",
             "content": "Does the note mention cybercrime?"}
TARGET_SECONDS = 5.0
BASELINE = ("import bot.app, bot.services.answering\n"
            "from bot.storage.embeddings import default_embedder\n"
            "default_embedder().embed_queries(['warm-up'])\n"
            "print('ready', flush=True)\n")

TOPICS = ["universal and meaningful connectivity", "the gender digital divide",
          "data governance for development", "artificial intelligence", "cybersecurity",
          "e-government services", "digital skills and education", "food security",
          "climate adaptation", "disaster risk reduction", "migration statistics",
          "road safety", "ocean science", "sustainable tourism", "rural electrification",
          "public health emergencies", "financial inclusion", "cultural heritage",
          "water and sanitation", "biodiversity"]
BODIES = ["the Economic and Social Council", "the Commission on Science and Technology for "
          "Development", "the International Telecommunication Union", "the United Nations "
          "Development Programme", "the World Health Organization", "the Human Rights Council",
          "the United Nations Conference on Trade and Development", "the regional commissions",
          "the Food and Agriculture Organization", "the World Meteorological Organization"]
COUNTRIES = ["Kenya", "Brazil", "Viet Nam", "Norway", "Peru", "Ghana", "Fiji", "Nepal",
             "Morocco", "Uruguay", "Mongolia", "Senegal", "Jordan", "Bhutan", "Chile",
             "Zambia", "Samoa", "Estonia", "Tunisia", "Ecuador"]
OPENINGS = ["Recalls", "Welcomes", "Encourages", "Requests", "Urges", "Notes with concern",
            "Invites", "Emphasizes", "Reaffirms", "Calls upon", "Stresses", "Acknowledges"]
ACTIONS = ["strengthen national capacities in", "share good practices on",
           "mobilize adequate resources for", "improve the collection of data on",
           "promote regional cooperation on", "integrate into national plans",
           "report on progress in", "support least developed countries in"]
MONTHS = ["January", "March", "May", "July", "September", "November"]
# The generated documents recombine this many distinct sentences: every chunk and its rows are
# stored (the start-up reads full-size tables), but the indexer embeds each distinct sentence
# once, which keeps the build within minutes on two shared cores (~8 sentence units/s).
POOL = 160


def sentence(rng: random.Random, topic: str) -> str:
    """One operative-paragraph sentence of a generated resolution."""
    a, b = rng.sample(COUNTRIES, 2)
    return (f"{rng.choice(OPENINGS)} {rng.choice(BODIES)} and Member States, including "
            f"{a} and {b}, to {rng.choice(ACTIONS)} {topic}, in line with resolution "
            f"{rng.randint(60, 79)}/{rng.randint(1, 320)} of {rng.randint(1, 28)} "
            f"{rng.choice(MONTHS)} {rng.randint(2005, 2024)}.")


def sentence_pool(rng: random.Random, size: int = POOL) -> list[str]:
    """The sentences the generated documents are made of."""
    return [sentence(rng, TOPICS[i % len(TOPICS)]) for i in range(size)]


def filler_document(number: int, rng: random.Random, pool: list[str]) -> str:
    """A generated resolution in the distractors' format (front matter, numbered paragraphs);
    its paragraphs are new combinations of the pool's sentences."""
    topic = TOPICS[number % len(TOPICS)]
    symbol = f"A/RES/81/{number}"
    lines = ["---", f'title: "{symbol}: {topic.capitalize()} (generated for the benchmark)"',
             "language: en", "---", "", f"# {symbol}. {topic.capitalize()}", "",
             "The General Assembly,", ""]
    for section in range(1, 7):
        lines += [f"## {section}. {rng.choice(TOPICS).capitalize()}", ""]
        for paragraph in range(rng.randint(2, 4)):
            lines.append(f"{section}.{paragraph + 1} " + " ".join(
                rng.sample(pool, rng.randint(2, 4))))
            lines.append("")
    return "\n".join(lines)


def chunk_count(path: Path) -> int:
    document = load_document(path, path.name)
    return len(chunk_document(document.parts, key=document_key(path.name, "bench"),
                              title=document.title, file=path.name, language=document.language,
                              url=document.url))


def build_corpus(folder: Path, target: int) -> dict[str, int]:
    """Concept note, distractors (symbolic links) and generated filler up to `target` chunks."""
    folder.mkdir(parents=True)
    sources = [ROOT / "knowledge" / "concept_note.md", *sorted(DISTRACTORS.glob("*.md"))]
    for source in sources:
        (folder / source.name).symlink_to(source)
    real = sum(chunk_count(folder / s.name) for s in sources)
    total, fillers, rng = real, 0, random.Random(11)
    pool = sentence_pool(rng)
    while total < target:
        fillers += 1
        path = folder / f"generated_{fillers:03d}.md"
        path.write_text(filler_document(fillers, rng, pool), encoding="utf-8")
        total += chunk_count(path)
    return {"real_documents": len(sources), "real_chunks": real, "generated_documents": fillers,
            "chunks": total}


def write_panel_config(work: Path, knowledge: Path) -> Path:
    """config.toml with [knowledge].dir on the corpus."""
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    text, replaced = re.subn(r'(?m)^dir = "knowledge"', f"dir = {json.dumps(str(knowledge))}",
                             text)
    if replaced != 1:
        raise SystemExit("config.toml: [knowledge].dir line not found")
    path = work / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def first_line_seconds(argv: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Wall time from starting a process to its first line on stdout, and that line."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    seconds = time.perf_counter() - started
    _, err = process.communicate(timeout=600)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}): {err[-2000:]}")
    return seconds, line


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def search_comparison(data: Path, config_path: Path, ef_search: int) -> dict[str, Any]:
    """Exact search over the stored vectors beside Chroma's HNSW on the same vectors."""
    config = load_config(config_path)
    store = KnowledgeStore.open(data, config.vector_store, default_embedder())
    started = time.perf_counter()
    vectors = store.vectors()
    load_ms = (time.perf_counter() - started) * 1000
    questions = [json.loads(line)["question"] for line in
                 (ROOT / "bench" / "data" / "dev_questions.jsonl").read_text().splitlines()
                 if line.strip()][:40]
    queries = default_embedder().embed_queries(questions)
    started = time.perf_counter()
    exact = [[c.id for c, _ in store.dense_by_vector(q, 5)] for q in queries]
    exact_ms = (time.perf_counter() - started) * 1000 / len(queries)
    client, name = store.chroma_collection()
    default = client.get_collection(name)
    wide = client.create_collection(f"{name}-ef", configuration={
        "hnsw": {"space": "cosine", "ef_search": ef_search}})
    ids = list(vectors.chunks.chunk_ids)
    for start in range(0, len(ids), 500):
        wide.add(ids=ids[start:start + 500], embeddings=vectors.chunks.matrix[start:start + 500])
    figures: dict[str, Any] = {"vectors_load_ms": round(load_ms, 1),
                               "exact_search_ms": round(exact_ms, 3)}
    for label, collection in (("chroma_default", default), ("chroma_ef", wide)):
        started = time.perf_counter()
        found = [collection.query(query_embeddings=[q], n_results=5, include=[])["ids"][0]
                 for q in queries]
        figures[f"{label}_search_ms"] = round(
            (time.perf_counter() - started) * 1000 / len(queries), 3)
        figures[f"{label}_top5_same_as_exact"] = round(
            sum(f == e for f, e in zip(found, exact, strict=True)) / len(queries), 3)
    client.delete_collection(f"{name}-ef")
    figures["sentences"] = len(vectors.sentences)
    figures["names"] = len(vectors.names)
    store.close()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chunks", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per figure")
    parser.add_argument("--keep", type=Path, default=None,
                        help="build in (or reuse the index already in) this folder")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="startup-bench-"))
    try:
        return run(work, args.chunks, max(1, args.runs))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def run(work: Path, target: int, runs: int) -> int:
    knowledge, data = work / "knowledge", work / "data"
    corpus: dict[str, Any] = {}
    if not knowledge.exists():
        corpus = build_corpus(knowledge, target)
    config_path = write_panel_config(work, knowledge)
    env = {**os.environ, "PANEL_CONFIG": str(config_path), "PANEL_DATA_DIR": str(data),
           "PYTHONPATH": str(ROOT)}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    build_seconds = None
    if not (data / INDEX_DB_NAME).exists():
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "indexer", "--json"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=3600)
        build_seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"indexer failed: {done.stderr[-2000:]}")
        corpus["index"] = json.loads(done.stdout)
    chunks = _count(data, config_path)

    baseline = [first_line_seconds([sys.executable, "-c", BASELINE], env)[0]
                for _ in range(runs)]
    asked: dict[str, list[float]] = {}
    answers: dict[str, dict[str, Any]] = {}
    for kind, question in QUESTIONS.items():
        asked[kind] = []
        for _ in range(runs):
            seconds, line = first_line_seconds(
                [sys.executable, "-m", "bot", "ask", "--json", question], env)
            asked[kind].append(seconds)
            answers[kind] = json.loads(line)
    search = search_comparison(data, config_path, ef_search=max(100, 2 * chunks))

    index_bytes = folder_bytes(data)
    figures: dict[str, Any] = {
        **corpus, "chunks_indexed": chunks, "runs": runs,
        "index_mb": round(index_bytes / 1e6, 1),
        "index_sqlite_mb": round(sum(p.stat().st_size for p in data.glob(INDEX_DB_NAME + "*"))
                                 / 1e6, 1),
        "baseline_import_and_model_s": _stats(baseline),
        **{f"first_answer_{k}_s": _stats(v) for k, v in asked.items()},
        **{f"answer_{k}_ms_in_process": answers[k].get("ms") for k in answers},
        **{f"answer_{k}_abstained": answers[k].get("abstained") for k in answers},
        **search,
    }
    if build_seconds is not None:
        figures["index_build_s"] = round(build_seconds, 1)
        figures["index_chunks_per_s"] = round(chunks / build_seconds, 2)
    load = os.getloadavg()[0]
    figures["load_average_1min"] = round(load, 2)
    rows = [
        ("chunks indexed", str(chunks), ">= 1000", verdict(chunks >= 1000)),
        ("index build (python -m indexer)",
         f"{build_seconds:.1f} s" if build_seconds is not None else "(reused)", "", ""),
        ("index chunks/s", f"{chunks / build_seconds:.2f}" if build_seconds else "", "", ""),
        ("index size", f"{index_bytes / 1e6:.1f} MB", "", ""),
        ("baseline: import bot + load model", _show(baseline), "", ""),
    ]
    for kind, timings in asked.items():
        rows.append((f"first answer, {kind} question", _show(timings), f"<= {TARGET_SECONDS} s",
                     verdict(statistics.median(timings) <= TARGET_SECONDS)))
    rows += [
        ("  of which answering (in process)",
         " / ".join(f"{answers[k].get('ms', 0):.0f} ms" for k in answers), "", ""),
        ("load the stored vectors", f"{search['vectors_load_ms']:.0f} ms", "", ""),
        ("dense search, exact (numpy)", f"{search['exact_search_ms']:.2f} ms", "", ""),
        ("dense search, Chroma default HNSW", f"{search['chroma_default_search_ms']:.2f} ms",
         f"top 5 = exact: {search['chroma_default_top5_same_as_exact']:.0%}", ""),
        (f"dense search, Chroma ef_search={max(100, 2 * chunks)}",
         f"{search['chroma_ef_search_ms']:.2f} ms",
         f"top 5 = exact: {search['chroma_ef_top5_same_as_exact']:.0%}", ""),
        ("load average (1 min)", f"{load:.2f}", "", ""),
    ]
    print_table(f"startup_bench: {chunks} chunks, {runs} fresh processes per figure", rows)
    record("startup", figures)
    return 0 if all(statistics.median(v) <= TARGET_SECONDS for v in asked.values()) else 1


def _count(data: Path, config_path: Path) -> int:
    config = load_config(config_path)
    store = KnowledgeStore.open(data, config.vector_store, default_embedder())
    try:
        return store.count()
    finally:
        store.close()


def _stats(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 2), "min": round(min(values), 2),
            "max": round(max(values), 2)}


def _show(values: list[float]) -> str:
    return (f"{statistics.median(values):.2f} s (min {min(values):.2f}, "
            f"max {max(values):.2f})")


if __name__ == "__main__":
    sys.exit(main())
