"""What followed a reminder: a reply, an opt-out, payments — within 3 days, same borrower
or account. The dashboard's per-template results and the experiments' per-variant
results (and the bandit's "paid within 3 days") all credit reminders this one way.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import Account, Borrower, LedgerEntry, Message

ATTRIBUTION = timedelta(days=3)


def followed(times: list[datetime], after: datetime) -> datetime | None:
    """The first moment in sorted `times` within ATTRIBUTION after `after`."""
    index = bisect_left(times, after)
    if index < len(times) and times[index] <= after + ATTRIBUTION:
        return times[index]
    return None


def times_by(rows: Iterable, key: str) -> dict[int, list[datetime]]:
    """Rows with an `at` grouped by `key`, each group's moments sorted."""
    grouped: dict[int, list[datetime]] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row.at)
    return {k: sorted(v) for k, v in grouped.items()}


def ledger_payments(session: Session, dealer_id: int, lo: datetime, hi: datetime) -> list:
    """The dealer's payment entries in [lo, hi): (account_id, amount_cents < 0, created_at)."""
    return session.execute(
        select(LedgerEntry.account_id, LedgerEntry.amount_cents, LedgerEntry.created_at)
        .join(Account, Account.id == LedgerEntry.account_id)
        .where(Account.dealer_id == dealer_id, LedgerEntry.kind == "payment",
               LedgerEntry.created_at >= lo, LedgerEntry.created_at < hi)
    ).all()


def reminder_outcomes(session: Session, dealer_id: int, reminders: Sequence, lo: datetime,
                      until: datetime, payments: Iterable) -> list[Counter]:
    """For each reminder (rows with account_id, borrower_id, sent_at), in order:
    `sent`, `replies`, `opt_outs` (0/1), `payments` and `collected_cents` within 3 days.

    `payments` are ledger payment entries (negative amounts); replies and
    opt-outs are looked up between `lo` and `until`.
    """
    replies = times_by(session.execute(
        select(Message.borrower_id, Message.created_at.label("at")).where(
            Message.dealer_id == dealer_id, Message.direction == "inbound",
            Message.created_at >= lo, Message.created_at < until)).all(), "borrower_id")
    opt_outs = times_by(session.execute(
        select(Borrower.id.label("borrower_id"), Borrower.opted_out_at.label("at")).where(
            Borrower.dealer_id == dealer_id, Borrower.opted_out_at >= lo,
            Borrower.opted_out_at < until)).all(), "borrower_id")
    paid: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    for entry in payments:
        paid[entry.account_id].append((entry.created_at, -entry.amount_cents))
    outcomes = []
    for row in reminders:
        outcome = Counter(sent=1)
        outcome["replies"] = int(followed(replies.get(row.borrower_id, []), row.sent_at)
                                 is not None)
        outcome["opt_outs"] = int(followed(opt_outs.get(row.borrower_id, []), row.sent_at)
                                  is not None)
        after = [cents for at, cents in paid.get(row.account_id, [])
                 if row.sent_at <= at <= row.sent_at + ATTRIBUTION]
        outcome["payments"], outcome["collected_cents"] = len(after), sum(after)
        outcomes.append(outcome)
    return outcomes
