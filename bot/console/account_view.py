"""Everything staff need beside a conversation: what is owed, the card, and every
arrangement (plan, promise, dispute, claim of payment) and whether texts may go."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import contact_preferences
from bot.collection import active_plan, open_dispute, pause_reason
from bot.models import (
    Account,
    Borrower,
    Dispute,
    Installment,
    Payment,
    PaymentClaim,
    Plan,
    Promise,
)

RECENT = 10


@dataclass
class AccountSummary:
    """An account and the state of every arrangement on it."""

    account: Account
    borrower: Borrower
    days_late: int
    payments: list[Payment] = field(default_factory=list)
    plan: Plan | None = None
    installments: list[Installment] = field(default_factory=list)
    promise: Promise | None = None
    dispute: Dispute | None = None
    claim: PaymentClaim | None = None
    paused_because: str | None = None
    # What the borrower asked about being texted, in staff's words (empty: nothing).
    contact_preferences: list[str] = field(default_factory=list)


def days_late(account: Account, today: date) -> int:
    """Days since the due date while something is due (0 when current)."""
    if account.amount_due_cents <= 0 or account.due_date is None or account.due_date >= today:
        return 0
    return (today - account.due_date).days


def _latest(session: Session, model: type, account_id: int) -> object | None:
    return session.execute(
        select(model).where(model.account_id == account_id).order_by(model.id.desc()).limit(1)
    ).scalars().first()


def summarize(session: Session, account: Account, today: date) -> AccountSummary:
    """Read the account's arrangements (latest of each kind) for display."""
    plan = active_plan(session, account.id) or _latest(session, Plan, account.id)
    summary = AccountSummary(
        account=account,
        borrower=session.get(Borrower, account.borrower_id),
        days_late=days_late(account, today),
        payments=list(session.execute(
            select(Payment).where(Payment.account_id == account.id)
            .order_by(Payment.created_at.desc(), Payment.id.desc()).limit(RECENT)).scalars()),
        plan=plan,
        installments=list(plan.installments) if plan is not None else [],
        promise=_latest(session, Promise, account.id),
        dispute=open_dispute(session, account.id) or _latest(session, Dispute, account.id),
        claim=_latest(session, PaymentClaim, account.id),
    )
    summary.paused_because = pause_reason(session, account, today)
    summary.contact_preferences = preference_lines(summary.borrower)
    return summary


_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _clock(moment: time) -> str:
    return f"{moment.hour % 12 or 12}:{moment.minute:02d} {'am' if moment.hour < 12 else 'pm'}"


def preference_lines(borrower: Borrower) -> list[str]:
    """The borrower's contact preferences as staff read them ("Texts only 6:00 pm-9:00 pm
    their time", "No texts on Sat, Sun", ...); empty when they asked for nothing."""
    wished = contact_preferences.of(borrower)
    lines = []
    if wished.has_window:
        lines.append(f"Texts only {_clock(wished.window_start)} to {_clock(wished.window_end)} "
                     "their time")
    if wished.avoid_days:
        lines.append("No texts on " + ", ".join(_DAY_NAMES[d] for d in sorted(wished.avoid_days)))
    if wished.language_chosen:
        lines.append("Language: " + ("Spanish" if wished.language == "es" else "English")
                     + " (their choice)")
    if wished.paused_until is not None:
        lines.append(f"Reminders paused until {wished.paused_until:%b %d, %Y}")
    return lines
