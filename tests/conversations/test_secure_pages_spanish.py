"""The secure pages we text a link to (add a card, approve a payment the bank flagged)
speak the borrower's language, like the texts that carry them; a link nobody can place
says it has expired in both languages."""

from __future__ import annotations

import re

from bot import db
from bot.models import Account

ENGLISH_WORDS = ("Add a card", "Save card", "Test card", "Approve", "Payment approved",
                 "This link has expired", "Thank you")


def _csrf(page) -> str:
    return re.search(rb'name="csrf_token" value="([^"]+)"', page.data).group(1).decode()


def _english_left(html: str) -> list[str]:
    return [words for words in ENGLISH_WORDS if words in html]


def test_a_spanish_borrower_adds_a_card_in_spanish(make_world, client):
    world = make_world(language="es")
    reply = world.phone.say("tengo una tarjeta nueva")
    path = re.search(r"https://textpay\.test(/secure/card/\S+)", reply).group(1)
    page = client.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and '<html lang="es">' in html
    assert "Agregar una tarjeta para LN-" in html and "Guardar la tarjeta" in html
    assert "Tarjeta de prueba" in html and "Visa débito 5556 (se aprueba)" in html
    assert _english_left(html) == []
    refused = client.post(path, data={"card": "1234", "csrf_token": _csrf(page)})
    assert refused.status_code == 400
    assert "Por favor elija una tarjeta." in refused.get_data(as_text=True)
    saved = client.post(path, data={"card": "4000056655665556", "csrf_token": _csrf(page)})
    html = saved.get_data(as_text=True)
    assert "Su tarjeta Visa terminada en 5556 quedó guardada." in html
    assert _english_left(html) == []
    with db.session_scope() as session:
        assert session.get(Account, world.account_id).card_last4 == "5556"


def test_a_spanish_borrower_approves_a_flagged_payment_in_spanish(make_world, client,
                                                                  stripe_intents):
    world = make_world(language="es", card="4000002760003184")
    world.phone.say("quiero pagar 80")
    reply = world.phone.say("sí")
    path = re.search(r"https://textpay\.test(/secure/approve/\S+)", reply).group(1)
    page = client.get(path)
    html = page.get_data(as_text=True)
    assert "Apruebe su pago" in html and "Aprobar el pago" in html
    assert "$80.00 para LN-" in html  # US Spanish writes dollars the US way
    assert _english_left(html) == []
    done = client.post(path, data={"csrf_token": _csrf(page)}).get_data(as_text=True)
    assert "Pago aprobado. Le enviamos el recibo por mensaje de texto." in done
    assert [intent.status for intent in stripe_intents()] == ["succeeded"]


def test_the_page_stripe_sends_a_borrower_back_to_keeps_their_language(client):
    spanish = client.get("/secure/done?lang=es").get_data(as_text=True)
    assert "Gracias. Ya puede cerrar esta página." in spanish and _english_left(spanish) == []
    assert "Thank you" in client.get("/secure/done?lang=xx").get_data(as_text=True)


def test_a_link_nobody_can_place_has_expired_in_both_languages(client):
    page = client.get("/secure/card/not-a-real-token")
    html = page.get_data(as_text=True)
    assert page.status_code == 404
    assert "This link has expired" in html and "Este enlace ya venció" in html
