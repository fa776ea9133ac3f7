"""What should happen after the money moved: who to tell, and what a person must see.

The Payments layer changes money and its records, then returns follow-ups;
it never sends a text, builds a receipt or opens an escalation itself. The
layer above (bot/messaging/notices.py) carries them out, through the one
outbound sender, in the borrower's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The notice key for a receipt: its text comes from the dealer's receipt template.
RECEIPT = "receipt"


@dataclass(frozen=True)
class Notice:
    """Text the account's borrower reply `key` (or, for RECEIPT, the receipt of
    `payment_id`), filled with `values`."""

    account_id: int
    key: str
    values: dict[str, object] = field(default_factory=dict)
    payment_id: int | None = None


@dataclass(frozen=True)
class StaffAlert:
    """Ask a person to look at an account: opens an escalation with `reason`."""

    account_id: int
    reason: str
    detail: str


FollowUp = Notice | StaffAlert


def receipt(account_id: int, payment_id: int) -> Notice:
    """The receipt for a payment that succeeded outside a reply."""
    return Notice(account_id, RECEIPT, payment_id=payment_id)
