"""Take over, reply, hand back: the console's buttons, through bot/console/takeover.py."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from bot.console.account_view import preference_lines
from bot.console.agreements import AgreementError
from bot.console.staff_text import StaffTextError, note_text, reply_text
from bot.console.takeover import (
    EscalationConflict,
    EscalationResolved,
    hand_back,
    staff_reply,
    take_over,
)
from bot.messaging.outbound import SendRefused
from bot.messaging.quiet_hours import AVOIDED_DAY, PREFERRED_HOURS, window
from bot.models import Borrower, Escalation
from bot.web.portal import bp
from bot.web.portal.agreement_form import HANDBACK_KINDS, agreement_from_form
from bot.web.portal.console import conversation_context
from bot.web.portal.helpers import local_time, owned


def _refusal_message(refused: SendRefused, borrower: Borrower) -> str:
    """Why a reply did not go, in words staff can act on."""
    reason = refused.reason
    if reason == "opted_out":
        return (f"Not sent: {borrower.name} texted STOP. Nothing can be texted to this number "
                "until they text START. Call them instead if you need to.")
    if reason == "quiet_hours":
        start, end = window(g.dealer)
        when = f" It may go from {local_time(refused.retry_at)}." if refused.retry_at else ""
        return (f"Not sent: it is outside texting hours where {borrower.name} is "
                f"({start:%H:%M} to {end:%H:%M} their time).{when}")
    if reason in (PREFERRED_HOURS, AVOIDED_DAY):
        when = f" It may go from {local_time(refused.retry_at)}." if refused.retry_at else ""
        asked = "; ".join(preference_lines(borrower)) or "other hours"
        return f"Not sent: {borrower.name} asked to be texted this way: {asked}.{when}"
    if reason in ("wrong_number", "invalid_number"):
        return "Not sent: this phone number is marked as a wrong number."
    if reason == "no_sending_number":
        return "Not sent: the dealer has no texting number set up."
    return f"Not sent ({reason.replace('_', ' ')})."


def _conflict_message(error: Exception) -> str:
    if isinstance(error, EscalationResolved):
        return "This conversation was already handed back to the bot."
    holder = getattr(error, "holder", None) or "someone else"
    return f"{holder} is handling this conversation now."


def _back(escalation: Escalation) -> ResponseReturnValue:
    return redirect(url_for("portal.conversation", escalation_id=escalation.id))


@bp.post("/escalations/<int:escalation_id>/takeover")
def takeover(escalation_id: int) -> ResponseReturnValue:
    """Take the conversation: the bot goes silent for this borrower at once."""
    escalation = owned(Escalation, escalation_id)
    try:
        take_over(g.db, escalation, actor=current_user.actor)
    except (EscalationConflict, EscalationResolved) as error:
        g.db.rollback()
        flash(_conflict_message(error), "error")
        return _back(escalation)
    g.db.commit()
    flash("You have the conversation. The bot is silent until you hand it back.")
    return _back(escalation)


def _send(escalation: Escalation, text: str) -> str | None:
    """Send the reply; None when it went, else why not (in words for staff)."""
    try:
        staff_reply(g.db, escalation, reply_text(text), current_user.actor)
    except StaffTextError as invalid:
        return f"Not sent: {invalid}."
    except (EscalationConflict, EscalationResolved) as conflict:
        return _conflict_message(conflict)
    except SendRefused as refused:
        return _refusal_message(refused, g.db.get(Borrower, escalation.borrower_id))
    return None


@bp.post("/escalations/<int:escalation_id>/reply")
def reply(escalation_id: int) -> ResponseReturnValue:
    """Text the borrower (opt-out and quiet hours still apply); refused texts stay in the box."""
    escalation = owned(Escalation, escalation_id)
    text = request.form.get("text") or ""
    error = _send(escalation, text)
    if error is not None:
        g.db.rollback()
        g.db.refresh(escalation)
        return render_template("portal/conversation.html", **conversation_context(
            escalation, reply_error=error, reply_text=text)), 409
    g.db.commit()
    flash("Sent.")
    return _back(escalation)


@bp.post("/escalations/<int:escalation_id>/handback")
def handback(escalation_id: int) -> ResponseReturnValue:
    """Give the conversation back to the bot, with what was agreed and a note."""
    escalation = owned(Escalation, escalation_id)
    kind = request.form.get("agreement") or "none"
    try:
        if kind not in HANDBACK_KINDS:
            raise AgreementError("choose what was agreed")
        note = note_text(request.form.get("note"))
        hand_back(g.db, escalation, note, actor=current_user.actor, force=current_user.is_admin,
                  agreement=agreement_from_form(request.form, kind))
    except (StaffTextError, AgreementError) as invalid:
        g.db.rollback()
        g.db.refresh(escalation)
        return render_template("portal/conversation.html", **conversation_context(
            escalation, handback_error=f"Not handed back: {invalid}.",
            handback_form=request.form)), 400
    except (EscalationConflict, EscalationResolved) as error:
        g.db.rollback()
        flash(_conflict_message(error), "error")
        return _back(escalation)
    g.db.commit()
    agreed = f" {escalation.note}" if kind != "none" and escalation.note else ""
    flash(f"Handed back: the bot answers this borrower again.{agreed}")
    return redirect(url_for("portal.queue"))
