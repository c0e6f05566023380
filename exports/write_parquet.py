"""Parquet with pyarrow: --out/parquet/<table>/wave=w1/... (a dataset per table with a `wave`
column, hive-partitioned by wave), else --out/parquet/<table>.parquet.

Typed like .sav and .dta (a mixed column split into `<name>` and `<name>_text`,
exports/labelled.py); names are kept as they are (Parquet allows any). Each column's label,
value labels, measurement level and missing codes ride along in its field metadata, the
table's label in the schema metadata, so a reader with pyarrow can get them back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from .labelled import measure, typed
from .meta import Table
from .staging import replace_folder
from .writers import Warn, warn_on_stderr

PARTITION = "wave"


def write_parquet(tables: Mapping[str, Table], out: Path, warn: Warn = warn_on_stderr) -> list[Path]:
    """Every table into --out/parquet/, which is swapped in whole."""
    return replace_folder(out / "parquet", lambda folder: [path for name, table in tables.items()
                                                            for path in _write(name, table, folder)])


def _write(name: str, table: Table, folder: Path) -> list[Path]:
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    data = _arrow(table)
    if PARTITION not in data.column_names:
        path = folder / f"{name}.parquet"
        pq.write_table(data, path)
        return [path]
    if data.num_rows == 0:  # no wave to partition by; the folder still exists and says which columns there are
        (folder / name).mkdir()
        path = folder / name / "part-0.parquet"
        pq.write_table(data, path)
        return [path]
    written: list[Path] = []
    ds.write_dataset(
        data, folder / name, format="parquet", partitioning=[PARTITION], partitioning_flavor="hive",
        basename_template="part-{i}.parquet", existing_data_behavior="error", preserve_order=True,
        file_visitor=lambda file: written.append(Path(file.path)),
    )
    return sorted(written)


def _arrow(table: Table):
    """The typed frame as an Arrow table, its labels in the schema's metadata."""
    import pyarrow as pa

    prepared = typed(table)
    data = pa.Table.from_pandas(prepared.frame, preserve_index=False)
    fields = []
    for field in data.schema:
        column = prepared.columns[field.name]
        about = {
            "label": column.label,
            "measure": measure(prepared.frame[field.name], column),
            "values": json.dumps({str(code): label for code, label in column.values.items()}, ensure_ascii=False),
            "missing": json.dumps(list(column.missing)),
        }
        kept = {key: value for key, value in about.items() if value not in ("", "{}", "[]")}
        fields.append(field.with_metadata(kept))
    metadata = {**(data.schema.metadata or {}), b"klaspeil.label": prepared.label.encode("utf-8")}
    return data.cast(pa.schema(fields, metadata=metadata))
