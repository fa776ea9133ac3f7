"""The demo's story: sixty days of a dealer's life, played through the real code paths
(`story.py`), with the borrowers and the dealer's first-day setup of `cast.py`."""

from bot.demo_history.story import HISTORY_DAYS, play_history, walked_clock

__all__ = ["HISTORY_DAYS", "play_history", "walked_clock"]
