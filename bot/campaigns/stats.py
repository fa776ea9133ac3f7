"""A dealer's results over a date range: what was collected, and what worked.

Money comes from the ledger itself (the payment entries), so the totals add
up to it exactly. A reply, an opt-out or a payment is credited to a reminder
when it follows within ATTRIBUTION (3 days) on the same borrower or account;
that is how the per-template and per-language rows compare texts. Dates are
the dealer's local days.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.campaigns.attribution import ATTRIBUTION, reminder_outcomes
from bot.campaigns.planner import WELCOME
from bot.models import (
    Account,
    Borrower,
    Dealer,
    Escalation,
    Installment,
    LedgerEntry,
    Message,
    Payment,
    Plan,
    PlanStatus,
    Promise,
    Reminder,
    ReminderStatus,
    SurveyResponse,
)

MAX_DAYS = 366
EARLIEST_DAY, LATEST_DAY = date(2000, 1, 1), date(2100, 12, 31)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


class _Range:
    """The dealer's local days [start, end] as naive-UTC bounds, and back."""

    def __init__(self, dealer: Dealer, start: date, end: date) -> None:
        self.zone = ZoneInfo(dealer.timezone or "America/New_York")
        self.start, self.end = start, end
        self.lo = self._utc(start)
        self.hi = self._utc(end + timedelta(days=1))

    def _utc(self, day: date) -> datetime:
        local = datetime.combine(day, time(0), tzinfo=self.zone)
        return local.astimezone(timezone.utc).replace(tzinfo=None)

    def day(self, moment: datetime) -> date:
        """The dealer's local date of a naive-UTC moment."""
        return moment.replace(tzinfo=timezone.utc).astimezone(self.zone).date()

    def days(self) -> list[date]:
        """Every day of the range."""
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


def _ledger_payments(session: Session, dealer: Dealer, span: _Range) -> list:
    return session.execute(
        select(LedgerEntry.account_id, LedgerEntry.amount_cents, LedgerEntry.created_at,
               Payment.source)
        .join(Account, Account.id == LedgerEntry.account_id)
        .outerjoin(Payment, Payment.id == LedgerEntry.payment_id)
        .where(Account.dealer_id == dealer.id, LedgerEntry.kind == "payment",
               LedgerEntry.created_at >= span.lo, LedgerEntry.created_at < span.hi)
    ).all()


def _reminder_rows(session: Session, dealer: Dealer, span: _Range) -> list:
    return session.execute(
        select(Reminder.account_id, Reminder.template, Reminder.language, Reminder.sent_at,
               Account.borrower_id)
        .join(Account, Account.id == Reminder.account_id)
        .where(Reminder.dealer_id == dealer.id, Reminder.status == ReminderStatus.SENT,
               Reminder.template != WELCOME,
               Reminder.sent_at >= span.lo, Reminder.sent_at < span.hi)
    ).all()


def _campaign(session: Session, dealer: Dealer, span: _Range, payments: list) -> dict:
    """Reminders sent and what followed them, overall, per template, language and day."""
    reminders = _reminder_rows(session, dealer, span)
    outcomes = reminder_outcomes(session, dealer.id, reminders, span.lo,
                                 span.hi + ATTRIBUTION, payments)
    groups: dict[str, dict[str, Counter]] = {"by_template": defaultdict(Counter),
                                             "by_language": defaultdict(Counter),
                                             "by_day": defaultdict(Counter)}
    for row, outcome in zip(reminders, outcomes, strict=True):
        for name, key in (("by_template", row.template), ("by_language", row.language),
                          ("by_day", span.day(row.sent_at).isoformat())):
            groups[name][key].update(outcome)
    return groups


def _with_rates(counts: Counter) -> dict[str, Any]:
    sent = counts.get("sent", 0)
    return {"sent": sent, "replies": counts.get("replies", 0),
            "reply_rate": _rate(counts.get("replies", 0), sent),
            "opt_outs": counts.get("opt_outs", 0),
            "opt_out_rate": _rate(counts.get("opt_outs", 0), sent),
            "payments": counts.get("payments", 0),
            "collected_cents": counts.get("collected_cents", 0)}


def _promises(session: Session, dealer: Dealer, span: _Range) -> dict[str, Any]:
    made = session.execute(select(func.count()).where(
        Promise.dealer_id == dealer.id, Promise.created_at >= span.lo,
        Promise.created_at < span.hi)).scalar_one()
    settled = Counter(dict(session.execute(
        select(Promise.status, func.count()).where(
            Promise.dealer_id == dealer.id, Promise.settled_at >= span.lo,
            Promise.settled_at < span.hi).group_by(Promise.status)).all()))
    kept, broken = settled.get("kept", 0), settled.get("broken", 0)
    return {"made": made, "kept": kept, "broken": broken, "kept_rate": _rate(kept, kept + broken)}


def _plans(session: Session, dealer: Dealer) -> dict[str, Any]:
    active = set(session.execute(select(Plan.id).where(
        Plan.dealer_id == dealer.id, Plan.status == PlanStatus.ACTIVE)).scalars())
    behind = set(session.execute(select(Installment.plan_id).where(
        Installment.plan_id.in_(active),
        (Installment.failures > 0) | (Installment.status == "failed"))).scalars()) \
        if active else set()
    on_track = len(active - behind)
    return {"active": len(active), "on_track": on_track,
            "on_track_rate": _rate(on_track, len(active))}


def _escalations(session: Session, dealer: Dealer, span: _Range) -> dict[str, Any]:
    opened = dict(session.execute(
        select(Escalation.reason, func.count()).where(
            Escalation.dealer_id == dealer.id, Escalation.created_at >= span.lo,
            Escalation.created_at < span.hi).group_by(Escalation.reason)).all())
    resolved = session.execute(select(func.count()).where(
        Escalation.dealer_id == dealer.id, Escalation.resolved_at >= span.lo,
        Escalation.resolved_at < span.hi)).scalar_one()
    return {"opened": sum(opened.values()), "resolved": resolved,
            "by_reason": dict(sorted(opened.items()))}


def _adoption(session: Session, dealer: Dealer, payments: list) -> dict[str, Any]:
    borrowers = session.execute(select(func.count()).where(
        Borrower.dealer_id == dealer.id)).scalar_one()
    replied = session.execute(
        select(func.count(func.distinct(Message.borrower_id))).where(
            Message.dealer_id == dealer.id, Message.direction == "inbound",
            Message.borrower_id.isnot(None))).scalar_one()
    by_text = sum(1 for entry in payments if entry.source == "sms")
    return {"borrowers": borrowers, "ever_replied": replied,
            "ever_replied_share": _rate(replied, borrowers),
            "payments_by_text": by_text, "payments_by_text_share": _rate(by_text, len(payments))}


def _survey(session: Session, dealer: Dealer, span: _Range) -> dict[str, Any]:
    scores = Counter(dict(session.execute(
        select(SurveyResponse.score, func.count()).where(
            SurveyResponse.dealer_id == dealer.id, SurveyResponse.score.isnot(None),
            SurveyResponse.answered_at >= span.lo, SurveyResponse.answered_at < span.hi)
        .group_by(SurveyResponse.score)).all()))
    answers = sum(scores.values())
    total = sum(score * n for score, n in scores.items())
    return {"responses": answers, "average": round(total / answers, 2) if answers else None,
            "scores": {str(s): scores.get(s, 0) for s in range(1, 6)}}


def _by_day(span: _Range, payments: list, campaign_days: dict[str, Counter]) -> list[dict]:
    money: dict[str, Counter] = defaultdict(Counter)
    for entry in payments:
        day = span.day(entry.created_at).isoformat()
        money[day].update(payments=1, collected_cents=-entry.amount_cents)
    rows = []
    for day in span.days():
        key = day.isoformat()
        sent = campaign_days.get(key, Counter())
        rows.append({"date": key, "collected_cents": money[key]["collected_cents"],
                     "payments": money[key]["payments"], "reminders_sent": sent["sent"],
                     "replies": sent["replies"], "opt_outs": sent["opt_outs"]})
    return rows


def dealer_stats(session: Session, dealer: Dealer, start: date, end: date) -> dict:
    """Results between two local dates (inclusive): money, replies, opt-outs, promises,
    plans, escalations, adoption and survey, per template, language and day."""
    if start < EARLIEST_DAY or end > LATEST_DAY:
        raise ValueError(f"dates must be from {EARLIEST_DAY} to {LATEST_DAY}")
    if end < start:
        raise ValueError("the range ends before it starts")
    if (end - start).days >= MAX_DAYS:
        raise ValueError(f"at most {MAX_DAYS} days at once")
    span = _Range(dealer, start, end)
    payments = _ledger_payments(session, dealer, span)
    campaign = _campaign(session, dealer, span, payments)
    overall = _with_rates(sum(campaign["by_template"].values(), Counter()))
    return {
        "from": start.isoformat(), "to": end.isoformat(), "timezone": str(span.zone),
        "currency": dealer.currency,
        "collected_cents": -sum(entry.amount_cents for entry in payments),
        "payments": len(payments),
        "reminders_sent": overall["sent"], "replies": overall["replies"],
        "reply_rate": overall["reply_rate"], "opt_outs": overall["opt_outs"],
        "opt_out_rate": overall["opt_out_rate"],
        "promises": _promises(session, dealer, span),
        "plans": _plans(session, dealer),
        "escalations": _escalations(session, dealer, span),
        "adoption": _adoption(session, dealer, payments),
        "survey": _survey(session, dealer, span),
        "by_template": {k: _with_rates(v) for k, v in sorted(campaign["by_template"].items())},
        "by_language": {k: _with_rates(v) for k, v in sorted(campaign["by_language"].items())},
        "by_day": _by_day(span, payments, campaign["by_day"]),
    }
