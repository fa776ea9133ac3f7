"""Accounts: the list with search and segments, and one account with its transcript.
Staff may read them and change the borrower's contact preferences (for their own
dealer only); importing (accounts_import.py) is for admins."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from bot import consent
from bot.clock import utcnow
from bot.console import preference_changes
from bot.console.account_filters import SEGMENTS, find_accounts
from bot.console.account_view import days_late, preference_lines, summarize
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


def _account_page(row: Account, status: int = 200, **extra: object) -> ResponseReturnValue:
    calls = g.db.execute(select(CallLog).where(CallLog.account_id == row.id)
                         .order_by(CallLog.id.desc()).limit(20)).scalars().all()
    extra.setdefault("prefs", preference_changes.form_for(row.borrower, g.dealer, utcnow()))
    return render_template("portal/account.html", account=row,
                           consent_events=consent.history(g.db, g.dealer.id, row.borrower.phone),
                           consent_sources=consent.SOURCE_LABELS,
                           summary=summarize(g.db, row, dealer_today()),
                           escalation=active_escalation(g.db, row.borrower_id),
                           items=timeline(g.db, row.borrower_id), reasons=REASONS, calls=calls,
                           languages=preference_changes.LANGUAGES,
                           day_names=preference_changes.DAY_NAMES, **extra), status


@bp.get("/accounts/<int:account_id>")
def account(account_id: int) -> ResponseReturnValue:
    """An account: what is owed, arrangements, calls, and the whole conversation."""
    return _account_page(owned(Account, account_id))


@bp.post("/accounts/<int:account_id>/preferences")
def change_preferences(account_id: int) -> ResponseReturnValue:
    """Change the borrower's contact preferences as they asked (by phone, say); a problem
    changes nothing and shows the form again with what staff typed and why."""
    row = owned(Account, account_id)
    outcome = preference_changes.change_preferences(
        g.db, row, request.form, current_user.actor, clear=request.form.get("clear") == "all")
    if not outcome.ok:
        g.db.rollback()
        return _account_page(row, 400, prefs_error=preference_changes.problem_text(
            outcome, row.borrower, g.dealer, utcnow()), prefs=preference_changes.form_for(
            row.borrower, g.dealer, utcnow(), request.form))
    g.db.commit()
    if not outcome.changed:
        flash("Contact preferences unchanged: the form asked for what is already set.")
    else:
        now = "; ".join(preference_lines(row.borrower)) or "none (any legal hour, any day)"
        flash(f"Contact preferences saved. Now: {now}.")
    return redirect(url_for("portal.account", account_id=row.id, _anchor="preferences"))
