"""The CP-SAT model of the activity calendar (rules S01-S08), one independent group at a time.

The schedule layer turns a group of pairs into a :class:`~.spec.GroupSpec` (pure data: the
occurrences, their allowed days and costs); this package builds and solves the model:

- :mod:`.variables`: a Boolean per (occurrence, allowed day) and per (pair, visit day);
- :mod:`.occurrences`: S01/S07, each occurrence on exactly one day, a performer's
  occurrences on different days;
- :mod:`.visits`: an occurrence on a day makes that day a visit day of each pair on site
  (S05 joint occurrences are shared by all pairs of the village);
- :mod:`.one_village`: S04, a unit visits at most one village a day;
- :mod:`.spread` and :mod:`.trips`: the soft terms S06 and S08; :mod:`.objective` sums them;
- :mod:`.solve`: parameters, solution and the infeasibility core.

S02 and S03 are in the data: an occurrence's allowed days are already of its day type and
outside holidays and blackouts.
"""

from pairing.cpsat.schedule.solve import diagnose, solve_group
from pairing.cpsat.schedule.spec import GroupResult, GroupSpec, Limits, OccurrenceSpec

__all__ = ["GroupResult", "GroupSpec", "Limits", "OccurrenceSpec", "diagnose", "solve_group"]
