"""Choosing a reminder's wording by Thompson sampling (the arithmetic, no database).

Each variant of an experiment is an arm with a Beta posterior over its rate of
"paid within 3 days of the reminder": Beta(1 + paid, 1 + not paid) over the
reminders whose 3 days are over (a uniform prior). For each reminder we draw
one plausible rate per variant from its posterior and send the variant whose
draw is highest, so a variant gets reminders in proportion to the chance that
it is the best one: the better a variant looks, the more it is used, while a
variant that is merely unlucky so far keeps a real chance.

Two guards for a dealer, not for the textbook:

- a *floor*: while a variant has fewer than THIN_EVIDENCE settled reminders,
  it keeps at least `min_share` of the reminders, so an early run of bad luck
  cannot starve it before it has been given a fair hearing;
- an *equal split*: a dealer who wants a plain A/B test switches the
  experiment to a fixed equal share per variant.

Randomness comes from a numpy Generator the caller passes in, so a run can be
repeated exactly (tests, and reproducing a production assignment).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import beta as beta_distribution

THOMPSON = "thompson"
EQUAL = "equal"
# A variant with fewer settled reminders than this is "thin": it keeps its floor.
THIN_EVIDENCE = 100
# Draws for the Monte Carlo estimate of each variant's probability of being best.
DRAWS = 20_000
INTERVAL = 0.90


@dataclass(frozen=True)
class Arm:
    """What one variant has shown so far: settled reminders paid within 3 days, or not."""

    paid: int
    unpaid: int

    @property
    def settled(self) -> int:
        """Reminders whose 3 days are over."""
        return self.paid + self.unpaid

    @property
    def alpha(self) -> float:
        """The Beta posterior's first parameter (uniform prior)."""
        return 1.0 + self.paid

    @property
    def beta(self) -> float:
        """The Beta posterior's second parameter (uniform prior)."""
        return 1.0 + self.unpaid

    def mean(self) -> float:
        """The posterior mean of the paid-within-3-days rate."""
        return self.alpha / (self.alpha + self.beta)

    def interval(self, level: float = INTERVAL) -> tuple[float, float]:
        """The central credible interval (default 90 %) of the rate."""
        tail = (1.0 - level) / 2
        low, high = beta_distribution.ppf([tail, 1.0 - tail], self.alpha, self.beta)
        return float(low), float(high)


def probability_best(arms: Sequence[Arm], rng: np.random.Generator,
                     draws: int = DRAWS) -> list[float]:
    """For each arm, the probability that its true rate is the highest (Monte Carlo)."""
    if not arms:
        return []
    samples = np.column_stack([rng.beta(arm.alpha, arm.beta, size=draws) for arm in arms])
    wins = np.bincount(samples.argmax(axis=1), minlength=len(arms))
    return [float(n) / draws for n in wins]


def floors(arms: Sequence[Arm], min_share: float) -> list[float]:
    """The share each arm is guaranteed: `min_share` while its evidence is thin, else 0.

    Capped so that the floors never add up to more than everything.
    """
    if not arms:
        return []
    share = min(max(min_share, 0.0), 1.0 / len(arms))
    return [share if arm.settled < THIN_EVIDENCE else 0.0 for arm in arms]


def expected_shares(arms: Sequence[Arm], mode: str, min_share: float,
                    rng: np.random.Generator) -> list[float]:
    """The share of reminders each arm can expect under `mode` (what the dashboard shows)."""
    if not arms:
        return []
    if mode == EQUAL:
        return [1.0 / len(arms)] * len(arms)
    guaranteed = floors(arms, min_share)
    rest = 1.0 - sum(guaranteed)
    return [floor + rest * best
            for floor, best in zip(guaranteed, probability_best(arms, rng), strict=True)]


def thompson_choice(arms: Sequence[Arm], min_share: float, rng: np.random.Generator) -> int:
    """One reminder's arm: a thin arm's floor first, else the highest posterior draw."""
    guaranteed = floors(arms, min_share)
    coin = rng.random()
    for index, floor in enumerate(guaranteed):
        if coin < floor:
            return index
        coin -= floor
    draws = [rng.beta(arm.alpha, arm.beta) for arm in arms]
    return int(np.argmax(draws))


def assign(arms: Sequence[Arm], count: int, mode: str, min_share: float,
           rng: np.random.Generator, already: Sequence[int] = ()) -> list[int]:
    """Arms for `count` reminders of one wave.

    Thompson mode draws for each reminder; equal mode deals them out in turn,
    starting from the arms that have been sent the fewest so far (`already`:
    reminders each arm carried before), so the split stays exactly even.
    """
    if not arms or count <= 0:
        return []
    if mode == EQUAL:
        sent = list(already) if len(already) == len(arms) else [0] * len(arms)
        chosen = []
        for _ in range(count):
            index = min(range(len(arms)), key=lambda i: (sent[i], i))
            sent[index] += 1
            chosen.append(index)
        return chosen
    return [thompson_choice(arms, min_share, rng) for _ in range(count)]
