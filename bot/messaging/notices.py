"""Texts the bot starts on its own (receipts, card, plan and promise notices).

The wording comes from the bot's reply catalog in the borrower's language;
sending goes through the one outbound sender, which may refuse (opted out,
quiet hours, ...). A refusal is logged and reported, never raised.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from bot.messaging.outbound import SendRefused, send_sms
from bot.models import Account, Payment
from bot.sms_templates.receipts import receipt_text
from bot.wording.catalog import reply

log = logging.getLogger(__name__)


def send_notice(session: Session, account: Account, key: str, **values: object) -> bool:
    """Text reply `key` to the account's borrower; False if the sender refused."""
    borrower = account.borrower
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
