"""The floor report for the secretariat: a CSV of every request and a PNG chart of speaking time.

The chart is drawn with matplotlib's object API on the Agg canvas (no pyplot state, safe in a
worker thread); matplotlib is imported only when a chart is drawn.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from bot.domain.floor_model import FloorState, Request, RequestState, budget_used
from bot.domain.floor_rules import Category, FloorRules

COLUMNS = (
    "speaker", "delegation", "category", "mode", "language", "topic", "requested", "started",
    "ended", "seconds_spoken", "seconds_paused", "outcome",
)
OUTCOMES = {
    RequestState.WAITING: "not reached",
    RequestState.SPEAKING: "speaking",
    RequestState.PAUSED: "speaking (paused)",
    RequestState.FINISHED: "finished",
    RequestState.WITHDRAWN: "withdrawn",
    RequestState.SKIPPED: "absent",
}


@dataclass(frozen=True)
class FloorReport:
    """Everything the report shows, computed at one moment."""

    requests: tuple[Request, ...]
    generated_at: datetime
    zone: tzinfo
    seconds_by_category: dict[Category, float]
    budget_total: float
    budget_used: float

    @property
    def unreached(self) -> tuple[Request, ...]:
        """Requests still waiting: never given the floor."""
        waiting = [r for r in self.requests if r.state == RequestState.WAITING]
        return tuple(sorted(waiting, key=lambda r: r.position or 0))


def build_report(state: FloorState, rules: FloorRules, now: datetime, zone: tzinfo
                 ) -> FloorReport:
    """The report of the list as it stands at `now`."""
    by_category = dict.fromkeys(tuple(Category), 0.0)
    for request in state.requests:
        by_category[request.category] = (
            by_category.get(request.category, 0.0) + request.spoken_seconds(now)
        )
    return FloorReport(
        requests=tuple(sorted(state.requests, key=lambda r: r.id)),
        generated_at=now,
        zone=zone,
        seconds_by_category=by_category,
        budget_total=rules.remote_budget_seconds,
        budget_used=budget_used(state, now),
    )


def report_csv(report: FloorReport) -> bytes:
    """The CSV document (UTF-8 with a BOM, so that spreadsheet programs read the accents)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    now = report.generated_at
    for r in report.requests:
        writer.writerow([
            _cell(r.name), _cell(r.delegation), r.category, r.mode, r.language or "",
            _cell(r.topic),
            _time(r.requested_at, report.zone), _time(r.started_at, report.zone),
            _time(r.ended_at, report.zone), f"{r.spoken_seconds(now):.1f}",
            f"{r.paused_total(now) if r.started_at else 0.0:.1f}", OUTCOMES[r.state],
        ])
    return buffer.getvalue().encode("utf-8-sig")


def report_chart(report: FloorReport, _: Callable[[str], str]) -> bytes:
    """A PNG: minutes spoken per category, and the remote budget used against its total."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    labels = {
        Category.PANELIST: _("Panelists"), Category.IN_ROOM: _("In the room"),
        Category.REMOTE_HIGH_LEVEL: _("Remote, high-level"), Category.REMOTE: _("Remote"),
    }
    figure = Figure(figsize=(9, 4), dpi=100)
    FigureCanvasAgg(figure)
    left, right = figure.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    names = [labels[c] for c in report.seconds_by_category]
    minutes = [s / 60 for s in report.seconds_by_category.values()]
    bars = left.bar(names, minutes, color=["#5b7db1", "#4f9d69", "#d08c3a", "#c4584f"])
    left.bar_label(bars, labels=[f"{m:.1f}" for m in minutes])
    left.set_ylabel(_("Minutes spoken"))
    left.set_title(_("Speaking time per category"))
    left.tick_params(axis="x", labelrotation=15)
    used = report.budget_used / 60
    total = report.budget_total / 60
    right.barh([_("Remote budget")], [used], color="#c4584f" if used > total else "#d08c3a")
    right.axvline(total, color="black", linestyle="--")
    right.set_xlim(0, max(total, used) * 1.15 or 1)
    right.set_xlabel(_("Minutes"))
    right.set_title(_("{used} of {total} minutes used").format(
        used=f"{used:.1f}", total=f"{total:g}"))
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _time(moment: datetime | None, zone: tzinfo) -> str:
    return moment.astimezone(zone).isoformat(timespec="seconds") if moment else ""


def _cell(text: str) -> str:
    """Neutralise spreadsheet formulas in free text (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
