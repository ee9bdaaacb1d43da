"""The pairing rules, re-derived from the plan's rows with the verifier's own code.

Hard rules P01-P05 and their variants (:mod:`~pairing.verify.rules.hard`), the soft terms
P10-P17 (:mod:`~pairing.verify.rules.soft`) and the pair facts they stand on
(:mod:`~pairing.verify.rules.facts`), then the comparison with what the plan claims
(:mod:`~pairing.verify.rules.compare`). None of this is shared with the solver on purpose:
``models/README.md`` is the common source, so two readings of it meet only in the report.
"""
