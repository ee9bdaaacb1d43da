"""The plan's own check of its hard rules (the 校验 sheet). The independent verifier is
``pairing verify``; this is the solver's statement of what it guarantees."""

from __future__ import annotations

from collections import Counter

from pairing.domain.model import Problem
from pairing.domain.pairs import PairFacts
from pairing.domain.plan import Plan


def hard_checks(problem: Problem, plan: Plan) -> list[tuple[str, str, str]]:
    """Return (rule id, 通过 pass / 违反 fail, detail) for P01-P05 and hard variants."""
    facts = PairFacts(problem)
    pairs = {
        (problem.unit_index[p.unit_id], problem.village_index[p.village_id]) for p in plan.pairs
    }
    per_village = Counter(v for _, v in pairs)
    per_unit = Counter(u for u, _ in pairs)
    results = {
        "P01": [v.id for i, v in enumerate(problem.villages) if per_village[i] != v.units_required],
        "P02": [
            u.id
            for i, u in enumerate(problem.units)
            if not u.min_villages <= per_unit[i] <= u.max_villages
        ],
        "P03": [f"{r.unit_id}-{r.village_id}" for p, r in facts.must.items() if p not in pairs],
        "P04": [f"{r.unit_id}-{r.village_id}" for p, r in facts.forbid.items() if p in pairs],
        "P05": [
            f"{x.unit_id}-{x.village_id}" for p, x in facts.tenure_blocked.items() if p in pairs
        ],
    }
    out = []
    for rule, failures in results.items():
        if rule == "P05" and problem.settings.max_tenure_years is None:
            out.append((rule, "未启用 off", "max_tenure_years 未设置 / not set"))
            continue
        verdict = "通过 pass" if not failures else f"违反 fail ×{len(failures)}"
        out.append((rule, verdict, "、".join(failures[:20])))
    return out
