"""Helpers for the answering tests: a real index of a knowledge folder in a temp dir."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.config import Config, load_config
from bot.services.answering import AnswerService, build_answer_service
from tests.support import write_config


def indexed_service(directory: Path, overrides: dict[str, Any] | None = None
                    ) -> tuple[Config, AnswerService]:
    """Config written to `directory`, knowledge indexed (real embedder, real Chroma)."""
    from indexer.run import run_index

    config = load_config(write_config(directory, overrides))
    data_dir = directory / "data"
    run_index(config, data_dir)
    return config, build_answer_service(config, data_dir)
