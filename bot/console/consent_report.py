"""The consent ledger as dealers read it: one phone's history (the account page, the
API) and every entry of a period as CSV (the dashboard's export, the API), with the
record of how revocations were honoured."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import consent
from bot.clock import iso_utc
from bot.models import Borrower, ConsentEvent, Dealer

CSV_COLUMNS = ("at", "phone", "borrower", "change", "source", "evidence", "confirmation",
               "recorded_by", "detail")
MAX_DAYS = 366


def local_days(dealer: Dealer, start: date, end: date) -> tuple[datetime, datetime]:
    """The dealer's local days `start`..`end` (inclusive) as naive-UTC bounds."""
    zone = ZoneInfo(dealer.timezone or "America/New_York")

    def utc(day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=zone).astimezone(timezone.utc) \
            .replace(tzinfo=None)

    return utc(start), utc(end + timedelta(days=1))


def event_json(entry: ConsentEvent) -> dict:
    """The API's view of one entry."""
    return {"at": iso_utc(entry.at), "phone": entry.phone, "change": entry.change,
            "source": entry.source, "evidence": entry.evidence,
            "confirmation": entry.confirmation, "recorded_by": entry.actor,
            "detail": entry.detail}


def _names(session: Session, entries: list[ConsentEvent]) -> dict[int, str]:
    ids = {e.borrower_id for e in entries if e.borrower_id}
    if not ids:
        return {}
    return dict(session.execute(select(Borrower.id, Borrower.name)
                                .where(Borrower.id.in_(ids))).all())


def ledger_csv(session: Session, dealer: Dealer, start: date, end: date) -> str:
    """Every consent entry of the dealer's local days `start`..`end`, as CSV."""
    entries = consent.between(session, dealer.id, *local_days(dealer, start, end))
    names = _names(session, entries)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        writer.writerow([iso_utc(entry.at), entry.phone, names.get(entry.borrower_id, ""),
                         entry.change, entry.source, _cell(entry.evidence),
                         _cell(entry.confirmation), entry.actor or "", _cell(entry.detail)])
    return out.getvalue()


def _cell(text: str | None) -> str:
    """A cell a spreadsheet shows as text: a borrower's words could start a formula."""
    text = text or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def honoured(session: Session, dealer: Dealer, start: date, end: date) -> consent.Honoured:
    """How the revocations of the dealer's local days `start`..`end` were honoured."""
    return consent.honoured(session, dealer.id, *local_days(dealer, start, end))
