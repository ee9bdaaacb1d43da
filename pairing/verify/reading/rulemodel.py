"""The default obligations (``models/wuge-yi.toml``) for a plan whose input has no 活动要求.

The reader falls back to this rule model when the 活动要求 sheet is absent, so the verifier
must too. The TOML ships inside the wheel as ``pairing/_models``; in a source checkout it is
read from ``models/`` beside the package. Read here with :mod:`tomllib`, on purpose without
the input layer's loader.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pairing.domain.cells import clean_text
from pairing.domain.model import DayType, HolidayPolicy, Obligation, Period, Who
from pairing.domain.schema import DAY_TYPES, HOLIDAY_POLICIES, PERIODS, WHO, Choice, find_choice

DEFAULT_MODEL = "wuge-yi"


def models_dir() -> Path:
    """Return the folder that holds the rule models (installed, else the source checkout).

    Returns ``pairing/_models`` when installed from a wheel, else ``models/`` of the checkout.
    """
    installed = Path(str(resources.files("pairing"))) / "_models"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[3] / "models"


def default_obligations(name: str = DEFAULT_MODEL) -> tuple[Obligation, ...]:
    """Return the obligations of rule model ``name``.

    ``name``: the model's file stem.

    Returns its obligations, in file order.
    """
    data = tomllib.loads((models_dir() / f"{name}.toml").read_text(encoding="utf-8"))
    return tuple(_obligation(item) for item in data.get("obligations", []))


def _pick(choices: tuple[Choice, ...], item: dict[str, Any], key: str, default: str) -> Any:
    found = find_choice(choices, clean_text(item.get(key, default)))
    if found is None:
        raise ValueError(f"rule model: bad {key} {item.get(key)!r} in {item.get('code')}")
    return found.value


def _obligation(item: dict[str, Any]) -> Obligation:
    every: Period = _pick(PERIODS, item, "every", "month")
    day_type: DayType = _pick(DAY_TYPES, item, "day_type", "any")
    policy: HolidayPolicy = _pick(HOLIDAY_POLICIES, item, "holiday_policy", "avoid")
    who: Who = _pick(WHO, item, "who", "unit")
    return Obligation(
        str(item["code"]),
        str(item["name"]),
        every,
        int(item.get("times", 1)),
        bool(item.get("joint", False)),
        day_type,
        policy,
        who,
    )
