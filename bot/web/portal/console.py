"""The staff console: the escalation queue and the conversation view.

Taking over, replying and handing back (console_actions.py) go through
bot/console/takeover.py, the same functions the REST API uses.
"""

from __future__ import annotations

from flask import abort, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from bot.clock import utcnow
from bot.console import queue as console_queue
from bot.console.account_view import summarize
from bot.console.takeover import conversation as conversation_escalations
from bot.console.timeline import AUTHOR_LABELS, timeline
from bot.localtime import local_now
from bot.messaging.quiet_hours import hold_reason
from bot.models import (
    Account,
    Borrower,
    Escalation,
    EscalationReason,
    EscalationStatus,
    Message,
)
from bot.money import format_cents
from bot.web.portal import bp
from bot.web.portal.agreement_form import HANDBACK_KINDS
from bot.web.portal.helpers import dealer_today, owned

REASONS = {
    EscalationReason.DISPUTE: "Dispute",
    EscalationReason.HARDSHIP: "Hardship",
    EscalationReason.HUMAN: "Asked for a person",
    EscalationReason.FALLBACK: "Bot did not understand",
    EscalationReason.WRONG_NUMBER: "Wrong number",
    EscalationReason.FAILED_INSTALLMENT: "Failed installment",
    EscalationReason.BROKEN_PROMISE: "Broken promise",
    EscalationReason.ALREADY_PAID: "Says already paid",
    EscalationReason.CHARGEBACK: "Card payment disputed with the bank",
}


def author_label(message: Message) -> str:
    """Who wrote a text, as the queue shows it ("Dana", "Bot", "Sam Ortiz")."""
    if message.author == "borrower":
        borrower = g.db.get(Borrower, message.borrower_id)
        return borrower.first_name if borrower else "Borrower"
    return AUTHOR_LABELS.get(message.author, message.author.title())


def _queue_rows() -> list[console_queue.QueueRow]:
    return console_queue.queue(g.db, g.dealer, utcnow(), reason=request.args.get("reason") or None,
                               holder=request.args.get("holder") or None,
                               user_id=current_user.id)


@bp.get("/queue")
def queue() -> ResponseReturnValue:
    """Open escalations, oldest first, with reason, last text and response clock."""
    return render_template("portal/queue.html", rows=_queue_rows(), reasons=REASONS,
                           author_label=author_label,
                           holders=console_queue.holders(g.db, g.dealer.id),
                           reason=request.args.get("reason", ""),
                           holder=request.args.get("holder", ""))


@bp.get("/queue/rows")
def queue_rows() -> ResponseReturnValue:
    """Just the queue's rows (the page refreshes them on live events)."""
    return render_template("portal/_queue_rows.html", rows=_queue_rows(), reasons=REASONS,
                           author_label=author_label)


def quick_replies(borrower: Borrower, account: Account | None) -> list[str]:
    """The dealer's quick replies with the borrower's details filled in."""
    values = {"first_name": borrower.first_name, "dealer_name": g.dealer.name,
              "reference": account.reference if account else "",
              "amount_due": format_cents(account.amount_due_cents, g.dealer.currency)
              if account else "",
              "balance": format_cents(account.balance_cents, g.dealer.currency) if account else ""}
    filled = []
    for text in g.dealer.quick_replies or []:
        for name, value in values.items():
            text = str(text).replace("{" + name + "}", value)
        filled.append(text)
    return filled


def conversation_context(escalation: Escalation, **extra: object) -> dict:
    """Everything the conversation view shows. The borrower's conversation is one,
    whichever of its escalations the page was opened through: a handed-back one
    shows the borrower's newer active escalation when there is one."""
    if escalation.status == EscalationStatus.RESOLVED:
        escalation = console_queue.active_escalation(g.db, escalation.borrower_id) or escalation
    borrower = g.db.get(Borrower, escalation.borrower_id)
    account = g.db.get(Account, escalation.account_id) if escalation.account_id else None
    now = utcnow()
    return {
        "escalation": escalation,
        "conversation": conversation_escalations(g.db, borrower.id),
        "borrower": borrower,
        "account": account,
        "summary": summarize(g.db, account, dealer_today()) if account else None,
        "items": timeline(g.db, borrower.id),
        "reasons": REASONS,
        "quick_replies": quick_replies(borrower, account),
        "holding": escalation.status == EscalationStatus.TAKEN_OVER
        and escalation.holder_id == current_user.id,
        "borrower_time": local_now(borrower, g.dealer, now),
        "text_hold": hold_reason(borrower, g.dealer, now),
        "reply_text": "",
        "handback_kinds": HANDBACK_KINDS,
        "frequencies": g.dealer.allowed_frequencies,
        "handback_form": {},
        "today": local_now(borrower, g.dealer, now).date(),
        **extra,
    }


@bp.get("/escalations/<int:escalation_id>")
def conversation(escalation_id: int) -> ResponseReturnValue:
    """The whole transcript beside the account, with take over / reply / hand back."""
    escalation = owned(Escalation, escalation_id)
    return render_template("portal/conversation.html", **conversation_context(escalation))


@bp.get("/escalations/<int:escalation_id>/panel")
def conversation_panel(escalation_id: int) -> ResponseReturnValue:
    """The conversation's state and actions (refreshed when someone takes it or hands it back)."""
    escalation = owned(Escalation, escalation_id)
    return render_template("portal/_conversation_panel.html", **conversation_context(escalation))


@bp.get("/borrowers/<int:borrower_id>/transcript")
def transcript(borrower_id: int) -> ResponseReturnValue:
    """Just the transcript (refreshed on live events)."""
    borrower = owned(Borrower, borrower_id)
    if request.args.get("format") not in (None, "html"):
        abort(404)
    return render_template("portal/_transcript.html", items=timeline(g.db, borrower.id),
                           reasons=REASONS)
