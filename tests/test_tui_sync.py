"""The researcher's Bundels screen (b on the dashboard): a bundle onto a USB stick folder, then
the stick's bundles merged into a dataset with the private key and passphrase; a wrong
passphrase is one line on the screen and the dataset stays as it was. A snapshot at 80x24."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Static

from storage import DataFolder
from storage.keys import generate, inline_text, load_public
from tui.researcher.sync_screen import SyncScreen
from pilot import pilot_test, settle
from test_bundle import session_ids, tree_hashes
from test_tui_researcher import SnapCompare, enter_pin, folder, make_app, simulated_root, with_pin  # noqa: F401

PASSPHRASE = "op kantoor open"


async def open_sync(pilot: Pilot) -> None:
    await enter_pin(pilot)
    await pilot.press("b")
    await settle(pilot)


async def type_into(pilot: Pilot, selector: str, text: str) -> None:
    field = pilot.app.screen.query_one(selector, Input)
    field.value = text
    await pilot.pause()


def report(pilot: Pilot) -> str:
    return str(pilot.app.screen.query_one("#sync-report", Static).render())


def seal_for_study(folder: DataFolder, keys: Path) -> Path:
    """A key pair, and the study naming its public key: bundles from this laptop are sealed."""
    private, public, _ = generate(keys, PASSPHRASE)
    with folder.study_path.open("a", encoding="utf-8") as study:
        study.write(f"bundle_recipient: \"{inline_text(load_public(public))}\"\n")
    return private


@pilot_test
async def test_a_bundle_onto_a_stick_then_merged_into_a_dataset(with_pin: DataFolder, tmp_path: Path) -> None:
    private = seal_for_study(with_pin, tmp_path / "keys")
    usb = tmp_path / "usb"
    usb.mkdir()
    app = make_app(with_pin)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_sync(pilot)
        assert isinstance(app.screen, SyncScreen)
        await type_into(pilot, "#bundle-folder", str(usb))
        await pilot.click("#bundle")
        await settle(pilot)
        [bundle] = usb.glob("*.klaspeil")
        assert "Bundel gemaakt" in report(pilot) and "versleuteld voor sleutel" in report(pilot)
        assert bundle.read_bytes().startswith(b"KLASPEIL-SEALED")
        # at the office: the stick's folder into a new dataset, a wrong passphrase first
        dataset = tmp_path / "dataset"
        await type_into(pilot, "#merge-from", str(usb))
        await type_into(pilot, "#merge-into", str(dataset))
        await type_into(pilot, "#merge-key", str(private))
        await type_into(pilot, "#merge-passphrase", "niet de wachtwoordzin")
        await pilot.click("#merge")
        await settle(pilot)
        assert report(pilot) == f"{private}: wrong passphrase (or the key file is damaged)"
        assert not (dataset / "sessions").exists() or session_ids(dataset) == set()
        before = tree_hashes(dataset) if dataset.exists() else {}
        assert not any(name.startswith("sessions/") for name in before)
        await type_into(pilot, "#merge-passphrase", PASSPHRASE)
        await pilot.click("#merge")
        await settle(pilot)
        finished = {p.stem for p in with_pin.session_paths() if b'"finished_at":null' not in p.read_bytes()}
        assert session_ids(dataset) == finished
        assert f"Sessies: {len(finished)} nieuw, 0 ongewijzigd, 0 in conflict" in report(pilot)
        # the same stick again: nothing changes
        merged = tree_hashes(dataset)
        await pilot.click("#merge")
        await settle(pilot)
        assert "Sessies: 0 nieuw, 0 ongewijzigd" in report(pilot) and "1 al eerder samengevoegd" in report(pilot)
        assert tree_hashes(dataset) == merged
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, SyncScreen)


@pilot_test
async def test_a_folder_that_is_not_there_is_said_plainly(with_pin: DataFolder, tmp_path: Path) -> None:
    app = make_app(with_pin)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_sync(pilot)
        assert "niet versleuteld" in str(app.screen.query_one("#bundle-sealing", Static).render())
        await type_into(pilot, "#bundle-folder", str(tmp_path / "no-stick"))
        await pilot.click("#bundle")
        await settle(pilot)
        assert report(pilot) == f"{tmp_path / 'no-stick'}: geen map (zit de USB-stick erin?)"


def test_sync_screen(with_pin: DataFolder, snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app(with_pin), terminal_size=(80, 24), run_before=open_sync)
