"""A dealer's settings as the portal edits them: each form section is read,
checked and applied as a whole (nothing changes when any field is wrong)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time

from bot.business_hours import BusinessHoursError, parse_business_hours
from bot.messaging.quiet_hours import EARLIEST, LATEST
from bot.models import Dealer
from bot.money import format_cents, to_cents
from bot.payments.plans import FREQUENCIES
from bot.wording.compliance import COLLECTOR_MODES

MAX_QUICK_REPLIES = 12
MAX_QUICK_REPLY_LENGTH = 320


class SettingsError(ValueError):
    """A field that cannot be saved: `field` names the input, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Change:
    """One setting that changed (for the audit log)."""

    name: str
    old: object
    new: object


def _integer(form: Mapping[str, str], name: str, least: int, most: int) -> int:
    raw = (form.get(name) or "").strip()
    if not raw.lstrip("-").isdigit():
        raise SettingsError(name, "enter a whole number")
    value = int(raw)
    if not least <= value <= most:
        raise SettingsError(name, f"enter a number from {least} to {most}")
    return value


def _cents(form: Mapping[str, str], name: str, least: int, most: int) -> int:
    try:
        cents = to_cents(form.get(name) or "")
    except ValueError:
        raise SettingsError(name, "enter an amount like 25.00") from None
    if not least <= cents <= most:
        raise SettingsError(name, f"enter an amount from {format_cents(least)} to "
                                  f"{format_cents(most)}")
    return cents


def _clock(form: Mapping[str, str], name: str) -> time:
    try:
        return time.fromisoformat((form.get(name) or "").strip().zfill(5))
    except ValueError:
        raise SettingsError(name, "enter a time like 09:00") from None


def general(form: Mapping[str, str]) -> dict[str, object]:
    """Collector mode, minimum payment, business hours, response target, survey, approved
    payers only, quick replies."""
    mode = form.get("collector_mode", "")
    if mode not in COLLECTOR_MODES:
        raise SettingsError("collector_mode", "choose first party or third party")
    hours = (form.get("business_hours") or "").strip()
    try:
        if not parse_business_hours(hours):
            raise BusinessHoursError("say when you are open, e.g. Mon-Fri 09:00-18:00")
    except BusinessHoursError as error:
        raise SettingsError("business_hours", str(error)) from None
    replies = [line.strip() for line in (form.get("quick_replies") or "").splitlines()
               if line.strip()]
    if len(replies) > MAX_QUICK_REPLIES:
        raise SettingsError("quick_replies", f"at most {MAX_QUICK_REPLIES} quick replies")
    if any(len(line) > MAX_QUICK_REPLY_LENGTH for line in replies):
        raise SettingsError("quick_replies", f"each quick reply may have at most "
                                             f"{MAX_QUICK_REPLY_LENGTH} characters")
    return {
        "collector_mode": mode,
        "minimum_payment_cents": _cents(form, "minimum_payment", 100, 1_000_000),
        "business_hours": hours,
        "response_target_minutes": _integer(form, "response_target_minutes", 5, 7 * 24 * 60),
        "survey_enabled": form.get("survey_enabled") == "on",
        "payers_must_be_approved": form.get("payers_must_be_approved") == "on",
        "quick_replies": replies,
    }


def sending(form: Mapping[str, str]) -> dict[str, object]:
    """Quiet hours: texts go only between `sending_from` and `sending_until` (never wider
    than 08:00-21:00), and at most `reminder_cap_per_week` reminders a week."""
    start, end = _clock(form, "sending_from"), _clock(form, "sending_until")
    if start < EARLIEST:
        raise SettingsError("sending_from", f"texts may not go before {EARLIEST:%H:%M}")
    if end > LATEST:
        raise SettingsError("sending_until", f"texts may not go after {LATEST:%H:%M}")
    if start >= end:
        raise SettingsError("sending_until", "must be later than the start")
    return {"quiet_end": f"{start:%H:%M}", "quiet_start": f"{end:%H:%M}",
            "reminder_cap_per_week": _integer(form, "reminder_cap_per_week", 1, 14)}


def team(form: Mapping[str, str]) -> dict[str, object]:
    """Who answers escalations, for pacing reminder waves (bot/campaigns/pacing.py): how
    many people (0: waves are not paced) and how many escalations one handles an hour."""
    people = _integer(form, "escalation_staff", 0, 500)
    return {"escalation_staff": people or None,
            "escalations_per_staff_hour": _integer(form, "escalations_per_staff_hour", 1, 60)}


def plan_rules(form: Mapping[str, str], frequencies: list[str]) -> dict[str, object]:
    """What the bot may offer when a borrower asks to split a payment, promise limits, and
    the longest pause of reminders a borrower may ask for."""
    chosen = [f for f in FREQUENCIES if f in frequencies]
    if not chosen:
        raise SettingsError("plan_frequencies", "allow at least one frequency")
    return {
        "plan_max_installments": _integer(form, "plan_max_installments", 2, 24),
        "plan_min_installment_cents": _cents(form, "plan_min_installment", 100, 1_000_000),
        "plan_max_days": _integer(form, "plan_max_days", 7, 365),
        "plan_frequencies": ",".join(chosen),
        "promise_max_days": _integer(form, "promise_max_days", 1, 60),
        **_pause_limit(form),
    }


def _pause_limit(form: Mapping[str, str]) -> dict[str, object]:
    """The longest pause a borrower may ask for themselves (bot/contact_preferences.py);
    left as it is when the form does not send it."""
    if not (form.get("max_pause_days") or "").strip():
        return {}
    return {"max_pause_days": _integer(form, "max_pause_days", 1, 90)}


def apply(dealer: Dealer, values: dict[str, object]) -> list[Change]:
    """Set the values on the dealer; return what actually changed."""
    changes = []
    for name, value in values.items():
        old = getattr(dealer, name)
        if old != value:
            changes.append(Change(name, old, value))
            setattr(dealer, name, value)
    return changes
