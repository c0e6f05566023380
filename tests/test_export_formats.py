"""The file formats of an export (docs/export-formats.md), on tables built by hand: what an
analyst opening the file in SPSS, Stata, Excel, R or Python finds there, read back with
pyreadstat, openpyxl, DuckDB and pandas (not with the code that wrote it)."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pyreadstat
import pytest

from exports.errors import ExportError
from exports.labelled import SPSS, STATA, typed, valid_names
from exports.meta import Column, Table
from exports.write_csv import write_csv
from exports.write_labelled import write_dta, write_sav
from exports.write_parquet import write_parquet
from exports.write_xlsx import write_xlsx
from exports.writers import writers_for

LONG = "how_often_the_teacher_talked_about_differences_between_families_in_the_classroom"  # 81 bytes
OPEN_TEXT = 'Wij praten; soms, "vaak"\nover thuis'
AGREE = {1: "nooit", 2: "soms", 3: "vaak", 9: "weet ik niet"}


def answers() -> Table:
    """items_long-like: a mixed value column (codes, a number typed, open text), user-missing 9."""
    frame = pd.DataFrame({
        "session_id": pd.array(["s1", "s1", "s2", "s2", "s3", "s3"], dtype="str"),
        "wave": pd.array(["w1", "w1", "w1", "w2", "w2", "w2"], dtype="str"),
        "item": pd.array(["talk_1", "open_1", "talk_1", "age", "talk_1", "talk_2"], dtype="str"),
        "value": pd.Series([3, OPEN_TEXT, 9, np.int64(11), 1, 2], dtype=object),
    })
    columns = {
        "session_id": Column("session (UUID4)", measure="nominal"),
        "value": Column("the answer, raw", values=AGREE, measure="ordinal", missing=(9,)),
    }
    return Table(frame, "one answer", columns)


def scores() -> Table:
    """A wide table: a name too long for SPSS and Stata, a reserved word, Int64 with a gap, decimals, text."""
    frame = pd.DataFrame({
        "respondent": pd.array(["P1", "P2", "P3"], dtype="str"),
        LONG: pd.array([1, None, 3], dtype="Int64"),
        "with": [0.5, 1.25, -2.0],
        "score": [3.6666666666666665, np.nan, 0.1 + 0.2],
        "remark": pd.array(["a;b", "c,d\ne", None], dtype="str"),
    })
    columns = {
        LONG: Column("talk about family differences", values={1: "nooit", 3: "vaak"}, measure="ordinal"),
        "score": Column("mean of the valid items (scale score)"),
    }
    return Table(frame, "one pupil", columns)


@pytest.fixture
def tables() -> dict[str, Table]:
    return {"answers": answers(), "scores": scores()}


def test_sav_keeps_labels_value_labels_missing_codes_and_measurement(tables: dict[str, Table], tmp_path: Path) -> None:
    warnings: list[str] = []
    written = write_sav(tables, tmp_path, warnings.append)
    assert written == [tmp_path / "sav" / "answers.sav", tmp_path / "sav" / "scores.sav"]

    data, meta = pyreadstat.read_sav(tmp_path / "sav" / "answers.sav", user_missing=True)
    assert meta.file_label == "one answer"
    assert list(data.columns) == ["session_id", "wave", "item", "value", "value_text"]
    assert data["value"].iloc[0] == 3 and np.isnan(data["value"].iloc[1])  # open text: numeric part missing
    assert data["value"].iloc[2] == 9  # the code is kept ...
    assert meta.missing_ranges["value"] == [{"lo": 9.0, "hi": 9.0}]  # ... and declared missing
    assert data["value_text"].iloc[1] == OPEN_TEXT
    assert data["value_text"].iloc[0] == ""  # SPSS strings have no system-missing: empty
    assert meta.variable_value_labels["value"] == {1.0: "nooit", 2.0: "soms", 3.0: "vaak", 9.0: "weet ik niet"}
    assert meta.column_names_to_labels["value"] == "the answer, raw"
    assert meta.column_names_to_labels["value_text"] == "the answer, raw (open text)"
    assert meta.variable_measure == {"session_id": "nominal", "wave": "nominal", "item": "nominal",
                                     "value": "ordinal", "value_text": "nominal"}
    without_missing, _ = pyreadstat.read_sav(tmp_path / "sav" / "answers.sav")
    assert without_missing["value"].isna().tolist() == [False, True, True, False, False, False]

    data, meta = pyreadstat.read_sav(tmp_path / "sav" / "scores.sav")
    renamed = LONG[:64]
    assert list(data.columns) == ["respondent", renamed, "with_", "score", "remark"]
    assert meta.column_names_to_labels[renamed] == f"{LONG}: talk about family differences"
    assert meta.column_names_to_labels["with_"] == "with"
    assert data[renamed].isna().tolist() == [False, True, False]  # Int64's gap is system-missing
    assert data["score"].iloc[0] == 3.6666666666666665 and data["score"].iloc[2] == 0.1 + 0.2
    assert data["remark"].tolist()[:2] == ["a;b", "c,d\ne"]
    assert meta.variable_measure[renamed] == "ordinal" and meta.variable_measure["with_"] == "scale"
    assert any(LONG in line and renamed in line for line in warnings)
    assert any("'with'" in line and "'with_'" in line for line in warnings)


def test_dta_declares_missing_codes_as_extended_missing_with_the_code_in_its_label(
    tables: dict[str, Table], tmp_path: Path
) -> None:
    warnings: list[str] = []
    written = write_dta(tables, tmp_path, warnings.append)
    assert written == [tmp_path / "dta" / "answers.dta", tmp_path / "dta" / "scores.dta"]

    stata_14 = b"<stata_dta><header><release>118</release>"
    assert (tmp_path / "dta" / "answers.dta").read_bytes().startswith(stata_14)
    data, meta = pyreadstat.read_dta(tmp_path / "dta" / "answers.dta", user_missing=True)
    assert meta.file_label == "one answer"
    assert data["value"].tolist()[2] == "a"  # 9 became .a, labelled with its code
    assert meta.missing_user_values == {"value": ["a"]}
    assert meta.variable_value_labels["value"] == {1: "nooit", 2: "soms", 3: "vaak", "a": "9 = weet ik niet"}
    assert data["value_text"].iloc[1] == OPEN_TEXT
    plain, _ = pyreadstat.read_dta(tmp_path / "dta" / "answers.dta")
    assert plain["value"].isna().tolist() == [False, True, True, False, False, False]
    assert plain["value"].dropna().tolist() == [3, 11, 1, 2]

    data, meta = pyreadstat.read_dta(tmp_path / "dta" / "scores.dta")
    names = list(data.columns)
    assert all(len(name) <= 32 for name in names) and len(set(names)) == 5
    renamed = names[1]
    assert renamed.startswith("how_often_the_teacher_talked")
    assert meta.column_names_to_labels[renamed].startswith(LONG[:60])  # Stata labels hold 80 characters
    assert meta.variable_value_labels[renamed] == {1: "nooit", 3: "vaak"}
    assert data["score"].iloc[0] == 3.6666666666666665
    assert sum("Stata rules" in line for line in warnings) == 2  # the long name and `with`


def test_xlsx_has_a_sheet_per_table_with_typed_cells_and_a_variables_sheet(
    tables: dict[str, Table], tmp_path: Path
) -> None:
    tables["formula"] = Table(pd.DataFrame({"text": pd.array(["=1+1", "http://x.nl", "007"], dtype="str")}))
    assert write_xlsx(tables, tmp_path, [].append) == [tmp_path / "klaspeil.xlsx"]
    book = openpyxl.load_workbook(tmp_path / "klaspeil.xlsx")
    assert book.sheetnames == ["answers", "scores", "formula", "variables"]

    sheet = book["answers"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("session_id", "wave", "item", "value")
    assert [row[3] for row in rows[1:]] == [3, OPEN_TEXT, 9, 11, 1, 2]  # numbers as numbers, text whole
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:D7"
    assert sheet.column_dimensions["A"].width >= len("session_id")

    scores_rows = list(book["scores"].iter_rows(values_only=True))
    # XlsxWriter writes 16 significant digits (Excel shows 15); the exact double is in CSV, Parquet, .sav, .dta
    assert scores_rows[1] == ("P1", 1, 0.5, float(f"{3.6666666666666665:.16g}"), "a;b")
    assert scores_rows[1][3] == pytest.approx(3.6666666666666665, rel=1e-15)
    assert scores_rows[2] == ("P2", None, 1.25, None, "c,d\ne")  # missing: an empty cell
    assert [row[0] for row in list(book["formula"].iter_rows(values_only=True))[1:]] == ["=1+1", "http://x.nl", "007"]
    assert book["formula"]["A2"].data_type == "s"  # text, not a formula

    variables = pd.DataFrame(list(book["variables"].iter_rows(values_only=True))[1:],
                             columns=["table", "sheet", "column", "label", "measure", "value_labels", "missing"])
    value = variables[(variables["table"] == "answers") & (variables["column"] == "value")].iloc[0]
    assert value["label"] == "the answer, raw" and value["measure"] == "ordinal"
    assert value["value_labels"] == "1=nooit; 2=soms; 3=vaak; 9=weet ik niet"
    assert value["missing"] == "9"
    assert variables["column"].tolist().count("score") == 1 and len(variables) == 4 + 5 + 1


def test_a_table_longer_than_an_excel_sheet_is_left_out_with_a_warning(
    tables: dict[str, Table], tmp_path: Path
) -> None:
    tables["items_long"] = Table(pd.DataFrame({"value": np.zeros(1_048_576, dtype="int8")}))  # + header: one too many
    warnings: list[str] = []
    write_xlsx(tables, tmp_path, warnings.append)
    book = openpyxl.load_workbook(tmp_path / "klaspeil.xlsx", read_only=True)
    assert book.sheetnames == ["answers", "scores", "variables"]
    assert len(warnings) == 1 and "items_long.csv" in warnings[0] and "parquet/items_long" in warnings[0]


def test_a_table_of_more_than_100000_rows_stays_out_of_the_workbook_and_one_of_100000_goes_in(
    tables: dict[str, Table], tmp_path: Path
) -> None:
    tables["scale_scores"] = Table(pd.DataFrame({"score": np.zeros(100_001)}))
    tables["pupils"] = Table(pd.DataFrame({"score": np.arange(100_000)}))
    warnings: list[str] = []
    write_xlsx(tables, tmp_path, warnings.append)
    book = openpyxl.load_workbook(tmp_path / "klaspeil.xlsx", read_only=True)
    assert book.sheetnames == ["answers", "scores", "pupils", "variables"]
    assert len(list(book["pupils"].iter_rows(values_only=True))) == 100_001  # the header and every row
    assert len(warnings) == 1 and "scale_scores has 100,001 rows" in warnings[0]
    assert "scale_scores.csv" in warnings[0] and "parquet/scale_scores" in warnings[0]


def test_sheet_names_are_cut_to_31_characters_and_unique(tmp_path: Path) -> None:
    one = Table(pd.DataFrame({"x": [1]}))
    names = {"comparison_by_migration_background_w1": one, "comparison_by_migration_background_w2": one, "a/b": one}
    warnings: list[str] = []
    write_xlsx(names, tmp_path, warnings.append)
    sheets = openpyxl.load_workbook(tmp_path / "klaspeil.xlsx").sheetnames
    assert sheets == ["comparison_by_migration_backgro", "comparison_by_migration_backg_2", "a_b", "variables"]
    assert all(len(name) <= 31 for name in sheets) and len(warnings) == 3


def test_parquet_is_partitioned_by_wave_and_answers_duckdb_like_the_csv(
    tables: dict[str, Table], tmp_path: Path
) -> None:
    written = write_parquet(tables, tmp_path, [].append)
    assert tmp_path / "parquet" / "scores.parquet" in written
    assert {path.parent.name for path in written if "answers" in path.parts} == {"wave=w1", "wave=w2"}
    write_csv(tables, tmp_path)
    csv = pd.read_csv(tmp_path / "answers.csv", dtype=str, keep_default_na=False)
    glob = str(tmp_path / "parquet" / "answers" / "**" / "*.parquet")
    for wave in ("w1", "w2"):
        rows = duckdb.sql(
            f"select session_id, item, value, value_text from read_parquet('{glob}', hive_partitioning=true)"
            f" where wave = '{wave}' order by session_id, item"
        ).fetchall()
        expected = csv[csv["wave"] == wave].sort_values(["session_id", "item"])
        in_csv = expected[["session_id", "item", "value"]].itertuples(index=False)
        assert [(s, i, v if v is not None else t) for s, i, v, t in rows] == [
            (s, i, int(v) if v.isdigit() else v) for s, i, v in in_csv
        ]
    single = duckdb.sql(f"select score from read_parquet('{tmp_path / 'parquet' / 'scores.parquet'}')").fetchall()
    assert single[0][0] == 3.6666666666666665 and single[1][0] is None

    schema = pq.read_schema(tmp_path / "parquet" / "scores.parquet")
    assert schema.field(LONG).type == "int64"  # Int64 stays a whole number, the gap null
    about = {key.decode(): value.decode() for key, value in schema.field(LONG).metadata.items()}
    assert about["label"] == "talk about family differences" and about["measure"] == "ordinal"
    assert json.loads(about["values"]) == {"1": "nooit", "3": "vaak"}
    assert schema.metadata[b"klaspeil.label"] == b"one pupil"


def test_excel_nl_csv_has_a_bom_semicolons_and_decimal_commas(tables: dict[str, Table], tmp_path: Path) -> None:
    assert write_csv(tables, tmp_path, excel_nl=True) == [tmp_path / "answers.csv", tmp_path / "scores.csv"]
    raw = (tmp_path / "scores.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines()[:2] == [
        f"respondent;{LONG};with;score;remark", 'P1;1;0,5;3,6666666666666665;"a;b"'
    ]
    back = pd.read_csv(tmp_path / "scores.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert back["score"].tolist()[0] == 3.6666666666666665 and back["score"].tolist()[2] == 0.1 + 0.2
    assert back["with"].tolist() == [0.5, 1.25, -2.0]
    assert back["remark"].tolist()[:2] == ["a;b", "c,d\ne"]
    answers_back = pd.read_csv(tmp_path / "answers.csv", sep=";", decimal=",", encoding="utf-8-sig", dtype=str)
    assert answers_back["value"].tolist()[1] == OPEN_TEXT


def test_plain_csv_is_unchanged_utf8_commas_no_bom(tables: dict[str, Table], tmp_path: Path) -> None:
    write_csv(tables, tmp_path)
    raw = (tmp_path / "scores.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8").splitlines()[1] == 'P1,1,0.5,3.6666666666666665,a;b'


def test_a_failed_folder_write_leaves_the_previous_folder_as_it_was(tables: dict[str, Table], tmp_path: Path) -> None:
    write_sav(tables, tmp_path, [].append)
    before = {path.name: path.read_bytes() for path in (tmp_path / "sav").iterdir()}
    broken = {"answers": Table(answers().frame.head(1), "changed"), "no/such/folder": scores()}
    with pytest.raises(ExportError, match="cannot be written"):
        write_sav(broken, tmp_path, [].append)
    assert {path.name: path.read_bytes() for path in (tmp_path / "sav").iterdir()} == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["sav"]  # no staging folder left behind


def test_writers_for_knows_every_format_and_all(tmp_path: Path) -> None:
    assert len(writers_for(["all"])) == 5
    (write,) = writers_for(["csv"], excel_nl=True)
    write({"t": Table(pd.DataFrame({"x": [0.5]}))}, tmp_path)
    assert (tmp_path / "t.csv").read_bytes() == b"\xef\xbb\xbfx\n0,5\n"
    assert len(writers_for(["csv", "CSV", "all"])) == 5  # each once
    with pytest.raises(ExportError, match="'pdf' is unknown; supported: csv, xlsx, sav, dta, parquet, all"):
        writers_for(["csv", "pdf"])
    with pytest.raises(ExportError, match="no export format"):
        writers_for([])


def test_invalid_names_are_mended_deterministically_and_uniquely() -> None:
    names = ["value", "1st", "with", "BY", "a b", "wave.", "Ünïcode naam", "x" * 70, "x" * 66, "X" * 64]
    spss = valid_names(names, SPSS)
    assert spss == valid_names(names, SPSS)
    assert spss["value"] == "value" and spss["X" * 64] == "X" * 64  # valid names never change
    assert spss["1st"] == "v_1st" and spss["with"] == "with_" and spss["BY"] == "BY_" and spss["a b"] == "a_b"
    assert spss["wave."] == "wave" and spss["Ünïcode naam"] == "Unicode_naam"
    assert len({name.upper() for name in spss.values()}) == len(names)  # SPSS ignores case
    assert all(SPSS.accepts(name) for name in spss.values())
    stata = valid_names(names, STATA)
    assert all(STATA.accepts(name) and len(name) <= 32 for name in stata.values())
    assert len({name.upper() for name in stata.values()}) == len(names)


def test_a_long_sheet_holds_every_row_in_order(tmp_path: Path) -> None:
    """Rows are turned into cells in chunks of 10,000: none lost or repeated at a chunk's edge."""
    count = 25_001
    frame = pd.DataFrame({"n": np.arange(count), "code": pd.array([f"P{n}" for n in range(count)], dtype="str")})
    write_xlsx({"long": Table(frame)}, tmp_path, [].append)
    rows = list(openpyxl.load_workbook(tmp_path / "klaspeil.xlsx", read_only=True)["long"].iter_rows(values_only=True))
    assert rows[0] == ("n", "code") and len(rows) == count + 1
    assert all(row == (n, f"P{n}") for n, row in enumerate(rows[1:]))


def test_an_empty_table_is_still_a_table_in_every_format(tmp_path: Path) -> None:
    """A study without answers yet: each format still has the table, with its columns and no rows."""
    frame = pd.DataFrame({"wave": pd.array([], dtype="str"), "value": pd.Series([], dtype=object)})
    empty = {"items_long": Table(frame)}
    for write in writers_for(["all"]):
        write(empty, tmp_path, [].append)
    glob = str(tmp_path / "parquet" / "items_long" / "**" / "*.parquet")
    read = duckdb.sql(f"select * from read_parquet('{glob}', hive_partitioning=true)")
    assert read.columns == ["wave", "value", "value_text"] and read.fetchall() == []
    data, _ = pyreadstat.read_sav(tmp_path / "sav" / "items_long.sav")
    assert list(data.columns) == ["wave", "value", "value_text"] and len(data) == 0
    assert list(openpyxl.load_workbook(tmp_path / "klaspeil.xlsx")["items_long"].values) == [("wave", "value")]


def test_more_than_three_missing_codes_become_a_range_in_spss_when_nothing_valid_lies_inside(tmp_path: Path) -> None:
    codes = pd.Series([1.0, 7.0, 10.0, 2.0])
    labels = {1: "a", 2: "b"}
    tables = {
        "ranged": Table(pd.DataFrame({"q": codes}), columns={"q": Column("q", labels, missing=(7, 8, 9, 10))}),
        "mixed": Table(pd.DataFrame({"q": codes}), columns={"q": Column("q", labels, missing=(0, 1, 7, 9))}),
    }
    warnings: list[str] = []
    write_sav(tables, tmp_path, warnings.append)
    _, ranged = pyreadstat.read_sav(tmp_path / "sav" / "ranged.sav", user_missing=True)
    assert ranged.missing_ranges["q"] == [{"lo": 7.0, "hi": 10.0}]
    _, mixed = pyreadstat.read_sav(tmp_path / "sav" / "mixed.sav", user_missing=True)
    assert mixed.missing_ranges["q"] == [{"lo": 0.0, "hi": 0.0}, {"lo": 1.0, "hi": 1.0}, {"lo": 7.0, "hi": 7.0}]
    assert warnings == [
        "sav/mixed.sav: q: SPSS declares at most three missing codes; [0, 1, 7] are declared, [9] are not"
    ]

    write_dta(tables, tmp_path, warnings.append)
    data, stata = pyreadstat.read_dta(tmp_path / "dta" / "ranged.dta", user_missing=True)
    assert data["q"].tolist() == [1, "a", "d", 2]  # 7 -> .a, 10 -> .d
    assert {letter: stata.variable_value_labels["q"][letter] for letter in "abcd"} == {
        "a": "7", "b": "8", "c": "9", "d": "10"
    }


def test_a_mixed_column_loses_nothing_in_its_split() -> None:
    """Every present value lands in exactly one of the two columns; what is no number is text."""
    mixed = pd.Series([3, "open", datetime.date(2026, 3, 1), None, 2.5, np.int64(7)], dtype=object)
    split = typed(Table(pd.DataFrame({"value": mixed}))).frame
    assert list(split.columns) == ["value", "value_text"]
    assert split["value"].tolist()[0] == 3 and split["value"].tolist()[4:] == [2.5, 7.0]
    assert split["value_text"].tolist()[1:3] == ["open", "2026-03-01"]
    assert (split["value"].notna() ^ split["value_text"].notna()).tolist() == [True, True, True, False, True, True]
    whole = typed(Table(pd.DataFrame({"value": pd.Series([1, None, 3], dtype=object)}))).frame
    assert str(whole["value"].dtype) == "Int64" and whole["value"].tolist()[::2] == [1, 3]  # 1 stays 1, not 1.0


def test_an_open_item_nobody_answered_is_still_one_text_column_in_every_typed_format(tmp_path: Path) -> None:
    """A teacher's open reflection that no one has typed yet: the same single text column as
    when someone has, not a numeric column plus `<name>_text` (which Stata then had to rename)."""
    name = "reflection_expectations_change"  # 30 characters: `<name>_text` is too long for Stata
    open_item = Column("what changed in your expectations", measure="nominal", text=True)
    for answered in ([None, None], ["Meer vertrouwen", None]):
        table = Table(pd.DataFrame({"teacher": ["T1", "T2"], name: pd.Series(answered, dtype=object)}),
                      "one teacher", {name: open_item})
        warnings: list[str] = []
        out = tmp_path / str(len([a for a in answered if a]))
        out.mkdir()
        write_sav({"teachers": table}, out, warnings.append)
        write_dta({"teachers": table}, out, warnings.append)
        write_parquet({"teachers": table}, out, warnings.append)
        sav, sav_meta = pyreadstat.read_sav(out / "sav" / "teachers.sav")
        dta, _ = pyreadstat.read_dta(out / "dta" / "teachers.dta")
        assert list(sav.columns) == list(dta.columns) == ["teacher", name], answered
        assert pq.read_table(out / "parquet" / "teachers.parquet").column_names == ["teacher", name]
        assert sav_meta.readstat_variable_types[name] == "string"
        assert sav[name].tolist() == [a or "" for a in answered]
        assert warnings == []  # nothing renamed


def test_an_export_killed_between_its_renames_gets_its_old_folder_back(
    tables: dict[str, Table], tmp_path: Path
) -> None:
    """Killed after moving sav/ aside and before moving the new one in: the next export finds sav/ again."""
    write_sav(tables, tmp_path, [].append)
    before = {path.name: path.read_bytes() for path in (tmp_path / "sav").iterdir()}
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(gone.stdout)  # a process that has ended
    (tmp_path / "sav").rename(tmp_path / f".sav.{dead}.old")
    (tmp_path / f".sav.{dead}.new").mkdir()
    with pytest.raises(ExportError):  # this export fails too: what is left is the old folder, in place
        write_sav({"no/such/folder": scores()}, tmp_path, [].append)
    assert {path.name: path.read_bytes() for path in (tmp_path / "sav").iterdir()} == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["sav"]


def test_a_killed_exports_temporary_workbook_is_cleared(tables: dict[str, Table], tmp_path: Path) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    leftover = tmp_path / f".klaspeil.xlsx.{int(gone.stdout)}.tmp"
    leftover.write_bytes(b"half a zip")
    running = tmp_path / f".klaspeil.xlsx.{os.getppid()}.tmp"  # a process still running: not ours to touch
    running.write_bytes(b"being written")
    write_xlsx(tables, tmp_path, [].append)
    assert sorted(path.name for path in tmp_path.iterdir()) == [running.name, "klaspeil.xlsx"]
