"""Solver-side orchestration of the 1+1+N cover and the micro-grids (issue 18)."""
