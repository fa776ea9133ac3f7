"""Settings → Stripe (admins): connect the dealer's own Stripe account, or disconnect it.

Connecting goes through Stripe's OAuth page for Standard accounts
(bot/payments/connect.py says why). The round trip carries a signed state
naming the dealer and the admin, and a nonce kept in this login's session, so
a code Stripe sends back is only taken by the admin who asked for it. With
the emulator (demo and test mode) a stand-in page of ours plays Stripe's part.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from bot.payments import connect
from bot.settings import get_settings
from bot.web.portal import bp
from bot.web.portal.helpers import admin_required

NONCE_KEY = "stripe_connect_nonce"


def _back() -> ResponseReturnValue:
    return redirect(url_for("portal.settings") + "#stripe")


def _connect_with(find_account: Callable[[], str]) -> ResponseReturnValue:
    """Connect the account `find_account` names (Stripe's OAuth or the emulator)."""
    try:
        account = find_account()
        connect.connect_dealer(g.db, g.dealer, account, current_user.actor)
    except connect.ConnectError as error:
        g.db.rollback()
        flash(str(error))
        return _back()
    g.db.commit()
    flash(f"Stripe account {account} connected: payments now land there.")
    return _back()


def _state_is_ours(token: str) -> bool:
    state = connect.read_state(token)
    nonce = session.pop(NONCE_KEY, None)
    return (state is not None and nonce is not None and state.nonce == nonce
            and state.dealer_id == g.dealer.id and state.user_id == current_user.id)


@bp.post("/settings/stripe/connect")
@admin_required
def stripe_connect() -> ResponseReturnValue:
    """Send the admin to Stripe (or the emulator's stand-in) to connect the account."""
    token, session[NONCE_KEY] = connect.new_state(g.dealer.id, current_user.id)
    if get_settings().stripe_emulated:
        return redirect(url_for("portal.stripe_emulator", state=token))
    if not connect.oauth_available():
        flash("This deployment is not set up for Stripe Connect yet "
              "(STRIPE_CONNECT_CLIENT_ID); ask whoever runs textpay.")
        return _back()
    # The address registered in Stripe's Connect settings (behind a proxy: PUBLIC_URL).
    base = get_settings().public_url or request.host_url.rstrip("/")
    redirect_uri = base + url_for("portal.stripe_callback")
    return redirect(connect.authorize_url(token, redirect_uri), code=303)


@bp.get("/settings/stripe/callback")
@admin_required
def stripe_callback() -> ResponseReturnValue:
    """Where Stripe sends the admin back: trade the code for the account id and keep it."""
    if not _state_is_ours(request.args.get("state", "")):
        flash("That Stripe connection was not started here, or took too long. "
              "Please try again.")
        return _back()
    if request.args.get("error") or not request.args.get("code"):
        flash("Connecting to Stripe was canceled; nothing changed.")
        return _back()
    return _connect_with(lambda: connect.exchange_code(request.args["code"]))


@bp.get("/settings/stripe/emulator")
@admin_required
def stripe_emulator() -> ResponseReturnValue:
    """Test mode: the stand-in for Stripe's page where a dealer connects its account."""
    if not get_settings().stripe_emulated:
        abort(404)
    return render_template("portal/stripe_emulator.html", state=request.args.get("state", ""))


@bp.post("/settings/stripe/emulator")
@admin_required
def stripe_emulator_connect() -> ResponseReturnValue:
    """Test mode: create a connected account in the emulator and connect it."""
    if not get_settings().stripe_emulated:
        abort(404)
    if not _state_is_ours(request.form.get("state", "")):
        flash("That Stripe connection was not started here, or took too long. "
              "Please try again.")
        return _back()
    return _connect_with(connect.emulator_account)


@bp.post("/settings/stripe/disconnect")
@admin_required
def stripe_disconnect() -> ResponseReturnValue:
    """Disconnect the dealer's Stripe account (audited); no card is charged there again."""
    try:
        account = connect.disconnect_dealer(g.db, g.dealer, current_user.actor)
    except connect.ConnectError as error:
        g.db.rollback()
        flash(str(error))
        return _back()
    g.db.commit()
    flash(f"Stripe account {account} disconnected." if account else
          "No Stripe account was connected.")
    return _back()
