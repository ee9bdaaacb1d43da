"""Province scale: split an input into parts, solve them side by side, merge one plan.

``pairing solve IN --partition-by 县`` (a column on both the units and villages sheets) or
``--partition-by auto`` (the connected components of the candidate graph) solves each part
as its own sub-problem, on a Dask cluster (local processes by default, or ``--scheduler
tcp://HOST:8786``) or, without Dask, in a process pool, and writes one plan workbook that
``pairing verify`` reads like any other. Modules:

* :mod:`~pairing.province.parts`: parts and their sub-problems;
* :mod:`~pairing.province.columns`, :mod:`~pairing.province.components`: the two partitions;
* :mod:`~pairing.province.engine`: where and how the parts run;
* :mod:`~pairing.province.merge`: one plan (and schedule) from the parts';
* :mod:`~pairing.province.run`: the whole partitioned solve;
* :mod:`~pairing.province.workbook`: the merged plan workbook with its 分区 parts sheet.
"""

from __future__ import annotations

from pairing.province.engine import Cluster, PartResult, PartSettings, dask_installed
from pairing.province.parts import Part
from pairing.province.run import AUTO, PartitionedRun, PartsFailed, partition, solve_partitioned
from pairing.province.workbook import write_partitioned_plan

__all__ = [
    "AUTO",
    "Cluster",
    "Part",
    "PartResult",
    "PartSettings",
    "PartitionedRun",
    "PartsFailed",
    "dask_installed",
    "partition",
    "solve_partitioned",
    "write_partitioned_plan",
]
