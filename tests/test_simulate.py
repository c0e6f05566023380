"""`klaspeil simulate`: deterministic, realistic synthetic sessions through the real storage path."""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from itertools import combinations
from pathlib import Path

import pandas as pd
import pytest

from instruments import shipped
from storage import DataFolder, Session, StorageError, codes
from storage.simulate import simulate

KLASPEIL = Path(sys.executable).parent / "klaspeil"
MOTIVATION = shipped()["pupil_motivation"]
SCALE_OF = {item: scale.id for scale in MOTIVATION.scales for item in scale.items}
SUMMARY = re.compile(
    r"simulated (\d+) class(?:es)?, (\d+) pupils?, (\d+) waves?: (\d+) sessions? \((\d+) finished\), (\d+) answers? in (.+)"
)


def klaspeil(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(KLASPEIL), *map(str, args)], capture_output=True, text=True, timeout=300)


def run(root: Path, classes: int, pupils: int, waves: int, seed: int) -> str:
    folder = DataFolder(root).lock()
    try:
        return simulate(folder, classes=classes, pupils=pupils, waves=waves, seed=seed)
    finally:
        folder.unlock()


def sessions_in(root: Path) -> list[Session]:
    return [Session(path) for path in DataFolder(root).session_paths()]


def contents(root: Path) -> list[tuple]:
    """What a simulation decided: ids, who, order shown, every answer record (not the clock times)."""
    return [
        (s.meta.session_id, s.meta.wave, s.meta.class_id, s.meta.respondent, tuple(s.meta.item_order), s.finished,
         tuple((a.item, a.value, a.shown_ms) for a in s.history()))
        for s in sessions_in(root)
    ]


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """12 classes x 25 pupils x 2 waves: enough sessions for proportions and correlations."""
    root = tmp_path_factory.mktemp("large")
    return root, run(root, classes=12, pupils=25, waves=2, seed=3)


def test_same_seed_same_study_answers_and_session_ids(tmp_path: Path) -> None:
    run(tmp_path / "a", classes=2, pupils=8, waves=2, seed=42)
    run(tmp_path / "b", classes=2, pupils=8, waves=2, seed=42)
    run(tmp_path / "c", classes=2, pupils=8, waves=2, seed=43)
    assert (tmp_path / "a" / "study.yaml").read_bytes() == (tmp_path / "b" / "study.yaml").read_bytes()
    assert contents(tmp_path / "a") == contents(tmp_path / "b")
    assert len(contents(tmp_path / "a")) > 20
    assert contents(tmp_path / "a") != contents(tmp_path / "c")
    assert (tmp_path / "a" / "study.yaml").read_bytes() != (tmp_path / "c" / "study.yaml").read_bytes()


def test_summary_counts_what_is_stored(large: tuple[Path, str]) -> None:
    root, summary = large
    match = SUMMARY.fullmatch(summary)
    assert match, summary
    classes, pupils, waves, n_sessions, n_finished, n_answers = map(int, match.groups()[:6])
    assert (classes, pupils, waves, Path(match.group(7))) == (12, 300, 2, root)
    sessions = sessions_in(root)
    assert len(sessions) == n_sessions
    assert sum(s.finished for s in sessions) == n_finished
    assert sum(v is not None for s in sessions for v in s.answers().values()) == n_answers
    # about 3% absent per wave, about 5% unfinished, about 3% of items skipped
    assert 0.93 * 600 <= n_sessions < 600
    assert 0.01 * n_sessions <= n_sessions - n_finished <= 0.10 * n_sessions
    finished = [s for s in sessions if s.finished]
    unanswered = sum(9 - sum(v is not None for v in s.answers().values()) for s in finished)
    assert 0.01 <= unanswered / (9 * len(finished)) <= 0.06


def test_sessions_look_like_the_tui_wrote_them(large: tuple[Path, str]) -> None:
    root, _ = large
    study = DataFolder(root).study()
    roster = {code: c.id for c in study.classes for code in c.pupils}
    assert [c.teacher_term for c in study.classes][:3] == ["juf", "meester", "juf/meester"]
    assert all(codes.is_valid(code) for code in roster)
    sessions = sessions_in(root)
    orders = {tuple(s.meta.item_order) for s in sessions}
    assert all(sorted(order) == sorted(SCALE_OF) for order in orders)
    assert len(orders) > 50, "item order is shuffled per respondent"
    for session in sessions:
        meta = session.meta
        assert uuid.UUID(meta.session_id).version == 4
        assert roster[meta.respondent] == meta.class_id and meta.audience == "pupil" and meta.target is None
        history = session.history()
        assert all(1500 <= a.shown_ms <= 9000 for a in history)
        assert all(a.value is None or 1 <= a.value <= 5 for a in history)
        # answers come in the order shown (a change of answer right after the first one)
        shown = list(dict.fromkeys(a.item for a in history))
        assert shown == [item for item in meta.item_order if item in shown]
        if not session.finished:
            assert session.first_unanswered() < 9
    # the audit trail holds some changed and some cleared answers
    changed = sum(len(s.history()) > len({a.item for a in s.history()}) for s in sessions)
    assert changed > 0


def items_wide(root: Path) -> pd.DataFrame:
    return pd.DataFrame([
        {"session": s.meta.session_id, **{k: v for k, v in s.answers().items() if v is not None}}
        for s in sessions_in(root)
    ]).set_index("session")[list(SCALE_OF)].astype("float64")


def test_items_correlate_within_a_scale_more_than_across(large: tuple[Path, str]) -> None:
    wide = items_wide(large[0])
    r = wide.corr()
    within = [r.loc[a, b] for a, b in combinations(SCALE_OF, 2) if SCALE_OF[a] == SCALE_OF[b]]
    across = [r.loc[a, b] for a, b in combinations(SCALE_OF, 2) if SCALE_OF[a] != SCALE_OF[b]]
    assert sum(within) / len(within) > 0.3
    assert abs(sum(across) / len(across)) < 0.2
    assert sum(within) / len(within) > sum(across) / len(across) + 0.2
    for scale in MOTIVATION.scales:
        complete = wide[scale.items].dropna()
        k = len(scale.items)
        alpha = k / (k - 1) * (1 - complete.var().sum() / complete.sum(axis=1).var())
        assert 0.65 <= alpha <= 0.9, (scale.id, alpha)
    autonomous = wide[[i for i in SCALE_OF if SCALE_OF[i] == "autonomous_motivation"]].mean().mean()
    controlled = wide[[i for i in SCALE_OF if SCALE_OF[i] == "controlled_motivation"]].mean().mean()
    assert autonomous > controlled + 0.5


def test_check_passes_on_simulated_data(tmp_path: Path) -> None:
    result = klaspeil("simulate", "--data", tmp_path, "--classes", 2, "--pupils", 5, "--waves", 1, "--seed", 9)
    assert result.returncode == 0, result.stderr
    assert SUMMARY.fullmatch(result.stdout.strip())
    checked = klaspeil("check", "--data", tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_refuses_a_folder_with_another_study(tmp_path: Path) -> None:
    folder = DataFolder(tmp_path)
    folder.install_demo()
    before = folder.study_path.read_bytes()
    result = klaspeil("simulate", "--data", tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "demo" in result.stderr and str(folder.study_path) in result.stderr
    assert folder.study_path.read_bytes() == before
    assert not list(folder.session_paths())


def test_refuses_to_simulate_twice_into_one_folder(tmp_path: Path) -> None:
    run(tmp_path, classes=1, pupils=4, waves=1, seed=1)
    before = contents(tmp_path)
    with pytest.raises(StorageError, match="already holds"):
        run(tmp_path, classes=1, pupils=4, waves=1, seed=1)
    with pytest.raises(StorageError, match="other options"):
        run(tmp_path, classes=2, pupils=4, waves=1, seed=1)
    assert contents(tmp_path) == before


def test_item_order_is_seeded_from_the_session_id_as_in_the_tui(large: tuple[Path, str]) -> None:
    import random

    for session in sessions_in(large[0])[:50]:
        meta = session.meta
        assert meta.item_order == MOTIVATION.shown_order(random.Random(meta.session_id))
