"""/api/v1/escalations and the account transcript (DESIGN.md's escalation contract).

The same operations as the staff console, through the same functions in
bot/console/takeover.py; the acting API key is recorded in the audit log.
"""

from __future__ import annotations

from datetime import date

from flask import g, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from bot.audit import Actor
from bot.clock import iso_utc
from bot.console.agreements import Agreement, AgreementError
from bot.console.staff_text import StaffTextError, note_text, reply_text
from bot.console.takeover import (
    EscalationConflict,
    EscalationResolved,
    hand_back,
    staff_reply,
    take_over,
)
from bot.console.transcript import account_messages, message_json
from bot.dealers import hash_api_key
from bot.messaging.outbound import SendRefused
from bot.models import ApiKey, Escalation, EscalationStatus
from bot.web.api import ApiError, api, json_body
from bot.web.api.accounts import owned_account

HANDBACK_KINDS = ("none", "promise", "plan", "pause", "dispute")

STATUSES = (EscalationStatus.OPEN, EscalationStatus.TAKEN_OVER, EscalationStatus.RESOLVED)


def escalation_json(escalation: Escalation) -> dict:
    """The API's view of an escalation."""
    return {
        "id": escalation.id,
        "account_id": escalation.account_id,
        "borrower_id": escalation.borrower_id,
        "reason": escalation.reason,
        "status": escalation.status,
        "detail": escalation.detail,
        "holder": escalation.holder_name,
        "note": escalation.note,
        "created_at": iso_utc(escalation.created_at),
        "taken_at": iso_utc(escalation.taken_at),
        "resolved_at": iso_utc(escalation.resolved_at),
    }


def _owned_escalation(escalation_id: int) -> Escalation:
    """The dealer's escalation, or 404 (also another dealer's: never 403)."""
    escalation = g.db.get(Escalation, escalation_id)
    if escalation is None or escalation.dealer_id != g.dealer.id:
        raise ApiError(404, "not_found", f"no escalation {escalation_id}")
    return escalation


def _api_actor() -> Actor:
    """The API key making this request, as the audit log and colleagues see it."""
    plain = request.headers.get("Authorization", "").partition(" ")[2].strip()
    key = g.db.execute(
        select(ApiKey).where(ApiKey.key_hash == hash_api_key(plain))
    ).scalar_one()
    return Actor.api_key(key.prefix, key.label)


def _conflict(error: Exception) -> ApiError:
    g.db.rollback()
    if isinstance(error, EscalationResolved):
        return ApiError(409, "resolved", "this escalation was already handed back")
    return ApiError(409, "conflict", f"the conversation is held by "
                    f"{getattr(error, 'holder', None) or 'someone else'}")


@api.get("/escalations")
def list_escalations() -> ResponseReturnValue:
    """The dealer's escalations, oldest first (`?status=open|taken_over|resolved`)."""
    status = request.args.get("status")
    query = select(Escalation).where(Escalation.dealer_id == g.dealer.id)
    if status:
        if status not in STATUSES:
            raise ApiError(400, "invalid_request", f"status must be one of {', '.join(STATUSES)}")
        query = query.where(Escalation.status == status)
    rows = g.db.execute(query.order_by(Escalation.created_at, Escalation.id)).scalars()
    return jsonify(escalations=[escalation_json(e) for e in rows])


@api.get("/escalations/<int:escalation_id>")
def show_escalation(escalation_id: int) -> ResponseReturnValue:
    """One escalation."""
    return jsonify(escalation_json(_owned_escalation(escalation_id)))


@api.post("/escalations/<int:escalation_id>/takeover")
def takeover(escalation_id: int) -> ResponseReturnValue:
    """Staff own the conversation: inbound texts are stored and shown, the bot sends nothing."""
    escalation = _owned_escalation(escalation_id)
    try:
        take_over(g.db, escalation, actor=_api_actor())
    except (EscalationConflict, EscalationResolved) as error:
        raise _conflict(error) from None
    g.db.commit()
    return jsonify(escalation_json(escalation))


@api.post("/escalations/<int:escalation_id>/messages")
def send_message(escalation_id: int) -> ResponseReturnValue:
    """Text the borrower as staff (opt-out still applies: 409 `opted_out`)."""
    escalation = _owned_escalation(escalation_id)
    try:
        text = reply_text(json_body().get("text"))
    except StaffTextError as error:
        raise ApiError(400, "invalid_request", f"text: {error}") from None
    try:
        message = staff_reply(g.db, escalation, text, _api_actor())
    except (EscalationConflict, EscalationResolved) as error:
        raise _conflict(error) from None
    except SendRefused as refused:
        g.db.rollback()
        when = f"; it may go from {iso_utc(refused.retry_at)}" if refused.retry_at else ""
        raise ApiError(409, refused.reason,
                       f"the text was not sent: {refused.reason}{when}") from None
    g.db.commit()
    return jsonify(message_json(message)), 201


def _agreement(raw: object) -> Agreement | None:
    """The optional `agreement` of a hand-back, as bot/console/agreements.py takes it."""
    if raw is None:
        return None
    if not isinstance(raw, dict) or raw.get("kind") not in HANDBACK_KINDS:
        raise ApiError(400, "invalid_request",
                       f"agreement.kind must be one of {', '.join(HANDBACK_KINDS)}")

    def day(name: str) -> date | None:
        value = raw.get(name)
        if value is None:
            return None
        try:
            return date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None

    def whole(name: str) -> int | None:
        value = raw.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise ApiError(400, "invalid_request", f"agreement.{name} must be an integer")
        return value

    return Agreement(kind=raw["kind"], promised_date=day("date"),
                     amount_cents=whole("amount_cents"), installments=whole("installments"),
                     frequency=raw.get("frequency") if isinstance(raw.get("frequency"), str)
                     else None, whole_balance=raw.get("whole_balance") is True,
                     pause_until=day("until"))


@api.post("/escalations/<int:escalation_id>/handback")
def handback(escalation_id: int) -> ResponseReturnValue:
    """The bot answers again; the borrower's escalations are resolved (an optional `note`
    is kept; an optional `agreement` becomes the record the bot itself would make)."""
    escalation = _owned_escalation(escalation_id)
    data = request.get_json(silent=True)
    data = data if isinstance(data, dict) else {}
    try:
        note = note_text(data.get("note"))
    except StaffTextError as error:
        raise ApiError(400, "invalid_request", f"note: {error}") from None
    agreement = _agreement(data.get("agreement"))
    try:
        # The dealer's own system may release a conversation whoever holds it.
        hand_back(g.db, escalation, note, actor=_api_actor(), force=True, agreement=agreement)
    except (EscalationConflict, EscalationResolved) as error:
        raise _conflict(error) from None
    except AgreementError as error:
        g.db.rollback()
        raise ApiError(400, "invalid_agreement", f"agreement: {error}") from None
    g.db.commit()
    return jsonify(escalation_json(escalation))


@api.get("/accounts/<int:account_id>/messages")
def transcript(account_id: int) -> ResponseReturnValue:
    """The account's whole transcript, oldest first."""
    account = owned_account(account_id)
    return jsonify(messages=[message_json(m) for m in account_messages(g.db, account)])
