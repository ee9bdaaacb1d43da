"""Ready-made example inputs, generated deterministically (``pairing example NAME OUT``).

``EXAMPLES`` maps an example's name to the function that writes it; the CLI offers exactly
these names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from pairing.examples.gaozhou import DEFAULT_SEED, GaozhouExample, write_example

EXAMPLES: Mapping[str, Callable[[Path, int], GaozhouExample]] = {"gaozhou": write_example}

__all__ = ["DEFAULT_SEED", "EXAMPLES", "GaozhouExample"]
