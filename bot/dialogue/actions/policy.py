"""Questions about the dealer's payment policy, answered in the dealer's own words."""

from __future__ import annotations

from bot.dialogue.actions.base import BorrowerAction
from bot.dialogue.context import Turn
from bot.nlu.policy_topics import find_policy_topic
from bot.sms_templates.policy import BY_NAME, TOPICS, policy_answers


def _listing(labels: list[str], language: str) -> str:
    """"a, b and c" / "a, b y c"."""
    if len(labels) <= 1:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} {'y' if language == 'es' else 'and'} {labels[-1]}"


class ActionAskPolicy(BorrowerAction):
    """ "what's the late fee" / "do you report to the credit bureau" / "¿hay período de
    gracia?": the dealer's answer as the dealer wrote it, or plainly none and a person."""

    NAME = "action_ask_policy"

    def respond(self, turn: Turn) -> None:
        """Answer the topic asked about; without a topic, say what can be asked."""
        answers = policy_answers(turn.session, turn.dealer)
        topic = find_policy_topic(turn.text)
        if topic is None:
            known = [t.label(turn.language) for t in TOPICS
                     if (t.name, turn.language) in answers]
            if known:
                turn.say("policy_which", topics=_listing(known, turn.language))
            else:
                turn.say("policy_nothing_set", dealer=turn.dealer.name)
            return
        answer = answers.get((topic, turn.language))
        if answer:
            turn.replies.append(answer)
        else:
            turn.say("policy_not_set", dealer=turn.dealer.name,
                     topic=BY_NAME[topic].label(turn.language))
