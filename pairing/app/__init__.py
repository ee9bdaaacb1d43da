"""The application layer: jobs that a command, a province part or a test calls.

A job takes plain options (frozen dataclasses) and returns data (frozen dataclasses); it
composes the workflow (read, solve, check, schedule, write, calendars) once, so that a
command only parses its options, calls one job, renders the result and maps the exit code.
What a job has to say while it runs (a missed gap, a waived period, provisional dates) it
hands to a :data:`~pairing.app.notices.Listener` as data; the command renders it, in the
order it happens, so the console reads as before.

Where the layer sits (``pyproject.toml``'s import-linter layers): ``cli -> examples ->
province -> app -> solve | schedule -> ...``. Below ``province``, because each province part
runs :func:`pairing.app.county.solve_county`, the same per-county job as a plain solve (one
composition, not two); so the partitioned solve itself is province's job
(:func:`pairing.province.run.solve_and_write`). Below ``examples``, because the example
ledger reads its plan as the auditor does (:func:`pairing.app.audit.load_audit_plan`). Above
``solve`` and ``schedule``, which it composes; ``verify`` and ``audit`` stay independent of
the solver and are only called from here.

This package's ``__init__`` imports nothing: ``pairing --help`` loads
:mod:`pairing.app.interrupted` and must not pay for the solver.
"""
