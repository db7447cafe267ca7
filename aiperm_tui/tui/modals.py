"""Modal screens: host key, passphrase, errors, typed challenge, edit, deny message,
remember, yes/no confirmation and help.

Each returns its answer through `dismiss`, so callers use `push_screen(modal, callback)`
on the UI thread or `push_screen_wait` in a worker. None of them reads files or calls the
broker: what they need (an analyser for live re-analysis, the expected challenge code)
is passed in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static, TextArea

from aiperm_tui.broker.model import ActionView
from aiperm_tui.broker.rules import pattern_for
from aiperm_tui.errors import ConfigError
from aiperm_tui.textsafe import escape_control
from aiperm_tui.tui.render import action_lines, highlight_command, risk_badge

if TYPE_CHECKING:
    from aiperm_tui.policy import Decision

MODAL_CSS = """
AipermModal { align: center middle; background: $background 60%; }
AipermModal > Vertical {
    width: 84; max-width: 95%; height: auto; max-height: 90%;
    border: thick $primary; background: $surface; padding: 1 2;
}
AipermModal .title { text-style: bold; color: $text-primary; margin-bottom: 1; }
AipermModal .danger-title { text-style: bold; color: $text-error; margin-bottom: 1; }
AipermModal .hint { color: $text-muted; margin-top: 1; }
AipermModal .error { color: $text-error; text-style: bold; }
AipermModal .code { text-style: bold; color: $text-warning; background: $panel; padding: 0 2;
                    width: auto; margin: 1 0; }
AipermModal Horizontal { height: auto; margin-top: 1; }
AipermModal Button { margin-right: 2; }
AipermModal TextArea { height: 6; }
AipermModal VerticalScroll { height: auto; max-height: 20; }
"""


class AipermModal(ModalScreen[Any]):
    """Shared look; escape dismisses with the modal's 'no' answer."""

    DEFAULT_CSS = MODAL_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="modal.cancel")]
    CANCEL_RESULT: object = None

    def action_cancel(self) -> None:
        self.dismiss(self.CANCEL_RESULT)


class HostKeyModal(AipermModal):
    """An unknown host key: show the fingerprint, trust once / always, or refuse."""

    CANCEL_RESULT = "refuse"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "answer('once')", "Trust once", id="hostkey.once"),
        Binding("a", "answer('always')", "Trust always", id="hostkey.always"),
        Binding("r,escape", "answer('refuse')", "Refuse", id="hostkey.refuse"),
    ]

    def __init__(self, host: str, port: int, key_type: str, fingerprint: str) -> None:
        super().__init__()
        self.host, self.port, self.key_type, self.fingerprint = host, port, key_type, fingerprint

    def compose(self) -> ComposeResult:
        host = escape_control(f"{self.host}:{self.port}", keep_newlines=False)
        with Vertical():
            yield Label("Unknown host key", classes="danger-title")
            yield Static(Content.assemble(
                "The server ", (host, "bold"), " is not in known_hosts.\n",
                "Key type:    ", (escape_control(self.key_type, keep_newlines=False), "bold"),
                "\nFingerprint: ", (escape_control(self.fingerprint, keep_newlines=False),
                                    "bold $text-warning")), id="fingerprint")
            yield Static("Compare the fingerprint with one you got from the server's "
                         "administrator over another channel.", classes="hint")
            with Horizontal():
                yield Button("Trust once (o)", id="once", variant="primary")
                yield Button("Trust always (a)", id="always", variant="warning")
                yield Button("Refuse (r)", id="refuse", variant="error")

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)


class PassphraseModal(AipermModal):
    """Ask a key's passphrase; the text is never logged, and None means skip the key."""

    def __init__(self, key_path: str) -> None:
        super().__init__()
        self.key_path = key_path

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Key passphrase", classes="title")
            yield Static(Content.assemble("Passphrase for ", (
                escape_control(self.key_path, keep_newlines=False), "bold")))
            yield Input(password=True, id="passphrase", placeholder="passphrase")
            yield Static("enter: unlock   escape: skip this key", classes="hint")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)


class ErrorModal(AipermModal):
    """An error the operator must see (connection failed, bad agent line…)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "cancel", "Close", id="modal.close")]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text, self.message = title, message

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(escape_control(self.title_text, keep_newlines=False)),
                        classes="danger-title")
            yield Static(Content(escape_control(self.message)))
            with Horizontal():
                yield Button("Close", id="close", variant="primary")

    @on(Button.Pressed)
    def _pressed(self) -> None:
        self.dismiss(None)


class ConfirmModal(AipermModal):
    """A yes/no question; returns True for yes."""

    CANCEL_RESULT = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "cancel", "No", id="modal.no"),
        Binding("y", "yes", "Yes", id="modal.yes")]

    def __init__(self, title: str, body: Content | str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        # plain strings are text, never markup: a title or body may one day carry
        # agent or remote text
        self.title_text = Content(title)
        self.body = body if isinstance(body, Content) else Content(body)
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="danger-title")
            yield Static(self.body)
            with Horizontal():
                yield Button(f"{self.yes} (y)", id="yes", variant="error")
                yield Button(f"{self.no} (n)", id="no", variant="primary")

    def action_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class ChallengeModal(AipermModal):
    """Typed confirmation: the operator retypes the challenge code shown here only.

    Returns True when the code was typed right. A wrong code says so and lets the
    operator try again; after `MAX_TRIES` wrong codes it gives up (returns False).
    """

    CANCEL_RESULT = False
    MAX_TRIES = 3

    def __init__(self, cmd: str, decision: Decision | None, code: str) -> None:
        super().__init__()
        self.cmd, self.decision, self.code, self.tries = cmd, decision, code, 0

    def compose(self) -> ComposeResult:
        findings = self.decision.findings if self.decision else ()
        with Vertical():
            yield Label("Typed confirmation required", classes="danger-title")
            yield Static(Content.assemble(("$ ", "bold"), highlight_command(self.cmd, findings)))
            if self.decision:
                yield Static(Content.assemble(
                    "risk ", (str(self.decision.risk.score), "bold $text-error"),
                    f"/100  blast radius: {self.decision.risk.blast_radius}"))
            yield Static("Type this code to run it (it is never shown to the agent):")
            yield Static(self.code, classes="code", id="code")
            yield Input(id="typed", placeholder="challenge code")
            yield Static("", classes="error", id="wrong")
            yield Static("enter: confirm   escape: back without approving", classes="hint")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value.strip().upper() == self.code.upper():
            self.dismiss(True)
            return
        self.tries += 1
        if self.tries >= self.MAX_TRIES:
            self.dismiss(False)
            return
        event.input.value = ""
        left = self.MAX_TRIES - self.tries
        self.query_one("#wrong", Static).update(
            f"That is not the code. {left} tr{'y' if left == 1 else 'ies'} left.")


class EditModal(AipermModal):
    """Edit a command with live re-analysis; returns the new command or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="modal.cancel"),
        Binding("ctrl+s", "submit", "Approve edited", id="modal.submit")]

    def __init__(self, cmd: str, analyse: Callable[[str], Decision]) -> None:
        super().__init__()
        self.cmd, self.analyse = cmd, analyse

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Edit the command, then approve it", classes="title")
            yield TextArea(self.cmd, id="editor", soft_wrap=True, show_line_numbers=False)
            with VerticalScroll():
                yield Static(id="analysis")
            yield Static("ctrl+s: approve the edited command   escape: cancel", classes="hint")
            with Horizontal():
                yield Button("Approve edited (ctrl+s)", id="submit", variant="success")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self._reanalyse(self.cmd)
        self.query_one(TextArea).focus()

    @on(TextArea.Changed)
    def _changed(self, event: TextArea.Changed) -> None:
        self._reanalyse(event.text_area.text)

    def _reanalyse(self, cmd: str) -> None:
        """Show the decision for what is typed now (the engine caches, so typing is cheap)."""
        decision = self.analyse(cmd)
        lines = [Content.assemble("now: ", risk_badge(decision.risk.score, decision.confirm,
                                                      decision.decision == "deny"))]
        lines += action_lines(ActionView(0, cmd, None, decision, "pending", decision.confirm),
                              numbered=False)
        self.query_one("#analysis", Static).update(Content("\n").join(lines))

    def action_submit(self) -> None:
        text = self.query_one(TextArea).text.strip()
        self.dismiss(text or None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "submit":
            self.action_submit()
        else:
            self.dismiss(None)


class DenyMessageModal(AipermModal):
    """Deny with a message for the agent; returns the message or None."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Deny, with a message to the agent", classes="title")
            yield Input(id="message", placeholder="why, and what to do instead")
            yield Static("enter: deny and send   escape: back", classes="hint")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or "denied by the operator")


RememberChoice = tuple[Literal["exact", "prefix"], str]


class RememberModal(AipermModal):
    """Remember an approval as a rule: this exact command, or a prefix, on this host."""

    def __init__(self, cmd: str, host: str) -> None:
        super().__init__()
        self.cmd, self.host = cmd, host

    def compose(self) -> ComposeResult:
        try:
            prefix = pattern_for(self.cmd, "prefix", None)
        except ConfigError:  # a blank command has no prefix to offer
            prefix = ""
        with Vertical():
            yield Label(Content.assemble("Always allow on ", (
                escape_control(self.host, keep_newlines=False), "bold")), classes="title")
            with RadioSet(id="match"):
                yield RadioButton("this exact command", value=True, id="exact")
                yield RadioButton("every command starting with the prefix below", id="prefix")
            yield Static(Content.assemble(("$ ", "bold"), highlight_command(self.cmd)))
            yield Input(prefix, id="pattern", placeholder="prefix")
            yield Static("The rule is saved to remembered.toml. A prefix rule never skips a "
                         "typed confirmation or a policy deny.", classes="hint")
            with Horizontal():
                yield Button("Remember and approve", id="ok", variant="success")
                yield Button("Cancel", id="cancel")

    def _choice(self) -> RememberChoice | None:
        if self.query_one("#exact", RadioButton).value:
            return ("exact", self.cmd)
        prefix = self.query_one("#pattern", Input).value
        return ("prefix", prefix) if prefix.strip() else None

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(self._choice() if event.button.id == "ok" else None)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.dismiss(self._choice())


HELP_TEXT = """\
a  approve the selected request (typed ones ask for the code)
A  approve every pending action that needs only none/plan confirmation
e  edit the command, see it re-analysed live, then approve it
d  deny            D  deny with a message to the agent
p  impact preview (read-only probes on the host)
r  remember: always allow this exact command or prefix on this host
c  cancel the running command
tab / shift+tab  move between panes      ctrl+p  command palette (themes)
?  this help       q  quit (asks first while commands run)
"""


class HelpModal(AipermModal):
    """The keys, in one screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "cancel", "Close", id="modal.close")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("aiperm keys", classes="title")
            yield Static(HELP_TEXT)
            yield Static("escape: close", classes="hint")
