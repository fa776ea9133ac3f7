"""The dashboard (admins): collected per day, reply rate, outcome mix, per-template
results and opt-outs over the dealer's last 7, 30 or 90 local days, as SVG charts."""

from __future__ import annotations

from datetime import timedelta

from flask import g, render_template, request
from flask.typing import ResponseReturnValue

from bot.campaigns.experiments import experiments_json
from bot.campaigns.stats import dealer_stats
from bot.consent import SOURCE_LABELS
from bot.console.consent_report import honoured
from bot.dealers import sender_warnings
from bot.web.portal import bp
from bot.web.portal.charts import bar_chart, column_chart
from bot.web.portal.console import REASONS
from bot.web.portal.helpers import admin_required, dealer_today, minutes_text, money
from bot.web.portal.templates_editor import KIND_LABELS

PERIODS = (7, 30, 90)


def duration_text(seconds: float) -> str:
    """How long, in the largest sensible unit: "none", "45 s", "3 h 10 min", "2 days"."""
    if seconds <= 0:
        return "none"
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 2 * 86400:
        return minutes_text(int(seconds // 60))
    return f"{seconds / 86400:.0f} days"


def percent(rate: float | None) -> str:
    """0.1234 -> "12.3%" ("n/a" when there is nothing to divide)."""
    return "n/a" if rate is None else f"{rate * 100:.1f}%"


def _outcome_mix(stats: dict) -> list[tuple[str, float]]:
    promises = stats["promises"]
    return [("Payments", stats["payments"]), ("Promises made", promises["made"]),
            ("Promises kept", promises["kept"]), ("Promises broken", promises["broken"]),
            ("Plans active", stats["plans"]["active"]),
            ("Escalations", stats["escalations"]["opened"]), ("Opt-outs", stats["opt_outs"])]


def _charts(stats: dict) -> dict:
    days = stats["by_day"]
    every = max(1, len(days) // 6)
    short = [(d["date"][5:], d) for d in days]
    return {
        "collected": column_chart([(label, d["collected_cents"]) for label, d in short],
                                  title="Collected per day", chart_id="chart-collected",
                                  fmt=lambda cents: money(int(cents)), label_every=every),
        "replies": column_chart([(label, d["replies"]) for label, d in short],
                                title="Replies to reminders per day", chart_id="chart-replies",
                                fmt=lambda n: f"{n:g}", label_every=every),
        "opt_outs": column_chart([(label, d["opt_outs"]) for label, d in short],
                                 title="Opt-outs per day", chart_id="chart-opt-outs",
                                 fmt=lambda n: f"{n:g}", label_every=every),
        "outcomes": bar_chart(_outcome_mix(stats), title="Outcome mix", chart_id="chart-outcomes",
                              fmt=lambda n: str(int(n))),
        "templates": bar_chart([(KIND_LABELS.get(kind, kind), (row["reply_rate"] or 0) * 100)
                                for kind, row in stats["by_template"].items()],
                               title="Reply rate per template", chart_id="chart-templates",
                               fmt=lambda n: f"{n:.1f}%"),
    }


@bp.get("/dashboard")
@admin_required
def dashboard() -> ResponseReturnValue:
    """Results over the chosen period."""
    days = request.args.get("days", 30, type=int)
    days = days if days in PERIODS else 30
    end = dealer_today()
    start = end - timedelta(days=days - 1)
    stats = dealer_stats(g.db, g.dealer, start, end)
    return render_template("portal/dashboard.html", stats=stats, charts=_charts(stats),
                           consent=honoured(g.db, g.dealer, start, end),
                           consent_sources=SOURCE_LABELS, period_start=start, period_end=end,
                           duration=duration_text, sender_warnings=sender_warnings(g.dealer),
                           days=days, periods=PERIODS, percent=percent, kinds=KIND_LABELS,
                           reasons=REASONS, outcome_mix=_outcome_mix(stats),
                           experiments=experiments_json(g.db, g.dealer))
