"""The account list's search and segments (current, due, days late, arrangements, opt-outs).

Every segment is a SQL condition, so the list stays fast for a dealer with
tens of thousands of accounts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, contains_eager
from sqlalchemy.sql import ColumnElement, Select

from bot.models import Account, Borrower, Dispute, Plan, PlanStatus, Promise

PAGE_SIZE = 50
# "Due" means due today or within this many days.
DUE_SOON_DAYS = 3

SEGMENTS = {
    "current": "Current",
    "due": "Due (today to 3 days)",
    "late_1_30": "1 to 30 days late",
    "late_31_60": "31 to 60 days late",
    "late_60_plus": "More than 60 days late",
    "promise": "Promise to pay",
    "plan": "Payment plan",
    "dispute": "Dispute",
    "opted_out": "Opted out",
    "wrong_number": "Wrong number",
}


def _owing() -> ColumnElement:
    return and_(Account.amount_due_cents > 0, Account.due_date.is_not(None))


def _late_between(today: date, least: int, most: int | None) -> ColumnElement:
    condition = and_(_owing(), Account.due_date <= today - timedelta(days=least))
    if most is not None:
        condition = and_(condition, Account.due_date >= today - timedelta(days=most))
    return condition


def segment_condition(segment: str, today: date) -> ColumnElement:
    """The SQL condition for one segment (KeyError for an unknown one)."""
    conditions = {
        "current": or_(Account.amount_due_cents <= 0, Account.due_date.is_(None),
                       Account.due_date > today + timedelta(days=DUE_SOON_DAYS)),
        "due": and_(_owing(), Account.due_date >= today,
                    Account.due_date <= today + timedelta(days=DUE_SOON_DAYS)),
        "late_1_30": _late_between(today, 1, 30),
        "late_31_60": _late_between(today, 31, 60),
        "late_60_plus": _late_between(today, 61, None),
        "promise": exists().where(Promise.account_id == Account.id, Promise.status == "open",
                                  Promise.promised_date >= today),
        "plan": exists().where(Plan.account_id == Account.id,
                               Plan.status == PlanStatus.ACTIVE),
        "dispute": exists().where(Dispute.account_id == Account.id, Dispute.status == "open"),
        "opted_out": Borrower.opted_out.is_(True),
        "wrong_number": or_(Borrower.wrong_number.is_(True), Borrower.invalid_number.is_(True)),
    }
    return conditions[segment]


def _search_condition(text: str) -> ColumnElement:
    pattern = f"%{text.strip().lower()}%"
    digits = "".join(ch for ch in text if ch.isdigit())
    options = [func.lower(Account.reference).like(pattern),
               func.lower(Borrower.name).like(pattern)]
    if len(digits) >= 3:
        options.append(Borrower.phone.like(f"%{digits}%"))
    return or_(*options)


def account_query(dealer_id: int, today: date, *, search: str = "",
                  segment: str = "") -> Select:
    """The dealer's accounts matching a search and a segment, by reference."""
    query = (select(Account, Borrower).join(Borrower, Borrower.id == Account.borrower_id)
             .where(Account.dealer_id == dealer_id))
    if search.strip():
        query = query.where(_search_condition(search))
    if segment in SEGMENTS:
        query = query.where(segment_condition(segment, today))
    return query.order_by(Account.reference)


def arrangements(session: Session, account_ids: list[int],
                 today: date) -> dict[int, list[str]]:
    """The arrangements of each account (dispute, plan, promise), for the Status column."""
    found: dict[int, list[str]] = {account_id: [] for account_id in account_ids}
    for label in ("dispute", "plan", "promise"):
        matching = session.execute(
            select(Account.id).where(Account.id.in_(account_ids),
                                     segment_condition(label, today))).scalars()
        for account_id in matching:
            found[account_id].append(label)
    return found


@dataclass(frozen=True)
class AccountPage:
    """One page of the account list, with each account's arrangements."""

    rows: list[tuple[Account, Borrower]]
    total: int
    page: int
    arranged: dict[int, list[str]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        """How many pages there are (at least one)."""
        return max(1, -(-self.total // PAGE_SIZE))


def find_accounts(session: Session, dealer_id: int, today: date, *, search: str = "",
                  segment: str = "", page: int = 1) -> AccountPage:
    """A page of the dealer's accounts for a search and segment."""
    query = account_query(dealer_id, today, search=search, segment=segment)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    # Past the last page is the last page (and a 20-digit page number is no error).
    page = min(max(1, page), max(1, -(-total // PAGE_SIZE)))
    rows = session.execute(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return AccountPage([(a, b) for a, b in rows], total, page,
                       arrangements(session, [a.id for a, _ in rows], today))


STATUSES = {"open": "Something is still owed", "paid_off": "Nothing is owed"}
MAX_API_PAGE = 200


@dataclass(frozen=True)
class AccountSlice:
    """One page of accounts for the API: the rows, and the id to continue after."""

    rows: list[Account]
    next_after: int | None


def accounts_after(session: Session, dealer_id: int, today: date, *, after: int = 0,
                   limit: int = PAGE_SIZE, segment: str | None = None,
                   status: str | None = None,
                   updated_since: datetime | None = None) -> AccountSlice:
    """The dealer's accounts with ids above `after`, in id order (a cursor that stays
    right while accounts are added or changed), filtered by segment, status (open /
    paid_off) and change time (the account or its borrower, naive UTC)."""
    query = (select(Account).join(Borrower, Borrower.id == Account.borrower_id)
             .where(Account.dealer_id == dealer_id, Account.id > after))
    if segment:
        query = query.where(segment_condition(segment, today))
    if status == "open":
        query = query.where(Account.balance_cents > 0)
    elif status == "paid_off":
        query = query.where(Account.balance_cents <= 0)
    if updated_since is not None:
        query = query.where(or_(Account.updated_at >= updated_since,
                                Borrower.updated_at >= updated_since))
    limit = max(1, min(limit, MAX_API_PAGE))
    rows = list(session.execute(
        query.options(contains_eager(Account.borrower)).order_by(Account.id).limit(limit + 1)
    ).scalars().unique())
    more = len(rows) > limit
    rows = rows[:limit]
    return AccountSlice(rows, rows[-1].id if more else None)
