"""Someone else pays, end to end: a text through the signed Twilio webhook, the link to
forward, the payer's hosted page (the emulator's stand-in for Stripe Checkout), one
charge in localstripe, the ledger under the payer's name, the borrower's receipt."""

from __future__ import annotations

from bot import db
from bot.models import LedgerEntry, Payment
from bot.payments.merchant import PLATFORM
from tests.payer.conftest import CSRF, payer_path


def succeeded(intents) -> list:
    return [pi for pi in intents() if pi.status == "succeeded"]


def _borrower_cards(customer_id: str) -> list[str]:
    methods = PLATFORM.client().v1.payment_methods.list(
        params={"customer": customer_id, "type": "card"})
    return [m.id for m in methods.data]


def test_an_approved_payer_pays_from_the_forwarded_link(world, payer, approve_payers,
                                                        stripe_intents, twilio_fake, daytime):
    approve_payers(world.account_id, ["María López", "Juan Lopez"])
    before = world.account()
    cards_before = _borrower_cards(before.stripe_customer_id)

    reply = world.phone.say("my mom is paying")
    assert "Forward this link to the person paying" in reply
    assert "expires in a day" in reply
    assert stripe_intents() == []  # a link changes nothing
    path = payer_path(reply)

    page = payer.open(path)
    assert page.status_code == 200
    assert b"Sunrise Auto" in page.data and b"$250.00" in page.data  # the amount due
    done = payer.pay(path, "  maria   LOPEZ ", amount="150.00")
    assert done.status_code == 200, done.data
    assert b"You paid $150.00" in done.data

    charged = succeeded(stripe_intents)
    assert [pi.amount for pi in charged] == [15000]
    assert charged[0].customer is None  # the payer's card is saved on nobody
    account = world.account()
    assert account.balance_cents == 105000
    assert account.amount_due_cents == 10000
    # The borrower's card on file is untouched, and the payer's card never joined it.
    assert (account.stripe_payment_method_id, account.card_last4) == (
        before.stripe_payment_method_id, before.card_last4)
    assert _borrower_cards(before.stripe_customer_id) == cards_before
    with db.session_scope() as session:
        payment = session.query(Payment).one()
        assert (payment.source, payment.payer_name, payment.status) == (
            "payer", "maria LOPEZ", "succeeded")
        assert payment.card_last4 is None
        entry = session.query(LedgerEntry).one()
        assert entry.amount_cents == -15000 and "maria LOPEZ" in entry.description
        confirmation = payment.confirmation_code
    receipt = [b for b in twilio_fake.bodies_to(world.phone.number) if "paid $150.00" in b]
    assert receipt == [f"maria LOPEZ paid $150.00 on your account {account.reference}. "
                       f"Confirmation {confirmation}. New balance: $1,050.00. Thank you!"]
    assert "5556" not in receipt[0]  # the payer's card is never shown
    transcript = world.phone.client.get(
        f"/api/v1/accounts/{world.account_id}/messages",
        headers={"Authorization": f"Bearer {world.api_key}"}).get_json()
    assert any("maria LOPEZ paid $150.00" in m["body"] for m in transcript["messages"])


def test_a_payer_not_on_the_list_is_refused_before_any_charge(world, payer, approve_payers,
                                                              stripe_intents, twilio_fake):
    approve_payers(world.account_id, ["Maria Lopez"])
    path = payer_path(world.phone.say("my brother is paying it"))

    refused = payer.pay(path, "John Smith")
    assert refused.status_code == 403
    assert b"Nothing was charged" in refused.data
    assert b"not one of them" in refused.data
    assert stripe_intents() == []
    assert world.account().balance_cents == 120000
    with db.session_scope() as session:
        assert session.query(Payment).count() == 0
    # The link still works for someone the dealer approved.
    assert payer.pay(path, "Maria Lopez").status_code == 200
    assert [pi.amount for pi in succeeded(stripe_intents)] == [15000]


def test_anyone_may_pay_while_the_dealer_setting_is_off(world, payer, stripe_intents):
    path = payer_path(world.phone.say("my brother will pay this month"))
    assert payer.pay(path, "Somebody Else", amount="250").status_code == 200
    assert [pi.amount for pi in succeeded(stripe_intents)] == [25000]


def test_a_used_link_shows_a_friendly_page_and_charges_nothing_more(world, payer,
                                                                   stripe_intents):
    path = payer_path(world.phone.say("my mom is paying"))
    assert payer.pay(path, "Maria Lopez").status_code == 200
    again = payer.open(path)
    assert again.status_code == 410
    assert b"already used" in again.data
    resubmitted = payer.pay(path, "Maria Lopez")
    assert resubmitted.status_code == 410
    assert len(stripe_intents()) == 1


def test_an_expired_link_shows_a_friendly_page(world, payer, stripe_intents, clock):
    path = payer_path(world.phone.say("my mom is paying"))
    assert payer.open(path).status_code == 200
    payer.token = CSRF.search(payer.open(path).data).group(1).decode()
    clock.advance(hours=25)
    page = payer.open(path)
    assert page.status_code == 410
    assert b"expired" in page.data
    assert payer.pay(path, "Maria Lopez").status_code == 410
    assert stripe_intents() == []


def test_a_forged_link_opens_nothing(world, payer):
    page = payer.open("/pay/not-a-real-token")
    assert page.status_code == 404
    assert b"This link doesn" in page.data


def test_a_double_submit_makes_one_charge(world, payer, client, stripe_intents):
    path = payer_path(world.phone.say("my mom is paying"))
    page = client.get(path)
    token = page.data.split(b'name="csrf_token" value="')[1].split(b'"')[0].decode()
    form = {"csrf_token": token, "payer_name": "Maria Lopez", "amount": "150.00",
            "card": "4242424242424242"}
    first, second = client.post(path, data=form), client.post(path, data=form)
    assert first.status_code == 200 and second.status_code == 410
    assert b"$150.00 was paid with this link" in second.data  # not a failure
    assert [pi.amount for pi in stripe_intents()] == [15000]
    assert world.account().balance_cents == 105000


def test_a_declined_card_charges_nothing_and_another_card_may_be_tried(world, payer,
                                                                      stripe_intents):
    path = payer_path(world.phone.say("my sister is going to pay"))
    declined = payer.pay(path, "Maria Lopez", card="4000000000000341")
    assert declined.status_code == 402
    assert b"declined. Nothing was charged" in declined.data
    assert world.account().balance_cents == 120000
    assert payer.pay(path, "Maria Lopez").status_code == 200
    assert [pi.amount for pi in succeeded(stripe_intents)] == [15000]
    with db.session_scope() as session:
        keys = {p.idempotency_key for p in session.query(Payment)}
    assert len(keys) == 2  # each attempt its own key; the link's double submits share one


def test_amounts_above_the_balance_or_below_the_minimum_are_refused(world, payer,
                                                                    stripe_intents):
    path = payer_path(world.phone.say("my mom is paying"))
    for amount in ("1500.00", "5", "abc", "10.005"):
        answer = payer.pay(path, "Maria Lopez", amount=amount)
        assert answer.status_code == 400, amount
    assert b"from $10.00 to $1,200.00" in payer.pay(path, "Maria Lopez", amount="0").data
    assert stripe_intents() == []
    assert payer.pay(path, "Maria Lopez", amount="1200").status_code == 200  # the balance
    assert world.account().balance_cents == 0


def test_the_bank_approval_step_finishes_a_payers_payment(world, payer, client,
                                                         stripe_intents, twilio_fake):
    path = payer_path(world.phone.say("my mom is paying"))
    asked = payer.pay(path, "Maria Lopez", card="4000002760003184")
    assert asked.status_code == 303 and "/secure/approve/" in asked.location
    approve = client.get(asked.location)
    token = approve.data.split(b'name="csrf_token" value="')[1].split(b'"')[0].decode()
    assert b"Payment approved" in client.post(asked.location, data={"csrf_token": token}).data
    assert world.account().balance_cents == 105000
    assert any("Maria Lopez paid $150.00" in b for b in twilio_fake.bodies_to(world.phone.number))


def test_the_payer_page_needs_its_csrf_token_and_sends_strict_headers(world, payer, client,
                                                                     stripe_intents):
    path = payer_path(world.phone.say("my mom is paying"))
    page = payer.open(path)
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["Referrer-Policy"] == "no-referrer"
    forged = client.post(path, data={"payer_name": "Maria Lopez", "amount": "150",
                                     "card": "4242424242424242"})
    assert forged.status_code == 400
    assert stripe_intents() == []


def test_the_page_speaks_the_borrowers_language(make_world, payer, twilio_fake, daytime):
    world = make_world(language="es")
    path = payer_path(world.phone.say("mi hermano va a pagar"))
    page = payer.open(path).get_data(as_text=True)
    assert '<html lang="es">' in page and "Pagar a Sunrise Auto por Dana" in page
    assert "Su tarjeta se usa solo para este pago" in page
    english = payer.open(f"{path}?lang=en").get_data(as_text=True)
    assert "Pay Sunrise Auto for Dana" in english
    paid = payer.pay(path, "Juan Torres").get_data(as_text=True)
    assert "Gracias, Juan Torres" in paid
    assert any(body.startswith("Juan Torres pago ") and "a su cuenta" in body
               for body in twilio_fake.bodies_to(world.phone.number))


def test_a_name_that_could_carry_a_message_is_refused(world, payer, stripe_intents):
    """The payer's name goes into the borrower's receipt: no numbers or web addresses."""
    path = payer_path(world.phone.say("my mom is paying"))
    for name in ("Call 555-0100 now", "www.example.com", "", "x" * 61):
        answer = payer.pay(path, name)
        assert answer.status_code == 400, name
        assert b"Please enter your full name." in answer.data
    assert stripe_intents() == []
    assert payer.pay(path, "Anne-Marie O'Brien Jr.").status_code == 200


def test_the_borrowers_open_yes_charges_nothing_after_someone_else_paid(world, payer,
                                                                       stripe_intents):
    assert "Reply YES" in world.phone.say("pay")  # $250.00 offered, not yet confirmed
    path = payer_path(world.phone.say("my mom is paying"))
    assert payer.pay(path, "Maria Lopez", amount="1200").status_code == 200  # all of it
    assert "Payment received" not in world.phone.say("yes")
    assert [pi.amount for pi in stripe_intents()] == [120000]
    assert world.account().balance_cents == 0


def test_a_press_that_lands_while_another_is_charging_says_so(world, app):
    """The second of two presses can find the link still open: the first press's use of
    it is not committed yet. It is told the payment is going through (it was a 500)."""
    from bot.web.payer_pages import _gone

    token = payer_path(world.phone.say("my mom is paying")).rsplit("/", 1)[1]
    with app.test_request_context(), db.session_scope() as session:
        body, status = _gone(session, token)
    assert status == 409
    assert "Please don&#39;t pay again" in body
