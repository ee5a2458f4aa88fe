"""The shipped communes table (``communes.tables.gz``): its layout, written once, read fast.

Every command that shows a population reads it (``santeloc-cli list`` included), and the
application keeps it for its whole life: it is stored by column, so that reading it is a few
splits and copies rather than 300,000 JSON values, and kept in memory as compact arrays
rather than one Python object per cell.

Layout, inside gzip: one line of JSON (the header), then each column's bytes, in the order
and with the sizes the header lists as ``[name, type, bytes]``:

* ``text``: UTF-8 lines joined by ``\\n`` (INSEE codes, names, postal codes space-separated);
* ``u16``: little-endian unsigned 16-bit positions in the header's lists of EPCI,
  départements and régions; ``65535`` for none (a commune outside any EPCI);
* ``i32``: little-endian signed 32-bit integers (legal population);
* ``f64``: little-endian doubles (centre point, WGS84 degrees), NaN when unknown.

The header also holds the régions ``[code, name]``, départements ``[code, name, région]``,
EPCI ``[code, name, kind]`` (their members are the communes that name them), the population
year, the source label and versions, and the number of communes. Standard library only.
"""

from __future__ import annotations

import array
import gzip
import json
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT = 2
NONE_INDEX = 0xFFFF  # no EPCI
_NUMBERS = {"u16": ("H", 2), "i32": ("i", 4), "f64": ("d", 8)}  # kind: (array typecode, bytes each)
_LISTS = {"epci": "epcis", "departement": "departements", "region": "regions"}  # u16 columns
COLUMNS = (
    ("code", "text"),
    ("name", "text"),
    ("postal_codes", "text"),
    ("epci", "u16"),
    ("departement", "u16"),
    ("region", "u16"),
    ("population", "i32"),
    ("lat", "f64"),
    ("lon", "f64"),
)


@dataclass(frozen=True)
class CommuneColumns:
    """The communes, one entry per commune in INSEE code order, column by column."""

    codes: list[str]
    names: list[str]
    postal_codes: list[str]  # space-separated 5-digit codes
    epci: array.array[int]  # position in epci_codes, NONE_INDEX for none
    departement: array.array[int]  # position in departement_codes
    region: array.array[int]  # position in region_codes
    population: array.array[int]
    lat: array.array[float]  # NaN when unknown
    lon: array.array[float]
    epci_codes: list[str]
    departement_codes: list[str]
    region_codes: list[str]


def encode(
    header: dict[str, Any],
    communes: dict[str, Sequence[Any]],
) -> bytes:
    """The table's bytes (before gzip) for ``header`` (régions, départements, EPCI as
    ``[code, name, kind, ...]``, metadata) and ``communes``, columns of plain values keyed as
    in :data:`COLUMNS` (codes of EPCI, département and région; ``None`` where unknown)."""
    lists = _listed_codes(header)
    count = len(communes["code"])
    blobs: list[bytes] = []
    described: list[list[Any]] = []
    for name, kind in COLUMNS:
        values = communes[name]
        if len(values) != count:
            raise ValueError(f"column {name}: {len(values)} values for {count} communes")
        if kind == "text":
            if any("\n" in v for v in values):
                raise ValueError(f"column {name}: a value holds a line break")
            blob = "\n".join(values).encode("utf-8")
        else:
            if kind == "u16":
                position = {code: i for i, code in enumerate(lists[name])}
                values = [NONE_INDEX if v is None else position[v] for v in values]
            elif kind == "f64":
                values = [math.nan if v is None else float(v) for v in values]
            column = array.array(_NUMBERS[kind][0], values)
            if sys.byteorder == "big":
                column.byteswap()
            blob = column.tobytes()
        blobs.append(blob)
        described.append([name, kind, len(blob)])
    head = {
        **{k: v for k, v in header.items() if k != "epcis"},
        "format": FORMAT,
        "count": count,
        "epcis": [list(e[:3]) for e in header["epcis"]],
        "columns": described,
    }
    line = json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return line + b"\n" + b"".join(blobs)


def _listed_codes(header: dict[str, Any]) -> dict[str, list[str]]:
    """For each u16 column, the codes its positions point to (the header's lists, in order)."""
    return {column: [entry[0] for entry in header[key]] for column, key in _LISTS.items()}


def write(path: Path, header: dict[str, Any], communes: dict[str, Sequence[Any]]) -> None:
    """Write the table gzip-compressed with a fixed mtime (reproducible bytes)."""
    raw = encode(header, communes)
    with path.open("wb") as fh, gzip.GzipFile(filename="", mode="wb", fileobj=fh, compresslevel=9, mtime=0) as gz:
        gz.write(raw)


def read(path: Path) -> tuple[dict[str, Any], CommuneColumns]:
    """The header and the columns of the table at ``path``.

    Raises ``ValueError`` for a file of another format or whose sizes do not add up, and
    ``OSError`` (``gzip.BadGzipFile`` included) for an unreadable file.
    """
    data = gzip.decompress(path.read_bytes())
    end = data.find(b"\n")
    if end == -1:
        raise ValueError(f"{path.name}: no header")
    raw = memoryview(data)
    header = json.loads(data[:end])
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ValueError(f"Unsupported reference data format in {path}")
    count = int(header["count"])
    offset = end + 1
    columns: dict[str, Any] = {}
    for name, kind, size in header["columns"]:
        chunk = raw[offset : offset + size]
        offset += size
        if len(chunk) != size:
            raise ValueError(f"{path.name}: column {name} is cut short")
        if kind == "text":
            values: Any = bytes(chunk).decode("utf-8").split("\n") if count else []
        else:
            typecode, itemsize = _NUMBERS[kind]
            values = array.array(typecode)
            if values.itemsize != itemsize:
                raise ValueError(f"{path.name}: no {itemsize}-byte numbers on this machine")
            values.frombytes(chunk)
            if sys.byteorder == "big":
                values.byteswap()
        if len(values) != count:
            raise ValueError(f"{path.name}: column {name} has {len(values)} values for {count} communes")
        if kind == "u16":
            named = set(values)
            if name == "epci":
                named.discard(NONE_INDEX)
            if named and max(named) >= len(header[_LISTS[name]]):
                raise ValueError(f"{path.name}: column {name} names an entry not listed")
        columns[name] = values
    if offset != len(raw) or set(columns) != {name for name, _ in COLUMNS}:
        raise ValueError(f"{path.name}: columns do not match the header")
    listed = _listed_codes(header)
    table = CommuneColumns(
        codes=columns["code"],
        names=columns["name"],
        postal_codes=columns["postal_codes"],
        epci=columns["epci"],
        departement=columns["departement"],
        region=columns["region"],
        population=columns["population"],
        lat=columns["lat"],
        lon=columns["lon"],
        epci_codes=listed["epci"],
        departement_codes=listed["departement"],
        region_codes=listed["region"],
    )
    return header, table
