"""The dealer's payment policy in its own words: a short answer per topic and language.

Credit-management practice is to restate the policy often — when payments are
due, what paying late costs, what paying on time earns — and borrowers ask
exactly that by text. The bot answers from what the dealer wrote here, word
for word; a topic the dealer left empty gets a plain "we have no answer here"
and the offer of a person (bot/dialogue/actions/policy.py). The on-time
reward can also go into the welcome text (template variable `on_time_reward`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import Dealer, PolicyAnswer

LANGUAGES = ("en", "es")
# Two GSM-7 segments: an answer is one text, not a letter.
MAX_ANSWER = 306


@dataclass(frozen=True)
class Topic:
    """A policy topic and how it is named to dealers and borrowers."""

    name: str
    label_en: str
    label_es: str
    example: str  # what a dealer might write (a placeholder in the settings page)

    def label(self, language: str) -> str:
        """The topic's name in a language ("the late fee" / "el cargo por atraso")."""
        return self.label_es if language == "es" else self.label_en


TOPICS: tuple[Topic, ...] = (
    Topic("due_and_grace", "the due date and grace period",
          "la fecha de pago y el período de gracia",
          "Payments are due on the 1st. You have a 5-day grace period."),
    Topic("late_fee", "the late fee", "el cargo por pago tardío",
          "A $25 late fee is added when a payment is more than 5 days late."),
    Topic("on_time_reward", "a reward for paying on time", "un premio por pagar a tiempo",
          "Pay on time 6 months in a row and we take $50 off your next payment."),
    Topic("credit_reporting", "credit reporting", "el reporte al buró de crédito",
          "We report your payments to Experian and Equifax every month."),
    Topic("ways_to_pay", "the ways to pay", "las formas de pago",
          "Reply PAY to use your card on file, or pay cash or card at our office."),
    Topic("hours", "our hours", "nuestro horario",
          "We're open Mon-Fri 9-6 and Sat 10-2."),
)
BY_NAME = {topic.name: topic for topic in TOPICS}


class PolicyError(ValueError):
    """An answer that cannot be saved: `field` names the input, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def field_name(topic: str, language: str) -> str:
    """The form field (and API key) of one answer: "late_fee_en"."""
    return f"{topic}_{language}"


def policy_answers(session: Session, dealer: Dealer) -> dict[tuple[str, str], str]:
    """Every answer the dealer wrote: {(topic, language): text}."""
    rows = session.execute(select(PolicyAnswer).where(PolicyAnswer.dealer_id == dealer.id))
    return {(row.topic, row.language): row.answer for row in rows.scalars()}


def policy_answer(session: Session, dealer: Dealer, topic: str, language: str) -> str | None:
    """The dealer's answer on a topic in a language, or None if it wrote none."""
    return session.execute(
        select(PolicyAnswer.answer).where(PolicyAnswer.dealer_id == dealer.id,
                                          PolicyAnswer.topic == topic,
                                          PolicyAnswer.language == language)
    ).scalar_one_or_none()


def clean_answers(values: Mapping[str, object]) -> dict[tuple[str, str], str]:
    """Read {field_name: text} into {(topic, language): text} (empty: no answer);
    PolicyError names the first field that is too long or not text."""
    cleaned = {}
    for topic in TOPICS:
        for language in LANGUAGES:
            name = field_name(topic.name, language)
            raw = values.get(name, "")
            if raw is None:
                raw = ""
            if not isinstance(raw, str):
                raise PolicyError(name, "must be text")
            text = " ".join(raw.split())
            if len(text) > MAX_ANSWER:
                raise PolicyError(name, f"keep it to {MAX_ANSWER} characters (two texts); "
                                        f"this one has {len(text)}")
            cleaned[(topic.name, language)] = text
    return cleaned


def save_answers(session: Session, dealer: Dealer,
                 answers: Mapping[tuple[str, str], str]) -> list[str]:
    """Store the answers (an empty one removes the topic); the fields that changed."""
    stored = {(row.topic, row.language): row for row in session.execute(
        select(PolicyAnswer).where(PolicyAnswer.dealer_id == dealer.id)).scalars()}
    changed = []
    for (topic, language), text in answers.items():
        row = stored.get((topic, language))
        if row is not None and not text:
            session.delete(row)
        elif row is None and text:
            session.add(PolicyAnswer(dealer_id=dealer.id, topic=topic, language=language,
                                     answer=text))
        elif row is not None and row.answer != text:
            row.answer = text
        else:
            continue
        changed.append(field_name(topic, language))
    session.flush()
    return changed
