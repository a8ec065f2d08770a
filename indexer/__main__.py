"""`python -m indexer`: index [knowledge].dir into the store under PANEL_DATA_DIR.

Exit status: 0 when every readable document is indexed (failures are listed), 1 when nothing
could be indexed (or the store is unreachable, or another run holds the lock), 2 on a usage or
configuration error.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import Config, ConfigError, Env, load_config

log = logging.getLogger("indexer")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options (argparse exits 2 on a usage error)."""
    parser = argparse.ArgumentParser(
        prog="python -m indexer",
        description="Index the knowledge folder (PDF, Markdown, text) for the Panel Assistant.")
    parser.add_argument("--knowledge", type=Path, metavar="DIR",
                        help="folder to index instead of [knowledge].dir")
    parser.add_argument("--rebuild", action="store_true",
                        help="start from an empty index (re-embeds everything)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object instead of the table")
    parser.add_argument("--fetch", action="store_true",
                        help="first download the documents the concept note links "
                             "and [knowledge].sources")
    parser.add_argument("--batch-size", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the indexer; returns the exit status."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        env = Env.from_environ(os.environ)
        config = load_config(env.config_path)
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        return 2
    if args.knowledge is not None:
        config = dataclasses.replace(
            config, knowledge=dataclasses.replace(config.knowledge, dir=args.knowledge.resolve()))
    if args.fetch:
        _fetch(config)
    from bot.storage.knowledge import KnowledgeStoreError
    from indexer.run import EMBED_BATCH, IndexBusy, IndexerError, run_index
    from indexer.summary import render_table

    try:
        summary = run_index(config, env.data_dir, rebuild=args.rebuild, progress=not args.json,
                            batch_size=args.batch_size or EMBED_BATCH)
    except IndexerError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        return 2
    except (IndexBusy, KnowledgeStoreError) as exc:
        print(f"indexer: {exc}", file=sys.stderr)
        return 1
    print(summary.to_json() if args.json else render_table(summary))
    if not summary.indexed_anything:
        print(f"indexer: nothing could be indexed in {config.knowledge.dir}", file=sys.stderr)
        return 1
    return 0


def _fetch(config: Config) -> None:
    from indexer.fetch import fetch_all, sources_to_fetch

    folder = Path(config.knowledge.dir)
    if not folder.is_dir():
        return  # run_index reports the missing folder as a configuration error
    sources = sources_to_fetch(folder, config.knowledge.sources)
    if not sources:
        print("fetch: no document links found", file=sys.stderr)
        return
    results = fetch_all(folder, sources)
    for result in results:
        print(f"fetch: {result.message}", file=sys.stderr)
    if results and all(r.offline for r in results):
        print(f"fetch: offline, nothing was downloaded; indexing the files already in {folder}",
              file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
