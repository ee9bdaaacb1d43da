"""``verify_cover``: judge a cover workbook (``pairing cover``) from its data alone."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pairing.domain import cover_schema as cs
from pairing.domain.rules import GRID_RULES, HARD_COVER_RULES, SOFT_COVER_RULES, cover_weights
from pairing.verify.cover import grids as grid_rules
from pairing.verify.cover import teams as team_rules
from pairing.verify.cover.contiguity import contiguity
from pairing.verify.cover.points import compare, recompute
from pairing.verify.cover.reading import column, read_people
from pairing.verify.cover.restated import restated_findings
from pairing.verify.cover.stated import SUMMARY, missing, read_stated
from pairing.verify.cover.summary import summary_findings
from pairing.verify.integrity.provenance import copy_findings, sha_findings
from pairing.verify.integrity.sealed import sealed_findings
from pairing.verify.reading.grids import read_grids
from pairing.verify.reading.inputs import read_inputs
from pairing.verify.reading.tables import match_sheet
from pairing.verify.report.findings import Finding
from pairing.verify.report.render import Report
from pairing.verify.run import ordered

CHECKED = (*HARD_COVER_RULES, *SOFT_COVER_RULES, *GRID_RULES)


def is_cover(path: Path) -> bool:
    """Return whether ``path`` is a cover workbook: it has a 包户 cover sheet (a plan has none).

    Only the sheet names are read (no sheet is parsed). Raises ``InputError`` when the file
    cannot be read (exit 3).
    """
    names: list[str] = []

    def note(name: str) -> bool:
        names.append(name)
        return False

    read_grids(Path(path), note)
    return any(match_sheet(name, (cs.COVER,)) is not None for name in names)


def reworded(finding: Finding) -> Finding:
    """A seal finding as said of a cover workbook: the seal's text speaks of a plan."""
    return replace(
        finding,
        zh=finding.zh.replace("方案", "包户工作簿"),
        en=finding.en.replace("the plan", "the cover workbook"),
    )


def verify_cover(path: Path, input_path: Path | None = None) -> Report:
    """Verify a cover workbook: C01-C05, C10-C14 against its 指标, G01-G06, its seal.

    ``path``: the cover workbook; ``input_path``: the input it was made from, whose people
    sheets are then the ones judged (and its SHA-256 and the copies checked); without it, the
    workbook's own copies.

    Raises ``InputError`` when a file cannot be read or has no 单位 / 村 input sheets.
    """
    path = Path(path)
    grids = read_grids(path)
    source, prefix = (
        (grids, cs.INPUT_PREFIX) if input_path is None else (read_grids(input_path), "")
    )
    data = read_inputs(source, prefix, path if input_path is None else Path(input_path))
    findings: list[Finding] = [*data.findings]
    people = read_people(source, prefix, findings)
    stated = read_stated(grids, findings)
    if stated.placed or stated.grids:  # a cover with rows must hold the people they name
        findings += [missing(title) for title in people.missing]
    settings = data.problem.settings
    resolved = team_rules.resolve(people, stated, findings)
    team_rules.membership(people, stated, resolved, findings)
    team_rules.loads(people, stated, resolved, settings.cover_households_per_team, findings)
    points = recompute(people, stated, resolved, cover_weights(dict(settings.weights)))
    summary = stated.tables["summary"]
    value = None if summary is None else column(summary, SUMMARY, "value")
    mismatches, costs, objective = compare(points, stated.summary, value)
    findings += mismatches
    grid_rules.partition(people, stated, settings.grid_max_households, findings)
    contiguity(people, stated, settings.grid_max_households, findings)
    grid_rules.leaders(people, stated, findings)
    grid_rules.group_heads(people, stated, findings)
    findings += restated_findings(people, stated)
    findings += summary_findings(people, stated, resolved, settings)
    findings += [reworded(f) for f in sealed_findings(grids)]
    if input_path is not None:
        findings += sha_findings(Path(input_path), stated.provenance)
        plan_copy = cs.INPUT_PREFIX + cs.PLAN_PAIRS.title  # from the plan, not the input
        findings += copy_findings(source, {n: g for n, g in grids.items() if n != plan_copy})
    return Report(
        path.name,
        "包户工作簿内副本 the cover's copies" if input_path is None else str(input_path),
        CHECKED,
        ordered(findings, CHECKED),
        tuple(costs),
        sum(points.values()),
        objective,
        None,
    )
