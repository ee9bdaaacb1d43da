"""The soft-rule families on the solver side: one module per family, one home per rule.

Each family module owns its rule ids (``RULES``), its scalar cost of one team (and whom the
account charges it to), its batch NumPy form over arrays of teams (pricing), its CP-SAT
encoding on the pair variables (``add``) and, for a rule with a hard variant, the guarded
encoding the diagnosis uses (``add_guarded``). The solve layer maps a workbook to the numbers
these take (:mod:`pairing.solve.instance`); the account (:mod:`pairing.solve.terms`), the team
cost (:mod:`pairing.solve.teams`), pricing (:mod:`pairing.solve.pricing`) and both models call
them. To add a soft rule: add its module here, list it in ``FAMILIES`` (and ``GUARDED`` when it has
a hard variant), and map its numbers in the solve layer. ``pairing verify`` re-derives every rule on its own and never imports these.
"""

from __future__ import annotations

from pairing.cpsat.pairing.rules import linear, needs, strength, systems, towns

# In the order the pair model adds them (variables are created in this order).
FAMILIES = (linear, needs, systems, strength, towns)
GUARDED = (needs, systems, strength)  # the families with a hard variant the diagnosis guards


def rule_ids() -> tuple[str, ...]:
    """Every soft rule id the solver's families own, in catalogue order."""
    return tuple(sorted(rule for family in FAMILIES for rule in family.RULES))
