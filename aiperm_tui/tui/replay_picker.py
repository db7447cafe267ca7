"""The session picker of `aiperm replay` without a SESSION: the `aiperm sessions` list,
newest first, narrowed as you type (by id, agent, host, preset or user)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from aiperm_tui.errors import AipermError
from aiperm_tui.replay.recording import Recording
from aiperm_tui.session import SessionInfo, list_sessions
from aiperm_tui.textsafe import escape_control


def session_line(info: SessionInfo) -> Content:
    """One row: id, start, agent, hosts, counts, and whether it closed cleanly."""
    argv = [str(a) for a in info.agent]  # the program by its name, as the broker shows it
    shown = " ".join([Path(argv[0]).name, *argv[1:]]) if argv else ""
    agent = escape_control(shown, keep_newlines=False)[:40]
    hosts = escape_control(",".join(map(str, info.hosts)), keep_newlines=False)[:30]
    state = ("", "") if info.closed else (" not closed", "$text-warning")
    key = (" ephemeral key", "$text-warning") if info.ephemeral else ("", "")
    return Content.assemble(
        (info.id, "bold"),
        ("  ", ""),
        (info.start[:19].replace("T", " "), "$text-muted"),
        ("  ", ""),
        (agent, ""),
        ("  @", "$text-muted"),
        (hosts, "bold"),  # not the primary colour: the highlighted row's background
        (
            f"  {info.requests} requests, {info.commands_run} run, {info.denied} denied",
            "$text-muted",
        ),
        state,
        key,
    )


def matches(info: SessionInfo, text: str) -> bool:
    """Whether the filter text occurs in any of the fields a person would search."""
    needle = text.strip().lower()
    fields = [
        info.id,
        info.start,
        info.preset,
        info.user,
        *map(str, info.agent),
        *map(str, info.hosts),
    ]
    return not needle or any(needle in str(f).lower() for f in fields)


class SessionPicker(Screen[None]):
    """Pick a recorded session to replay."""

    DEFAULT_CSS = """
    SessionPicker #title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    SessionPicker #filter { margin: 0 1; }
    SessionPicker #filter > .input--placeholder { color: $text-muted; }
    SessionPicker #sessions { height: 1fr; margin: 0 1; }
    SessionPicker #empty { padding: 1 2; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.quit", "Quit", id="picker.quit"),
        Binding("down", "focus_list", "Sessions", show=False, id="picker.list"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sessions = list(reversed(list_sessions()))  # newest first

    def compose(self) -> ComposeResult:
        yield Static(
            f"aiperm replay: {len(self.sessions)} recorded sessions, newest first "
            "(type to filter, enter to replay)",
            id="title",
        )
        yield Input(placeholder="filter: id, agent, host, preset, user", id="filter")
        yield OptionList(id="sessions")
        if not self.sessions:
            yield Static(
                "No recorded sessions yet: `aiperm demo` or `aiperm tui` make one.", id="empty"
            )
        yield Footer()

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#filter", Input).focus()

    def _fill(self, text: str) -> None:
        shown = [Option(session_line(s), id=str(s.path)) for s in self.sessions if matches(s, text)]
        options = self.query_one("#sessions", OptionList)
        options.set_options(shown)
        if shown:
            options.highlighted = 0

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#filter")
    def _submit(self) -> None:
        options = self.query_one("#sessions", OptionList)
        if options.highlighted is not None:
            self._open(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#sessions")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option.id)

    def _open(self, path: str | None) -> None:
        if path is None:
            return
        try:
            recording = Recording.open(Path(path))
        except AipermError as exc:
            self.notify(str(exc), severity="error", markup=False)  # may quote the log
            return
        self.app.open_session(recording)  # type: ignore[attr-defined]

    def action_focus_list(self) -> None:
        self.query_one("#sessions", OptionList).focus()
