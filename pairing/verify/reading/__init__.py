"""How the verifier reads: workbook grids, contract tables, row cells, the input's records, the
plan's own sheets and its schedule sheet.

Finding sheets and headers is shared with the input reader (:mod:`pairing.sheets`), and the
plan's layout with its writer (:mod:`pairing.domain.plan_schema`): where a cell is, not what it
means. Turning cells into records is the verifier's own, so a misread in :mod:`pairing.io`
shows up as a disagreement.
"""
