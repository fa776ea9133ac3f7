"""Is this message an unmistakable "yes"?

A YES moves money, so the bot only acts on one that is clearly a yes: either
the classifier is confident, or the text holds a yes word. Gibberish that the
classifier happens to call `affirm` ("sdfsdf", "ok google"?) gets asked again.
"""

from __future__ import annotations

import re

from bot.nlu.text import fold

# Folded (lower-case, no accents) yes words and phrases, English and Spanish.
_YES = re.compile(
    r"(?:^|\b)(?:y|ye+s+|yeah?|yep|yup|ya|ok(?:ay)?|k|sure|confirm(?:ed)?|correct|right|"
    r"do it|go ahead|sounds good|please do|si+|claro|dale|confirmo|de acuerdo|esta bien|"
    r"va|orale|andale|por supuesto)(?:\b|$)"
)
_YES_EMOJI = ("👍", "✅", "👌", "✔")
CONFIDENT = 0.8


def is_clear_yes(text: str, confidence: float) -> bool:
    """True when an `affirm` is safe to act on."""
    if confidence >= CONFIDENT:
        return True
    return bool(_YES.search(fold(text))) or any(mark in text for mark in _YES_EMOJI)
