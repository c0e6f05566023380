"""SPSS .sav and Stata .dta with pyreadstat: --out/sav/<table>.sav and --out/dta/<table>.dta.

Each file carries the table's label as its file label, a variable label per column, the
value labels of every coded column (Column.values) and its user-missing codes:

- SPSS: the codes stay in the data and are declared missing (missing values: up to three
  codes, or one range when there are more); measurement level from Column.measure (else
  numbers scale, text nominal).
- Stata has no user-missing codes, only the extended missing values .a to .z. A code
  declared missing becomes .a (the lowest code), .b (the next), ..., and the value label of
  that missing value keeps the code: `.a` = "9 = weet niet". Stata has no measurement level.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd
from pandas.api.types import is_numeric_dtype

from .errors import ExportError
from .labelled import SPSS, STATA, NameRule, Typed, cut, measure, renamed_label, typed, valid_names, with_label
from .meta import Table
from .staging import replace_folder
from .writers import Warn, warn_on_stderr

SPSS_LIMITS = {"file": 64, "variable": 256, "value": 120}  # bytes (SPSS 14 and later)
STATA_LIMITS = {"file": 80, "variable": 80, "value": 32000}  # characters; cut as bytes, safe with UTF-8
STATA_VERSION = 14  # format 118, read by Stata 14 and later (pyreadstat's default 15 writes 119: Stata 15+)
SPSS_DISCRETE_MISSING = 3  # SPSS declares at most three codes missing, or one range (+ one code)


def write_sav(tables: Mapping[str, Table], out: Path, warn: Warn = warn_on_stderr) -> list[Path]:
    """One .sav per table in --out/sav/, swapped in whole."""
    return replace_folder(
        out / "sav", lambda folder: [_sav(name, table, folder / f"{name}.sav", warn) for name, table in tables.items()]
    )


def write_dta(tables: Mapping[str, Table], out: Path, warn: Warn = warn_on_stderr) -> list[Path]:
    """One .dta (format 118: Stata 14 and later, UTF-8) per table in --out/dta/, swapped in whole."""
    return replace_folder(
        out / "dta", lambda folder: [_dta(name, table, folder / f"{name}.dta", warn) for name, table in tables.items()]
    )


def _named(name: str, table: Table, rule: NameRule, suffix: str, warn: Warn) -> Typed:
    """The typed table with names valid in `rule`'s program; a renamed column's label starts with its old name."""
    prepared = typed(table)
    limits: dict[str, int] = {}
    if rule is STATA:  # pyreadstat names the n-th value-label set `<variable><n>`; Stata allows 32 characters
        labelled = [column for column, meta in prepared.columns.items()
                    if (meta.values or meta.missing) and is_numeric_dtype(prepared.frame[column].dtype)]
        limits = {column: rule.limit - len(str(n)) for n, column in enumerate(labelled)}
    names = valid_names(list(prepared.frame.columns), rule, limits)
    columns = dict(prepared.columns)
    for old, new in names.items():
        if old != new:
            columns[old] = with_label(columns[old], renamed_label(old, columns[old].label))
            warn(f"{suffix}/{name}.{suffix}: column '{old}' is named '{new}' ({rule.program} rules); "
                 "its label keeps the name")
    return Typed(prepared.frame.rename(columns=names), prepared.label,
                 {names[old]: column for old, column in columns.items()})


def _labels(prepared: Typed, limits: dict[str, int]) -> tuple[dict[str, str], dict[str, dict[int, str]]]:
    """Variable labels, and value labels for every numeric coded column."""
    variable = {
        name: cut(column.label, limits["variable"]) for name, column in prepared.columns.items() if column.label
    }
    values = {
        name: {code: cut(label, limits["value"]) for code, label in column.values.items()}
        for name, column in prepared.columns.items()
        if column.values and is_numeric_dtype(prepared.frame[name].dtype)
    }
    return variable, values


def _sav(name: str, table: Table, path: Path, warn: Warn) -> Path:
    import pyreadstat

    prepared = _named(name, table, SPSS, "sav", warn)
    variable, values = _labels(prepared, SPSS_LIMITS)
    missing = {
        column: _spss_missing(codes, prepared, column, f"sav/{name}.sav: {column}", warn)
        for column, codes in _missing_codes(prepared).items()
    }
    _run(f"sav/{name}.sav", lambda: pyreadstat.write_sav(
        _for_pyreadstat(prepared.frame), path, file_label=cut(prepared.label, SPSS_LIMITS["file"]),
        column_labels=variable, variable_value_labels=values, missing_ranges=missing,
        variable_measure={column: measure(prepared.frame[column], meta) for column, meta in prepared.columns.items()},
    ))
    return path


def _dta(name: str, table: Table, path: Path, warn: Warn) -> Path:
    import pyreadstat

    prepared = _named(name, table, STATA, "dta", warn)
    variable, values = _labels(prepared, STATA_LIMITS)
    frame = _for_pyreadstat(prepared.frame)
    extended: dict[str, list[str]] = {}
    for column, codes in _missing_codes(prepared).items():
        letters = string.ascii_lowercase[: len(codes)]
        if len(codes) > len(letters):
            warn(f"dta/{name}.dta: {column} has more than 26 missing codes; only the lowest 26 are declared missing")
        labels = prepared.columns[column].values
        as_letters = dict(zip(codes, letters))
        frame[column] = frame[column].astype(object).map(lambda value: as_letters.get(value, value))
        values.setdefault(column, {})
        for code, letter in as_letters.items():
            values[column].pop(code, None)
            meaning = f"{code} = {labels[code]}" if code in labels else str(code)
            values[column][letter] = cut(meaning, STATA_LIMITS["value"])
        extended[column] = list(letters)
    _run(f"dta/{name}.dta", lambda: pyreadstat.write_dta(
        frame, path, version=STATA_VERSION, file_label=cut(prepared.label, STATA_LIMITS["file"]),
        column_labels=variable, variable_value_labels=values, missing_user_values=extended,
    ))
    return path


def _missing_codes(prepared: Typed) -> dict[str, list[int]]:
    """The user-missing codes of each numeric column that has some, lowest first."""
    return {
        name: sorted(set(column.missing))
        for name, column in prepared.columns.items()
        if column.missing and is_numeric_dtype(prepared.frame[name].dtype)
    }


def _spss_missing(codes: list[int], prepared: Typed, column: str, where: str, warn: Warn) -> list:
    """Up to three codes as they are; more as one range lowest..highest when no valid code or value lies inside."""
    if len(codes) <= SPSS_DISCRETE_MISSING:
        return codes
    low, high = codes[0], codes[-1]
    data = prepared.frame[column]
    inside = {code for code in prepared.columns[column].values if low <= code <= high}
    inside |= set(data[(data >= low) & (data <= high)].dropna())
    if inside <= set(codes):
        return [{"lo": low, "hi": high}]
    warn(f"{where}: SPSS declares at most three missing codes; {codes[:3]} are declared, {codes[3:]} are not")
    return codes[:SPSS_DISCRETE_MISSING]


def _for_pyreadstat(frame: pd.DataFrame) -> pd.DataFrame:
    """Nullable numbers (Int64, Float64) as floats with system-missing: what both formats store numbers as.

    Text as Python strings, which pyreadstat walks twice as fast as Arrow-backed text, made
    through a categorical so that equal texts are one string object: the 1.35 million rows of a
    large items_long hold a few hundred distinct texts per column (and 144,000 session ids),
    so this costs a pointer a cell, not a string a cell (bench/export.py: items_long to .sav
    17.0 -> 7.2 s, no more memory).
    """
    nullable = [name for name, dtype in frame.dtypes.items()
                if isinstance(dtype, pd.api.extensions.ExtensionDtype) and is_numeric_dtype(dtype)]
    text = [name for name, dtype in frame.dtypes.items() if isinstance(dtype, pd.StringDtype)]
    prepared = frame.astype(dict.fromkeys(nullable, "float64"))
    for name in text:
        prepared[name] = prepared[name].astype("category").astype(object)
    return prepared


def _run(shown: str, write: Callable[[], None]) -> None:
    """pyreadstat's refusal as one line naming the file (`sav/pupils.sav`), not a traceback."""
    import pyreadstat

    try:
        write()
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, ValueError, TypeError) as error:
        raise ExportError(f"{shown}: cannot be written ({error})") from None
