"""The cover workbook's auditor: ``pairing verify COVER.xlsx`` re-derives every C and G rule
of models/COVER.md from the workbook's rows and its input copies, with code of its own.

:mod:`~pairing.verify.cover.reading` reads the people copies (农户, 队员, 村党员, 村民小组),
:mod:`~pairing.verify.cover.stated` what the cover states (包户, 结对小组, 网格, 责任清单,
指标, and the plan's pairs it copied), :mod:`~pairing.verify.cover.teams` judges C01-C05,
:mod:`~pairing.verify.cover.points` recomputes C10-C14 against 指标,
:mod:`~pairing.verify.cover.grids` judges G01-G05, :mod:`~pairing.verify.cover.contiguity` G06; the seal (``EDT``), the report and its
rendering are the plan verifier's. Nothing of :mod:`pairing.cover` or :mod:`pairing.io` is
imported (import-linter keeps it so).
"""

from __future__ import annotations

from pairing.verify.cover.run import is_cover, verify_cover

__all__ = ["is_cover", "verify_cover"]
