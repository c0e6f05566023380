"""The yardstick for bench/next_item.py: the least a Textual app does to put the next item's
sentence on screen (no saving). next_item.py runs it as `next_item.py --bare-app`."""

from __future__ import annotations

from answer_stores import INSTRUMENT

from instruments import shipped


def bare_app() -> None:
    """The yardstick: the least a Textual app does to put the next sentence on screen (no saving)."""
    from textual.app import App, ComposeResult
    from textual.events import Key
    from textual.widgets import Label, Static

    sentences = [item.text.nl for item in shipped()[INSTRUMENT].items]

    class BareItems(App[None]):
        index = 0

        def compose(self) -> ComposeResult:
            yield Label(id="progress")
            yield Static(id="item-text")
            yield Static(id="chosen")

        def on_mount(self) -> None:
            self.show()

        def show(self) -> None:
            self.query_one("#progress", Label).update(f"vraag {self.index + 1} van {len(sentences)}")
            self.query_one("#item-text", Static).update(sentences[self.index])
            self.query_one("#chosen", Static).update("")

        def on_key(self, event: Key) -> None:
            if event.key in "12345":
                self.query_one("#chosen", Static).update(f"▶ {event.key}  gekozen")
            elif event.key == "enter":
                self.index = (self.index + 1) % len(sentences)
                self.show()

    BareItems().run()
