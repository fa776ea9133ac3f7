"""What the self-service page shows: the account as the borrower reads it.

Amounts in the dealer's currency and dates in the borrower's language; only
the one account the page's session is for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from babel.dates import format_date
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clock import utcnow
from bot.collection import commitments
from bot.console.account_view import days_late
from bot.localtime import local_now, local_today
from bot.models import Account, Dispute, Installment, Payment, PaymentStatus, Promise
from bot.money import format_cents, locale_for
from bot.payments import charging, merchant
from bot.payments.plans import DEFAULT_FREQUENCY_ORDER, PlanRules
from bot.wording.page_words import page_language

RECENT_PAYMENTS = 10


@dataclass
class Shown:
    """Money and dates, the way this borrower reads them."""

    currency: str
    language: str

    def money(self, cents: int) -> str:
        """$1,200.00 / 1.200,00 US$ as the borrower's locale writes it."""
        return format_cents(cents, self.currency, self.language)

    def day(self, value: date) -> str:
        """December 5, 2026 / 5 de diciembre de 2026."""
        return format_date(value, "long", locale=locale_for(self.language))

    def moment(self, value: datetime, account: Account) -> str:
        """A stored moment as the borrower's local date."""
        return self.day(local_now(account.borrower, account.dealer, value).date())


@dataclass
class AccountPage:
    """Everything the page's home shows, and which actions it offers."""

    account: Account
    language: str
    today: date
    shown: Shown
    payments: list[Payment] = field(default_factory=list)
    installments: list[Installment] = field(default_factory=list)
    promise: Promise | None = None
    dispute: Dispute | None = None
    default_amount: int = 0
    can_pay: bool = False
    takes_cards: bool = False
    plan_counts: list[int] = field(default_factory=list)
    frequencies: tuple[str, ...] = ()
    default_frequency: str | None = None
    days_late: int = 0

    @property
    def amount_input(self) -> str:
        """The pay form's starting amount as typed ("250.00"), from integer cents."""
        return f"{self.default_amount // 100}.{self.default_amount % 100:02d}"

    @property
    def has_card(self) -> bool:
        """Whether a card is on file to charge."""
        return bool(self.account.stripe_customer_id and self.account.stripe_payment_method_id)


def shown_for(account: Account) -> Shown:
    """How the account's borrower reads money and dates."""
    return Shown(account.dealer.currency, page_language(account.borrower.language))


def recent_payments(session: Session, account: Account) -> list[Payment]:
    """The account's latest payments that went through (each has a receipt)."""
    return list(session.execute(
        select(Payment).where(Payment.account_id == account.id,
                              Payment.status == PaymentStatus.SUCCEEDED)
        .order_by(Payment.settled_at.desc(), Payment.id.desc()).limit(RECENT_PAYMENTS)
    ).scalars())


def plan_counts(account: Account, rules: PlanRules) -> list[int]:
    """The numbers of payments the dealer's rules could allow for the balance."""
    most = min(rules.max_installments,
               account.balance_cents // max(rules.min_installment_cents, 1))
    return list(range(2, most + 1))


def account_page(session: Session, account: Account) -> AccountPage:
    """The page's view of one account, as of now in the borrower's zone."""
    today = local_today(account.borrower, account.dealer, utcnow())
    open_now = commitments(session, account, today)
    rules = PlanRules.of(account.dealer)
    page = AccountPage(account=account, language=page_language(account.borrower.language),
                       today=today, shown=shown_for(account),
                       payments=recent_payments(session, account),
                       installments=list(open_now.plan.installments) if open_now.plan else [],
                       promise=open_now.promise, dispute=open_now.dispute,
                       default_amount=charging.default_amount(account),
                       takes_cards=merchant.for_dealer_or_none(account.dealer) is not None,
                       plan_counts=plan_counts(account, rules), frequencies=rules.frequencies)
    page.can_pay = page.takes_cards and page.has_card and account.balance_cents > 0
    page.days_late = days_late(account, today)
    # As by text: without a wish, the first of these the dealer allows.
    page.default_frequency = next((f for f in DEFAULT_FREQUENCY_ORDER if f in rules.frequencies),
                                  None)
    return page
