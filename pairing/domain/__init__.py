"""The domain layer: pure data and pure functions, no pandas, openpyxl or ortools."""

from pairing.domain.errors import InfeasibleError, InputError, Issue, PairingError
from pairing.domain.model import (
    Blackout,
    HolidayOverride,
    LedgerRow,
    Member,
    Obligation,
    PairRule,
    PastPairing,
    Problem,
    Score,
    Settings,
    Unit,
    Village,
)

__all__ = [
    "Blackout",
    "HolidayOverride",
    "InfeasibleError",
    "InputError",
    "Issue",
    "LedgerRow",
    "Member",
    "Obligation",
    "PairRule",
    "PairingError",
    "PastPairing",
    "Problem",
    "Score",
    "Settings",
    "Unit",
    "Village",
]
