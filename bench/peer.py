"""The baselines bench/qa_eval.py measures the assistant against, on the same index.

- `PlainestPeer`: what the simplest retrieval bot would reply. Dense search with the same
  embedder (e5 query vector against the index's stored e5 passage vectors), the best chunk quoted
  whole, never declining. It shows what the answerer adds on top of "quote the nearest passage".
- `retrieval_table`: hit@1, hit@5 and MRR of dense-only (a plain langchain-chroma similarity
  search) and BM25-only (the index's FTS5) on the answerable questions, a hit being a retrieved
  text that contains the question's `evidence` (verbatim from the concept note).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from bot.domain.extractive import clean_text, fold

K = 5
_SPACE = re.compile(r"\s+")


def normalised(text: str) -> str:
    """Cleaned, folded and with runs of white space as one space (evidence spans lines)."""
    return _SPACE.sub(" ", fold(clean_text(text))).strip()


class PlainestPeer:
    """Top-1 dense chunk, quoted whole; `abstained` is always false."""

    def __init__(self, store: Any, embedder: Any) -> None:
        self.store, self.embedder = store, embedder

    def answer(self, question: str) -> dict[str, Any]:
        """One output line in the grader's format: question, answer, abstained."""
        vector = self.embedder.embed_queries([question])[0]
        hits = self.store.dense_by_vector(vector, 1)
        text = clean_text(hits[0][0].text) if hits else ""
        return {"question": question, "answer": text, "abstained": False}


def evidence_rows(questions: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Answerable questions whose evidence is a passage of the documents (not "config")."""
    return [q for q in questions if not q["expect_abstain"]
            and isinstance(q.get("evidence"), str) and q["evidence"] != "config"]


def ranks(rows: Sequence[dict[str, Any]], search: Callable[[str], list[str]]
          ) -> dict[str, float]:
    """hit@1, hit@5 and MRR of a search function (question -> texts, best first)."""
    hit1 = hit5 = rr = 0.0
    for row in rows:
        evidence = normalised(row["evidence"])
        texts = [normalised(t) for t in search(row["question"])[:K]]
        first = next((i for i, t in enumerate(texts, 1) if evidence in t), None)
        if first is not None:
            hit1 += first == 1
            hit5 += 1
            rr += 1 / first
    n = len(rows) or 1
    return {"hit@1": round(hit1 / n, 3), "hit@5": round(hit5 / n, 3), "MRR": round(rr / n, 3)}


def retrieval_table(store: Any, embedder: Any, rows: Sequence[dict[str, Any]],
                    hybrid: Callable[[str], list[str]] | None = None
                    ) -> dict[str, dict[str, float]]:
    """Dense-only (langchain-chroma) and BM25-only (FTS5), and ours when given, on `rows`."""
    from langchain_chroma import Chroma

    from bot.storage.embeddings import LangchainEmbeddings

    target = store.chroma_collection()
    dense = Chroma(client=target.client, collection_name=target.collection_name,
                   embedding_function=LangchainEmbeddings(embedder))
    table = {
        "dense (langchain-chroma)": ranks(rows, lambda q: [
            d.page_content for d in dense.similarity_search(q, k=K)]),
        "BM25 (FTS5)": ranks(rows, lambda q: [c.text for c, _ in store.lexical(q, K)]),
    }
    if hybrid is not None:
        table["hybrid (ours)"] = ranks(rows, hybrid)
    return table


def print_retrieval(table: dict[str, dict[str, float]], n: int) -> None:
    """The retrieval table, one line per method."""
    print(f"\nretrieval: evidence in the top {K} ({n} answerable questions with a passage)")
    print(f"  {'method':<28}{'hit@1':>8}{'hit@5':>8}{'MRR':>8}")
    for name, m in table.items():
        print(f"  {name:<28}{m['hit@1']:>8.3f}{m['hit@5']:>8.3f}{m['MRR']:>8.3f}")
