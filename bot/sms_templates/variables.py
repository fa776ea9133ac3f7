"""The variables a dealer's template may use, filled from a real or a sample account.

The set is fixed (templates using anything else are refused when saved), and
each value is already formatted for the borrower's language: money with
Babel, dates the way people write them, the card as "Visa ending 4242".
"""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

from babel.dates import format_date

from bot.models import Account, Borrower, Dealer, Payment
from bot.money import format_cents, locale_for
from bot.wording import compliance
from bot.wording.catalog import reply

# name -> what it holds (shown to dealers next to the template editor).
VARIABLES: dict[str, str] = {
    "first_name": "The borrower's first name",
    "dealer_name": "Your business name",
    "dealer_phone": "The number borrowers can call",
    "reference": "The account's reference (loan number)",
    "amount_due": "The amount due, formatted ($250.00)",
    "balance": "The whole balance, formatted",
    "due_date": "The due date (December 1 / 1 de diciembre)",
    "days_until_due": "Days until the due date (0 on the day, negative after)",
    "days_overdue": "Days past the due date (0 until then)",
    "amount_paid": "Receipts: the amount just paid",
    "card": "Receipts: the card charged (Visa ending 4242)",
    "confirmation": "Receipts: the confirmation code",
    "paid_on_time": "Receipts: true when paid on or before the due date",
    "opt_out": "The opt-out instruction (Reply STOP to opt out.)",
    "disclosure": "The debt-collector disclosure (agencies)",
    "on_time_reward": "Your reward for paying on time, as you wrote it in your payment "
                      "policy (empty if none)",
}


def friendly_date(value: date | None, language: str) -> str:
    """"December 1" / "1 de diciembre" ("" when there is no date)."""
    if value is None:
        return ""
    pattern = "MMMM d" if language == "en" else "d 'de' MMMM"
    return format_date(value, pattern, locale=locale_for(language))


def _card_phrase(brand: str | None, last4: str | None, language: str) -> str:
    return reply("card_phrase", language, brand=brand or "card", last4=last4 or "----")


def _policy_text(dealer: Dealer, topic: str, language: str) -> str:
    """The dealer's own answer on a payment-policy topic (bot/sms_templates/policy.py)."""
    for row in getattr(dealer, "policy_answers", None) or ():
        if row.topic == topic and row.language == language:
            return row.answer
    return ""


def build_context(dealer: Dealer, borrower: Borrower, account: Account, language: str,
                  today: date, payment: Payment | None = None) -> dict[str, Any]:
    """Every template variable for one account on the borrower's local `today`."""
    def money(cents: int) -> str:
        return format_cents(cents, dealer.currency, language)

    due = account.due_date
    days_until = (due - today).days if due else 0
    return {
        "first_name": borrower.first_name,
        "dealer_name": dealer.name,
        "dealer_phone": dealer.contact_phone or "",
        "reference": account.reference,
        "amount_due": money(account.amount_due_cents),
        "balance": money(account.balance_cents),
        "due_date": friendly_date(due, language),
        "days_until_due": days_until,
        "days_overdue": max(0, -days_until),
        "amount_paid": money(payment.amount_cents if payment else account.amount_due_cents),
        "card": _card_phrase(payment.card_brand if payment else account.card_brand,
                             payment.card_last4 if payment else account.card_last4, language),
        "confirmation": payment.confirmation_code if payment and payment.id else "TP000123",
        # A receipt goes out the day the payment is made.
        "paid_on_time": bool(payment is not None and (due is None or today <= due)),
        "opt_out": compliance.opt_out_instruction(language),
        "disclosure": compliance.disclosure(language),
        "on_time_reward": _policy_text(dealer, "on_time_reward", language),
    }


def sample_context(dealer: Dealer, language: str, today: date) -> dict[str, Any]:
    """The variables for a made-up account (previews before any account exists)."""
    borrower = SimpleNamespace(first_name="Dana")
    account = SimpleNamespace(reference="LN-1001", amount_due_cents=25000,
                              balance_cents=120000, due_date=today + timedelta(days=3),
                              card_brand="Visa", card_last4="4242")
    payment = SimpleNamespace(amount_cents=25000, card_brand="Visa", card_last4="4242",
                              id=None, confirmation_code="TP000123")
    return build_context(dealer, borrower, account, language, today, payment)  # type: ignore[arg-type]
