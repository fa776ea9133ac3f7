"""A Spanish-speaking borrower's payer reads the whole payer page in Spanish: the test
cards of the emulator's stand-in for Checkout, and the page a form without its CSRF
token lands on, as well as the rest."""

from __future__ import annotations

from html.parser import HTMLParser

from bot.wording import page_words
from tests.payer.conftest import payer_path

SPANISH_CARDS = ["Visa 4242 (se aprueba)", "Visa débito 5556 (se aprueba)",
                 "Visa 0341 (se rechaza)", "Visa 3184 (pide la aprobación del banco)"]


class _Texts(HTMLParser):
    """The page's text, one stripped piece per text node, and its fieldset's texts."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.in_fieldset: list[str] = []
        self._fieldset = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._fieldset = self._fieldset or tag == "fieldset"

    def handle_endtag(self, tag: str) -> None:
        self._fieldset = self._fieldset and tag != "fieldset"

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.texts.append(data.strip())
            if self._fieldset:
                self.in_fieldset.append(data.strip())


def texts(html: str) -> _Texts:
    """The text a reader sees on `html`."""
    parser = _Texts()
    parser.feed(html)
    return parser


def english_only(prefixes: tuple[str, ...]) -> set[str]:
    """The English page words under `prefixes` that Spanish says otherwise, filled in as
    on the test pages (Sunrise Auto, Dana, ...)."""
    names = {"dealer": "Sunrise Auto", "first_name": "Dana", "reference": "LN-0001",
             "amount_due": "$250.00", "balance": "$1,200.00", "name": "Juan Torres",
             "amount": "$150.00", "confirmation": "X", "low": "$10.00", "high": "$1,200.00"}
    english, spanish = page_words.words("en"), page_words.words("es")
    return {english(key, **names) for key in page_words.keys("en")
            if key.startswith(prefixes) and english(key, **names) != spanish(key, **names)}


def test_the_test_cards_are_labelled_in_spanish_for_a_spanish_speaking_borrower(
        make_world, payer, daytime):
    world = make_world(language="es")
    page = texts(payer.open(payer_path(world.phone.say("mi hermano va a pagar")))
                 .get_data(as_text=True))
    assert page.in_fieldset == ["Tarjeta de prueba", *SPANISH_CARDS]
    assert "Modo de prueba: esta página reemplaza la página de pago segura de Stripe." \
        in page.texts
    leftover = english_only(("payer_", "test_card")) & set(page.texts)
    assert not leftover
    assert not any(word in text for text in page.texts
                   for word in ("Test card", "succeeds", "declines", "debit", "approve"))


def test_the_same_page_in_english_keeps_the_english_labels(make_world, payer, daytime):
    world = make_world(language="es")
    path = payer_path(world.phone.say("mi hermano va a pagar"))
    page = texts(payer.open(f"{path}?lang=en").get_data(as_text=True))
    assert page.in_fieldset == ["Test card", "Visa 4242 (succeeds)",
                                "Visa debit 5556 (succeeds)", "Visa 0341 (declines)",
                                "Visa 3184 (asks the bank to approve)"]


def test_a_form_without_its_csrf_token_is_refused_in_the_payers_language(
        make_world, payer, client, stripe_intents, daytime):
    world = make_world(language="es")
    path = payer_path(world.phone.say("mi hermano va a pagar"))
    refused = client.post(path, data={"lang": "es", "payer_name": "Juan Torres",
                                      "amount": "150", "card": "4242424242424242"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and '<html lang="es">' in html
    assert "Esta página no pudo enviar el formulario, así que no se cobró nada." in html
    assert "Bad Request" not in html and "CSRF" not in html
    assert stripe_intents() == []
