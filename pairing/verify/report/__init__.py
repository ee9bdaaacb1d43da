"""What the verifier found and how it is told: findings, costs, the text and JSON report."""

from __future__ import annotations

from pairing.verify.report.render import Report, as_json, render

__all__ = ["Report", "as_json", "render"]
