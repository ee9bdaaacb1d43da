"""Send problems and plans between processes as they are: frozen dataclasses, pickled.

The domain's records hold read-only mappings (``MappingProxyType``: a problem's id indices,
the settings' weights, a plan's totals), which the standard pickler refuses. Dask pickles with
cloudpickle when the standard pickler fails, and cloudpickle copies such a mapping. The
process pool of :mod:`concurrent.futures` pickles with multiprocessing's ``ForkingPickler``:
:func:`enable` teaches it the same copy, in the parent and (as the pool's initializer) in
every worker, which pickles the results back. Nothing else about pickling changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from multiprocessing.reduction import ForkingPickler
from types import MappingProxyType
from typing import Any


def read_only(items: dict[Any, Any]) -> Mapping[Any, Any]:
    """Return a read-only view of ``items`` (how an unpickled mapping is rebuilt)."""
    return MappingProxyType(items)


def _reduce(mapping: MappingProxyType[Any, Any]) -> tuple[Any, tuple[dict[Any, Any]]]:
    """Pickle a read-only mapping as a copy of its items, rebuilt by :func:`read_only`."""
    return read_only, (dict(mapping),)


def enable() -> None:
    """Let multiprocessing pickle read-only mappings (idempotent)."""
    ForkingPickler.register(MappingProxyType, _reduce)
