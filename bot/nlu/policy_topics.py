"""Which part of the payment policy a borrower asks about, in English or Spanish.

"what's the late fee" -> late_fee; "do you report to the credit bureau" ->
credit_reporting; "is there a grace period" -> due_and_grace; "cuánto es el
cargo por pago tardío" -> late_fee. Deterministic, like the other entities:
the intent classifier says a text is a policy question (`ask_policy`), this
says which policy, so a dealer's answer is never picked by a guess.
"""

from __future__ import annotations

import re
import unicodedata

# In order: the first topic whose words appear wins. Grace comes first: "how late can I
# pay before a fee" and "is there a late fee in the grace period" ask about the grace
# period, and a dealer's answer on it says when the fee starts.
_TOPIC_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("due_and_grace", (
        r"grace", r"gracia", r"(?:without|before)\s+(?:a\s+|any\s+|the\s+)?(?:late\s+)?"
        r"(?:fee|charge|penalty)", r"sin\s+(?:cargo|recargo|multa)",
    )),
    ("late_fee", (
        r"late\s*(?:fee|charge|penalt\w*|payment\s+(?:fee|charge|penalt\w*))",
        r"fee\s+(?:if|when|for)\s+(?:i\s+(?:am|'m|pay)\s+)?(?:paying\s+)?late",
        r"charge\s+(?:me\s+)?(?:if|when|for)\s+(?:i\s+)?(?:pay\s+)?late",
        r"penalt\w*", r"cargo\s+por\s+(?:pago\s+)?(?:tardio|atraso|retraso|mora)",
        r"recargo", r"multa", r"cobr\w+\s+(?:si|por)\s+(?:pago\s+|pagar\s+)?(?:tarde|atras)",
        r"cargo\s+(?:si|por)\s+(?:pago\s+|pagar\s+)?tarde", r"\bmora\b",
        r"\bfees?\b.{0,20}\blate\b", r"\blate\b.{0,20}\bfees?\b", r"late\s+payments?",
        r"(?:if|when)\s+(?:i|im|i'm|i\s+am)\s+(?:pay\s+|paying\s+|get\s+|am\s+)?late",
        r"si\s+(?:pago|pagamos)\s+(?:tarde|atrasad\w*|con\s+atraso)",
        r"si\s+me\s+(?:atraso|retraso)", r"pagos?\s+atrasados?",
    )),
    ("credit_reporting", (
        r"credit\s*(?:bureau|report\w*|score|history|agenc\w*)", r"report\w*\s+(?:me\s+|it\s+|"
        r"payments?\s+|this\s+)?to\s+(?:the\s+)?credit", r"experian", r"equifax",
        r"transunion", r"build\w*\s+(?:my\s+)?credit", r"help\w*\s+(?:my\s+)?credit",
        r"bur[oó]\s+de\s+cr[eé]dito", r"\bburo\b", r"historial\s+(?:de\s+)?credit\w*",
        r"historial\s+crediticio", r"(?:puntaje|score|puntuacion)\s+de\s+credito",
        r"reporta\w*\s+(?:al|a\s+la)\s+(?:buro|credito)",
        r"report\w*\s+(?:to|on)\s+(?:my\s+|the\s+)?credit", r"(?:con|a)\s+mi\s+credito",
        r"\bbureaus?\b", r"\bcredit\b(?!\s*cards?)", r"agencias?\s+de\s+credito",
        r"(?<!tarjeta de )\bcredito\b",
    )),
    ("on_time_reward", (
        r"reward", r"bonus", r"incentive", r"discount\s+(?:for|if|when)\s+(?:i\s+)?pay",
        r"(?:get|earn)\s+(?:anything|something)\s+(?:for|if)\s+(?:i\s+)?pay\w*\s+on\s+time",
        r"perks?", r"premio", r"recompensa", r"descuento\s+(?:por|si)\s+pag",
        r"beneficio\w*\s+(?:por|si)\s+pag", r"bonificacion",
    )),
    ("due_and_grace", (
        r"grace", r"due\s+date", r"when\s+(?:is|'s)\s+(?:my\s+)?(?:payment|it|the\s+payment)"
        r"\s+due", r"what\s+day\s+(?:is\s+)?(?:my\s+)?(?:payment\s+)?(?:is\s+)?due",
        r"how\s+(?:many\s+days\s+)?late\s+can\s+i", r"days\s+(?:do\s+i\s+have\s+)?to\s+pay",
        r"periodo\s+de\s+gracia", r"dias\s+de\s+gracia", r"fecha\s+(?:de\s+)?(?:vencimiento|"
        r"limite|de\s+pago)", r"cuando\s+vence", r"que\s+dia\s+(?:vence|se\s+paga|hay\s+que\s+"
        r"pagar|tengo\s+que\s+pagar)", r"cuantos\s+dias\s+(?:tengo|de\s+atraso)",
    )),
    ("ways_to_pay", (
        r"ways?\s+to\s+pay", r"payment\s+(?:methods?|options?)", r"forms?\s+of\s+payment",
        r"pay\s+(?:with|by|in)\s+(?:a\s+)?(?:cash|check|money\s+order|zelle|venmo|cash\s*app|"
        r"paypal|debit|apple\s+pay|person|(?:credit|debit)\s+card)", r"con\s+tarjeta",
        r"\b(?:accept|take)\s+(?:cash|checks?|money\s+orders?|zelle|venmo|cash\s*app|paypal|"
        r"debit|apple\s+pay)", r"(?:cash|checks?|money\s+orders?|zelle|venmo|cash\s*app)\s*\?",
        r"formas?\s+de\s+pago", r"metodos?\s+de\s+pago", r"pagar\s+(?:en|con)\s+(?:efectivo|"
        r"cheque|zelle|giro|persona|debito)", r"aceptan\s+(?:efectivo|cheques?|zelle|giros?|"
        r"tarjetas?)", r"efectivo", r"\bzelle\b",
    )),
    ("hours", (
        r"\bhours\b", r"what\s+time\s+(?:do|does)\s+(?:you|the\s+office|it)\s+(?:open|close)",
        r"when\s+(?:are|do)\s+you\s+(?:open|close)", r"are\s+you\s+open", r"office\s+open",
        r"horario", r"a\s+que\s+hora\s+(?:abren|cierran)", r"estan\s+abiertos",
        r"cuando\s+abren", r"dias\s+abren",
    )),
)
_PATTERNS = tuple((topic, re.compile("|".join(f"(?:{w})" for w in words)))
                  for topic, words in _TOPIC_WORDS)


def _plain(text: str) -> str:
    """Lower case without accents ("tardío" -> "tardio"), curly apostrophes made straight."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("\u2019", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def find_policy_topic(text: str) -> str | None:
    """The payment-policy topic a text asks about (see TOPICS in
    bot/sms_templates/policy.py), or None when it names none."""
    plain = _plain(text or "")
    for topic, pattern in _PATTERNS:
        if pattern.search(plain):
            return topic
    return None
