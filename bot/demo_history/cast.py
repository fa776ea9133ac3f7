"""Who the demo's story is about and what the dealer set up on day one: the
borrowers and their personas, the dealer's policy answers and reminder experiment,
and the CSV import that brings the accounts in (bot/demo_history/story.py plays them)."""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, timedelta

from bot import db
from bot.campaigns.experiments import VariantIn, create_experiment
from bot.campaigns.imports import import_csv
from bot.models import Dealer
from bot.payments import merchant, stripe_gateway
from bot.sms_templates.policy import save_answers

FIRST_NAMES = ("Ava", "Ben", "Carla", "Dev", "Elena", "Frank", "Gloria", "Hector", "Iris",
               "Jamal", "Karen", "Luis", "Maya", "Nate", "Olivia", "Pedro", "Quinn", "Rosa")
LAST_NAMES = ("Adams", "Baker", "Cruz", "Diaz", "Evans", "Flores", "Garcia", "Hill")
SPANISH = {"Carla", "Elena", "Gloria", "Hector", "Luis", "Pedro", "Rosa"}
# persona -> how many of the borrowers have it
PERSONAS = (("payer", 11), ("promiser", 8), ("planner", 5), ("struggling", 3),
            ("disputer", 2), ("asker", 4), ("quiet", 3), ("decliner", 2))
DECLINING_CARD = "4000000000000341"
# How often a borrower who reads the due-day reminder pays at once, by its wording: the
# effect the experiment on the dashboard finds.
VARIANT_ODDS = {"Short": 0.2, "Friendly": 0.7}
# About one promise in BROKEN_EVERY is broken (which ones: by the phone number).
BROKEN_EVERY = 3
ANSWERS_THE_WORDING = {"payer", "asker", "struggling"}
VARIANTS = (
    VariantIn("Short", "{{ first_name }}: {{ amount_due }} due today on {{ reference }}. "
              "Reply PAY. {{ opt_out }}",
              "{{ first_name }}: {{ amount_due }} vence hoy, cuenta {{ reference }}. "
              "Responda PAGAR. {{ opt_out }}"),
    VariantIn("Friendly", "Hi {{ first_name }}! Just a friendly reminder from {{ dealer_name }}: "
              "{{ amount_due }} is due today. Reply PAY and we'll take care of it, or tell us "
              "what works for you. {{ opt_out }}",
              "¡Hola {{ first_name }}! Un recordatorio de {{ dealer_name }}: {{ amount_due }} "
              "vence hoy. Responda PAGAR y listo, o díganos qué le funciona. {{ opt_out }}"),
)
POLICY = {
    ("due_and_grace", "en"): "Payments are due on your due date; you have a 5-day grace "
                             "period before a late fee.",
    ("due_and_grace", "es"): "El pago vence en su fecha de pago; tiene 5 días de gracia "
                             "antes del cargo por atraso.",
    ("late_fee", "en"): "A $25 late fee is added when a payment is more than 5 days late.",
    ("late_fee", "es"): "Se agrega un cargo de $25 si el pago llega con más de 5 días de "
                        "atraso.",
    ("on_time_reward", "en"): "Pay on time 6 months in a row and we take $50 off your next "
                              "payment.",
    ("credit_reporting", "en"): "Yes, we report your payments to Experian and Equifax every "
                                "month, so paying on time builds your credit.",
    ("ways_to_pay", "en"): "Reply PAY to use your card on file, or pay cash or card at our "
                           "office.",
    ("hours", "en"): "We're open Mon-Sat 9-6 and Sun 10-2.",
}



@dataclass(frozen=True)
class Person:
    """A borrower of the story and how they answer reminders."""

    name: str
    phone: str
    language: str
    persona: str
    reference: str
    due: date  # the first due date of the story
    installment_cents: int
    balance_cents: int

    @property
    def spanish(self) -> bool:
        """Whether they text in Spanish."""
        return self.language == "es"


def cast(start: date, rng: random.Random) -> list[Person]:
    """The borrowers of the story, their personas and first due dates."""
    personas = [name for name, count in PERSONAS for _ in range(count)]
    rng.shuffle(personas)
    people = []
    for number, persona in enumerate(personas):
        first = FIRST_NAMES[number % len(FIRST_NAMES)]
        last = LAST_NAMES[(number * 5) % len(LAST_NAMES)]
        installment = rng.choice((15000, 20000, 25000, 30000, 35000))
        people.append(Person(
            f"{first} {last}", f"+1555124{number:04d}", "es" if first in SPANISH else "en",
            persona, f"LN-{2001 + number}", start + timedelta(days=4 + number * 27 // 38),
            installment, installment * rng.randint(4, 12)))
    return people


def set_the_scene(dealer_id: int) -> None:
    """What the dealer set up on day one: its policy answers, its team, an experiment."""
    with db.session_scope() as session:
        dealer = session.get(Dealer, dealer_id)
        dealer.business_hours = "Mon-Sat 09:00-18:00; Sun 10:00-14:00"
        dealer.escalation_staff, dealer.escalations_per_staff_hour = 2, 4
        save_answers(session, dealer, POLICY)
        create_experiment(session, dealer, kind="reminder_due", name="Short or friendly",
                          variants=VARIANTS)


def import_people(dealer_id: int, people: list[Person]) -> None:
    """The dealer's system sends its accounts (CSV import), cards already in Stripe."""
    with db.session_scope() as session:
        dealer = session.get(Dealer, dealer_id)
        dealers_stripe = merchant.for_dealer(dealer)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["reference", "name", "phone", "balance", "amount_due", "due_date",
                         "language", "stripe_customer_id", "stripe_payment_method_id"])
        for person in people:
            customer = stripe_gateway.ensure_customer(dealers_stripe, None, person.name,
                                                      person.reference)
            number = DECLINING_CARD if person.persona == "decliner" else "4242424242424242"
            card = stripe_gateway.emulator_card(dealers_stripe, number, 12, 2034, "123")
            stripe_gateway.attach_card(dealers_stripe, customer, card)
            writer.writerow([person.reference, person.name, person.phone,
                             f"{person.balance_cents / 100:.2f}",
                             f"{person.installment_cents / 100:.2f}", person.due.isoformat(),
                             person.language, customer, card])
        report = import_csv(session, dealer, out.getvalue())
        if report.errors:
            raise RuntimeError(f"demo import refused rows: {report.errors}")
    from bot.campaigns.welcome import read_cards

    read_cards(report.cards_to_read)


