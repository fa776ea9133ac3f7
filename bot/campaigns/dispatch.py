"""Judging planned reminders and sending them, once each.

`judge_ready` looks at every reminder whose moment has come, in bulk, and
decides: skip it (with the reason counted: opted out, dispute, promise,
plan, paid, taken over, wrong number, the weekly cap, a pause), defer it to the
next allowed moment (quiet hours, or the borrower's own hours or days: the
reasons preferred_hours and avoided_day, `send_after` saying when), or hand it
to the job queue. `send_batch` is
that job: it claims each reminder with one conditional UPDATE (so no
reminder is ever sent twice, even by racing workers), checks again — the
borrower may have paid or opted out since — renders the dealer's template
and sends it through the one outbound sender.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from bot.campaigns import pacing
from bot.campaigns.planner import CATCH_UP, WELCOME, Planned, insert_new
from bot.clock import utcnow
from bot.collection import pause_reason, pause_reasons, pause_reasons_of
from bot.db import session_scope
from bot.localtime import local_today
from bot.messaging.outbound import SendRefused, refusal, send_sms
from bot.messaging.quiet_hours import (
    HOLD_REASONS,
    hold_reason,
    inside,
    next_allowed,
    window,
    zones_for,
)
from bot.models import Account, Borrower, Dealer, ExperimentVariant, Reminder, ReminderStatus
from bot.sms_templates.templates import render_message

log = logging.getLogger(__name__)

QUIET_HOURS = "quiet_hours"
CAP = "weekly_cap"
ALREADY_WELCOMED = "already_welcomed"
EXPIRED = "expired"
MAX_ATTEMPTS = 3


@dataclass
class Judgement:
    """What `judge_ready` decided: reminder ids to send, and skip reasons counted."""

    sendable: list[int] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    held: Counter = field(default_factory=Counter)  # paced to later hours: {hour: n}


def _ready_rows(session: Session, dealer: Dealer, at: datetime, only: str | None,
               accounts: Collection[int] | None = None) -> list:
    query = (
        select(Reminder.id, Reminder.account_id, Reminder.template, Reminder.send_after,
               Borrower.id.label("borrower_id"), Borrower.timezone, Borrower.phone,
               Borrower.phone_zones, Borrower.opted_out, Borrower.wrong_number,
               Borrower.invalid_number, Borrower.contact_window_start,
               Borrower.contact_window_end, Borrower.contact_avoid_days)
        .join(Account, Account.id == Reminder.account_id)
        .join(Borrower, Borrower.id == Account.borrower_id)
        .where(Reminder.dealer_id == dealer.id, Reminder.status.in_(ReminderStatus.READY),
               Reminder.send_after <= at, Reminder.send_after > at - CATCH_UP)
        .order_by(Reminder.id)
    )
    if only is not None:
        query = query.where(Reminder.template == only)
    if accounts is not None:
        query = query.where(Reminder.account_id.in_(list(accounts)))
    return session.execute(query).all()


def _expire_stale(session: Session, dealer: Dealer, at: datetime) -> int:
    """Reminders that could not go within CATCH_UP are given up (never retried forever)."""
    return session.execute(
        update(Reminder)
        .where(Reminder.dealer_id == dealer.id,
               Reminder.status.in_((ReminderStatus.QUEUED, ReminderStatus.DEFERRED)),
               Reminder.send_after <= at - CATCH_UP)
        .values(status=ReminderStatus.SKIPPED, reason=EXPIRED, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount


def _sent_this_week(session: Session, dealer: Dealer, at: datetime) -> Counter:
    rows = session.execute(
        select(Reminder.account_id, func.count())
        .where(Reminder.dealer_id == dealer.id, Reminder.status == ReminderStatus.SENT,
               Reminder.template != WELCOME, Reminder.sent_at > at - timedelta(days=7))
        .group_by(Reminder.account_id)
    ).all()
    return Counter(dict(rows))


def _welcomed_borrowers(session: Session, dealer: Dealer) -> set[int]:
    return set(session.execute(
        select(Account.borrower_id).join(Reminder, Reminder.account_id == Account.id)
        .where(Reminder.dealer_id == dealer.id, Reminder.template == WELCOME,
               Reminder.status.in_((ReminderStatus.SENT, ReminderStatus.ENQUEUED,
                                    ReminderStatus.SENDING)))
    ).scalars())


def _local_days(rows: list, dealer: Dealer, at: datetime) -> dict[int, date]:
    """Each account's local date at `at` (computed once per time zone)."""
    by_zone: dict[str | None, date] = {}
    days = {}
    for row in rows:
        if row.timezone not in by_zone:
            by_zone[row.timezone] = local_today(row, dealer, at)
        days[row.account_id] = by_zone[row.timezone]
    return days


def _hold_reason(row: object, dealer: Dealer, pauses: dict[int, str], sent: Counter,
                 welcomed: set[int]) -> str | None:
    if row.template == WELCOME:
        return refusal(row) or (ALREADY_WELCOMED if row.borrower_id in welcomed else None)
    reason = pauses.get(row.account_id)
    if reason is None and sent[row.account_id] >= dealer.reminder_cap_per_week:
        reason = CAP
    return reason


def _apply(session: Session, ids: list[int], **values: object) -> None:
    """Set `values` on the reminders `ids` (one statement, executed for each id)."""
    if ids:
        table = Reminder.__table__
        statement = update(table).where(table.c.id == bindparam("rid")).values(
            updated_at=utcnow(), **values)
        session.connection().execute(statement, [{"rid": rid} for rid in ids])


def _asked_for_hours(row: object) -> bool:
    """Whether the borrower named hours or days to be texted in (most did not)."""
    return bool(row.contact_window_start or row.contact_avoid_days)


def _decide(rows: list, dealer: Dealer, at: datetime, pauses: dict[int, str],
            sent: Counter, welcomed: set[int]) -> list[tuple[object, str, str | None,
                                                              datetime | None]]:
    """(row, status, reason, send_after) for each row, in order (the cap counts as it goes)."""
    start, end = window(dealer)
    allowed: dict[tuple, bool] = {}  # by set of zones: `at` is the same for every row
    decisions = []
    for row in rows:
        reason = _hold_reason(row, dealer, pauses, sent, welcomed)
        zones = tuple(zones_for(row, dealer)) if reason is None else ()
        if reason is None and zones not in allowed:
            allowed[zones] = inside(list(zones), start, end, at)
        if reason is not None:
            decisions.append((row, ReminderStatus.SKIPPED, reason, row.send_after))
        elif not allowed[zones]:
            decisions.append((row, ReminderStatus.DEFERRED, QUIET_HOURS,
                              next_allowed(row, dealer, at)))
        elif _asked_for_hours(row) and (held := hold_reason(row, dealer, at)):
            decisions.append((row, ReminderStatus.DEFERRED, held,
                              next_allowed(row, dealer, at)))
        else:
            decisions.append((row, ReminderStatus.ENQUEUED, None, row.send_after))
            if row.template == WELCOME:
                welcomed.add(row.borrower_id)
            else:
                sent[row.account_id] += 1
    return decisions


def _pace(session: Session, dealer: Dealer, at: datetime, decisions: list) -> Counter:
    """Hold the part of the wave the team could not answer now (bot/campaigns/pacing.py)
    for later staffed hours; {hour: reminders held for it}."""
    candidates = [i for i, (row, status, _reason, _when) in enumerate(decisions)
                  if status == ReminderStatus.ENQUEUED and row.template != WELCOME]
    plan = pacing.plan_for(session, dealer, at) if candidates else None
    if plan is None:
        return Counter()
    start, end = window(dealer)

    def allowed(row: object, moment: datetime) -> bool:
        if _asked_for_hours(row):
            return hold_reason(row, dealer, moment) is None
        return inside(zones_for(row, dealer), start, end, moment)

    held = pacing.spread(plan, [decisions[i][0] for i in candidates], at, allowed)
    by_hour: Counter = Counter()
    for position, hour in held.items():
        index = candidates[position]
        decisions[index] = (decisions[index][0], ReminderStatus.DEFERRED, pacing.PACED, hour)
        by_hour[hour] += 1
    return by_hour


def _record_existing(session: Session, decisions: list) -> list[int]:
    """Write the decisions on rows already in the database; the enqueued ids."""
    by_outcome: dict[tuple, list[int]] = {}
    deferred = []
    for row, status, reason, send_after in decisions:
        if status == ReminderStatus.DEFERRED:
            deferred.append({"id": row.id, "status": status, "reason": reason,
                             "send_after": send_after})
        else:
            by_outcome.setdefault((status, reason), []).append(row.id)
    for (status, reason), ids in by_outcome.items():
        _apply(session, ids, status=status, reason=reason)
    if deferred:
        session.bulk_update_mappings(Reminder, deferred)
    return by_outcome.get((ReminderStatus.ENQUEUED, None), [])


def _record_new(session: Session, dealer: Dealer, decisions: list) -> list[int]:
    """Insert the newly planned reminders as judged; the ids of the enqueued ones."""
    if not decisions:
        return []
    marker = utcnow()
    insert_new(session, [{**row.values(dealer.id), "status": status, "reason": reason,
                          "send_after": send_after}
                         for row, status, reason, send_after in decisions], marker)
    return list(session.execute(
        select(Reminder.id).where(Reminder.dealer_id == dealer.id,
                                  Reminder.status == ReminderStatus.ENQUEUED,
                                  Reminder.created_at == marker).order_by(Reminder.id)
    ).scalars())


def judge_ready(session: Session, dealer: Dealer, at: datetime, only: str | None = None,
                planned: Sequence[Planned] = (),
                accounts: Collection[int] | None = None) -> Judgement:
    """Decide every reminder (or only those of template `only`, of `accounts`) whose moment
    has come — those in the database and the `planned` ones not written yet: skip, defer,
    or enqueue.

    Judging newly planned steps before writing them lets a campaign write each
    row once, which is most of what it costs.
    """
    judgement = Judgement()
    expired = _expire_stale(session, dealer, at)
    if expired:
        judgement.skipped[EXPIRED] += expired
    stored = _ready_rows(session, dealer, at, only, accounts)
    rows = [*stored, *planned]
    days = _local_days(rows, dealer, at)
    pauses = pause_reasons(session, [r.account_id for r in stored if r.template != WELCOME],
                           days)
    pauses.update(pause_reasons_of(session, [p.state for p in planned], days, dealer.id))
    welcomes = any(row.template == WELCOME for row in stored)
    decisions = _decide(rows, dealer, at, pauses, _sent_this_week(session, dealer, at),
                        _welcomed_borrowers(session, dealer) if welcomes else set())
    judgement.held = _pace(session, dealer, at, decisions)
    for _row, status, reason, _when in decisions:
        if status != ReminderStatus.ENQUEUED:
            judgement.skipped[reason] += 1
    judgement.sendable = (_record_existing(session, [d for d in decisions if d[0].id])
                          + _record_new(session, dealer, [d for d in decisions if not d[0].id]))
    return judgement


def _claim(session: Session, reminder_id: int) -> bool:
    """enqueued -> sending, for exactly one caller."""
    return session.execute(
        update(Reminder)
        .where(Reminder.id == reminder_id, Reminder.status == ReminderStatus.ENQUEUED)
        .values(status=ReminderStatus.SENDING, attempts=Reminder.attempts + 1,
                updated_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount == 1


def _settle_refusal(reminder: Reminder, refused: SendRefused) -> str:
    if refused.reason in HOLD_REASONS:
        reminder.status, reminder.send_after = ReminderStatus.DEFERRED, refused.retry_at
    elif refused.reason == "rate_limited" and reminder.attempts < MAX_ATTEMPTS:
        reminder.status = ReminderStatus.QUEUED  # judged again by the next run
    else:
        reminder.status = ReminderStatus.SKIPPED
    reminder.reason = refused.reason
    return refused.reason


def template_on(template: str, due: date | None, today: date) -> str:
    """The template a reminder goes with on `today`: one held past its day (for the hours
    or days the borrower asked for) says what is true when it goes — "due today" sent
    after the due date is the overdue one, "upcoming" sent on the day the due-day one."""
    if due is None or template not in ("reminder_upcoming", "reminder_due"):
        return template
    if today > due:
        return "reminder_overdue"
    return "reminder_due" if today == due else template


def send_one(session: Session, reminder: Reminder, at: datetime) -> str:
    """Send a claimed reminder if it still may go; "sent" or the reason it did not."""
    account = session.get(Account, reminder.account_id)
    borrower = session.get(Borrower, account.borrower_id)
    dealer = session.get(Dealer, reminder.dealer_id)
    today = local_today(borrower, dealer, at)
    reason = refusal(borrower) if reminder.template == WELCOME \
        else pause_reason(session, account, today)
    if reason is not None:
        reminder.status, reminder.reason = ReminderStatus.SKIPPED, reason
        return reason
    template = template_on(reminder.template, reminder.due_date, today)
    # An experiment's variant is worded for the template it was drawn for.
    variant = session.get(ExperimentVariant, reminder.variant_id) \
        if reminder.variant_id and template == reminder.template else None
    text = render_message(session, dealer, account, template, borrower.language, today,
                          body=variant.body(borrower.language) if variant else None)
    kind = "welcome" if reminder.template == WELCOME else "reminder"
    try:
        message = send_sms(session, borrower, text, kind=kind, account_id=account.id, at=at,
                           defer=False)
    except SendRefused as refused:
        return _settle_refusal(reminder, refused)
    reminder.message_id, reminder.language = message.id, borrower.language
    if message.status == "failed":
        reminder.status = ReminderStatus.FAILED
        reminder.reason = refusal(borrower) or f"error_{message.error_code}"
        return reminder.reason
    reminder.status, reminder.sent_at, reminder.reason = ReminderStatus.SENT, at, None
    return "sent"


def _send_claimed(reminder_id: int, at: datetime) -> str | None:
    """Claim and send one reminder in its own transaction; None if another worker has it."""
    with session_scope() as session:
        if not _claim(session, reminder_id):
            return None
        session.commit()
        try:
            return send_one(session, session.get(Reminder, reminder_id), at)
        except Exception:
            # Whether the text left is unknown: marked failed, never sent again.
            log.exception("reminder %s failed", reminder_id)
            session.rollback()
            session.execute(update(Reminder).where(Reminder.id == reminder_id).values(
                status=ReminderStatus.FAILED, reason="error", updated_at=utcnow()))
            return "error"


def send_batch(reminder_ids: list[int], at_iso: str, planned_iso: str) -> dict:
    """The job: send each reminder of a batch; `{"sent": n, "skipped": {reason: n}}`.

    Time moves on from `at_iso` by however long the job waited in the queue,
    so an injected `--at` and real time agree on quiet hours.
    """
    from bot import db
    from bot.settings import get_settings

    db.configure(get_settings().database_url)
    delay = utcnow() - datetime.fromisoformat(planned_iso)
    started = datetime.fromisoformat(at_iso) + max(delay, timedelta(0))
    began = utcnow()
    outcome: Counter = Counter()
    for reminder_id in reminder_ids:
        outcome[_send_claimed(reminder_id, started + (utcnow() - began))] += 1
    outcome.pop(None, None)
    sent = outcome.pop("sent", 0)
    return {"sent": sent, "skipped": dict(outcome)}
