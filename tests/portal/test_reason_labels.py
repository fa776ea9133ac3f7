"""Every escalation reason the bot can open has a label staff can read."""

from __future__ import annotations

from bot.models import EscalationReason
from bot.web.portal.console import REASONS


def test_every_reason_has_a_label():
    reasons = {value for name, value in vars(EscalationReason).items() if name.isupper()}
    assert reasons <= set(REASONS)
