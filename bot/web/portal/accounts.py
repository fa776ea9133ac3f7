"""Accounts: the list with search and segments, and one account with its transcript.
Staff may read them; importing (accounts_import.py) is for admins."""

from __future__ import annotations

from flask import g, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from bot import consent
from bot.console.account_filters import SEGMENTS, find_accounts
from bot.console.account_view import days_late, summarize
from bot.console.queue import active_escalation
from bot.console.timeline import timeline
from bot.models import Account, CallLog
from bot.web.portal import bp
from bot.web.portal.console import REASONS
from bot.web.portal.helpers import dealer_today, owned

ARRANGEMENT_LABELS = {"dispute": "dispute", "plan": "payment plan", "promise": "promise to pay"}


@bp.get("/accounts")
def accounts() -> ResponseReturnValue:
    """Every account of the dealer, searchable, by segment, 50 a page."""
    search = request.args.get("q", "")[:100]
    segment = request.args.get("segment", "")
    page = request.args.get("page", 1, type=int) or 1
    today = dealer_today()
    result = find_accounts(g.db, g.dealer.id, today, search=search, segment=segment, page=page)
    return render_template("portal/accounts.html", result=result, search=search,
                           segment=segment, segments=SEGMENTS, today=today,
                           days_late=days_late, arrangement_labels=ARRANGEMENT_LABELS)


@bp.get("/accounts/<int:account_id>")
def account(account_id: int) -> ResponseReturnValue:
    """An account: what is owed, arrangements, calls, and the whole conversation."""
    row = owned(Account, account_id)
    calls = g.db.execute(select(CallLog).where(CallLog.account_id == row.id)
                         .order_by(CallLog.id.desc()).limit(20)).scalars().all()
    return render_template("portal/account.html", account=row,
                           consent_events=consent.history(g.db, g.dealer.id, row.borrower.phone),
                           consent_sources=consent.SOURCE_LABELS,
                           summary=summarize(g.db, row, dealer_today()),
                           escalation=active_escalation(g.db, row.borrower_id),
                           items=timeline(g.db, row.borrower_id), reasons=REASONS, calls=calls)
