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


SHORT_CODE = "short_code"
TOLL_FREE = "toll_free"
LONG_CODE = "long_code"
NUMBER_TYPE_LABELS = {SHORT_CODE: "Short code", TOLL_FREE: "Toll-free number",
                      LONG_CODE: "Long code (A2P 10DLC)"}


def is_short_code(raw: str | None) -> bool:
    """A US/CA short code: 5 or 6 digits, no country code."""
    return bool(raw) and raw.isdigit() and 5 <= len(raw) <= 6


def sender_number(raw: str | None) -> str | None:
    """A number a dealer texts from, as stored: a short code as its digits, else E.164."""
    text = (raw or "").strip()
    return text if is_short_code(text) else to_e164(text)


def number_type(sender: str) -> str:
    """What kind of sender a dealer number is: short code, toll-free, or long code."""
    if is_short_code(sender):
        return SHORT_CODE
    try:
        number = phonenumbers.parse(sender, None)
    except phonenumbers.NumberParseException:
        return LONG_CODE
    if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.TOLL_FREE:
        return TOLL_FREE
    return LONG_CODE


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


def for_reading(e164: str) -> str:
    """`+15550100001` -> `(555) 010-0001` (a US number as people write it; others
    internationally); the input as it is when it is not a number."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    style = (phonenumbers.PhoneNumberFormat.NATIONAL if number.country_code == 1
             else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, style)
