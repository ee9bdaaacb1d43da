"""Ready-made rule models (``models/*.toml``): obligations, weights and default settings.

The TOML files ship inside the wheel as ``pairing/_models`` (see pyproject); in a source
checkout they are read from ``models/`` beside the package.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pairing.domain.cells import clean_text
from pairing.domain.model import Obligation
from pairing.domain.schema import DAY_TYPES, HOLIDAY_POLICIES, PERIODS, WHO, find_choice

DEFAULT_MODEL = "wuge-yi"


@dataclass(frozen=True, slots=True)
class RuleModel:
    """A named set of obligations, weights and settings."""

    name: str
    description: str
    settings: dict[str, Any]
    weights: dict[str, float]
    obligations: tuple[Obligation, ...]

    def settings_rows(self) -> list[tuple[str, object]]:
        """Return (key, value) rows for a 参数 sheet: settings first, then weights by rule id."""
        return [*self.settings.items(), *self.weights.items()]


def models_dir() -> Path:
    """Return the folder that holds the rule models (installed or source checkout)."""
    installed = Path(str(resources.files("pairing"))) / "_models"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "models"


def available_models() -> list[str]:
    """Return the names of the rule models shipped with pairing."""
    return sorted(path.stem for path in models_dir().glob("*.toml"))


def load_rule_model(name: str = DEFAULT_MODEL) -> RuleModel:
    """Load ``models/<name>.toml``."""
    path = models_dir() / f"{name}.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    obligations = tuple(_obligation(item) for item in data.get("obligations", []))
    return RuleModel(
        data.get("name", name),
        data.get("description", ""),
        dict(data.get("settings", {})),
        {k: float(v) for k, v in data.get("weights", {}).items()},
        obligations,
    )


def _obligation(item: dict[str, Any]) -> Obligation:
    def pick(choices: Any, key: str, default: str) -> Any:
        choice = find_choice(choices, clean_text(item.get(key, default)))
        if choice is None:
            raise ValueError(
                f"rule model: bad {key} {item.get(key)!r} in obligation {item.get('code')}"
            )
        return choice.value

    return Obligation(
        code=str(item["code"]),
        name=str(item["name"]),
        every=pick(PERIODS, "every", "month"),
        times=int(item.get("times", 1)),
        joint=bool(item.get("joint", False)),
        day_type=pick(DAY_TYPES, "day_type", "any"),
        holiday_policy=pick(HOLIDAY_POLICIES, "holiday_policy", "avoid"),
        who=pick(WHO, "who", "unit"),
    )
