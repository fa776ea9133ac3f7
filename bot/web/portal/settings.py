"""Dealer settings (admins): texting hours, schedule, collector mode, plan rules,
minimum payment, business hours, response target, survey, quick replies, API keys."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from bot.audit import record
from bot.campaigns.schedule import REMINDER_KINDS, ScheduleError, save_schedule, steps_for
from bot.console import dealer_settings
from bot.dealers import issue_api_key, sender_warnings
from bot.models import ApiKey
from bot.payments.connect import describe as stripe_status
from bot.payments.plans import FREQUENCIES
from bot.phones import NUMBER_TYPE_LABELS, number_type
from bot.web.portal import bp
from bot.web.portal.helpers import admin_required, owned
from bot.wording.compliance import COLLECTOR_MODES

SECTIONS: dict[str, Callable[[], dict[str, object]]] = {
    "general": lambda: dealer_settings.general(request.form),
    "sending": lambda: dealer_settings.sending(request.form),
    "team": lambda: dealer_settings.team(request.form),
    "plans": lambda: dealer_settings.plan_rules(request.form,
                                                request.form.getlist("plan_frequencies")),
}
MAX_SCHEDULE_ROWS = 12


def _page(status: int = 200, **extra: object) -> ResponseReturnValue:
    keys = g.db.execute(select(ApiKey).where(ApiKey.dealer_id == g.dealer.id)
                        .order_by(ApiKey.id)).scalars().all()
    return render_template("portal/settings.html", keys=keys, modes=COLLECTOR_MODES,
                           frequencies=FREQUENCIES, steps=steps_for(g.db, g.dealer),
                           reminder_kinds=REMINDER_KINDS, schedule_rows=MAX_SCHEDULE_ROWS,
                           stripe_status=stripe_status(g.db, g.dealer),
                           sender_numbers=[(n.phone, NUMBER_TYPE_LABELS[number_type(n.phone)])
                                           for n in g.dealer.numbers],
                           sender_warnings=sender_warnings(g.dealer),
                           **{"errors": {}, "form": {}, **extra}), status


@bp.get("/settings")
@admin_required
def settings() -> ResponseReturnValue:
    """Every setting, in sections."""
    return _page()


@bp.post("/settings/<section>")
@admin_required
def save_settings(section: str) -> ResponseReturnValue:
    """Save one section; a wrong field is shown beside its input and nothing changes."""
    if section == "schedule":
        return _save_schedule()
    if section not in SECTIONS:
        abort(404)
    try:
        changes = dealer_settings.apply(g.dealer, SECTIONS[section]())
    except dealer_settings.SettingsError as error:
        g.db.rollback()
        return _page(400, errors={error.field: str(error)}, form=request.form, section=section)
    if changes:
        record(g.db, g.dealer.id, current_user.actor, "settings_changed",
               details="; ".join(f"{c.name}: {c.old!r} -> {c.new!r}" for c in changes))
    g.db.commit()
    flash("Settings saved." if changes else "Nothing changed.")
    return redirect(url_for("portal.settings") + f"#{section}")


def _schedule_rows() -> list[dict]:
    steps = []
    for offset, template in zip(request.form.getlist("offset_days"),
                                request.form.getlist("template"), strict=False):
        if not offset.strip() and not template:
            continue
        if not offset.strip().lstrip("-").isdigit():
            raise ScheduleError(f"day {offset!r} is not a whole number of days")
        steps.append({"offset_days": int(offset), "template": template})
    return steps


def _save_schedule() -> ResponseReturnValue:
    try:
        save_schedule(g.db, g.dealer, _schedule_rows(), request.form.get("send_time"))
    except ScheduleError as error:
        g.db.rollback()
        return _page(400, errors={"schedule": str(error)}, form=request.form, section="schedule")
    record(g.db, g.dealer.id, current_user.actor, "schedule_changed",
           details=", ".join(f"{s.offset_days:+d}d {s.template}" for s in steps_for(g.db, g.dealer))
           + f" at {g.dealer.send_time}")
    g.db.commit()
    flash("Schedule saved.")
    return redirect(url_for("portal.settings") + "#schedule")


@bp.post("/settings/api-keys")
@admin_required
def create_api_key() -> ResponseReturnValue:
    """A new API key, shown on this page once (never stored in plain, never in a cookie)."""
    label = (request.form.get("label") or "").strip()[:100] or "default"
    plain = issue_api_key(g.db, g.dealer, label)
    record(g.db, g.dealer.id, current_user.actor, "api_key_created",
           details=f"{label} ({plain[:12]})")
    g.db.commit()
    return _page(201, new_key=plain, new_key_label=label)


@bp.post("/settings/api-keys/<int:key_id>/revoke")
@admin_required
def revoke_api_key(key_id: int) -> ResponseReturnValue:
    """Revoke a key: requests with it are refused from now on."""
    key = owned(ApiKey, key_id)
    if not key.revoked:
        key.revoked = True
        record(g.db, g.dealer.id, current_user.actor, "api_key_revoked",
               details=f"{key.label} ({key.prefix})")
        g.db.commit()
    flash(f"Key {key.prefix}… revoked.")
    return redirect(url_for("portal.settings") + "#api-keys")
