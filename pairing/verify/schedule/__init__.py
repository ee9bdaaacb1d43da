"""The schedule's rules, re-derived from the 活动日程 sheet: integrity, then S01-S05 and S07.

The working calendar, the periods an obligation owes, the counts and the day rules are the
verifier's own; the scheduler's code (:mod:`pairing.schedule`) is never imported.
"""
