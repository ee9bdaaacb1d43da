"""The CP-SAT layer: the only place that imports ortools."""
