"""What a table is, besides its cells: labels and measurement levels for SPSS, Stata and Excel.

Every table of an export is a `Table`: the frame that CSV and Parquet write as is, and the
metadata that the labelled formats (.sav, .dta, the XLSX codebook sheet) carry along. A
column without an entry in `columns` has no label and takes its measurement level from its
dtype (numbers: scale; text: nominal).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

Measure = Literal["nominal", "ordinal", "scale"]


@dataclass(frozen=True)
class Column:
    label: str = ""  # variable label, in English like the code (the codebook has the Dutch wording)
    values: Mapping[int, str] = field(default_factory=dict)  # value labels of a coded variable
    measure: Measure | None = None  # None: from the dtype
    missing: tuple[int, ...] = ()  # user-missing codes: kept as codes, declared missing
    # text by definition (an open item, a wave id): one text column in every typed format, even
    # when no row holds a value yet, so that scripts find the same columns in every export
    text: bool = False


@dataclass(frozen=True)
class Table:
    frame: pd.DataFrame
    label: str = ""  # one line: what one row is
    columns: Mapping[str, Column] = field(default_factory=dict)

    def column(self, name: str) -> Column:
        return self.columns.get(name, Column())
