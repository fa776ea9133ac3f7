"""Templates through the dealer API: validation, previews, defaults, collector mode."""

from __future__ import annotations

from datetime import date

import pytest

from bot import db
from bot.dealers import create_dealer
from bot.sms_templates.templates import KINDS, default_body


def put(client, shop, kind, body, language="en"):
    return client.put(f"/api/v1/templates/{kind}", headers=shop.headers(),
                      json={"language": language, "body": body})


def preview(client, shop, body, language="en", **extra):
    return client.post("/api/v1/templates/preview", headers=shop.headers(),
                       json={"body": body, "language": language, **extra})


def test_saving_a_template_answers_its_segments_and_encoding(client, shop):
    body = "Hi {{ first_name }}, {{ amount_due }} is due {{ due_date }}. {{ opt_out }}"
    response = put(client, shop, "reminder_upcoming", body)
    assert response.status_code == 200, response.json
    assert response.json["body"] == body and response.json["custom"] is True
    assert (response.json["segments"], response.json["encoding"]) == (1, "GSM-7")
    spanish = put(client, shop, "reminder_upcoming", "{{ first_name }}, su pago venció.",
                  language="es")
    assert spanish.json["encoding"] == "UCS-2"
    shown = client.get("/api/v1/templates/reminder_upcoming?language=en", headers=shop.headers())
    assert shown.json["body"] == body
    listed = client.get("/api/v1/templates", headers=shop.headers()).json
    assert len(listed["templates"]) == len(KINDS) * 2
    assert "first_name" in listed["variables"]
    reset = client.delete("/api/v1/templates/reminder_upcoming?language=en",
                          headers=shop.headers())
    assert reset.json["custom"] is False and "{{ first_name }}" in reset.json["body"]


@pytest.mark.parametrize(("body", "named"), [
    ("Hi {{ frist_name }}", "unknown variable: frist_name"),
    ("Hi {{ first_name }", "syntax error on line 1"),
    ("{% if balance %}owed", "syntax error"),
    ("{{ first_name.__class__.__mro__ }}", "sandbox violation"),
    ("{{ first_name.upper() }}", "calls are not allowed"),
    ("{% for c in first_name %}{{ c }}{% endfor %}", "loops"),
    ("{{ first_name * 1000000 }}", "sandbox violation"),
    ("{{ balance|center(100000000) }}", "filter |center is not allowed"),
    ("{% include 'secrets' %}", "include"),
    ("", "empty"),
])
def test_a_broken_template_is_refused_naming_the_problem(client, shop, body, named):
    response = put(client, shop, "reminder_due", body)
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_template"
    assert named in response.json["error"]["message"]
    assert preview(client, shop, body).json["error"]["code"] == "invalid_template"


def test_unknown_kind_is_404_and_bad_language_400(client, shop):
    assert put(client, shop, "postcard", "Hi").status_code == 404
    response = put(client, shop, "reminder_due", "Hi {{ first_name }}", language="fr")
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid_request"


def test_preview_renders_a_real_account_and_warns(client, shop):
    account_id = shop.add_account("LN-7", "+12125550107", name="Luis Ortega",
                                  due=date(2026, 12, 1), amount_due_cents=31250)
    response = preview(client, shop, "Hi {{ first_name }}, pay {{ amount_due }} by {{ due_date }}"
                       " at bit.ly/pay-now — thanks!", account_id=account_id)
    assert response.status_code == 200
    body = response.json
    assert body["text"] == ("Hi Luis, pay $312.50 by December 1 at bit.ly/pay-now — thanks!")
    assert body["encoding"] == "UCS-2"  # the em dash
    warnings = " | ".join(body["warnings"])
    assert "no opt-out instruction" in warnings
    assert "link shortener bit.ly" in warnings
    assert "'—'" in warnings and "UCS-2" in warnings
    long = preview(client, shop, "{{ first_name }} " + "please pay soon. " * 20 + "{{ opt_out }}")
    assert long.json["segments"] == 3
    assert any("3 segments" in w for w in long.json["warnings"])
    clean = preview(client, shop, "Hi {{ first_name }}, reply PAY. {{ opt_out }}")
    assert clean.json["warnings"] == []
    risky = preview(client, shop, "Reply PAY to pay or reply CANCEL to cancel. {{ opt_out }}")
    assert any("reply CANCEL" in w and "opts the number out" in w
               for w in risky.json["warnings"])


def test_preview_of_another_dealers_account_is_404(client, shop):
    with db.session_scope() as session:
        create_dealer(session, name="Other Motors", number="+15550109999")
    other = shop.add_account("LN-8", "+12125550108")
    assert preview(client, shop, "Hi", account_id=other).status_code == 200
    with db.session_scope() as session:
        from bot.models import Account

        session.get(Account, other).dealer_id = shop.dealer_id + 1
    assert preview(client, shop, "Hi", account_id=other).status_code == 404


def test_every_shipped_default_is_valid_short_gsm7_and_warning_free(client, shop):
    for mode in ("first_party", "third_party"):
        shop.update(collector_mode=mode)
        for kind in KINDS:
            for language in ("en", "es"):
                body = default_body(kind, language, mode)
                result = preview(client, shop, body, language).json
                assert result["encoding"] == "GSM-7", (mode, kind, language, result["text"])
                assert result["segments"] <= 2, (mode, kind, language)
                assert result["warnings"] == [], (mode, kind, language, result["warnings"])


def test_third_party_texts_always_carry_the_disclosure_and_opt_out(client, shop):
    shop.update(collector_mode="third_party")
    defaults = client.get("/api/v1/templates/reminder_due", headers=shop.headers()).json
    assert "debt collector" in defaults["body"] or "{{ disclosure }}" in defaults["body"]
    result = preview(client, shop, "Hi {{ first_name }}, {{ amount_due }} is due.").json
    assert result["text"].endswith("This is a communication from a debt collector. "
                                   "Reply STOP to opt out.")
    assert any("debt-collector disclosure" in w for w in result["warnings"])
    spanish = preview(client, shop, "Hola {{ first_name }}.", "es").json
    assert "cobrador de deudas" in spanish["text"] and "STOP" in spanish["text"]
    shop.update(collector_mode="first_party")
    assert preview(client, shop, "Hi {{ first_name }}.").json["text"] == "Hi Dana."
