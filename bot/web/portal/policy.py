"""Payment policy (admins): the short answers the bot gives when borrowers ask about the
due date and grace period, late fee, on-time reward, credit reporting, ways to pay, hours."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from bot.audit import record
from bot.sms_templates.policy import (
    MAX_ANSWER,
    TOPICS,
    PolicyError,
    clean_answers,
    field_name,
    policy_answers,
    save_answers,
)
from bot.web.portal import bp
from bot.web.portal.helpers import admin_required


def _page(status: int = 200, errors: dict | None = None) -> ResponseReturnValue:
    stored = policy_answers(g.db, g.dealer)
    values = {field_name(topic, language): text for (topic, language), text in stored.items()}
    if request.method == "POST":
        values = {key: request.form.get(key, "") for key in request.form}
    return render_template("portal/policy.html", topics=TOPICS, values=values,
                           errors=errors or {}, field_name=field_name,
                           max_answer=MAX_ANSWER), status


@bp.get("/policy")
@admin_required
def policy() -> ResponseReturnValue:
    """The answers, one per topic and language."""
    return _page()


@bp.post("/policy")
@admin_required
def save_policy() -> ResponseReturnValue:
    """Save every answer (an empty one: the bot says it has no answer and offers a person)."""
    try:
        changed = save_answers(g.db, g.dealer, clean_answers(request.form))
    except PolicyError as error:
        g.db.rollback()
        return _page(400, {error.field: str(error)})
    if changed:
        record(g.db, g.dealer.id, current_user.actor, "policy_changed",
               details=", ".join(changed))
    g.db.commit()
    flash("Payment policy saved." if changed else "Nothing changed.")
    return redirect(url_for("portal.policy"))
