"""Small provinces for the partitioned-solve tests: three or four tiny counties, far apart."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pairing.examples.province import ProvinceExample, generate, write
from pairing.io.reader import Input, read_input

SIZES = (6, 8, 5)  # villages per county: every part proves optimality in well under a second
MAX_KM = 100.0  # counties lie ~250 km apart, their villages within ~60 km road of their units
SEED = 7


@pytest.fixture(scope="session")
def province() -> ProvinceExample:
    """Three tiny counties with a 100 km limit (so the counties are the graph's components)."""
    return generate(SEED, sizes=SIZES, max_km=MAX_KM)


@pytest.fixture(scope="session")
def province_folder(province: ProvinceExample, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small province written once as a folder of CSV files (do not edit: copy it)."""
    folder = tmp_path_factory.mktemp("province") / "input"
    write(province, folder)
    return folder


@pytest.fixture(scope="session")
def province_input(province_folder: Path) -> Input:
    """The small province read back through the validating reader."""
    return read_input(province_folder)


Edit = Callable[[list[list[str]]], None]


def edited_copy(source: Path, target: Path, edits: dict[str, Edit]) -> Path:
    """Copy a CSV-folder input to ``target``, applying ``edits`` (by file stem) to its rows.

    Each edit receives the file's rows (header first) as lists of strings and changes them in
    place.
    """
    target.mkdir(parents=True)
    for file in sorted(source.glob("*.csv")):
        with file.open(encoding="utf-8-sig", newline="") as handle:
            rows = [list(row) for row in csv.reader(handle)]
        if file.stem in edits:
            edits[file.stem](rows)
        with (target / file.name).open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(rows)
    return target


def column(rows: list[list[str]], key: str) -> int:
    """Return the index of the header cell that ends with ``(key)`` (or equals ``key``)."""
    for index, header in enumerate(rows[0]):
        if header == key or header.endswith(f"({key})"):
            return index
    raise KeyError(key)


@pytest.fixture(scope="session")
def scheduler_address() -> Iterator[str]:
    """A real Dask scheduler with one worker process, on loopback (skipped without Dask)."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",  # loopback, any free port
    ) as cluster:
        yield cluster.scheduler_address
