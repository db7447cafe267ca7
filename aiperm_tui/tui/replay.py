"""The Replay screen: a recorded session in the broker's own panes, read-only.

The screen owns a `Playback` (the clock and the cursor, `aiperm_tui.replay.playback`)
and a `Scene` (what the panes show, `aiperm_tui.replay.scene`); both are Textual-free.
Playing forward applies each due event to the scene and the panes; any jump backwards
or far away rebuilds the panes from `Recording.context`, a bounded set of events, so a
seek costs the same at event 10 as at event 900 000. The panes are the broker's
(`StatusBar`, `AgentPane`, `ReviewPane`, `OutputPane`), fed with `RequestView`s built
from the recorded events; none of the broker's decision keys exist here.

Verification runs in a child process, waited for by a thread worker, after the first
frame: opening a huge log does not wait for its HMAC chain, seeking does not compete
with it for the GIL, and the banner appears when the answer is known.
"""

from __future__ import annotations

import functools
import time
from typing import Any, ClassVar, cast

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Click
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, RichLog, Static

from aiperm_tui.broker.model import ActionView, PlanView
from aiperm_tui.policy import Decision
from aiperm_tui.replay.playback import Playback
from aiperm_tui.replay.recording import Integrity, Recording, check_integrity_in_child
from aiperm_tui.replay.scene import ActionState, RequestState, Scene, edit_diff, exec_summary
from aiperm_tui.replay.text import safe
from aiperm_tui.tui.output import OutputBuffer, OutputPane
from aiperm_tui.tui.terminal import tolerate_invalid_utf8
from aiperm_tui.tui.widgets import AgentPane, ReviewPane, Status, StatusBar

TICK_SECONDS = 1 / 30
AGENT_SHOWN = 60  # agent lines put back in the pane after a seek (each costs a render)
# How each look of `Scene.agent` is drawn (the live broker's styles for the same lines).
AGENT_STYLES = {"stderr": "dim", "operator": "bold", "permission": "italic", "note": "dim italic"}


def _decision(action: ActionState) -> Decision | None:
    """The recorded policy decision, or None when it is missing or malformed."""
    if not action.decision:
        return None
    try:
        return Decision.from_dict(action.decision)
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def plan_view(request: RequestState) -> PlanView:
    """A recorded request in the shape the broker gives the review pane. The recorded
    state names are the broker's, plus "failed" (a command that exited non-zero), which
    the review pane styles too."""
    finished = request.status != "pending"
    running = any(a.status == "running" for a in request.actions)
    return PlanView(
        id=request.id,
        host=request.host,
        goal=request.goal,
        strategy=request.strategy,
        source=request.source,
        actions=tuple(_action_view(a) for a in request.actions),
        state="finished" if finished else "running" if running else "pending",
        status=cast(Any, request.status) if finished else None,
    )


def _action_view(action: ActionState) -> ActionView:
    decision = _decision(action)
    edited = action.original is not None
    denied = action.status == "denied"
    return ActionView(
        index=action.index,
        cmd=action.original if action.original is not None else action.cmd,
        edited=action.cmd if edited else None,
        decision=cast(Decision, decision),  # the review pane draws a missing one
        state=cast(Any, action.status),
        needs=decision.confirm if decision and action.status == "pending" else "none",
        approved_by=None if denied else cast(Any, action.by),
        denied_by=cast(Any, action.by) if denied else None,
        message=action.message,
        preview=action.preview,
    )


def who_decided(request: RequestState | None) -> Content:
    """Per action: who approved or denied it, and an edit as a word diff."""
    if request is None:
        return Content("")
    lines: list[Content] = []
    for action in request.actions:
        head = Content.styled(f"#{action.index + 1} ", "bold")
        ended = Content.styled(f"  {safe(action.ended)}" if action.ended else "", "$text-muted")
        if action.by is None:
            lines.append(
                Content.assemble(head, Content.styled(action.status, "$text-muted"), ended)
            )
            continue
        denied = action.status == "denied"
        verdict = Content.styled(
            f"{'denied' if denied else 'approved'} by {action.by}",
            "bold $text-error" if denied else "bold $text-success",
        )
        parts: list[Content | str] = [head, verdict]
        if action.rule:
            parts.append(Content.styled(f" ({safe(action.rule)})", "$text-muted"))
        if denied and action.reason:
            parts.append(f": {safe(action.reason)}")
        if denied and action.message:
            parts += [Content.styled("  told the agent: ", "$text-muted"), safe(action.message)]
        lines.append(Content.assemble(*parts, ended))
        if action.original is not None:
            lines.append(
                Content.assemble(
                    "   ",
                    Content.styled("edited: ", "$text-muted"),
                    diff_content(action.original, action.cmd),
                )
            )
    return Content("\n").join(lines)


def diff_content(original: str, approved: str) -> Content:
    """The edit as `aiperm replay --no-tui` writes it (`[-old-]{+new+}`), with deleted
    words also struck through in red and inserted words in green."""
    styles = {
        "equal": ("{}", ""),
        "delete": ("[-{}-]", "strike $text-error"),
        "insert": ("{{+{}+}}", "bold $text-success"),
    }
    return Content.assemble(
        *(
            Content.styled(styles[op][0].format(safe(text)), styles[op][1])
            for op, text in edit_diff(original, approved)
        )
    )


class Timeline(Widget):
    """The session as a bar: played part, cursor, requests (┃) and denials (✖).

    A click posts `Timeline.Seek` with the fraction of the bar that was clicked.
    """

    DEFAULT_CSS = "Timeline { height: 1; padding: 0 1; background: $panel; }"

    class Seek(Message):
        def __init__(self, fraction: float) -> None:
            super().__init__()
            self.fraction = fraction

    def __init__(self, markers: dict[str, list[float]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.markers = markers
        self.position = 0.0
        self.unverified_from: float | None = None
        self._columns: tuple[int, list[str]] = (-1, [])

    def _marks(self, width: int) -> list[str]:
        """Per column: "", "request" or "deny" (cached per width: markers never change)."""
        if self._columns[0] != width:
            marks = [""] * width
            for name in ("request", "deny"):  # a denial wins a shared column
                for fraction in self.markers.get(name, ()):
                    marks[min(int(fraction * width), width - 1)] = name
            self._columns = (width, marks)
        return self._columns[1]

    def render(self) -> Content:
        width = max(self.content_region.width, 1)
        cursor = min(int(self.position * width), width - 1)
        bad = None if self.unverified_from is None else int(self.unverified_from * width)
        parts: list[tuple[str, str]] = []
        for col, mark in enumerate(self._marks(width)):
            char = {"request": "┃", "deny": "✖"}.get(mark, "━" if col < cursor else "─")
            style = "$text-primary" if col < cursor else "$text-muted"
            if mark:
                style = "bold $text-error" if mark == "deny" else "bold $text-warning"
            if bad is not None and col >= bad and not mark:
                style = "$text-error"
            if col == cursor:
                char, style = "●", "bold $text-accent"
            parts.append((char, style))
        return Content.assemble(*parts)

    def on_click(self, event: Click) -> None:
        width = max(self.content_region.width, 1)
        x = event.x - self.styles.padding.left
        self.post_message(self.Seek(min(max(x, 0), width - 1) / max(width - 1, 1)))


class ReplayOutputPane(OutputPane):
    """The broker's output pane, with a reset for seeks."""

    def reset(self) -> None:
        self.clear()
        self.buffer = OutputBuffer(self.buffer.max_lines)


class ReplayAgentPane(AgentPane):
    """The broker's agent pane, read-only, with a reset for seeks."""

    def reset(self) -> None:
        """Forget what is shown and what waits for the next flush."""
        with self._lock:
            self._pending.clear()
        self.query_one("#agent-log", RichLog).clear()


class ReplayScreen(Screen[None]):
    """One recorded session, played back (see the module docstring)."""

    DEFAULT_CSS = """
    ReplayScreen #banner { display: none; background: $error-muted; color: $text;
                           padding: 0 1; text-style: bold; }
    ReplayScreen.-unverified #banner { display: block; }
    ReplayScreen #top { height: 3fr; }
    ReplayScreen ReplayAgentPane { width: 2fr; }
    ReplayScreen #review-column { width: 3fr; }
    ReplayScreen #decided { height: auto; max-height: 8; padding: 0 1;
                            border: round $secondary; border-title-color: $text-secondary; }
    ReplayScreen ReplayOutputPane { height: 2fr; }
    ReplayScreen #transport { height: 1; padding: 0 1; }
    """

    # The footer fits 80 columns, quit first: it was last, and cut even at 120. Start and
    # end (g/G, home/end) are left to docs/replay.md and the clickable timeline.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "app.quit", "Quit", id="replay.quit"),
        Binding("space", "play_pause", "Play/pause", id="replay.toggle"),
        Binding("n,right", "step(1)", "Next", id="replay.next"),
        Binding("N,left", "step(-1)", "Back", id="replay.prev"),
        Binding("right_square_bracket", "next_request", "Next req", id="replay.next_request"),
        Binding("left_square_bracket", "prev_request", "Prev req", id="replay.prev_request"),
        Binding("g,home", "start", "Start", show=False, id="replay.start"),
        Binding("G,end", "end", "End", show=False, id="replay.end"),
        Binding("plus,equals_sign", "faster", "Faster", id="replay.faster"),
        Binding("minus", "slower", "Slower", id="replay.slower"),
        Binding("escape", "back", "Sessions", show=False, id="replay.back"),
    ]

    def __init__(
        self,
        recording: Recording,
        *,
        speed: float = 1.0,
        max_idle: float = 2.0,
        autoplay: bool = True,
        verify: bool = True,
    ) -> None:
        super().__init__()
        tolerate_invalid_utf8()
        self.recording = recording
        self.playback = Playback(recording.index, speed=speed, max_idle=max_idle, playing=autoplay)
        self.scene = Scene()
        self.integrity: Integrity | None = None
        self._verify = verify
        self._last_tick = time.monotonic()

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        yield Static(id="banner")
        with Horizontal(id="top"):
            yield ReplayAgentPane(id="agent")
            with Vertical(id="review-column"):
                yield ReviewPane(id="review")
                yield Static(id="decided")
        yield ReplayOutputPane(id="output")
        yield Timeline(self.playback.markers(), id="timeline")
        yield Static(id="transport")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.agent_pane = self.query_one(ReplayAgentPane)
        self.output_pane = self.query_one(ReplayOutputPane)
        self.query_one("#decided", Static).border_title = "decided"
        if self.recording.index.torn_tail:
            self._note(
                "the log ends in a torn line (the recorder stopped mid-write): replaying up to it"
            )
        self._refresh()
        self.set_interval(TICK_SECONDS, self._tick)
        if self._verify:
            self.verify()

    # ---- integrity -------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="verify", exit_on_error=False)
    def verify(self) -> None:
        """Check the HMAC chain in a child process (see `check_integrity_in_child`), waited
        for in a thread; the banner comes up when it is done."""
        result = check_integrity_in_child(self.recording.folder)
        self.app.call_from_thread(self.show_integrity, result)

    def show_integrity(self, integrity: Integrity) -> None:
        self.integrity = integrity
        self.set_class(not integrity.ok, "-unverified")
        if not integrity.ok:
            self.query_one("#banner", Static).update(
                Content(  # plain: the message quotes the log
                    f"UNVERIFIED: {safe(integrity.message)}. Replaying anyway; what is shown "
                    "cannot be trusted"
                    + (
                        "."
                        if not integrity.first_bad
                        else f" from event {integrity.first_bad + 1} on."
                    )
                )
            )
            total = self.playback.total or 1
            self.query_one(Timeline).unverified_from = (integrity.first_bad or 0) / total
        self._refresh_transport()
        self.query_one(Timeline).refresh()

    # ---- applying events ---------------------------------------------------------------

    def _tick(self) -> None:
        now = time.monotonic()
        elapsed, self._last_tick = now - self._last_tick, now
        before = self.playback.cursor
        due = self.playback.tick(elapsed)
        if due:
            self._apply_range(before, before + due)
        elif not self.playback.playing:
            return
        self._refresh_transport()

    def _apply_range(self, start: int, stop: int) -> None:
        dirty = False
        for position, event in enumerate(self.recording.index.events(start, stop), start):
            dirty |= self._apply(position, event)
        self._refresh(review=dirty)

    def _apply(self, position: int, event: dict[str, Any], *, agent: bool = True) -> bool:
        """Fold one event into the scene and the panes; True if the review pane changed.
        `agent=False` leaves the agent pane alone (a rebuild fills it once at the end)."""
        pane = self.scene.apply(event, position)
        if pane == "agent" and agent:
            self._agent_line(*self.scene.agent[-1])
        elif pane == "output":
            self._output(event)
        elif pane == "note":
            self._note(self.scene.notes[-1])
        return pane in ("request", "output", "session")

    def _agent_line(self, look: str, text: str) -> None:
        self.agent_pane.add_line(text, AGENT_STYLES.get(look, ""))

    def _output(self, event: dict[str, Any]) -> None:
        buffer = self.output_pane.buffer
        kind, exec_id = event.get("type"), str(event.get("exec", "?"))
        if kind == "exec_start":
            buffer.header(exec_id, str(event.get("host", "")), str(event.get("cmd", "")))
        elif kind == "output":
            buffer.feed(exec_id, str(event.get("stream", "stdout")), self.recording.output(event))
        elif kind == "output_truncated":
            buffer.note(
                f"── {safe(exec_id)}: output beyond {event.get('cap')} bytes was not recorded"
            )
        elif kind == "exec_end":
            buffer.footer(exec_id, safe(exec_summary(event)))

    def _note(self, text: str) -> None:
        self.output_pane.buffer.note(f"aiperm: {safe(text)}")

    def rebuild(self) -> None:
        """Redraw every pane for the cursor from a bounded context (any seek)."""
        self.scene = Scene()
        self.agent_pane.reset()
        self.output_pane.reset()
        for position, event in self.recording.context(self.playback.cursor):
            self._apply(position, event, agent=False)
        for look, text in list(self.scene.agent)[-AGENT_SHOWN:]:
            self._agent_line(look, text)
        self._refresh()

    # ---- drawing -------------------------------------------------------------------

    def _refresh(self, review: bool = True) -> None:
        if review:
            current = self.scene.request
            views = [plan_view(r) for r in reversed(self.scene.requests.values())]
            pane = self.query_one(ReviewPane)
            pane.show(views, current.id if current else None)
            pane.border_title = f"review ({len(views)} recent requests)"
            self.query_one("#decided", Static).update(who_decided(current))
            self._refresh_status()
        self._refresh_transport()

    def _refresh_status(self) -> None:
        start = self.scene.start or self.recording.start
        hosts = {str(h): "recorded" for h in start.get("hosts") or ()}
        pending = sum(1 for r in self.scene.requests.values() if r.status == "pending")
        agent = "ended" if self.scene.end else "replay"
        self.query_one(StatusBar).update_status(
            Status(
                session_id=self.recording.session_id,
                agent=agent,
                hosts=hosts,
                preset=str(start.get("preset", "")),
                queue=pending,
                running=len(self.scene.execs),
            )
        )

    def _refresh_transport(self) -> None:
        play = self.playback
        state = "▶" if play.playing else ("■ end" if play.at_end else "❚❚")
        t = self.recording.index.time(play.cursor - 1) if play.cursor else 0.0
        parts: list[Content | tuple[str, str] | str] = [
            (f"{state} ", "bold $text-accent"),
            (f"{play.speed:g}x", "bold"),
            f"  event {play.cursor}/{play.total}",
            f"  t {t:.1f}s / {self.recording.index.duration:.1f}s  ",
            self._integrity_label(),
        ]
        self.query_one("#transport", Static).update(Content.assemble(*parts))
        timeline = self.query_one(Timeline)
        timeline.position = play.fraction
        timeline.refresh()

    def _integrity_label(self) -> tuple[str, str]:
        integrity = self.integrity
        if integrity is None:
            return ("verifying…" if self._verify else "not verified", "$text-muted")
        if integrity.ok:
            return ("verified ✓", "$text-success")
        first = integrity.first_bad
        if first and self.playback.cursor <= first:
            return (f"verified up to here (bad from event {first + 1})", "$text-warning")
        return ("UNVERIFIED", "bold $text-error")

    # ---- keys ----------------------------------------------------------------------

    def action_play_pause(self) -> None:
        if self.playback.at_end and not self.playback.playing:
            self.playback.toggle()
            self.rebuild()
        else:
            self.playback.toggle()
        self._last_tick = time.monotonic()
        self._refresh_transport()

    def action_step(self, delta: int) -> None:
        before = self.playback.cursor
        after = self.playback.step(delta)
        if after == before + 1:
            self._apply_range(before, after)
        elif after != before:
            self.rebuild()
        self._refresh_transport()

    def _jump(self, cursor: int) -> None:
        before = self.playback.cursor
        if cursor != before:
            if 0 < cursor - before <= 50:  # a short hop forward: just play it
                self.playback.seek(cursor)
                self._apply_range(before, cursor)
            else:
                self.playback.seek(cursor)
                self.rebuild()
        self._refresh_transport()

    def action_next_request(self) -> None:
        self._jump(self.playback.next_request_cursor())

    def action_prev_request(self) -> None:
        self._jump(self.playback.prev_request_cursor())

    def action_start(self) -> None:
        self._jump(0)

    def action_end(self) -> None:
        self._jump(self.playback.total)

    def action_faster(self) -> None:
        self.playback.faster()
        self._refresh_transport()

    def action_slower(self) -> None:
        self.playback.slower()
        self._refresh_transport()

    def action_back(self) -> None:
        """Esc: back to the session list the user came from; a session opened by name
        (`aiperm replay ID`) gives way to the list too, never to a blank screen."""
        from aiperm_tui.tui.replay_picker import SessionPicker

        stack = self.app.screen_stack
        if len(stack) > 2 and isinstance(stack[-2], SessionPicker):
            self.app.pop_screen()
        else:
            self.app.switch_screen(SessionPicker())

    @on(Timeline.Seek)
    def _seek(self, message: Timeline.Seek) -> None:
        self._jump(round(message.fraction * self.playback.total))

    def on_unmount(self) -> None:
        self.recording.close()


class ReplayApp(App[None]):
    """`aiperm replay`: the picker when no session is named, else the session."""

    TITLE = "aiperm replay"

    def __init__(
        self,
        recording: Recording | None = None,
        *,
        speed: float = 1.0,
        max_idle: float = 2.0,
        autoplay: bool = True,
        verify: bool = True,
        theme: str | None = None,
    ) -> None:
        super().__init__()
        tolerate_invalid_utf8()
        self.recording = recording
        self._screen = functools.partial(
            ReplayScreen, speed=speed, max_idle=max_idle, autoplay=autoplay, verify=verify
        )
        self._theme_name = theme

    def on_mount(self) -> None:
        from aiperm_tui.tui.themes import load_themes

        for theme in load_themes().values():
            self.register_theme(theme)
        if self._theme_name:
            self.theme = self._theme_name
        if self.recording is not None:
            self.push_screen(self._screen(self.recording))
        else:
            from aiperm_tui.tui.replay_picker import SessionPicker

            self.push_screen(SessionPicker())

    def open_session(self, recording: Recording) -> None:
        """Called by the picker."""
        self.push_screen(self._screen(recording))
