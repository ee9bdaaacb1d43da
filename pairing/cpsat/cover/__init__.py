"""Engines of the 包户 cover (issue 18): min-cost flow per village."""
