"""The audit log (admins): every staff and admin action. Read-only: there is no
route that changes or deletes an entry, and the ORM refuses to (bot/audit.py)."""

from __future__ import annotations

from flask import g, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from bot.audit import entries
from bot.models import Account, AuditEntry
from bot.web.portal import bp
from bot.web.portal.helpers import admin_required


@bp.get("/audit")
@admin_required
def audit() -> ResponseReturnValue:
    """The latest entries, newest first, filterable by action."""
    action = request.args.get("action") or None
    rows = entries(g.db, g.dealer.id, action=action)
    ids = {e.account_id for e in rows if e.account_id}
    references = dict(g.db.execute(
        select(Account.id, Account.reference).where(Account.id.in_(ids))).all()) if ids else {}
    actions = sorted(g.db.execute(select(AuditEntry.action).where(
        AuditEntry.dealer_id == g.dealer.id).distinct()).scalars())
    return render_template("portal/audit.html", rows=rows, references=references,
                           actions=actions, action=action or "")
