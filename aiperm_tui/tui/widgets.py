"""The panes of the broker screen, fed by plain data (reused by the replay screen).

- `StatusBar`: session id, agent state, hosts and their connection state, preset, queue.
- `AgentPane`: the agent's chatter (stderr dimmed), batched like the output pane so a
  chatty agent cannot flood the UI, and an input line when the adapter lets us talk.
- `ReviewPane`: the queue of pending requests with risk badges, and the selected
  request in full (see `render.request_detail`).

None of them calls the broker: they show what they are given and post messages up.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.color import Color
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, OptionList, RichLog, Static
from textual.widgets.option_list import Option

from aiperm_tui.broker.model import PlanView
from aiperm_tui.textsafe import escape_control
from aiperm_tui.tui.render import detail_lines, queue_line, request_detail

HOST_STATE_STYLE = {
    "connected": "$text-success",
    "connecting": "$text-warning",
    "idle": "$text-muted",
    "failed": "bold $text-error",
    "disconnected": "$text-error",
}
AGENT_STATE_STYLE = {
    "running": "$text-success",
    "starting": "$text-warning",
    "exited": "$text-muted",
    "crashed": "bold $text-error",
    "stopped": "$text-muted",
}


@dataclass(frozen=True)
class Status:
    """Everything the status bar shows."""

    session_id: str = ""
    agent: str = "starting"
    hosts: Mapping[str, str] = field(default_factory=dict)
    preset: str = ""
    queue: int = 0
    running: int = 0
    auto: int = 0  # commands a rule or preset let run without asking
    isolation: str = ""  # "off": the agent is not isolated, said in the error colour


def status_content(status: Status) -> Content:
    """The one-line status bar, what needs the operator first: on a narrow terminal the
    end (the session id) is what gets cut."""
    parts: list[Content | str | tuple[str, str]] = [
        ("queue ", "$text-muted"),
        (str(status.queue), "bold $text-warning" if status.queue else "bold"),
    ]
    if status.running:
        parts += [("  running ", "$text-muted"), (str(status.running), "bold $text-primary")]
    if status.auto:
        parts += [("  unasked ", "$text-muted"), (str(status.auto), "bold $text-warning")]
    if status.isolation == "off":
        parts += [("  agent not isolated", "bold $text-error")]
    elif status.isolation:
        parts += [("  isolation ", "$text-muted"), (status.isolation, "$text-success")]
    parts += [
        ("  agent ", "$text-muted"),
        (status.agent, AGENT_STATE_STYLE.get(status.agent, "")),
        ("  hosts ", "$text-muted"),
    ]
    for name, state in sorted(status.hosts.items()):
        parts += [
            (escape_control(name, keep_newlines=False), "bold"),
            ":",
            (state, HOST_STATE_STYLE.get(state, "")),
            " ",
        ]
    parts += [
        (" preset ", "$text-muted"),
        (status.preset, "bold"),
        ("  session ", "$text-muted"),
        (status.session_id or "-", "bold"),
    ]
    return Content.assemble(*parts)


class StatusBar(Static):
    """The header line; `update_status` re-renders it."""

    DEFAULT_CSS = "StatusBar { height: 1; background: $panel; padding: 0 1; }"

    def update_status(self, status: Status) -> None:
        self.update(status_content(status))


class AgentPane(Vertical):
    """The agent's lines, and an input line to talk to it when the adapter allows."""

    DEFAULT_CSS = """
    AgentPane { border: round $secondary; border-title-color: $text-secondary;
            border-subtitle-color: $text-secondary; }
    AgentPane:focus-within { border: heavy $accent; border-title-color: $text-accent;
                             border-subtitle-color: $text-accent;
                             border-title-style: bold; }
    AgentPane RichLog { height: 1fr; background: transparent; }
    AgentPane Input { height: 3; display: none; border: tall $secondary; }
    AgentPane Input:focus { border: tall $accent; }
    AgentPane.-can-talk Input { display: block; }
    """
    FLUSH_SECONDS = 0.05
    MAX_LINES = 2000
    # Lines written per flush: more than a pane shows. An agent flooding faster than that
    # has its older lines counted and replaced by one marker: RichLog wraps every line
    # it is given (about half a millisecond each), so writing all of a flood would hold
    # the UI thread for seconds and the operator's keys with it.
    FLUSH_LINES = 50

    class Said(Message):
        """The operator typed a line for the agent."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lock = threading.Lock()
        self._pending: deque[tuple[str, str]] = deque(maxlen=self.FLUSH_LINES)
        self._skipped = 0

    def compose(self) -> ComposeResult:
        yield RichLog(
            max_lines=self.MAX_LINES,
            wrap=True,
            markup=False,
            highlight=False,
            auto_scroll=True,
            min_width=20,
            id="agent-log",
        )
        yield Input(placeholder="say something to the agent (enter sends)", id="agent-input")

    def on_mount(self) -> None:
        self.border_title = "agent"
        self.set_interval(self.FLUSH_SECONDS, self.flush)

    def set_can_talk(self, can_talk: bool) -> None:
        self.set_class(can_talk, "-can-talk")

    def add_line(self, text: str, style: str = "") -> None:
        """Queue one line (any thread); its text is escaped, never parsed as markup.
        `style` is words of a Rich style; "dim" and "red" are turned into the theme's
        muted and error text colours when written (see `theme_style`). Queuing is all a
        producer pays: only the lines a flush shows are escaped and built."""
        with self._lock:
            if len(self._pending) == self.FLUSH_LINES:
                self._skipped += 1
            self._pending.append((text, style))

    def theme_style(self, style: str) -> Style:
        """A Rich style in this theme's colours: the terminal's own dim and red are not
        the theme's and can fall below AA contrast (dim halves the text's intensity)."""
        words = style.split()
        variables = self.app.current_theme.to_color_system().generate()
        color = None
        if "red" in words:
            color = Color.parse(variables["text-error"])
        elif "dim" in words:
            background = Color.parse(variables["background"])
            color = background.blend(Color.parse(variables["foreground"]), 0.7)
        rest = " ".join(w for w in words if w not in ("red", "dim"))
        styled = Style.parse(rest) if rest else Style()
        return styled + Style(color=color.rich_color) if color is not None else styled

    def flush(self) -> None:
        """Write the queued lines (UI thread)."""
        with self._lock:
            pending = list(self._pending)
            self._pending.clear()
            skipped, self._skipped = self._skipped, 0
        if skipped:
            pending.insert(0, (f"… {skipped} agent lines skipped in the view", "dim italic"))
        if not pending:
            return
        log = self.query_one(RichLog)
        styles: dict[str, Style] = {}
        for text, style in pending:
            if style not in styles:
                styles[style] = self.theme_style(style)
            log.write(Text(escape_control(text, keep_newlines=False), style=styles[style]))

    @on(Input.Submitted, "#agent-input")
    def _said(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.post_message(self.Said(event.value))
            self.add_line(f"you: {event.value}", "bold")
        event.input.value = ""


class DetailScroll(VerticalScroll):
    """The selected request's detail, scrolled. It says when its size or its content's
    size changed, so the review pane can place the current action again with the sizes
    as laid out (see `ReviewPane._scroll_to_action`)."""

    class Resized(Message):
        """The viewport or the detail's height changed."""

    def on_resize(self) -> None:
        self.post_message(self.Resized())


class ReviewPane(Vertical):
    """The queue (an option list, mouse-clickable) above the selected request in full."""

    DEFAULT_CSS = """
    ReviewPane { border: round $secondary; border-title-color: $text-secondary;
            border-subtitle-color: $text-secondary; }
    ReviewPane:focus-within { border: heavy $accent; border-title-color: $text-accent;
                             border-subtitle-color: $text-accent;
                              border-title-style: bold; }
    ReviewPane #queue { height: auto; max-height: 9; border: none; background: transparent; }
    ReviewPane #detail-scroll { height: 1fr; border-top: solid $secondary; }
    ReviewPane #detail { padding: 0 1; }
    """

    class Selected(Message):
        """The operator moved to another request."""

        def __init__(self, request_id: str | None) -> None:
            super().__init__()
            self.request_id = request_id

    # Requests listed in the queue (oldest first), then one "N more waiting" line: the
    # option list measures every option whenever it changes, and the queue shows nine
    # lines at a time anyway.
    QUEUE_SHOWN = 30

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown_as: tuple[str | None, Callable[[PlanView], Content]] | None = None
        self.requests: list[PlanView] = []
        self.selected: str | None = None
        self.action_cursor = 0  # which action of a plan `e`, `p` and `r` act on
        self._in_view: tuple[list[Content], slice] | None = None  # the detail, its action

    def compose(self) -> ComposeResult:
        yield OptionList(id="queue")
        with DetailScroll(id="detail-scroll"):
            yield Static(request_detail(None), id="detail")

    def on_mount(self) -> None:
        self.border_title = "review"

    @property
    def current(self) -> PlanView | None:
        return next((r for r in self.requests if r.id == self.selected), None)

    def show(
        self,
        requests: Sequence[PlanView],
        selected: str | None = None,
        *,
        title: str | None = None,
        line: Callable[[PlanView], Content] = queue_line,
    ) -> None:
        """Show these requests (each row drawn by `line`); keep the selection when it is
        still there. The same requests again change nothing (a flood must not rebuild
        the list every tick)."""
        if (
            list(requests) == self.requests
            and selected in (None, self.selected)
            and self._shown_as == (title, line)
        ):
            return
        self._shown_as = (title, line)
        self.requests = list(requests)
        ids = [r.id for r in self.requests[: self.QUEUE_SHOWN]]
        keep = selected if selected in ids else self.selected
        before = self.selected
        self.selected = keep if keep in ids else (ids[0] if ids else None)
        current = self.current
        cursor_ok = (
            current is not None
            and self.action_cursor < len(current.actions)
            and current.actions[self.action_cursor].state == "pending"
        )
        if self.selected != before or not cursor_ok:
            self.action_cursor = self._first_waiting()
        queue = self.query_one("#queue", OptionList)
        options = [Option(line(r), id=r.id) for r in self.requests[: self.QUEUE_SHOWN]]
        if len(self.requests) > len(options):
            options.append(
                Option(
                    f"… {len(self.requests) - len(options)} more: answer "
                    "these first (A approves every routine one)",
                    disabled=True,
                )
            )
        queue.set_options(options)
        if self.selected is not None:
            queue.highlighted = ids.index(self.selected)
        self.border_title = title or f"review ({len(self.requests)} pending)"
        self._refresh_detail()

    def _refresh_detail(self) -> None:
        current = self.current
        if current is not None:
            self.action_cursor = min(self.action_cursor, len(current.actions) - 1)
        lines, shown = detail_lines(current, self.action_cursor)
        self.query_one("#detail", Static).update(Content("\n").join(lines))
        self._in_view = (lines, shown) if shown.stop else None
        if shown.stop:
            self.call_after_refresh(self._scroll_to_action)

    @on(DetailScroll.Resized)
    def _relaid_out(self, event: DetailScroll.Resized) -> None:
        event.stop()
        self._scroll_to_action()

    def _scroll_to_action(self) -> None:
        """Bring a plan's current action into view: on a small terminal the detail shows
        a few lines, and the action `a` acts on next would be below them, unseen. From
        the top when it fits there, else with the action at the top (as far as it
        scrolls): never "just enough", so the same request and cursor always give the
        same view, whatever was scrolled before.

        Done after the next refresh and again whenever the detail's viewport or content
        changes size: Textual may run an after-refresh callback before the layout of
        what was just updated (the queue's new height, the new detail's), and a scroll
        computed then was kept (a replay snapshot failed that way under load)."""
        if self._in_view is None:
            return
        lines, shown = self._in_view
        detail = self.query_one("#detail", Static)
        scroll = self.query_one("#detail-scroll", DetailScroll)
        width = detail.content_region.width
        if width <= 0:
            return

        def height(part: list[Content]) -> int:
            return sum(len(line.wrap(width)) or 1 for line in part)

        top = height(lines[: shown.start])
        fits = top + height(lines[shown]) <= scroll.scrollable_content_region.height
        scroll.scroll_to(y=0 if fits else top, animate=False, immediate=True)

    def _first_waiting(self) -> int:
        current = self.current
        waiting = current.awaiting if current else ()
        return waiting[0].index if waiting else 0

    def move_action(self, step: int) -> None:
        """Move the action cursor within the selected plan."""
        current = self.current
        if current is not None and len(current.actions) > 1:
            self.action_cursor = (self.action_cursor + step) % len(current.actions)
            self._refresh_detail()

    @on(OptionList.OptionHighlighted, "#queue")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id != self.selected:
            self.selected = event.option.id
            self.action_cursor = self._first_waiting()
            self._refresh_detail()
            self.post_message(self.Selected(self.selected))

    def focus_queue(self) -> Widget:
        return self.query_one("#queue", OptionList).focus()
