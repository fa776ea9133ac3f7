"""The borrower's self-service page: /me/<token> from a text, no password.

    LINK (by text) -> /me/<token>   the link works once (and for a day): its "Open my
                                    account" button starts a 30-minute session for that
                                    one account
    /me/                            balance, amount and date due, plan, promise,
                                    dispute, recent payments with receipts, actions
    /me/pay -> /me/pay/<id>         an amount, then a confirm screen; charged once
    /me/plan -> /me/plan/<id>       a plan within the dealer's rules, then confirm
    /me/card                        the existing secure card page
    /me/preferences                 language, hours and days for texts, a pause
    /me/end                         sign out (the session ends on the server too)

Only the newest link opens the page: a new one expires the older unopened ones and
ends the session an older one started (bot/payments/links.py); so do signing out
and opting out. A wrong-number or opted-out borrower's page is shut.

Every lookup is by the session's account: another account's payment or plan is a
404. Security headers and CSRF as on the /secure pages (bot/web/page_security.py).
What the services do is in bot/web/self_service_actions.py.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar
from urllib.parse import urlsplit

from flask import Blueprint, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from bot.console import page_events
from bot.db import session_scope
from bot.models import Account, Payment, PaymentStatus, Plan, PlanStatus, end_page_sessions
from bot.payments import charging, links
from bot.phones import for_reading
from bot.web import page_security, self_service_session
from bot.web import self_service_actions as actions
from bot.web import self_service_preferences as preferences_form
from bot.web.self_service_view import account_page, shown_for
from bot.wording.page_words import page_language, words

bp = Blueprint("self_service", __name__, url_prefix="/me")
page_security.protect(bp)  # CSP, no framing, no referrer, no caching; CSRF on forms

# Notes the home page may show after an action (?saved=...): only these.
SAVED_NOTES = {"preferences": "saved_preferences",
               "preferences_capped": "saved_preferences_capped"}


def _render(template: str, account: Account | None, status: int = 200,
            **context: object) -> ResponseReturnValue:
    language = page_language(account.borrower.language if account else None)
    shown = shown_for(account) if account is not None else None
    return render_template(f"self_service/{template}", w=words(language), lang=language,
                           account=account, shown=shown, phone_for_reading=for_reading,
                           **context), status


def _gone(account: Account | None, key: str = "expired",
          status: int = 410) -> ResponseReturnValue:
    """The friendly dead end: text LINK for a new link (both languages when unknown)."""
    return _render("expired.html", account, status, key=key,
                   other=words("es") if account is None else None)


@bp.errorhandler(400)
def _form_refused(_error: Exception) -> ResponseReturnValue:
    """A form sent without this browser's CSRF token (cookies off, another browser): the
    borrower reads why in their language instead of werkzeug's English "Bad Request"."""
    with session_scope() as session:
        return _gone(_session_account(session), "form_refused", 400)


def _home(session: Session, account: Account, status: int = 200,
          **context: object) -> ResponseReturnValue:
    note = SAVED_NOTES.get(request.args.get("saved", ""))
    language = page_language(account.borrower.language)
    return _render("home.html", account, status, page=account_page(session, account),
                   note=note, prefs=preferences_form.form_for(account, language), **context)


def _closed(account: Account) -> bool:
    """The page is shut to an opted-out or wrong-number borrower: no link opens it and
    a session already open stops at its next request."""
    return account.borrower.opted_out or account.borrower.wrong_number


def _session_account(session: Session) -> Account | None:
    """The account of this browser's page session, if it has one that has not ended
    (timed out, signed out, superseded by a newer link, or the borrower opted out)."""
    page = self_service_session.current(request)
    if page is None:
        return None
    account = session.get(Account, page.account_id)
    if account is None or not self_service_session.is_current(page, account) \
            or _closed(account):
        return None
    return account


View = Callable[..., ResponseReturnValue]


def for_account(view: View) -> View:
    """Run a page for the browser's page session: `view(session, account, **args)` in one
    database transaction, or the "session ended" page when there is none. A payment or
    plan that is not the account's (`_own` raises `_NotFound`) gets the not-found page."""

    @wraps(view)
    def run(**args: object) -> ResponseReturnValue:
        with session_scope() as session:
            account = _session_account(session)
            if account is None:
                return _gone(None, "session_ended")
            try:
                return view(session, account, **args)
            except _NotFound:
                return _render("not_found.html", account, 404)

    return run


class _NotFound(Exception):
    """No such payment, plan or receipt for the session's account: the not-found page
    (another account's id answers the same as one that does not exist)."""


_Owned = TypeVar("_Owned", Payment, Plan)


def _own(session: Session, model: type[_Owned], object_id: int, account: Account) -> _Owned:
    """The account's payment or plan by id; raises _NotFound for any other id."""
    found = session.get(model, object_id)
    if found is None or found.account_id != account.id:
        raise _NotFound
    return found


def _link_and_account(session: Session, token: str) -> tuple[object, Account | None]:
    """The link behind a token (None if forged) and its account."""
    link = links.read_link(session, token, links.SELF_SERVICE)
    return link, session.get(Account, link.account_id) if link is not None else None


@bp.get("/<token>")
def open_link(token: str) -> ResponseReturnValue:
    """The link from the text: a page with one button that opens the account.

    Looking changes nothing: phones' link previews and mail scanners fetch links,
    and must not spend a single-use link before the borrower taps it. Nothing of
    the account shows until the button is pressed.
    """
    with session_scope() as session:
        link, account = _link_and_account(session, token)
        if link is None:
            return _gone(None)
        page = self_service_session.current(request)
        if page is not None and page.link_nonce == link.nonce \
                and _session_account(session) is not None:
            return redirect(url_for("self_service.home"), code=303)  # opened here already
        if links.find_link(session, token, links.SELF_SERVICE) is None or _closed(account):
            return _gone(account)
        return _render("open.html", account, token=token)


@bp.post("/<token>")
def start(token: str) -> ResponseReturnValue:
    """The button: the link is spent and this browser's page session starts."""
    with session_scope() as session:
        link, account = _link_and_account(session, token)
        if link is None:
            return _gone(None)
        usable = links.find_link(session, token, links.SELF_SERVICE) is not None
        if not usable or _closed(account) or not links.use_link(session, link):
            return _gone(account)
        page_events.record(session, account, page_events.OPENED,
                           "Opened the self-service page from the link we texted.")
        response = redirect(url_for("self_service.home"), code=303)
        self_service_session.start(response, link, account)
        return response


@bp.get("/")
@for_account
def home(session: Session, account: Account) -> ResponseReturnValue:
    """The account: what is owed and due, arrangements, payments, actions."""
    return _home(session, account)


@bp.post("/pay")
@for_account
def pay(session: Session, account: Account) -> ResponseReturnValue:
    """The amount form: on to the confirm screen, or back with the reason."""
    started = actions.start_payment(session, account, request.form.get("amount", ""))
    if isinstance(started, actions.Refusal):
        return _home(session, account, 400, pay_error=started,
                     typed=request.form.get("amount", "")[:20])
    return redirect(url_for("self_service.payment", payment_id=started.id), code=303)


@bp.get("/pay/<int:payment_id>")
@for_account
def payment(session: Session, account: Account, payment_id: int) -> ResponseReturnValue:
    """The confirm screen while the payment waits; afterwards, what became of it."""
    found = _own(session, Payment, payment_id, account)
    if found.status == PaymentStatus.PENDING:
        charging.expire_if_stale(session, found.id)
        session.refresh(found)
    return _render("payment.html", account, payment=found,
                   approve_link=_path(actions.approval_link(session, found)))


@bp.post("/pay/<int:payment_id>")
@for_account
def confirm(session: Session, account: Account, payment_id: int) -> ResponseReturnValue:
    """The confirm button (pressed once or ten times): one charge, then the outcome."""
    found = _own(session, Payment, payment_id, account)
    actions.confirm_payment(session, account, found)
    return redirect(url_for("self_service.payment", payment_id=payment_id), code=303)


@bp.get("/receipts/<int:payment_id>")
@for_account
def receipt(session: Session, account: Account, payment_id: int) -> ResponseReturnValue:
    """A payment's receipt (only of one that went through)."""
    found = _own(session, Payment, payment_id, account)
    if found.status != PaymentStatus.SUCCEEDED:
        raise _NotFound
    return _render("receipt.html", account, payment=found)


def _count(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) <= 3 else None


@bp.post("/plan")
@for_account
def plan(session: Session, account: Account) -> ResponseReturnValue:
    """The plan form: on to the schedule to confirm, or back with the reason."""
    frequency = request.form.get("frequency")
    proposed = actions.propose_plan(session, account, _count(request.form.get("count")),
                                    frequency if frequency in account.dealer.allowed_frequencies
                                    else None, request.form.get("total") == "balance")
    if isinstance(proposed, actions.Refusal):
        return _home(session, account, 400, plan_error=proposed)
    offered, adjustments = proposed
    return redirect(url_for("self_service.plan_offer", plan_id=offered.id,
                            adjusted=",".join(adjustments[:1])), code=303)


@bp.get("/plan/<int:plan_id>")
@for_account
def plan_offer(session: Session, account: Account, plan_id: int) -> ResponseReturnValue:
    """The plan's schedule to confirm; afterwards, whether it started."""
    found = _own(session, Plan, plan_id, account)
    adjusted = request.args.get("adjusted", "")
    return _render("plan.html", account, plan=found, proposed=PlanStatus.PROPOSED,
                   adjusted=adjusted if adjusted in actions.ADJUSTMENTS else "",
                   page=account_page(session, account))


@bp.post("/plan/<int:plan_id>")
@for_account
def accept(session: Session, account: Account, plan_id: int) -> ResponseReturnValue:
    """The plan's confirm button: the plan starts once."""
    found = _own(session, Plan, plan_id, account)
    actions.accept_plan(session, account, found)
    return redirect(url_for("self_service.plan_offer", plan_id=plan_id), code=303)


def _path(url: str | None) -> str | None:
    """A link of ours as a path on this host (PUBLIC_URL may name another)."""
    return urlsplit(url).path if url is not None else None


@bp.post("/card")
@for_account
def card(session: Session, account: Account) -> ResponseReturnValue:
    """On to the secure card page (Stripe's hosted page in production)."""
    return redirect(_path(actions.card_page(session, account)), code=303)


@bp.post("/preferences")
@for_account
def preferences(session: Session, account: Account) -> ResponseReturnValue:
    """The preferences form."""
    outcome = preferences_form.apply(session, account, request.form)
    if not outcome.ok:
        return _home(session, account, 400, preferences_error=outcome.problem)
    saved = "preferences_capped" if outcome.capped else "preferences"
    return redirect(url_for("self_service.home", saved=saved), code=303)


@bp.post("/end")
def end() -> ResponseReturnValue:
    """Sign out: the page session ends now, on the server too (a copy of the cookie
    kept elsewhere stops working as well)."""
    with session_scope() as session:
        account = _session_account(session)
        if account is not None:
            end_page_sessions(session, account_id=account.id)
        response = make_response(_gone(account, "signed_out"))
    self_service_session.end(response)
    return response
