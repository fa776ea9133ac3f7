"""Reading what staff agreed from a form (the call log and the hand-back share fields)."""

from __future__ import annotations

from datetime import date

from werkzeug.datastructures import MultiDict

from bot.console.agreements import Agreement, AgreementError
from bot.money import to_cents

HANDBACK_KINDS = {
    "none": "Nothing else (a note only)",
    "promise": "A promise to pay",
    "plan": "A payment plan",
    "pause": "No texts until a date",
    "dispute": "Stop collection: dispute",
}


def _date(form: MultiDict, name: str) -> date | None:
    raw = (form.get(name) or "").strip()
    return date.fromisoformat(raw) if raw else None


def agreement_from_form(form: MultiDict, kind: str) -> Agreement:
    """The agreement of kind `kind` described by the form's fields (AgreementError when a
    field cannot be read)."""
    amount = (form.get("amount") or "").strip()
    count = (form.get("installments") or "").strip()
    try:
        return Agreement(
            kind=kind,
            note=(form.get("note") or "").strip()[:2000],
            promised_date=_date(form, "promised_date"),
            amount_cents=to_cents(amount) if amount else None,
            installments=int(count) if count else None,
            frequency=form.get("frequency") or None,
            whole_balance=form.get("whole_balance") == "on",
            pause_until=_date(form, "pause_until"),
        )
    except ValueError as error:
        raise AgreementError(f"check the details: {error}") from None
