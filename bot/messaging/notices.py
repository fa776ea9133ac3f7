"""Texts the bot starts on its own (receipts, card, plan and promise notices), and
carrying out what the Payments layer says should follow a money event.

The wording comes from the bot's reply catalog in the borrower's language, or
for receipts from the dealer's receipt template; sending goes through the one
outbound sender, which may refuse (opted out, quiet hours, ...). A refusal is
logged and reported, never raised.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from bot.clock import utcnow
from bot.collection import texts_paused
from bot.escalations import escalate_account
from bot.localtime import local_today
from bot.messaging.outbound import SendRefused, send_sms
from bot.models import Account, Payment
from bot.payments.followups import RECEIPT, FollowUp, Notice, StaffAlert
from bot.sms_templates.receipts import receipt_text
from bot.wording.catalog import reply

log = logging.getLogger(__name__)


def send_notice(session: Session, account: Account, key: str, **values: object) -> bool:
    """Text reply `key` to the account's borrower; False if the sender refused, or while
    staff agreed with the borrower that no collection text goes (receipts still do)."""
    borrower = account.borrower
    if texts_paused(borrower, local_today(borrower, account.dealer, utcnow())):
        log.info("notice %s for account %s not sent: paused until %s", key, account.id,
                 borrower.texts_paused_until)
        return False
    try:
        send_sms(session, borrower, reply(key, borrower.language, **values),
                 kind="notice", account_id=account.id)
    except SendRefused as refused:
        log.info("notice %s for account %s not sent: %s", key, account.id, refused.reason)
        return False
    return True


def text_receipt(session: Session, payment: Payment, account: Account,
                 at: datetime | None = None) -> bool:
    """Text the receipt for a payment that succeeded outside a reply (the dealer's
    `receipt` template); False (logged) if the sender refused."""
    try:
        send_sms(session, account.borrower, receipt_text(session, payment, account, at),
                 kind="receipt", account_id=account.id, at=at)
    except SendRefused as refused:
        log.info("receipt for payment %s not sent: %s", payment.id, refused.reason)
        return False
    return True


def tell(session: Session, notice: Notice) -> bool:
    """Send one notice from the Payments layer; False if the sender refused it."""
    account = session.get(Account, notice.account_id)
    if notice.key == RECEIPT:
        return text_receipt(session, session.get(Payment, notice.payment_id), account)
    return send_notice(session, account, notice.key, **notice.values)


def carry_out(session: Session, followups: Iterable[FollowUp]) -> int:
    """Alert staff and text the borrower as the follow-ups say; the texts sent."""
    sent = 0
    for followup in followups:
        if isinstance(followup, StaffAlert):
            escalate_account(session, followup.account_id, followup.reason, followup.detail)
        else:
            sent += tell(session, followup)
    return sent
