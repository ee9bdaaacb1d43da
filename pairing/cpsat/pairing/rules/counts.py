"""What P10 and P11 share: a count per team (missing needs, repeated systems) that costs a
weight each, or, under the rule's hard variant, must be zero."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def cost(count: int, per: int) -> int:
    """The team's cost units: ``per`` each (``per`` is 0 under the hard variant)."""
    return count * per


def allowed(count: int, hard: bool) -> bool:
    """Whether the hard variant (when ``hard``) lets a team with this count be chosen."""
    return not hard or count == 0


def allowed_batch(counts: NDArray[np.int64], hard: bool) -> NDArray[np.bool_]:
    """:func:`allowed` for an array of teams."""
    return np.asarray(counts == 0) if hard else np.ones(counts.shape, dtype=bool)
