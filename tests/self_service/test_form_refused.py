"""A self-service form sent without its CSRF token changes nothing and says why in the
borrower's language (not werkzeug's English "Bad Request")."""

from __future__ import annotations

from bot import db
from bot.models import Borrower, Payment
from tests.self_service.support import open_page


def test_a_spanish_borrowers_form_without_its_token_is_refused_in_spanish(client, make_world):
    world = make_world(language="es")
    open_page(client, world.phone, "ENLACE")
    refused = client.post("/me/preferences", data={"language": "en"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and '<html lang="es">' in html
    assert "Esta página no pudo enviar el formulario, así que nada cambió." in html
    assert "Bad Request" not in html and "Please try again" not in html
    with db.session_scope() as session:
        assert session.get(Borrower, world.borrower_id).language == "es"


def test_without_a_page_session_the_refusal_speaks_both_languages(client, world):
    refused = client.post("/me/pay", data={"amount": "50"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "This page could not send the form, so nothing changed." in html
    assert "Esta página no pudo enviar el formulario, así que nada cambió." in html
    with db.session_scope() as session:
        assert session.query(Payment).count() == 0
