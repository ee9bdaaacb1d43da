"""The objective: minimise S06 (spread) plus S08 (trips), both already weighted and scaled."""

from __future__ import annotations

from ortools.sat.python import cp_model

from pairing.cpsat.schedule.spec import GroupSpec
from pairing.cpsat.schedule.spread import spread_terms
from pairing.cpsat.schedule.trips import trip_terms
from pairing.cpsat.schedule.variables import Variables


def set_objective(model: cp_model.CpModel, spec: GroupSpec, variables: Variables) -> None:
    """Minimise the weighted sum of the soft terms."""
    spread_vars, spread_costs = spread_terms(spec, variables)
    trip_vars, trip_costs = trip_terms(spec, variables)
    chosen = spread_vars + trip_vars
    if chosen:
        model.minimize(cp_model.LinearExpr.weighted_sum(chosen, spread_costs + trip_costs))
