"""/reindex: organisers update the knowledge index from Telegram while the bot keeps answering."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.handlers.common import (
    CommandSpec,
    Context,
    bind,
    esc,
    organiser_only,
    reply,
    user_context,
)
from bot.i18n import Gettext
from bot.services.indexing import IndexSummary
from bot.services.registry import Services

COMMANDS = [
    CommandSpec("reindex", "Update the knowledge index from the documents folder",
                organiser=True),
]

MAX_LISTED_FAILURES = 20


def handlers(services: Services) -> list[BaseHandler]:
    """The /reindex command."""
    return [CommandHandler("reindex", bind(services, reindex))]


@organiser_only("reindex")
async def reindex(services: Services, update: Update, context: Context) -> None:
    """/reindex: run the indexer in a worker thread and send the summary."""
    ctx = user_context(services, update)
    _ = ctx.gettext
    indexing = services.indexer
    if indexing.running:
        await reply(update, esc(_("An indexing run is already in progress. Try again when it "
                                  "has finished.")))
        return
    await reply(update, esc(_("Updating the knowledge index. Questions are still answered "
                              "meanwhile; I will send the summary here.")))
    services.participants.audit(ctx.user_id, "reindex", "started")
    summary: IndexSummary = await asyncio.to_thread(indexing.run)
    services.participants.audit(
        ctx.user_id, "reindex",
        f"documents={summary.documents} chunks={summary.chunks} added={summary.added} "
        f"updated={summary.updated} removed={summary.removed} failed={len(summary.failed)}")
    await reply(update, render_summary(summary, _))


def render_summary(summary: IndexSummary, _: Gettext) -> str:
    """The run summary as HTML for Telegram (every dynamic piece escaped)."""
    changed = summary.added or summary.updated or summary.removed
    if not summary.documents:
        title = _("Nothing could be indexed: check the files in the knowledge folder.")
    elif changed:
        title = _("Knowledge index updated.")
    else:
        title = _("The knowledge index was already up to date.")
    lines = [
        f"<b>{esc(title)}</b>",
        esc(_("Documents: {documents}, pages: {pages}, passages: {chunks}").format(
            documents=summary.documents, pages=summary.pages, chunks=summary.chunks)),
        esc(_("Added: {added}, updated: {updated}, unchanged: {unchanged}, removed: {removed}"
              ).format(added=summary.added, updated=summary.updated,
                       unchanged=summary.unchanged, removed=summary.removed)),
        esc(_("Time: {seconds} s").format(seconds=f"{summary.seconds:.1f}")),
    ]
    if summary.failed:
        lines.append("")
        lines.append(esc(_("Could not be indexed ({count}):").format(count=len(summary.failed))))
        for failure in summary.failed[:MAX_LISTED_FAILURES]:
            lines.append(f"• <code>{esc(failure.file)}</code>: {esc(failure.error)}")
        if len(summary.failed) > MAX_LISTED_FAILURES:
            lines.append(esc(_("… and {count} more.").format(
                count=len(summary.failed) - MAX_LISTED_FAILURES)))
    return "\n".join(lines)
