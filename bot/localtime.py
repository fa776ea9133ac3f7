"""A borrower's local time: their recorded zone, else the dealer's."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.models import Borrower, Dealer


def borrower_zone(borrower: Borrower, dealer: Dealer) -> ZoneInfo:
    """The zone we speak to a borrower in (recorded zone, else the dealer's)."""
    for name in (borrower.timezone, dealer.timezone, "America/New_York"):
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def local_now(borrower: Borrower, dealer: Dealer, at_utc: datetime) -> datetime:
    """A naive-UTC moment as the borrower's local (aware) time."""
    return at_utc.replace(tzinfo=timezone.utc).astimezone(borrower_zone(borrower, dealer))


def local_today(borrower: Borrower, dealer: Dealer, at_utc: datetime) -> date:
    """The borrower's calendar date at a naive-UTC moment."""
    return local_now(borrower, dealer, at_utc).date()
