"""What the command-line modes share: config, the answer service, the index built if missing."""

from __future__ import annotations

import sys
from typing import TextIO

from bot.config import Config, ConfigError, Env, load_config
from bot.services.answering import AnswerService, build_answer_service


class CliError(Exception):
    """A problem to print on one line before exiting with status 2."""


def load_service(err: TextIO = sys.stderr) -> tuple[Config, AnswerService]:
    """Load the config and the answer service; index knowledge/ first if the index is empty."""
    try:
        env = Env.from_environ()
        config = load_config(env.config_path)
    except ConfigError as error:
        raise CliError(f"config error: {error}") from None
    data_dir = env.ensure_data_dir()
    service = build_answer_service(config, data_dir)
    count = getattr(service.store, "count", lambda: 1)()
    if count == 0:
        print(f"The document index in {data_dir} is empty; indexing {config.knowledge.dir} "
              "first (python -m indexer does the same)...", file=err)
        try:
            from indexer.run import run_index
        except ImportError:
            raise CliError("the indexer is not available; run `make index` first") from None
        run_index(config, data_dir)
        service.store.refresh()  # type: ignore[attr-defined]
    service.warm_up()
    return config, service
