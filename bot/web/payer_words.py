"""What the payer page says, in English and Spanish.

The person paying is usually family of the borrower, so the page opens in the
borrower's language, with a link to the other one. (SMS wording lives in
bot/wording; these are web pages, where accents cost nothing.)
"""

from __future__ import annotations

LANGUAGES = ("en", "es")

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Pay {dealer} for {first_name}",
        "intro": "{first_name} sent you this link to pay on account {reference}. "
                 "Amount due: {amount_due}. You can pay up to {balance}.",
        "card_note": "Your card is used for this payment only. It is not saved, and "
                     "{first_name} never sees it.",
        "test_mode": "Test mode: this page stands in for Stripe's secure payment page.",
        "name": "Your full name",
        "amount": "Amount (dollars)",
        "pay": "Pay",
        "continue": "Continue to secure payment",
        "other_language": "Español",
        "error_name": "Please enter your full name.",
        "error_amount": "Please enter an amount in dollars and cents.",
        "error_card": "Please choose a card.",
        "error_range": "Please enter an amount from {low} to {high}.",
        "refused_title": "We can't take this payment",
        "refused": "{dealer} accepts payments on this account only from people it has "
                   "approved, and the name you entered is not one of them. Nothing was "
                   "charged.",
        "refused_next": "{first_name} can ask {dealer} to add you as a payer.",
        "thanks_title": "Thank you",
        "paid": "Thank you, {name}. You paid {amount} to {dealer} for {first_name}'s account "
                "{reference}. Confirmation {confirmation}. We've texted {first_name} a "
                "receipt.",
        "declined": "The card was declined. Nothing was charged. You can try another card.",
        "unavailable": "Card payments are not available for this account right now. "
                       "Nothing was charged.",
        "unavailable_title": "Card payments unavailable",
        "card_failed": "The card could not be used. Nothing was charged.",
        "pending_title": "Payment being confirmed",
        "pending": "We couldn't confirm the payment yet. Please don't pay again: "
                   "{first_name} gets a receipt by text once it goes through.",
        "not_charged_title": "Nothing was charged",
        "nothing_owed": "Nothing is owed on this account now. Nothing was charged.",
        "busy": "A payment on this account is being processed. Nothing was charged; please "
                "try again in a few minutes.",
        "retry_title": "Please try again later",
        "checkout_failed": "The payment page could not be opened. Nothing was charged; "
                           "please try again in a few minutes.",
        "back": "Thank you. If the payment went through, the account holder gets a receipt "
                "by text. You can close this page.",
        "used_title": "This link was already used",
        "used_paid": "{amount} was paid with this link on account {reference} "
                     "(confirmation {confirmation}). Each payment link works once.",
        "used": "Each payment link works once. If you still want to pay, ask the account "
                "holder to text us \"someone else is paying\" for a new link.",
        "expired_title": "This link has expired",
        "expired": "For security, each payment link works for one day. Ask the account "
                   "holder to text us \"someone else is paying\" for a new link.",
        "unknown_title": "This link doesn't work",
        "unknown": "Please check you opened the whole link, or ask the account holder to "
                   "text us for a new one.",
    },
    "es": {
        "title": "Pagar a {dealer} por {first_name}",
        "intro": "{first_name} le envió este enlace para pagar la cuenta {reference}. "
                 "Monto a pagar: {amount_due}. Puede pagar hasta {balance}.",
        "card_note": "Su tarjeta se usa solo para este pago. No se guarda y {first_name} "
                     "nunca la ve.",
        "test_mode": "Modo de prueba: esta página reemplaza la página de pago segura de "
                     "Stripe.",
        "name": "Su nombre completo",
        "amount": "Monto (dólares)",
        "pay": "Pagar",
        "continue": "Continuar al pago seguro",
        "other_language": "English",
        "error_name": "Escriba su nombre completo.",
        "error_amount": "Escriba un monto en dólares y centavos.",
        "error_card": "Elija una tarjeta.",
        "error_range": "Escriba un monto de {low} a {high}.",
        "refused_title": "No podemos aceptar este pago",
        "refused": "{dealer} acepta pagos de esta cuenta solo de personas que ha aprobado, "
                   "y el nombre que escribió no es una de ellas. No se cobró nada.",
        "refused_next": "{first_name} puede pedirle a {dealer} que lo agregue como pagador.",
        "thanks_title": "Gracias",
        "paid": "Gracias, {name}. Pagó {amount} a {dealer} por la cuenta {reference} de "
                "{first_name}. Confirmación {confirmation}. Le enviamos el recibo a "
                "{first_name} por texto.",
        "declined": "La tarjeta fue rechazada. No se cobró nada. Puede intentar con otra "
                    "tarjeta.",
        "unavailable": "Los pagos con tarjeta no están disponibles para esta cuenta en este "
                       "momento. No se cobró nada.",
        "unavailable_title": "Pagos con tarjeta no disponibles",
        "card_failed": "No se pudo usar la tarjeta. No se cobró nada.",
        "pending_title": "Confirmando el pago",
        "pending": "Aún no pudimos confirmar el pago. Por favor no pague de nuevo: "
                   "{first_name} recibirá el recibo por texto cuando se complete.",
        "not_charged_title": "No se cobró nada",
        "nothing_owed": "Esta cuenta no tiene saldo pendiente. No se cobró nada.",
        "busy": "Se está procesando un pago de esta cuenta. No se cobró nada; intente de "
                "nuevo en unos minutos.",
        "retry_title": "Intente más tarde",
        "checkout_failed": "No se pudo abrir la página de pago. No se cobró nada; intente "
                           "de nuevo en unos minutos.",
        "back": "Gracias. Si el pago se completó, el titular de la cuenta recibe el recibo "
                "por texto. Puede cerrar esta página.",
        "used_title": "Este enlace ya se usó",
        "used_paid": "Con este enlace se pagaron {amount} a la cuenta {reference} "
                     "(confirmación {confirmation}). Cada enlace de pago sirve una vez.",
        "used": "Cada enlace de pago sirve una vez. Si todavía quiere pagar, pida al titular "
                "de la cuenta que nos escriba \"alguien más va a pagar\" para recibir otro.",
        "expired_title": "Este enlace venció",
        "expired": "Por seguridad, cada enlace de pago sirve un día. Pida al titular de la "
                   "cuenta que nos escriba \"alguien más va a pagar\" para recibir otro.",
        "unknown_title": "Este enlace no funciona",
        "unknown": "Revise que abrió el enlace completo, o pida al titular de la cuenta que "
                   "nos escriba para recibir otro.",
    },
}


def page_language(requested: str | None, borrowers: str | None) -> str:
    """The language asked for (?lang=), else the borrower's, else English."""
    for language in (requested, borrowers):
        if language in LANGUAGES:
            return language
    return "en"


def words(language: str) -> dict[str, str]:
    """Every text of the payer page in `language`."""
    return WORDS[language if language in LANGUAGES else "en"]
