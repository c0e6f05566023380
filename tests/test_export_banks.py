"""Issue 3, "How we will know": `klaspeil export` of simulated data carries every scale of every
audience, with the codebook matching the banks. Simulated and exported through the real
command line; what is expected is computed from instruments.shipped(), never listed here."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from instruments import Instrument, shipped
from storage import Session
from storage.session import read_session
from storage.study import Study, load_study
from command import csv_rows, klaspeil

BANK = shipped()
# typed by a teacher: a comma, doubled and single quotes, a semicolon, line breaks of two systems
TRICKY = 'Soms wel, soms niet: "het hangt ervan af".\nZeker bij \'rekenen\'; 100%, echt.'
WINDOWS = "Eerste regel\r\nTweede regel"






@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Study]:
    """2 classes x 6 pupils x 2 waves, two open answers typed into a reflection session through
    the session storage, then exported: (data folder, export folder, study)."""
    data = tmp_path_factory.mktemp("data")
    out = tmp_path_factory.mktemp("export")
    simulated = klaspeil("simulate", "--data", data, "--classes", 2, "--pupils", 6, "--waves", 2, "--seed", 4)
    assert simulated.returncode == 0, simulated.stderr
    reflection = next(
        path for path in sorted((data / "sessions").glob("*/*/*/*.json"))
        if read_session(path).meta.instrument == "teacher_reflection"
    )
    session = Session(reflection)
    first, second = [item for item in session.meta.item_order][:2]
    session.record(first, TRICKY, shown_ms=60_000)
    session.record(second, WINDOWS, shown_ms=30_000)
    result = klaspeil("export", "--data", data, "--out", out)
    assert result.returncode == 0, result.stderr
    return data, out, load_study(data / "study.yaml", set(BANK))


def kinds(instrument: Instrument) -> dict[str, str]:
    return {item.id: item.kind for item in instrument.items}


def test_scale_scores_have_every_scale_of_every_shipped_instrument(exported: tuple[Path, Path, Study]) -> None:
    _, out, _ = exported
    expected = {(i.id, scale.id) for i in BANK.values() for scale in i.scales}
    assert {i.audience for i in BANK.values() if i.scales} == {"pupil", "teacher", "roster", "team"}
    scores = csv_rows(out / "scale_scores.csv")
    assert {(r["instrument"], r["scale"]) for r in scores} == expected
    scored = {(r["instrument"], r["scale"]) for r in scores if r["score"] != ""}
    assert scored == expected, "every scale has at least one score"
    assert {(r["instrument"], r["scale"]) for r in csv_rows(out / "scales.csv")} == expected


def test_roster_rows_are_about_pupils_of_the_teachers_class(exported: tuple[Path, Path, Study]) -> None:
    _, out, study = exported
    pupils_of = {c.teacher: set(c.pupils) for c in study.classes}
    for name in ("items_long", "scale_scores", "sessions"):
        roster = [r for r in csv_rows(out / f"{name}.csv") if r["audience"] == "roster"]
        assert roster, name
        assert all(r["target"] in pupils_of[r["respondent"]] for r in roster), name
    # every pupil is rated in every wave, absent or not
    ratings = {(r["wave"], r["target"]) for r in csv_rows(out / "sessions.csv") if r["instrument"] == "roster_ratings"}
    assert ratings == {(w.id, code) for w in study.waves for c in study.classes for code in c.pupils}


def test_codebook_matches_the_banks_item_by_item(exported: tuple[Path, Path, Study]) -> None:
    _, out, _ = exported
    expected = []
    for instrument in sorted(BANK.values(), key=lambda i: i.id):
        for item in instrument.items:
            allowed = instrument.allowed_values(item)
            expected.append({
                "instrument": instrument.id,
                "item": item.id,
                "scale": ";".join(s.id for s in instrument.scales if item.id in s.items),
                "reverse": "1" if item.reverse else "0",
                "min": "" if allowed is None else str(allowed.start),
                "max": "" if allowed is None else str(allowed.stop - 1),
                "text_nl": item.text.nl,
                "text_en": item.text.en,
            })
    assert csv_rows(out / "codebook.csv") == expected
    assert {"options", "number", "text"} <= {kind for i in BANK.values() for kind in kinds(i).values()}


def test_value_labels_cover_every_code_of_every_options_item(exported: tuple[Path, Path, Study]) -> None:
    _, out, _ = exported
    labels: dict[tuple[str, str], list[tuple[int, str, str]]] = defaultdict(list)
    for r in csv_rows(out / "value_labels.csv"):
        labels[(r["instrument"], r["item"])].append((int(r["value"]), r["label_nl"], r["label_en"]))
    expected = {
        (i.id, item.id): [(code, text.nl, text.en) for code, text in sorted(i.response_for(item).labels.items())]
        for i in BANK.values() for item in i.items if item.kind == "options"
    }
    assert dict(labels) == expected
    for (name, item_id), given in labels.items():
        response = BANK[name].response_for(BANK[name].item(item_id))
        codes = [code for code, _, _ in given]
        assert codes == (list(response.values) if response.labelled == "all" else [response.min, response.max])


def test_items_long_carries_every_kind_and_open_text_verbatim(exported: tuple[Path, Path, Study]) -> None:
    data, out, _ = exported
    items = csv_rows(out / "items_long.csv")
    kind_of = {(i.id, item): kind for i in BANK.values() for item, kind in kinds(i).items()}
    assert {kind_of[(r["instrument"], r["item"])] for r in items} == {"options", "number", "text"}
    assert all(re.fullmatch(r"-?\d+", r["value"]) for r in items if kind_of[(r["instrument"], r["item"])] != "text")
    # every open answer in the session files, exactly as typed (\r\n written as \n)
    typed = {}
    for path in sorted((data / "sessions").glob("*/*/*/*.json")):
        record = read_session(path)
        for item, value in record.answers().items():
            if isinstance(value, str) and value:
                typed[(record.meta.session_id, item)] = value.replace("\r\n", "\n")
    text_rows = {(r["session_id"], r["item"]): r["value"] for r in items if kind_of[(r["instrument"], r["item"])] == "text"}
    assert text_rows == typed
    assert TRICKY in text_rows.values() and WINDOWS.replace("\r\n", "\n") in text_rows.values()
    assert len(typed) > 3, "the simulation answers open questions too"
    raw = (out / "items_long.csv").read_bytes().decode("utf-8")
    assert "\r" not in raw and json.dumps(TRICKY)[1:-1] not in raw  # quoted as CSV, not JSON-escaped


def test_open_text_never_reaches_scale_scores(exported: tuple[Path, Path, Study]) -> None:
    _, out, _ = exported
    scores = csv_rows(out / "scale_scores.csv")
    for r in scores:
        instrument = BANK[r["instrument"]]
        scale = next(s for s in instrument.scales if s.id == r["scale"])
        assert all(instrument.item(item).kind == "options" for item in scale.items), r
        assert int(r["n_valid"]) <= len(scale.items)
    text_items = {item for i in BANK.values() for item, kind in kinds(i).items() if kind == "text"}
    assert text_items and not text_items & {r["scale"] for r in scores}
    only_text = {i.id for i in BANK.values() if set(kinds(i).values()) == {"text"}}
    answered = {r["instrument"] for r in csv_rows(out / "sessions.csv") if int(r["n_answered"]) > 0}
    assert only_text & answered, "open questions were answered"
    assert not only_text & {r["instrument"] for r in scores}
