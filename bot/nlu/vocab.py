"""Word lists (folded: lower case, no accents) shared by the date and money parsers."""

from __future__ import annotations

WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6, "tues": 1, "weds": 2, "thurs": 3, "thur": 3, "fri": 4,
    "lunes": 0, "martes": 1, "miercoles": 2, "jueves": 3, "viernes": 4, "sabado": 5,
    "domingo": 6,
}  # fmt: skip

# Abbreviations that are also ordinary words ("sat", "sun"): dates only after
# "on", "by", "next", ...
SHORT_WEEKDAYS: dict[str, int] = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "sat": 5, "sun": 6}

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
    "enero": 1, "ene": 1, "febrero": 2, "marzo": 3, "abril": 4, "abr": 4, "mayo": 5,
    "junio": 6, "julio": 7, "agosto": 8, "ago": 8, "septiembre": 9, "setiembre": 9,
    "octubre": 10, "noviembre": 11, "diciembre": 12, "dic": 12,
}  # fmt: skip

ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
    "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
    "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
    "twenty-first": 21, "twenty first": 21, "twenty-second": 22, "twenty second": 22,
    "twenty-third": 23, "twenty third": 23, "twenty-fourth": 24, "twenty fourth": 24,
    "twenty-fifth": 25, "twenty fifth": 25, "twenty-sixth": 26, "twenty sixth": 26,
    "twenty-seventh": 27, "twenty seventh": 27, "twenty-eighth": 28, "twenty eighth": 28,
    "twenty-ninth": 29, "twenty ninth": 29, "thirtieth": 30, "thirty-first": 31,
    "thirty first": 31, "primero": 1,
}  # fmt: skip

# Time units: a number followed by one of these is a duration, never money.
TIME_UNITS = (
    r"(?:days?|weeks?|wks?|months?|mos?|years?|yrs?|hours?|hrs?|minutes?|mins?"
    r"|dias?|semanas?|mes(?:es)?|anos?|horas?|minutos?)"
)

# Installment nouns: "3 payments", "tres pagos".
COUNT_NOUNS = (
    r"(?:payments?|pmts?|pymts?|pymnts?|paymnts?|installments?|instalments?|installs?"
    r"|parts?|pieces?|chunks?|ways|paychecks?|checks?|pays"
    r"|pagos?|partes?|cuotas?|plazos?|mensualidades|abonos?|quincenas?|exhibiciones)"
)

# Words between a count and its noun: "3 equal payments", "tres pagos iguales".
COUNT_ADJECTIVES = (
    r"(?:equal|separate|small|smaller|monthly|weekly|bi-?weekly|more|easy|even"
    r"|mensuales|semanales|quincenales|iguales|pequenos|chicos)"
)

CURRENCY_WORDS = (
    r"(?:dollars?|dollar|dolars?|bucks?|usd|dlls?|dls|dolares|dolar|pesos?|varos"
    r"|grand)"
)

# A preposition that turns a bare number into a time of day: "at 5", "a las 5".
TIME_PREPOSITIONS = r"(?:at|@|around|a\s+las?|alas|como\s+a\s+las)"

# Verbs that make a small bare number an amount ("pay 5") and "all"/"todo" a
# whole-balance amount ("pay it all", "pagar todo").
PAY_VERBS = frozenset(
    {
        "pay", "paying", "send", "sending", "charge", "run", "put", "do", "make", "making",
        "take", "cover", "give", "clear", "settle", "pls", "please",
        "pagar", "pago", "pagare", "pague", "pagarle", "pagarte", "pagarlo", "pagarla",
        "pagaria", "abonar", "abono", "mandar", "mando", "enviar", "cobrar", "cobren",
        "cobrame", "cobreme", "cobra", "liquidar", "saldar", "hacer",
        "realizar", "cubrir",
    }
)  # fmt: skip
