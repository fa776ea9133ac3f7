"""The demo's phone simulator: pick a borrower, text as them, read the bot.

Registered only in demo mode. It stands in for the phone network, so it
feeds texts to the same inbound turn Twilio's webhook uses (minus the
signature, which only Twilio can make) and shows the captured outbound texts.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from bot.collection import primary_account
from bot.db import session_scope
from bot.messaging.inbound import InboundSms, receive
from bot.models import Borrower, DealerNumber, Message

bp = Blueprint("simulator", __name__)


@bp.get("/")
def page() -> ResponseReturnValue:
    """The simulator page."""
    return render_template("simulator.html")


@bp.get("/simulator/borrowers")
def borrowers() -> ResponseReturnValue:
    """Every demo borrower with their account and card."""
    with session_scope() as session:
        rows = []
        for borrower in session.execute(select(Borrower).order_by(Borrower.id)).scalars():
            account = primary_account(session, borrower)
            rows.append({
                "id": borrower.id, "name": borrower.name, "phone": borrower.phone,
                "language": borrower.language,
                "reference": account.reference if account else None,
                "balance_cents": account.balance_cents if account else None,
                "card": f"{account.card_brand} {account.card_last4}" if account else None,
            })
    return jsonify(borrowers=rows)


@bp.get("/simulator/messages")
def messages() -> ResponseReturnValue:
    """The borrower's whole transcript, oldest first."""
    borrower_id = request.args.get("borrower_id", type=int)
    with session_scope() as session:
        rows = session.execute(
            select(Message).where(Message.borrower_id == borrower_id).order_by(Message.id)
        ).scalars()
        return jsonify(messages=[{"id": m.id, "direction": m.direction, "author": m.author,
                                  "body": m.body, "kind": m.kind} for m in rows])


@bp.post("/simulator/send")
def send() -> ResponseReturnValue:
    """Deliver a text from a borrower's phone to the bot, as Twilio would."""
    data = request.get_json(silent=True) or {}
    text = str(data.get("text", ""))
    with session_scope() as session:
        borrower = session.get(Borrower, int(data.get("borrower_id") or 0))
        if borrower is None:
            return jsonify(error={"code": "not_found", "message": "no such borrower"}), 404
        to_number = session.execute(
            select(DealerNumber.phone).where(DealerNumber.dealer_id == borrower.dealer_id)
        ).scalars().first()
        sms = InboundSms(from_number=borrower.phone, to_number=to_number, body=text,
                         message_sid=f"SMsim{uuid.uuid4().hex}")
    replies = receive(sms)  # the same turn as Twilio's webhook, lock and all
    return jsonify(replies=replies)
