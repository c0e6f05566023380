"""reliability.csv and item_total.csv: alpha and Feldt's interval as pingouin computes them,
omega from a one-factor ML fit that recovers known loadings, the warnings a researcher acts on.

Alpha is checked on simulated data of every audience (missing answers, the reverse-keyed
teacher_mindset and team items) against pingouin on wide tables recomputed here from
items_long and the codebook, so that a mistake in our pivot or reverse keying shows too.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pingouin
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.decomposition import FactorAnalysis

from exports.omega import one_factor_ml
from exports.reading import read_sessions
from exports.reliability import ITEM_TOTAL, RELIABILITY, reliability_tables, scale_statistics
from exports.tables import build
from instruments import Instrument, load_instrument
from storage import DataFolder
from storage.simulate import simulate
from command import csv_rows, klaspeil, simulated_export

SCORING_YAML = Path(__file__).parent / "data" / "scoring_instrument.yaml"
NEGATIVE = "correlates negatively with the rest of the scale: is its reverse key right?"


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """Every table of the export of 12 classes x 8 pupils x 2 waves (about 1,500 sessions)."""
    folder = DataFolder(tmp_path_factory.mktemp("data")).lock()
    try:
        simulate(folder, classes=12, pupils=8, waves=2, seed=5)
    finally:
        folder.unlock()
    instruments = folder.instruments()
    sessions, answers = read_sessions(folder, instruments)
    tables = build(sessions, answers, instruments.values(), ["w1", "w2"])
    return {name: table.frame for name, table in tables.items()}


def keyed_wide(simulated: dict[str, pd.DataFrame], instrument: str, scale: str, wave: str) -> pd.DataFrame:
    """Sessions x items of one scale and wave, reverse keyed from the codebook, NaN where unanswered."""
    codebook = simulated["codebook"]
    on_scale = codebook[(codebook["instrument"] == instrument) & codebook["scale"].fillna("").str.split(";").map(
        lambda scales: scale in scales
    )].set_index("item")
    rows = simulated["items_long"]
    rows = rows[(rows["instrument"] == instrument) & (rows["wave"] == wave) & rows["item"].isin(on_scale.index)]
    wide = rows.pivot(index="session_id", columns="item", values="value").astype("float64")
    wide = wide.reindex(columns=on_scale.index)
    turned = on_scale["min"].astype(float) + on_scale["max"].astype(float) - wide
    return wide.where(on_scale["reverse"] == 0, turned, axis=1)


def estimated(simulated: dict[str, pd.DataFrame]) -> pd.DataFrame:
    reliability = simulated["reliability"]
    return reliability[reliability["alpha"].notna()]


def test_the_simulation_has_what_the_comparison_needs(simulated: dict[str, pd.DataFrame]) -> None:
    """Missing answers (n below the sessions of the wave) and reverse-keyed items among the alphas."""
    rows = estimated(simulated)
    assert {"teacher_mindset", "team_collective_efficacy", "pupil_motivation", "roster_ratings"} <= set(rows["instrument"])
    assert len(rows) >= 50
    reversed_items = simulated["codebook"].query("reverse == 1")["instrument"]
    assert set(reversed_items) & set(rows["instrument"])
    some = rows.iloc[0]
    wide = keyed_wide(simulated, some["instrument"], some["scale"], some["wave"])
    assert wide.isna().any(axis=1).sum() > 0 and some["n"] < len(wide)


def test_alpha_equals_pingouin_listwise_to_1e9(simulated: dict[str, pd.DataFrame]) -> None:
    for row in estimated(simulated).itertuples():
        wide = keyed_wide(simulated, row.instrument, row.scale, row.wave)
        theirs, _ = pingouin.cronbach_alpha(wide, nan_policy="listwise", ci=0.95)
        assert row.alpha == pytest.approx(theirs, abs=1e-9), (row.instrument, row.scale, row.wave)
        assert row.n == len(wide.dropna()) and row.n_items == wide.shape[1]


def test_feldt_interval_equals_pingouin(simulated: dict[str, pd.DataFrame]) -> None:
    """pingouin rounds its interval to 3 decimals; ours rounds to the same. (On data with gaps
    pingouin takes n from before its listwise deletion; given the complete rows it uses their n,
    which is what we do and what R psych does with use = "complete.obs".)"""
    for row in estimated(simulated).itertuples():
        complete = keyed_wide(simulated, row.instrument, row.scale, row.wave).dropna()
        _, (low, high) = pingouin.cronbach_alpha(complete, ci=0.95)
        assert (round(row.alpha_ci_low, 3), round(row.alpha_ci_high, 3)) == pytest.approx((low, high), abs=1e-12)
        assert row.alpha_ci_low < row.alpha < row.alpha_ci_high


def test_item_total_r_and_alpha_if_deleted_recomputed(simulated: dict[str, pd.DataFrame]) -> None:
    item_total = simulated["item_total"].set_index(["instrument", "scale", "wave", "item"])
    for row in estimated(simulated).itertuples():
        complete = keyed_wide(simulated, row.instrument, row.scale, row.wave).dropna()
        for item in complete.columns:
            ours = item_total.loc[(row.instrument, row.scale, row.wave, item)]
            others = complete.drop(columns=item)
            assert ours["n"] == row.n
            if complete[item].std() > 0:
                assert ours["item_total_r"] == pytest.approx(complete[item].corr(others.sum(axis=1)), abs=1e-9)
            if others.shape[1] >= 2:
                assert ours["alpha_if_deleted"] == pytest.approx(pingouin.cronbach_alpha(others)[0], abs=1e-9)
            else:
                assert pd.isna(ours["alpha_if_deleted"])


def test_every_scale_of_every_instrument_has_a_row_per_wave(simulated: dict[str, pd.DataFrame]) -> None:
    reliability = simulated["reliability"]
    assert list(reliability.columns) == RELIABILITY and list(simulated["item_total"].columns) == ITEM_TOTAL
    answered = simulated["items_long"][["instrument", "wave"]].drop_duplicates()
    expected = answered.merge(simulated["scales"][["instrument", "scale", "n_items"]], on="instrument")
    got = reliability[["instrument", "scale", "wave", "n_items"]]
    assert sorted(map(tuple, got.to_numpy())) == sorted(map(tuple, expected[got.columns].to_numpy()))
    # instruments, then scales in their file order, each scale's waves in the study's order
    motivation = reliability[reliability["instrument"] == "pupil_motivation"]
    assert list(zip(motivation["scale"], motivation["wave"])) == [
        ("autonomous_motivation", "w1"), ("autonomous_motivation", "w2"),
        ("controlled_motivation", "w1"), ("controlled_motivation", "w2"),
    ]


def test_one_item_scales_are_counted_not_estimated(simulated: dict[str, pd.DataFrame]) -> None:
    reliability = simulated["reliability"].set_index(["instrument", "scale", "wave"])
    row = reliability.loc[("roster_ratings", "ses_estimate", "w1")]
    items = simulated["items_long"]
    answered = items[(items["instrument"] == "roster_ratings") & (items["wave"] == "w1") & (items["item"] == "ses_estimate")]
    assert row["n"] == answered["session_id"].nunique() > 0
    assert row["n_items"] == 1
    assert row[["alpha", "alpha_ci_low", "alpha_ci_high", "omega"]].isna().all()
    assert row["warning"] == ""


def test_wave_order_is_the_studys_not_the_datas(simulated: dict[str, pd.DataFrame]) -> None:
    items_long = simulated["items_long"]
    tables = reliability_tables(items_long, [load_instrument(SCORING_YAML)], ["w2", "w1"])
    assert tables["reliability"].frame.empty  # no answers to this instrument: no rows, and no error
    instrument = _bank("pupil_motivation")
    rows = reliability_tables(items_long, [instrument], ["w2", "w1"])["reliability"].frame
    assert list(rows["wave"]) == ["w2", "w1", "w2", "w1"]


def _bank(instrument_id: str) -> Instrument:
    from instruments import shipped

    return shipped()[instrument_id]


# --- made-up data with a known structure -------------------------------------------------------


def one_factor_answers(loadings: list[float], n: int, seed: int, reverse: list[bool]) -> np.ndarray:
    """n x k answers on 1..5 from a one-factor model; a reverse-keyed item is answered turned around."""
    rng = np.random.default_rng(seed)
    loadings_ = np.asarray(loadings)
    latent = rng.standard_normal((n, 1)) * loadings_ + rng.standard_normal((n, len(loadings_))) * np.sqrt(1 - loadings_**2)
    answers = np.clip(np.round(3 + 1.1 * latent), 1, 5).astype(int)
    answers[:, reverse] = 6 - answers[:, reverse]
    return answers


def long_rows(instrument: str, items: list[str], answers: np.ndarray, wave: str = "w1") -> pd.DataFrame:
    """items_long of a sessions x items matrix of answers (NaN = no answer)."""
    session, column = np.nonzero(~np.isnan(np.asarray(answers, dtype=float)))
    values = np.asarray(answers)[session, column].astype(int)
    return pd.DataFrame({
        "session_id": [f"s{i}" for i in session], "wave": wave, "instrument": instrument,
        "item": [items[j] for j in column], "value": pd.Series(values.tolist(), dtype="object"),
    })


def mood_instrument(tmp_path: Path, wrong_key: bool) -> Instrument:
    """The test instrument, or a copy of it whose mood_3r lost its `reverse: true` (a typo in the bank)."""
    text = SCORING_YAML.read_text(encoding="utf-8")
    if wrong_key:
        line = "{id: mood_3r, text: {nl: Ik ben vaak boos., en: I am often angry.}, response: agree5, reverse: true}"
        assert line in text
        text = text.replace(line, line.replace(", reverse: true", ""))
    path = tmp_path / "scoring_instrument.yaml"
    path.write_text(text, encoding="utf-8")
    return load_instrument(path)


MOOD = ["mood_1", "mood_2", "mood_3r", "mood_4r"]


def test_a_wrong_reverse_key_is_flagged_on_the_scale_and_the_item(tmp_path: Path) -> None:
    answers = one_factor_answers([0.8, 0.7, 0.75, 0.7], n=300, seed=1, reverse=[False, False, True, True])
    items_long = long_rows("scoring_test", MOOD, answers)
    right = reliability_tables(items_long, [mood_instrument(tmp_path, wrong_key=False)], ["w1"])
    mood = right["reliability"].frame.set_index("scale").loc["mood"]
    assert mood["n"] == 300 and mood["alpha"] > 0.75 and mood["warning"] == ""
    wrong = reliability_tables(items_long, [mood_instrument(tmp_path, wrong_key=True)], ["w1"])
    scale = wrong["reliability"].frame.set_index("scale").loc["mood"]
    items = wrong["item_total"].frame.query("scale == 'mood'").set_index("item")
    assert items.loc["mood_3r", "reverse"] == 0 and items.loc["mood_3r", "item_total_r"] < 0
    assert items.loc["mood_3r", "warning"] == f"item mood_3r {NEGATIVE}"
    assert (items.drop(index="mood_3r")["warning"] == "").all()
    assert f"item mood_3r {NEGATIVE}" in scale["warning"].split("; ")
    assert "alpha below .60" in scale["warning"].split("; ")  # the wrong key pulls alpha down too
    assert scale["alpha"] < mood["alpha"] - 0.3 and scale["omega"] < mood["omega"]


def test_two_item_scale_alpha_without_omega_or_alpha_if_deleted(tmp_path: Path) -> None:
    answers = one_factor_answers([0.7, 0.8], n=50, seed=2, reverse=[False, False]) - 1.0  # effort is 0..4
    answers[:5, 1] = np.nan  # five sessions left effort_2 open: listwise, n = 45
    rows = reliability_tables(long_rows("scoring_test", ["effort_1", "effort_2"], answers),
                              [mood_instrument(tmp_path, False)], ["w1"])
    effort = rows["reliability"].frame.set_index("scale").loc["effort"]
    complete = pd.DataFrame(answers[5:], columns=["effort_1", "effort_2"])
    assert effort["n"] == 45 and effort["n_items"] == 2
    assert effort["alpha"] == pytest.approx(pingouin.cronbach_alpha(complete)[0], abs=1e-12)
    assert pd.isna(effort["omega"]) and effort["warning"] == "omega needs 3 or more items"
    items = rows["item_total"].frame.query("scale == 'effort'")
    r = complete["effort_1"].corr(complete["effort_2"])
    assert list(items["item_total_r"]) == pytest.approx([r, r], abs=1e-12)
    assert items["alpha_if_deleted"].isna().all()


def test_too_few_complete_sessions_and_no_variance_leave_alpha_empty(tmp_path: Path) -> None:
    instrument = mood_instrument(tmp_path, False)
    two = np.array([[5, 4, 2, 1], [4, 4, 2, 2], [3, np.nan, 3, 3]])  # the third session skipped mood_2
    few = reliability_tables(long_rows("scoring_test", MOOD, two), [instrument], ["w1"])["reliability"].frame
    mood = few.set_index("scale").loc["mood"]
    assert mood["n"] == 2 and pd.isna(mood["alpha"]) and mood["warning"] == "only 2 complete sessions: too few for alpha"
    same = np.array([[4, 4, 2, 2]] * 10)
    flat = reliability_tables(long_rows("scoring_test", MOOD, same), [instrument], ["w1"])["reliability"].frame
    mood = flat.set_index("scale").loc["mood"]
    assert mood["n"] == 10 and pd.isna(mood["alpha"]) and pd.isna(mood["omega"])
    assert mood["warning"] == "no variance: every complete session has the same total"


@settings(max_examples=60, deadline=None)
@given(st.tuples(st.integers(3, 40), st.integers(2, 6)).flatmap(lambda shape: arrays(
    np.float64, shape, elements=st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0, np.nan]),
)))
def test_any_answers_alpha_and_item_total_r_as_pingouin_and_pandas(answers: np.ndarray) -> None:
    """Whatever the answers and gaps: alpha as pingouin's listwise alpha, r as pandas' corr."""
    items = [f"i{j}" for j in range(answers.shape[1])]
    stats = scale_statistics(answers, items)
    complete = pd.DataFrame(answers, columns=items).dropna()
    assert stats.n == len(complete)
    if len(complete) < 3 or complete.sum(axis=1).var() == 0:
        assert np.isnan(stats.alpha) and stats.warnings
        return
    assert stats.alpha == pytest.approx(pingouin.cronbach_alpha(complete)[0], abs=1e-9)
    assert stats.item_total_r is not None
    for j, item in enumerate(items):
        if complete[item].var() > 0 and complete.drop(columns=item).sum(axis=1).var() > 0:
            assert stats.item_total_r[j] == pytest.approx(complete[item].corr(complete.drop(columns=item).sum(axis=1)), abs=1e-9)


# --- omega ---------------------------------------------------------------------------------------


def population(loadings: np.ndarray) -> np.ndarray:
    correlation = np.outer(loadings, loadings)
    np.fill_diagonal(correlation, 1.0)
    return correlation


def omega_of(loadings: np.ndarray) -> float:
    return loadings.sum() ** 2 / (loadings.sum() ** 2 + (1 - loadings**2).sum())


@pytest.mark.parametrize("loadings", [
    [0.8, 0.7, 0.6], [0.8, 0.7, 0.6, 0.5, 0.4, 0.75], [0.3, 0.25, 0.35, 0.3],
    [0.9, 0.85, 0.8, 0.9, 0.75, 0.7, 0.6, 0.65], [0.7, -0.5, 0.6, 0.6],
])
def test_omega_recovers_the_loadings_of_an_exact_one_factor_matrix(loadings: list[float]) -> None:
    truth = np.asarray(loadings)
    fit = one_factor_ml(population(truth))
    assert fit.converged and fit.heywood == ()
    assert fit.loadings == pytest.approx(truth, abs=1e-6)
    assert fit.omega == pytest.approx(omega_of(truth), abs=1e-6)


def test_omega_from_a_large_sample_is_near_the_population_value() -> None:
    truth = np.array([0.8, 0.6, 0.7, 0.5, 0.65])
    rng = np.random.default_rng(7)
    sample = rng.standard_normal((200_000, 1)) * truth + rng.standard_normal((200_000, 5)) * np.sqrt(1 - truth**2)
    fit = one_factor_ml(np.corrcoef(sample, rowvar=False))
    assert fit.loadings == pytest.approx(truth, abs=0.01)
    assert fit.omega == pytest.approx(omega_of(truth), abs=0.005)


def test_loadings_equal_scikit_learns_maximum_likelihood_factor_analysis() -> None:
    """An independent ML fit (scikit-learn's FactorAnalysis: SVD-based iterations on the data,
    not our optimiser on the correlations) of standardised data gives the same loadings."""
    truth = np.array([0.7, 0.5, 0.6, 0.4, 0.55, 0.3])
    rng = np.random.default_rng(3)
    sample = rng.standard_normal((400, 1)) * truth + rng.standard_normal((400, 6)) * np.sqrt(1 - truth**2)
    standardised = (sample - sample.mean(axis=0)) / sample.std(axis=0)
    theirs = FactorAnalysis(n_components=1, tol=1e-12, max_iter=100_000, svd_method="lapack").fit(standardised)
    their_loadings = theirs.components_.ravel() * np.sign(theirs.components_.sum())
    ours = one_factor_ml(np.corrcoef(sample, rowvar=False))
    assert ours.loadings == pytest.approx(their_loadings, abs=1e-4)


def test_an_item_that_is_the_factor_is_a_heywood_case() -> None:
    """Uniqueness 0 lies outside factanal's bounds: the fit stops at .005 and says which item."""
    fit = one_factor_ml(population(np.array([1.0, 0.6, 0.5, 0.4])))
    assert fit.heywood == (0,)
    assert fit.loadings[0] == pytest.approx(np.sqrt(0.995), abs=1e-6)


# --- the real command line ---------------------------------------------------------------------


def test_export_writes_reliability_csv_for_every_scale_and_wave(tmp_path: Path) -> None:
    data, out = tmp_path / "data", tmp_path / "out"
    simulated_export(data, out, classes=3, pupils=10, waves=3, seed=2)
    header = (out / "reliability.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "instrument,scale,wave,n,n_items,alpha,alpha_ci_low,alpha_ci_high,omega,warning"
    item_header = (out / "item_total.csv").read_text(encoding="utf-8").splitlines()[0]
    assert item_header == "instrument,scale,wave,item,reverse,n,item_total_r,alpha_if_deleted,warning"
    rows = csv_rows(out / "reliability.csv")
    answered = {(row["instrument"], row["wave"]) for row in csv_rows(out / "items_long.csv")}
    # scales.csv lists instruments and their scales in the order reliability.csv should follow
    expected = [
        (scale["instrument"], scale["scale"], wave)
        for scale in csv_rows(out / "scales.csv")
        for wave in ["w1", "w2", "w3"]
        if (scale["instrument"], wave) in answered
    ]
    assert [(row["instrument"], row["scale"], row["wave"]) for row in rows] == expected
    assert {row["wave"] for row in rows} == {"w1", "w2", "w3"}
    motivation = [row for row in rows if row["scale"] == "autonomous_motivation"]
    assert all(0 < float(row["alpha"]) < 1 and float(row["alpha_ci_low"]) < float(row["alpha"]) for row in motivation)
