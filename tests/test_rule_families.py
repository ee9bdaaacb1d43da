"""Each soft-rule family costs a team the same way in all its forms, and every rule is traced.

For seeded random plans on small synthetic counties: the NumPy batch cost of each one- and
two-place team equals the scalar team cost, and each family's CP-SAT encoding on the pair
variables, with the plan's pairs fixed, costs exactly what the account charges (whose village
terms are the families' scalar forms). Then: the rule ids of models/README.md, of
``pairing.domain.rules``, of the solver's families and of the verifier's checks are the same.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from ortools.sat.python import cp_model

from pairing.cpsat.pairing import hard
from pairing.cpsat.pairing.data import PairingData, Team
from pairing.cpsat.pairing.rules import FAMILIES, linear, needs, rule_ids, strength, systems, towns
from pairing.cpsat.pairing.variables import PairingVars, make_variables
from pairing.domain.model import Problem
from pairing.domain.pairs import Pair, PairFacts
from pairing.domain.rules import RULES
from pairing.examples.synthetic import synthetic_county
from pairing.solve.candidates import CandidateDraws
from pairing.solve.instance import Coefficients, build_data
from pairing.solve.pricing import TeamSpace
from pairing.solve.teams import team_cost
from pairing.solve.terms import evaluate, village_terms

ROOT = Path(__file__).resolve().parents[1]
HARD_VARIANTS: tuple[dict[str, object], ...] = (
    {},
    {"needs_hard": True},
    {"systems_hard": True},
    {"min_strength": 1.1},
)


def _county(
    seed: int, settings: dict[str, object] | None = None, villages: int = 14
) -> tuple[Problem, list[Pair], Coefficients]:
    problem = synthetic_county(villages, seed, **(settings or {}))  # type: ignore[arg-type]
    candidates, _ = CandidateDraws(problem).draw()
    return problem, sorted(candidates), Coefficients(PairFacts(problem))


def _edge_costs(coefficients: Coefficients, candidates: list[Pair]) -> dict[Pair, int]:
    return {pair: coefficients.edge_cost(pair) for pair in candidates}


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("variant", HARD_VARIANTS)
def test_batch_team_cost_is_the_scalar_cost(seed: int, variant: dict[str, object]) -> None:
    """Every team NumPy prices costs what ``team_cost`` says; every team it leaves out of a
    one- or two-place village breaks a hard variant."""
    problem, candidates, coefficients = _county(seed, variant)
    space = TeamSpace(problem, candidates, coefficients)
    edge_cost = _edge_costs(coefficients, candidates)
    priced = list(space.teams_below(space.zero_prices(), np.inf))
    assert priced
    for team in priced:
        assert team_cost(problem, team.village, team.units, edge_cost) == team.cost
    seen = {(t.village, t.units) for t in priced}
    rng = random.Random(seed)
    for v, free in enumerate(space.layout.free.tolist()):
        others = [int(u) for u in space.layout.units[v] if u >= 0]
        if free not in (1, 2) or len(others) < free:
            continue
        units = tuple(sorted((*space.layout.must[v], *rng.sample(others, free))))
        scalar = team_cost(problem, v, units, edge_cost)
        assert (scalar is not None) == ((v, units) in seen)


def _random_plan(problem: Problem, candidates: list[Pair], rng: random.Random) -> set[Pair]:
    """One random team of candidates per village (the hard rules are not asked for)."""
    by_village: dict[int, list[int]] = {}
    for u, v in candidates:
        by_village.setdefault(v, []).append(u)
    chosen: set[Pair] = set()
    for v, village in enumerate(problem.villages):
        units = by_village.get(v, [])
        for u in rng.sample(units, min(len(units), village.units_required)):
            chosen.add((u, v))
    return chosen


def _pair_model_cost(
    data: PairingData, chosen: set[Pair], add: Callable[[PairingVars], object], key: str
) -> int:
    """The CP-SAT pair model's ``key`` terms with ``chosen`` fixed: one family alone."""
    v = make_variables(data)
    add(v)
    for e, edge in enumerate(data.edges):
        v.model.add(v.pair[e] == int((edge.unit, edge.village) in chosen))
    v.model.minimize(sum(v.terms[key]))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(v.model) == cp_model.OPTIMAL
    return round(solver.objective_value)


@pytest.mark.parametrize("seed", range(4))
def test_account_scalar_and_pair_model_agree(seed: int) -> None:
    """For each family, the account's total = Σ scalar team costs = the pair model's terms."""
    problem, candidates, coefficients = _county(seed)
    data = build_data(problem, candidates, coefficients=coefficients)
    rng = random.Random(seed)
    for _ in range(3):
        chosen = _random_plan(problem, candidates, rng)
        totals = evaluate(problem, chosen).totals()
        members: dict[int, list[int]] = {}
        for u, v in chosen:
            members.setdefault(v, []).append(u)
        scalar = {
            rule: sum(village_terms(problem, v, members.get(v, []))[rule] for v in members)
            for rule in ("P10", "P11", "P12")
        }
        for rule in ("P10", "P11", "P12"):
            assert scalar[rule] == totals.get(rule, 0)
        need_model = _pair_model_cost(data, chosen, needs.add, "P10")
        assert need_model + sum(n.cost for n in data.needs) == totals.get("P10", 0)
        assert _pair_model_cost(data, chosen, systems.add, "P11") == totals.get("P11", 0)
        assert _pair_model_cost(data, chosen, strength.add, "P12") == totals.get("P12", 0)
        separable = sum(totals.get(rule, 0) for rule in linear.RULES)
        pairs = _pair_model_cost(data, chosen, linear.add, "pairs") + data.constant
        assert pairs == separable
        assert pairs - data.constant == linear.team_cost(
            coefficients.edge_cost(pair) for pair in chosen
        )
        used = towns.used_towns(
            chosen, lambda u: problem.units[u].max_villages, lambda v: problem.villages[v].town
        )
        assert towns.extra_cost(used, data.town_cost) == totals.get("P15", 0)
        assert _pair_model_cost(data, chosen, towns.add, "P15") == totals.get("P15", 0)


def test_town_links_and_choice_price_a_plan_at_most_its_cost() -> None:
    """P15's LP rows hold every multi-village unit with candidates in two towns, and the
    units' own town choice at zero prices costs nothing (the bound never exceeds a plan)."""
    problem, candidates, coefficients = _county(1, villages=40)
    links = TeamSpace(problem, candidates, coefficients).town_links()
    multi = {u for u, _ in links.pairs}
    assert multi and all(problem.units[u].max_villages >= towns.MULTI for u in multi)
    value, used = towns.TownChoice(links).choose(np.zeros(len(links.pairs)))
    assert value == 0.0 and not used.any()


def test_guarded_hard_variants_admit_what_the_scalar_forms_allow() -> None:
    """The diagnosis' guarded P10/P11/P12 encodings, all literals on, accept a fixed plan
    exactly when every village's team is allowed by the families' scalar tests."""
    problem, candidates, coefficients = _county(2, {"needs_hard": True, "min_strength": 1.1})
    data = build_data(problem, candidates, coefficients=coefficients)
    rng = random.Random(2)
    verdicts = set()
    for _ in range(6):
        chosen = _random_plan(problem, candidates, rng)
        allowed = all(
            team_cost(problem, t.village, t.units, _edge_costs(coefficients, candidates))
            is not None
            for t in _teams(chosen)
        )
        assert _guarded_feasible(data, chosen) == allowed
        verdicts.add(allowed)
    assert False in verdicts


def _guarded_feasible(data: PairingData, chosen: set[Pair]) -> bool:
    """Whether the guarded hard variants hold, every literal on, with ``chosen`` fixed."""
    v = make_variables(data)
    literals: list[cp_model.IntVar] = []

    def guard(tag: tuple[str, int]) -> cp_model.IntVar:
        literals.append(v.model.new_bool_var(f"{tag[0]}_{tag[1]}"))
        return literals[-1]

    for family in (needs, systems, strength):
        family.add_guarded(v, guard)
    for e, edge in enumerate(data.edges):
        v.model.add(v.pair[e] == int((edge.unit, edge.village) in chosen))
    for literal in literals:
        v.model.add(literal == 1)
    return bool(cp_model.CpSolver().solve(v.model) == cp_model.OPTIMAL)


def _teams(chosen: set[Pair]) -> list[Team]:
    members: dict[int, list[int]] = {}
    for u, v in chosen:
        members.setdefault(v, []).append(u)
    return [Team(v, tuple(sorted(units)), 0) for v, units in sorted(members.items())]


# --- traceability ----------------------------------------------------------------------------


def _readme_ids(section: str) -> set[str]:
    text = (ROOT / "models" / "README.md").read_text(encoding="utf-8")
    table = text.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| (P\d\d) \|", table, flags=re.MULTILINE))


def _verify_ids() -> set[str]:
    """Every P-rule id the verifier's own code names (it never imports the solver)."""
    found: set[str] = set()
    for path in (ROOT / "pairing" / "verify").rglob("*.py"):
        found |= set(re.findall(r"\"(P\d\d)\"", path.read_text(encoding="utf-8")))
    return found


def test_every_rule_has_one_id_everywhere() -> None:
    """models/README.md = domain.rules = the solver's families (soft) and hard encodings =
    the ids verify checks."""
    catalogue = {r.id for r in RULES if r.id.startswith("P")}
    soft = {r.id for r in RULES if r.id.startswith("P") and r.kind == "soft"}
    hard_ids = catalogue - soft
    assert _readme_ids("Soft rules") == soft
    assert _readme_ids("Hard rules") == hard_ids
    assert set(rule_ids()) == soft
    assert len(rule_ids()) == sum(len(family.RULES) for family in FAMILIES)  # one home each
    assert set(hard.RULES) | set(hard.EXCLUDED) == hard_ids
    assert _verify_ids() == catalogue
