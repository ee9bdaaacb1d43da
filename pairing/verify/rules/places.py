"""Where to point an auditor for a village or a unit: its view row, else its input row."""

from __future__ import annotations

from dataclasses import dataclass

from pairing.verify.reading.inputs import InputData
from pairing.verify.reading.plan_sheets import PlanSheets


@dataclass(frozen=True, slots=True)
class Places:
    """Sheet and row of each village and unit, for findings about them."""

    data: InputData
    sheets: PlanSheets

    def village(self, village_id: str) -> tuple[str, int | None]:
        """Return where village ``village_id`` is shown.

        ``village_id``: a known village id.

        Returns ``(sheet, row)``: its 村视图 row, else its row in the input's 村 sheet.
        """
        view = self.sheets.villages
        if view is not None and village_id in view:
            return self.sheets.village_sheet, view[village_id].row
        return self.data.sheet("villages"), self.data.problem.village(village_id).row

    def unit(self, unit_id: str) -> tuple[str, int | None]:
        """Return where unit ``unit_id`` is shown.

        ``unit_id``: a known unit id.

        Returns ``(sheet, row)``: its 单位视图 row, else its row in the input's 单位 sheet.
        """
        view = self.sheets.units
        if view is not None and unit_id in view:
            return self.sheets.unit_sheet, view[unit_id].row
        return self.data.sheet("units"), self.data.problem.unit(unit_id).row
