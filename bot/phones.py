"""Phone numbers: E.164 everywhere, parsed with `phonenumbers`."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
from phonenumbers import timezone as phone_timezone


@lru_cache(maxsize=8192)
def to_e164(raw: str | None, region: str = "US") -> str | None:
    """`(555) 123-0001` -> `+15551230001`; None when it is not a possible number."""
    if not raw or len(raw) > 40:
        return None
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def timezones_for(e164: str) -> list[str]:
    """The IANA time zones a number may be in (empty when unknown)."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return []
    zones = phone_timezone.time_zones_for_number(number)
    return [z for z in zones if z != "Etc/Unknown"]


def mask(e164: str | None) -> str:
    """`+15551230001` -> `+1555***0001`, for logs."""
    if not e164:
        return ""
    return e164[:5] + "***" + e164[-4:] if len(e164) > 9 else "***"
