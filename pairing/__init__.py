"""pairing: pair county units with key villages (结对共建) and plan the work they owe each other.

Data flows one way: a workbook is read into a :class:`~pairing.domain.Problem`, solved into a
:class:`~pairing.domain.Plan`, scheduled into dated events, written out, and verified by a
checker that shares no code with the model.
"""

__version__ = "0.1.0"
