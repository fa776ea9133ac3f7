"""Money: integer cents in, integer cents out; Decimal in between, Babel to show."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_currency

# Borrower language -> Babel locale for amounts and dates.
LOCALES = {"en": "en_US", "es": "es_US"}


def locale_for(language: str | None) -> str:
    """The Babel locale used to speak to a borrower in `language`."""
    return LOCALES.get(language or "en", "en_US")


def format_cents(cents: int, currency: str = "USD", language: str | None = "en") -> str:
    """`15000` -> `$150.00` in the borrower's locale."""
    return format_currency(Decimal(cents) / 100, currency, locale=locale_for(language))


def to_cents(value: str | int | Decimal) -> int:
    """Parse a decimal amount of money ("1,200.50", "75") into integer cents.

    Raises ValueError with a readable message for anything that is not money.
    """
    text = str(value).strip().replace(",", "").replace("$", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"not an amount of money: {value!r}") from None
    if not amount.is_finite():
        raise ValueError(f"not an amount of money: {value!r}")
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
