"""The demo's story: sixty days of a dealer's life, played through the real code paths.

The clock (bot/clock.py) is pinned sixty days back and walked forward a day at
a time, and each day goes the way it would for a real dealer:

- 9:15  `run-due`: plan installments charged, promise-day reminders, broken
        promises flagged for staff; the dealer's system re-imports the accounts
        whose due date has passed (CSV import: next month's due date);
- 10:00 `send-reminders` (the team is large enough that nothing is held
        back); every borrower who got a reminder answers it — or not — the way
        their persona does, by texting the bot through the same inbound turn as Twilio's
        webhook: the real model, payments charged in the Stripe emulator,
        plans, promises, disputes, hardship, STOP;
- 15:00 staff take over the conversations escalated before noon, reply and
        hand back (the last two days' stay open, so the queue has some).

A reminder experiment runs on the due-day reminder, and borrowers pay a little
more often after the friendlier wording, so the dashboard shows it winning.
Nothing is written to the database by hand; the random choices are seeded, so
every demo tells the same story. Measured on the 2-CPU development machine:
see README ("Talking to the demo").
"""

from __future__ import annotations

import csv
import io
import logging
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import date, datetime, time, timedelta, timezone
from time import monotonic
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot import clock, db
from bot.audit import Actor
from bot.campaigns.imports import import_csv
from bot.campaigns.money_runs import run_due
from bot.campaigns.reminders import send_due_reminders
from bot.console.takeover import hand_back, staff_reply
from bot.demo_history.cast import (
    ANSWERS_THE_WORDING,
    BROKEN_EVERY,
    VARIANT_ODDS,
    Person,
    cast,
    import_people,
    set_the_scene,
)
from bot.messaging.inbound import InboundSms, receive
from bot.messaging.outbound import SendRefused
from bot.models import (
    Account,
    Borrower,
    Dealer,
    Escalation,
    EscalationStatus,
    ExperimentVariant,
    Promise,
    Reminder,
    ReminderStatus,
    User,
)

log = logging.getLogger(__name__)


HISTORY_DAYS = 60
SEED = 16


@contextmanager
def walked_clock(start: datetime) -> Iterator[None]:
    """The product's clock pinned to `start` and moved on by the story; afterwards it
    reads what it would have read without the story (the real time, or a pinned one
    run on: a demo started with TEXTPAY_NOW keeps it)."""
    before = clock.now_utc() if clock.is_pinned() else None
    started = monotonic()
    clock.pin(start)
    try:
        yield
    finally:
        if before is None:
            clock.unpin()
        else:
            clock.pin(before + timedelta(seconds=monotonic() - started))


class Story:
    """One dealer's sixty days, a day at a time."""

    def __init__(self, dealer_id: int, to_number: str, people: list[Person],
                 rng: random.Random, end: datetime) -> None:
        self.dealer_id, self.to_number, self.rng, self.end = dealer_id, to_number, rng, end
        self.people = {p.phone: p for p in people}
        self.reminders_seen: dict[str, int] = {}
        self.promises_due: dict[str, int] = {}
        with db.session_scope() as session:
            dealer = session.get(Dealer, dealer_id)
            self.zone = ZoneInfo(dealer.timezone)
            staff = session.execute(select(User).where(User.dealer_id == dealer_id,
                                                       User.role == "staff")).scalars().first()
            self.staff = Actor(staff.email, staff.name, staff.id)

    # --- time ---------------------------------------------------------------------

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """A local moment of the dealer as naive UTC."""
        local = datetime.combine(day, time(hour, minute), tzinfo=self.zone)
        return local.astimezone(timezone.utc).replace(tzinfo=None)

    def move_to(self, moment: datetime) -> bool:
        """Walk the clock to `moment`; False when that is past the story's end."""
        if moment > self.end:
            return False
        clock.pin(moment)
        return True

    # --- the day ------------------------------------------------------------------

    def play(self, first: date, last: date) -> None:
        """Every day from `first` to `last` (the dealer's local dates)."""
        day = first
        while day <= last:
            self.morning(day)
            self.reminders(day)
            self.keep_promises(day)
            self.staff_afternoon(day)
            day += timedelta(days=1)

    def morning(self, day: date) -> None:
        """run-due, then the dealer's system sends next month's due dates."""
        if not self.move_to(self.at(day, 9, 15)):
            return
        with db.session_scope() as session:
            run_due(session, clock.utcnow())
        self.roll_due_dates(day)

    def roll_due_dates(self, day: date) -> None:
        """Accounts whose due date passed 12 days ago get the next one (a CSV import)."""
        with db.session_scope() as session:
            rows = session.execute(
                select(Account, Borrower).join(Borrower, Borrower.id == Account.borrower_id)
                .where(Account.dealer_id == self.dealer_id,
                       Account.due_date <= day - timedelta(days=12))).all()
            people = [(a, b, self.people.get(b.phone)) for a, b in rows]
            people = [(a, b, p) for a, b, p in people if p is not None and a.balance_cents > 0]
            if not people:
                return
            out = io.StringIO()
            writer = csv.writer(out)
            # A row states the whole account: a column left out would be emptied.
            writer.writerow(["reference", "name", "phone", "balance", "amount_due", "due_date",
                             "language", "stripe_customer_id", "stripe_payment_method_id"])
            for account, borrower, person in people:
                due = min(account.amount_due_cents + person.installment_cents,
                          account.balance_cents)
                writer.writerow([account.reference, borrower.name, borrower.phone,
                                 f"{account.balance_cents / 100:.2f}", f"{due / 100:.2f}",
                                 (account.due_date + timedelta(days=30)).isoformat(),
                                 borrower.language, account.stripe_customer_id,
                                 account.stripe_payment_method_id])
            import_csv(session, session.get(Dealer, self.dealer_id), out.getvalue())

    def reminders(self, day: date) -> None:
        """send-reminders at 10:00; each borrower reached answers the way they do."""
        if not self.move_to(self.at(day, 10)):
            return
        wave = clock.utcnow()
        send_due_reminders(db.new_session, wave)
        for phone, template, variant in self.reached(wave):
            self.answer(phone, template, variant)

    def reached(self, since: datetime) -> list[tuple[str, str, str | None]]:
        """(phone, reminder kind, variant label) of every reminder sent since `since`."""
        with db.session_scope() as session:
            return [tuple(row) for row in session.execute(
                select(Borrower.phone, Reminder.template, ExperimentVariant.label)
                .join(Account, Account.id == Reminder.account_id)
                .join(Borrower, Borrower.id == Account.borrower_id)
                .outerjoin(ExperimentVariant, ExperimentVariant.id == Reminder.variant_id)
                .where(Reminder.dealer_id == self.dealer_id,
                       Reminder.status == ReminderStatus.SENT, Reminder.sent_at >= since,
                       Reminder.template != "welcome")
                .order_by(Reminder.id)).all()]

    # --- borrowers ----------------------------------------------------------------

    def text(self, phone: str, body: str) -> list[str]:
        """A borrower texts the bot a couple of minutes later, as Twilio would deliver it."""
        clock.advance(timedelta(minutes=self.rng.randint(1, 4)))
        return receive(InboundSms(from_number=phone, to_number=self.to_number, body=body,
                                  message_sid=f"SMdemo{uuid.uuid4().hex}"))

    def pay(self, person: Person) -> None:
        """ "pay" and "yes": the amount due, charged to the card on file."""
        self.text(person.phone, self.rng.choice(("quiero pagar", "pagar")) if person.spanish
                  else self.rng.choice(("pay", "PAY", "pay it now", "i want to pay")))
        self.text(person.phone, "sí" if person.spanish else self.rng.choice(("yes", "YES",
                                                                            "yes please")))

    def answer(self, phone: str, template: str, variant: str | None) -> None:
        """What a borrower does with a reminder, by persona (seeded)."""
        person = self.people.get(phone)
        if person is None:
            return  # the three demo borrowers wait for you in the simulator
        seen = self.reminders_seen[phone] = self.reminders_seen.get(phone, 0) + 1
        chance = self.rng.random()
        due = template == "reminder_due"
        if variant in VARIANT_ODDS and person.persona in ANSWERS_THE_WORDING:
            if chance < VARIANT_ODDS[variant]:
                self.pay(person)
            return  # otherwise they answer the overdue reminder, their own way
        handler = getattr(self, f"_{person.persona}")
        handler(person, template, due, chance, seen, variant)

    def _payer(self, person: Person, template: str, due: bool, chance: float, _seen: int,
               variant: str | None) -> None:
        odds = {"reminder_upcoming": 0.25, "reminder_due": 0.55,
                "reminder_overdue": 0.7}.get(template, 0.3)
        if chance < odds:
            self.pay(person)

    def _asker(self, person: Person, template: str, due: bool, chance: float, seen: int,
               variant: str | None) -> None:
        if template == "reminder_overdue" and chance < 0.5:
            self.text(person.phone, "puedo hablar con una persona?" if person.spanish
                      else "can I talk to someone about my account")
        elif template == "reminder_upcoming":
            question = self.rng.choice(
                ("cuánto es el cargo por pago tardío", "hay período de gracia?")
                if person.spanish else ("is there a grace period?", "what's the late fee",
                                        "do you report to the credit bureau"))
            self.text(person.phone, question)
        else:
            self._payer(person, template, due, chance, seen, variant)

    def _promiser(self, person: Person, template: str, due: bool, chance: float, _seen: int,
                  _variant: str | None) -> None:
        if template != "reminder_upcoming" and chance < 0.85:
            self.text(person.phone, "le pago el viernes" if person.spanish
                      else self.rng.choice(("I get paid friday, I'll pay then",
                                            "can I pay on friday?")))

    def _planner(self, person: Person, template: str, due: bool, chance: float, _seen: int,
                 _variant: str | None) -> None:
        if template in ("reminder_due", "reminder_overdue") and chance < 0.9:
            self.text(person.phone, "puedo pagarlo en 3 partes?" if person.spanish
                      else "can I split it in 3")
            self.text(person.phone, "sí" if person.spanish else "yes")

    def _struggling(self, person: Person, template: str, _due: bool, chance: float,
                    _seen: int, _variant: str | None) -> None:
        if template == "reminder_overdue" or chance < 0.3:
            self.text(person.phone, "perdí mi trabajo y no puedo pagar ahorita"
                      if person.spanish else "I lost my job and can't pay right now")

    def _disputer(self, person: Person, _template: str, due: bool, _chance: float,
                  _seen: int, _variant: str | None) -> None:
        if due:
            self.text(person.phone, "ese monto está mal" if person.spanish
                      else "that amount is wrong, I paid extra last month")

    def _quiet(self, person: Person, _template: str, _due: bool, chance: float, seen: int,
               _variant: str | None) -> None:
        if (seen == 2 and chance < 0.3) or (seen >= 4 and chance < 0.6):
            self.text(person.phone, "STOP")

    def _decliner(self, person: Person, _template: str, due: bool, chance: float, _seen: int,
                  _variant: str | None) -> None:
        if due and chance < 0.7:
            self.pay(person)  # the card declines; the bot sends a link for a new one

    def keep_promises(self, day: date) -> None:
        """On a promise's day the promiser pays, except every few promises (broken: the
        next run-due flags it for staff)."""
        if not self.move_to(self.at(day, 11, 30)):
            return
        with db.session_scope() as session:
            phones = session.execute(
                select(Borrower.phone).join(Account, Account.borrower_id == Borrower.id)
                .join(Promise, Promise.account_id == Account.id)
                .where(Promise.dealer_id == self.dealer_id, Promise.status == "open",
                       Promise.promised_date == day)).scalars().all()
        for phone in phones:
            count = self.promises_due[phone] = self.promises_due.get(phone, 0) + 1
            if phone in self.people and (count + int(phone[-2:])) % BROKEN_EVERY != 0:
                self.pay(self.people[phone])

    # --- staff --------------------------------------------------------------------

    def staff_afternoon(self, day: date) -> None:
        """Staff answer this morning's escalations; the last two days' wait in the queue."""
        if day >= self.end.date() - timedelta(days=1) or not self.move_to(self.at(day, 15)):
            return
        with db.session_scope() as session:
            waiting = session.execute(
                select(Escalation).where(Escalation.dealer_id == self.dealer_id,
                                         Escalation.status == EscalationStatus.OPEN,
                                         Escalation.created_at < self.at(day, 12))
                .order_by(Escalation.id)).scalars().all()
            for escalation in waiting:
                self.handle(session, escalation)
                clock.advance(timedelta(minutes=self.rng.randint(3, 12)))

    def handle(self, session: object, escalation: Escalation) -> None:
        """Take over, reply in the borrower's language, hand back with a note."""
        borrower = session.get(Borrower, escalation.borrower_id)
        spanish = borrower.language == "es"
        words = {
            "hardship": ("Lamentamos mucho lo de su trabajo. Pausamos los cobros una semana; "
                         "responda PLAN cuando quiera un plan más pequeño.",
                         "So sorry to hear about your job. We've paused collection for a "
                         "week; reply PLAN when you want a smaller plan."),
            "dispute": ("Revisamos su cuenta y le llamamos mañana para aclararlo.",
                        "We're checking your account and will call you tomorrow to sort it "
                        "out."),
            "broken_promise": ("No recibimos el pago en la fecha que nos dio. Responda PAGAR "
                               "cuando pueda, o PLAN para dividirlo.",
                               "We didn't get the payment on the date you gave us. Reply PAY "
                               "when you can, or PLAN to split it."),
        }.get(escalation.reason, ("Gracias, ya lo revisamos. ¿Algo más en que le ayudemos?",
                                  "Thanks, we've looked into it. Anything else we can help "
                                  "with?"))
        with suppress(SendRefused):  # opted out meanwhile: staff just close it
            staff_reply(session, escalation, words[0] if spanish else words[1], self.staff)
        hand_back(session, escalation, note=f"handled by {self.staff.name}", actor=self.staff,
                  force=True)
        session.commit()


def play_history(dealer_id: int, to_number: str, today: date, end: datetime) -> dict:
    """Sixty days up to `today` (the dealer's local date), ending at `end` (naive UTC, the
    real now or today's send time, whichever is later). The clock must be pinned to the
    story's first morning (see `walked_clock`)."""
    rng = random.Random(SEED)
    first = today - timedelta(days=HISTORY_DAYS)
    people = cast(first, rng)
    set_the_scene(dealer_id)
    import_people(dealer_id, people)
    story = Story(dealer_id, to_number, people, rng, end)
    story.play(first, today)
    return {"borrowers": len(people), "days": HISTORY_DAYS}
