"""Importing a dealer's accounts from CSV: upsert by `reference`, every bad row reported.

Columns (a header row names them, in any order; case and spaces do not matter):

    reference, name, phone, balance                required
    amount_due, due_date, language, timezone,      optional
    stripe_customer_id, stripe_payment_method_id,
    consent_source, approved_payers

`consent_source` says how the borrower agreed to be texted ("signed contract
2026-03-01", "credit application"); it goes to the consent ledger
(bot/consent.py) when the import creates the borrower ("not stated" if empty).
`approved_payers` ("Maria Lopez; Juan Lopez": who may pay for the borrower,
bot/payments/payers.py); an empty cell clears them, no column leaves them.

Phones are normalised to E.164 with the dealer's country as the default
region; amounts are decimals ("1,200.50", "$75") turned into cents with
Decimal; due dates are YYYY-MM-DD or MM/DD/YYYY. A bad row is reported with
its line number and reason while the good rows are kept, and importing the
same file twice changes nothing the second time. New accounts get their
welcome text (planned here, sent within quiet hours).

Stripe ids new to an account must be in the dealer's own Stripe account
(bot/payments/card_checks.py) and, in the shared one, not another dealer's; a
row naming ids that are not there is refused like any other bad row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bot import consent
from bot.campaigns.planner import queue_welcomes
from bot.clock import utcnow
from bot.messaging.quiet_hours import stored_phone_zones
from bot.models import Account, Borrower, Dealer
from bot.money import to_cents
from bot.payments.card_checks import CardRefused, check_cards
from bot.payments.payers import PayerInputError, parse_approved
from bot.phones import to_e164

REQUIRED = ("reference", "name", "phone", "balance")
OPTIONAL = ("amount_due", "due_date", "language", "timezone", "stripe_customer_id",
            "stripe_payment_method_id", "consent_source", "approved_payers")
MAX_CENTS = 100_000_000
MAX_ROWS = 100_000
# progress(advance, total): rows just done, out of how many.
Progress = Callable[[int, int], None]


class ImportFileError(ValueError):
    """The file as a whole cannot be read (no header, a required column missing)."""


class RowError(ValueError):
    """One row is wrong; the message says which field and why."""


@dataclass
class ImportReport:
    """What an import did; `errors` are (line number, reason), line 1 being the header."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    welcomes_planned: int = 0
    created_ids: list[int] = field(default_factory=list)
    # Accounts with a payment method whose brand and last4 must be read from Stripe.
    cards_to_read: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The API's answer."""
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "errors": [{"line": line, "reason": reason} for line, reason in self.errors],
                "welcomes_planned": self.welcomes_planned}


@dataclass(frozen=True)
class Row:
    """One valid CSV row, normalised."""

    reference: str
    name: str
    phone: str
    balance_cents: int
    amount_due_cents: int
    due_date: date | None
    language: str
    timezone: str | None
    stripe_customer_id: str | None
    stripe_payment_method_id: str | None
    consent_source: str | None = None
    # None: the file has no approved_payers column (the account's stay as they are).
    approved_payers: tuple[str, ...] | None = None
    # Read from the dealer's Stripe account when the ids were checked there.
    card_brand: str | None = None
    card_last4: str | None = None

    @property
    def card_ids(self) -> tuple[str | None, str | None]:
        """(customer id, payment method id)."""
        return self.stripe_customer_id, self.stripe_payment_method_id


def _cents(raw: str, column: str, required: bool) -> int:
    text = raw.strip()
    if not text:
        if required:
            raise RowError(f"{column}: missing")
        return 0
    try:
        exponent = Decimal(text.replace(",", "").replace("$", "")).as_tuple().exponent
    except InvalidOperation:
        raise RowError(f"{column}: not an amount of money: {text!r}") from None
    if not isinstance(exponent, int) or exponent < -2:
        raise RowError(f"{column}: not an amount in dollars and cents: {text!r}")
    cents = to_cents(text)
    if not 0 <= cents <= MAX_CENTS:
        raise RowError(f"{column}: must be from 0 to {MAX_CENTS // 100:,}")
    return cents


def _due_date(raw: str) -> date | None:
    text = raw.strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise RowError(f"due_date: not a date (YYYY-MM-DD or MM/DD/YYYY): {text!r}")


def _timezone(raw: str) -> str | None:
    text = raw.strip()
    if not text:
        return None
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise RowError(f"timezone: unknown time zone {text!r} (e.g. America/Chicago)") from None
    return text


def _text(values: dict[str, str], column: str, limit: int, required: bool = False) -> str | None:
    text = (values.get(column) or "").strip()
    if not text:
        if required:
            raise RowError(f"{column}: missing")
        return None
    if len(text) > limit:
        raise RowError(f"{column}: longer than {limit} characters")
    return text


def _approved_payers(values: dict[str, str]) -> tuple[str, ...] | None:
    if "approved_payers" not in values:
        return None
    try:
        return tuple(parse_approved(values["approved_payers"] or ""))
    except PayerInputError as error:
        raise RowError(f"approved_payers: {error}") from None


def parse_row(values: dict[str, str], country: str) -> Row:
    """Validate and normalise one CSV row; RowError names the first bad field."""
    reference = _text(values, "reference", 64, required=True)
    name = _text(values, "name", 200, required=True)
    raw_phone = (values.get("phone") or "").strip()
    phone = to_e164(raw_phone, country)
    if phone is None:
        raise RowError(f"phone: not a phone number: {raw_phone!r}" if raw_phone
                       else "phone: missing")
    language = (values.get("language") or "en").strip().lower() or "en"
    if language not in ("en", "es"):
        raise RowError(f"language: must be en or es, not {language!r}")
    customer = _text(values, "stripe_customer_id", 255)
    method = _text(values, "stripe_payment_method_id", 255)
    if method and not customer:
        raise RowError("stripe_customer_id: required with stripe_payment_method_id")
    return Row(reference=reference, name=name, phone=phone,
               balance_cents=_cents(values.get("balance") or "", "balance", True),
               amount_due_cents=_cents(values.get("amount_due") or "", "amount_due", False),
               due_date=_due_date(values.get("due_date") or ""), language=language,
               timezone=_timezone(values.get("timezone") or ""),
               stripe_customer_id=customer, stripe_payment_method_id=method,
               consent_source=_text(values, "consent_source", 500),
               approved_payers=_approved_payers(values))


def _header(reader: Any) -> list[str]:
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError("the file is empty (expected a header row)") from None
    columns = [h.strip().lstrip("\ufeff").lower().replace(" ", "_") for h in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ImportFileError(f"missing column(s): {', '.join(missing)} (the header row must "
                              f"name {', '.join(REQUIRED)})")
    return columns


def read_rows(text: str, country: str) -> tuple[list[tuple[int, Row]], list[tuple[int, str]]]:
    """Every row as (line, Row) and every bad one as (line, reason)."""
    try:
        return _read_rows(csv.reader(io.StringIO(text)), country)
    except csv.Error as error:
        raise ImportFileError(f"not a readable CSV: {error}") from None


def _read_rows(reader: Any, country: str) -> tuple[list[tuple[int, Row]],
                                                    list[tuple[int, str]]]:
    columns = _header(reader)
    rows, errors, seen = [], [], {}
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(rows) + len(errors) >= MAX_ROWS:
            raise ImportFileError(f"more than {MAX_ROWS:,} rows; split the file")
        try:
            row = parse_row(dict(zip(columns, record, strict=False)), country)
        except RowError as error:
            errors.append((line, str(error)))
            continue
        if row.reference in seen:
            errors.append((line, f"reference: {row.reference!r} is already on line "
                                 f"{seen[row.reference]}"))
            continue
        seen[row.reference] = line
        rows.append((line, row))
    return rows, errors


def _assign(target: object, values: dict[str, Any]) -> bool:
    """Set only what differs (so an unchanged row writes nothing); True if anything did."""
    changed = False
    for name, value in values.items():
        if getattr(target, name) != value:
            setattr(target, name, value)
            changed = True
    return changed


class _Upsert:
    """One import's view of the dealer's borrowers (by phone) and accounts (by reference).

    Changes to existing rows go through the ORM (only what differs is written);
    new rows are inserted in bulk, which is what makes 10,000 rows take seconds.
    """

    def __init__(self, session: Session, dealer: Dealer) -> None:
        self.session, self.dealer = session, dealer
        self.borrowers = {b.phone: b for b in session.execute(
            select(Borrower).where(Borrower.dealer_id == dealer.id)).scalars()}
        self.accounts = {a.reference: a for a in session.execute(
            select(Account).where(Account.dealer_id == dealer.id)).scalars()}
        self.seen_phones: set[str] = set()
        self.new_borrowers: dict[str, dict] = {}
        self.consent_sources: dict[str, str | None] = {}
        self.new_accounts: list[dict] = []
        self.moving_accounts: list[tuple[Account, str]] = []

    def borrower(self, row: Row) -> tuple[Borrower | None, bool]:
        """The existing borrower for the row's phone (None: new), and whether it changed.

        A borrower's details come from the file's first row with that phone.
        """
        borrower = self.borrowers.get(row.phone)
        first_time = row.phone not in self.seen_phones
        self.seen_phones.add(row.phone)
        if borrower is None:
            if first_time:
                self.new_borrowers[row.phone] = {
                    "dealer_id": self.dealer.id, "phone": row.phone, "name": row.name,
                    "language": row.language, "timezone": row.timezone,
                    "phone_zones": stored_phone_zones(row.phone), "opted_out": False,
                    "wrong_number": False, "invalid_number": False}
                self.consent_sources[row.phone] = row.consent_source
            return None, first_time
        if not first_time:
            return borrower, False
        # A language the borrower chose themselves outlasts the dealer's next file.
        language = borrower.language if borrower.language_chosen else row.language
        return borrower, _assign(borrower, {"name": row.name, "language": language,
                                            "timezone": row.timezone})

    def account(self, row: Row, borrower: Borrower | None) -> str:
        """Create or update the row's account: "created", "updated" or "unchanged"."""
        values = {"balance_cents": row.balance_cents, "amount_due_cents": row.amount_due_cents,
                  "due_date": row.due_date, "stripe_customer_id": row.stripe_customer_id,
                  "stripe_payment_method_id": row.stripe_payment_method_id}
        if row.approved_payers is not None:
            values["approved_payers"] = list(row.approved_payers)
        account = self.accounts.get(row.reference)
        if account is None:
            self.new_accounts.append({"dealer_id": self.dealer.id, "reference": row.reference,
                                      "phone": row.phone, "card_brand": row.card_brand,
                                      "card_last4": row.card_last4, "approved_payers": [],
                                      **values})
            return "created"
        if account.stripe_payment_method_id != row.stripe_payment_method_id:
            values.update(card_brand=row.card_brand, card_last4=row.card_last4)
        moved = borrower is None or account.borrower_id != borrower.id
        if moved:
            self.moving_accounts.append((account, row.phone))
        return "updated" if _assign(account, values) or moved else "unchanged"

    def insert_new(self) -> list[int]:
        """Insert the new borrowers and accounts; the new accounts' ids."""
        if self.new_borrowers:
            self.session.execute(insert(Borrower), list(self.new_borrowers.values()))
        ids = self._borrower_ids()
        consent.given_in_bulk(self.session, self.dealer.id,
                              {phone: ids[phone] for phone in self.new_borrowers},
                              self.consent_sources, consent.IMPORT)
        for account, phone in self.moving_accounts:
            account.borrower_id = ids[phone]
        if not self.new_accounts:
            return []
        rows = [{**values, "borrower_id": ids[values.pop("phone")]}
                for values in self.new_accounts]
        self.session.execute(insert(Account), rows)
        references = [row["reference"] for row in rows]
        return list(self.session.execute(
            select(Account.id).where(Account.dealer_id == self.dealer.id,
                                     Account.reference.in_(references))).scalars())

    def _borrower_ids(self) -> dict[str, int]:
        return dict(self.session.execute(
            select(Borrower.phone, Borrower.id).where(Borrower.dealer_id == self.dealer.id)
        ).all())


def _with_checked_cards(session: Session, dealer: Dealer, rows: list[tuple[int, Row]],
                        known: dict[str, Account]) -> tuple[list[tuple[int, Row]],
                                                            list[tuple[int, str]]]:
    """Check the Stripe ids new to their account in the dealer's Stripe account.

    Returns the rows to keep (with their card's brand and last4 when checked)
    and the refused ones as (line, reason).
    """
    def is_new(row: Row) -> bool:
        account = known.get(row.reference)
        stored = (account.stripe_customer_id, account.stripe_payment_method_id) \
            if account else (None, None)
        return bool(row.stripe_customer_id) and row.card_ids != stored

    checked = check_cards(session, dealer, [row.card_ids for _, row in rows if is_new(row)])
    kept, refused = [], []
    for line, row in rows:
        card = checked.get(row.card_ids) if is_new(row) else None
        if isinstance(card, CardRefused):
            refused.append((line, card.message))
        elif card is not None:
            kept.append((line, replace(row, card_brand=card.brand, card_last4=card.last4)))
        else:
            kept.append((line, row))
    return kept, refused


def import_csv(session: Session, dealer: Dealer, text: str,
               progress: Progress | None = None) -> ImportReport:
    """Upsert the CSV's accounts for the dealer (the caller commits); see the module doc."""
    rows, errors = read_rows(text, dealer.country or "US")
    upsert = _Upsert(session, dealer)
    rows, refused = _with_checked_cards(session, dealer, rows, upsert.accounts)
    report = ImportReport(errors=errors + refused)
    report_every, unreported = max(1, len(rows) // 100), 0
    for _line, row in rows:
        borrower, borrower_changed = upsert.borrower(row)
        outcome = upsert.account(row, borrower)
        if outcome == "unchanged" and borrower_changed:
            outcome = "updated"
        setattr(report, outcome, getattr(report, outcome) + 1)
        unreported += 1
        if progress and unreported == report_every:
            progress(unreported, len(rows))
            unreported = 0
    if progress and unreported:
        progress(unreported, len(rows))
    session.flush()
    report.created_ids = upsert.insert_new()
    report.welcomes_planned = queue_welcomes(session, dealer, report.created_ids, utcnow())
    report.cards_to_read = list(session.execute(
        select(Account.id).where(Account.dealer_id == dealer.id,
                                 Account.stripe_payment_method_id.isnot(None),
                                 Account.card_last4.is_(None))).scalars())
    report.errors.sort()
    return report
