"""Message templates (admins): an editor per kind and language with a live preview
on a chosen account, the segment and encoding counter, and compliance warnings."""

from __future__ import annotations

from flask import abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from bot.audit import record
from bot.models import Account, MessageTemplate
from bot.sms_templates.explain import Problem, explain
from bot.sms_templates.templates import (
    KINDS,
    LANGUAGES,
    TemplateError,
    preview,
    reset_template,
    save_template,
    stored_template,
    template_body,
)
from bot.sms_templates.variables import VARIABLES
from bot.web.portal import bp
from bot.web.portal.helpers import admin_required
from bot.wording.segments import count_segments

KIND_LABELS = {
    "welcome": "Welcome", "reminder_upcoming": "Reminder: due soon",
    "reminder_due": "Reminder: due today", "reminder_overdue": "Reminder: overdue",
    "receipt": "Payment receipt", "survey": "Satisfaction survey",
}
LANGUAGE_LABELS = {"en": "English", "es": "Spanish"}
PREVIEW_ACCOUNTS = 200


def _check(kind: str, language: str) -> None:
    if kind not in KINDS or language not in LANGUAGES:
        abort(404)


def _preview_accounts() -> list[Account]:
    return list(g.db.execute(
        select(Account).where(Account.dealer_id == g.dealer.id).order_by(Account.reference)
        .limit(PREVIEW_ACCOUNTS)).scalars())


def _account_id(raw: object) -> int | None:
    text = str(raw or "").strip()
    return int(text) if text.isdigit() else None


def _problem(body: str, error: TemplateError) -> Problem:
    """The error in plain words, at its line (bot/sms_templates/explain.py)."""
    return explain(body) or Problem(str(error))


def _preview_or_error(body: str, language: str,
                      account_id: int | None) -> tuple[dict, Problem | None]:
    """The preview, or (the raw text's counts, the problem) when the template is invalid.

    While there is an error the counter still counts: the template's own characters
    and segments, since there is no rendered text to count yet.
    """
    try:
        result = preview(g.db, g.dealer, body, language, account_id)
    except TemplateError as error:
        info = count_segments(body)
        return {"text": "", "segments": info.segments, "encoding": info.encoding,
                "warnings": [], "characters": len(body), "counted": "template"}, \
            _problem(body, error)
    except LookupError:
        abort(404)
    return {**result, "characters": len(result["text"]), "counted": "text"}, None


@bp.get("/templates")
@admin_required
def templates() -> ResponseReturnValue:
    """Every kind in every language, customised or default."""
    custom = {(t.kind, t.language) for t in g.db.execute(
        select(MessageTemplate).where(MessageTemplate.dealer_id == g.dealer.id)).scalars()}
    rows = [(kind, language, template_body(g.db, g.dealer, kind, language),
             (kind, language) in custom) for kind in KINDS for language in LANGUAGES]
    return render_template("portal/templates.html", rows=rows, kinds=KIND_LABELS,
                           languages=LANGUAGE_LABELS)


def _editor(kind: str, language: str, body: str, account_id: int | None,
            error: Problem | None, status: int = 200) -> ResponseReturnValue:
    result, preview_error = _preview_or_error(body, language, account_id)
    return render_template(
        "portal/template_edit.html", kind=kind, language=language, body=body,
        kind_label=KIND_LABELS.get(kind, kind), language_label=LANGUAGE_LABELS[language],
        accounts=_preview_accounts(), account_id=account_id, variables=VARIABLES,
        preview=result, error=error or preview_error,
        custom=stored_template(g.db, g.dealer, kind, language) is not None), status


@bp.get("/templates/<kind>/<language>")
@admin_required
def edit_template(kind: str, language: str) -> ResponseReturnValue:
    """The editor, showing the current text and its preview."""
    _check(kind, language)
    return _editor(kind, language, template_body(g.db, g.dealer, kind, language),
                   _account_id(request.args.get("account_id")), None)


@bp.post("/templates/<kind>/<language>")
@admin_required
def save_edited_template(kind: str, language: str) -> ResponseReturnValue:
    """Save; an invalid template is shown again with the error beside it."""
    _check(kind, language)
    body = request.form.get("body", "")
    account_id = _account_id(request.form.get("account_id"))
    try:
        save_template(g.db, g.dealer, kind, language, body)
    except TemplateError as error:
        g.db.rollback()
        return _editor(kind, language, body, account_id, _problem(body, error), 400)
    record(g.db, g.dealer.id, current_user.actor, "template_saved",
           details=f"{kind}/{language}")
    g.db.commit()
    flash(f"{KIND_LABELS.get(kind, kind)} ({LANGUAGE_LABELS[language]}) saved.")
    return redirect(url_for("portal.edit_template", kind=kind, language=language,
                            account_id=account_id or None))


@bp.post("/templates/preview")
@admin_required
def template_preview() -> ResponseReturnValue:
    """JSON for the editor's live preview: text, segments, encoding, warnings (or error)."""
    data = request.get_json(silent=True) or {}
    language = data.get("language") if data.get("language") in LANGUAGES else "en"
    result, problem = _preview_or_error(str(data.get("body", "")), language,
                                        _account_id(data.get("account_id")))
    if problem is None:
        return jsonify(**result, error=None)
    return jsonify(**result, error=problem.message, error_line=problem.line,
                   error_line_text=problem.line_text), 400


@bp.post("/templates/<kind>/<language>/reset")
@admin_required
def reset_edited_template(kind: str, language: str) -> ResponseReturnValue:
    """Forget the dealer's own text: the built-in one is used (and shown) again."""
    _check(kind, language)
    if stored_template(g.db, g.dealer, kind, language) is not None:
        reset_template(g.db, g.dealer, kind, language)
        record(g.db, g.dealer.id, current_user.actor, "template_reset",
               details=f"{kind}/{language}")
        g.db.commit()
    flash(f"{KIND_LABELS.get(kind, kind)} ({LANGUAGE_LABELS[language]}): the built-in text "
          "is back.")
    return redirect(url_for("portal.edit_template", kind=kind, language=language))


@bp.post("/segments")
def segments() -> ResponseReturnValue:
    """JSON segment count for a text being typed (the console's reply box)."""
    data = request.get_json(silent=True) or {}
    info = count_segments(str(data.get("text", ""))[:5000])
    return jsonify(segments=info.segments, encoding=info.encoding, units=info.units)
