"""The call list: accounts that need a personal call, and logging how a call went."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from bot.clock import utcnow
from bot.console.account_view import summarize
from bot.console.call_list import call_list
from bot.console.call_outcomes import OUTCOMES, CallOutcomeError, agreement_kind, log_call
from bot.localtime import local_now
from bot.messaging.quiet_hours import may_send_now, window
from bot.models import Account
from bot.payments.plans import FREQUENCIES
from bot.web.portal import bp
from bot.web.portal.agreement_form import agreement_from_form
from bot.web.portal.helpers import dealer_today, owned


@bp.get("/calls")
def calls() -> ResponseReturnValue:
    """Ranked accounts to call, with why, their local time and whether to call now."""
    start, end = window(g.dealer)
    return render_template("portal/calls.html", rows=call_list(g.db, g.dealer, utcnow()),
                           window_start=start, window_end=end)


def _form(account: Account, status: int = 200, **extra: object) -> ResponseReturnValue:
    now = utcnow()
    borrower = account.borrower
    return render_template("portal/call_log.html", account=account,
                           summary=summarize(g.db, account, dealer_today()), outcomes=OUTCOMES,
                           frequencies=g.dealer.allowed_frequencies or FREQUENCIES,
                           local_time_now=local_now(borrower, g.dealer, now),
                           may_call_now=may_send_now(borrower, g.dealer, now),
                           **{"form": {}, **extra}), status


@bp.get("/calls/<int:account_id>")
def call_form(account_id: int) -> ResponseReturnValue:
    """Log a call to this account."""
    return _form(owned(Account, account_id))


@bp.post("/calls/<int:account_id>")
def log_call_outcome(account_id: int) -> ResponseReturnValue:
    """Record the call; the outcome updates the account as the same answer by text would."""
    account = owned(Account, account_id)
    try:
        outcome = request.form.get("outcome", "")
        agreed = agreement_from_form(request.form, agreement_kind(outcome))
        logged = log_call(g.db, account, outcome, agreed, current_user.actor, utcnow())
    except CallOutcomeError as error:
        g.db.rollback()
        return _form(account, 400, error=str(error), form=request.form)
    g.db.commit()
    answered = (f" {logged.resolved} escalation{'s' if logged.resolved != 1 else ''} "
                "answered by this call." if logged.resolved else "")
    flash(logged.summary + (" (adjusted to the dealer's plan rules)"
                            if logged.adjustments else "") + answered)
    return redirect(url_for("portal.calls"))
