"""Modal screens: host key, passphrase, errors, typed challenge, edit, deny message,
remember, yes/no confirmation and help.

Each returns its answer through `dismiss`, so callers use `push_screen(modal, callback)`
on the UI thread or `push_screen_wait` in a worker. None of them reads files or calls the
broker: what they need (an analyser for live re-analysis, the expected challenge code)
is passed in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
from aiperm_tui.ssh.randomart import randomart
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
    """Shared look; escape dismisses with the modal's 'no' answer.

    A modal that can say yes to something (a tool permission, a host key, quitting)
    opens *unarmed* for `ARM_SECONDS`: its keys and buttons other than cancel do nothing
    yet. Such a modal can pop up at a moment the agent chooses, while the operator is
    typing; without the pause a keystroke meant for the agent pane would answer it."""

    DEFAULT_CSS = MODAL_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="modal.cancel")
    ]
    CANCEL_RESULT: object = None
    ARM_SECONDS = 0.0
    SAFE_ACTIONS: ClassVar[frozenset[str]] = frozenset({"cancel"})

    def __init__(self) -> None:
        super().__init__()
        self.armed = self.ARM_SECONDS <= 0

    def on_mount(self) -> None:
        if not self.armed:
            for button in self.query(Button).exclude(".safe"):
                button.disabled = True
            self.set_timer(self.ARM_SECONDS, self._arm)

    def _arm(self) -> None:
        self.armed = True
        for button in self.query(Button):
            button.disabled = False
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Nothing but the safe answer before the modal is armed."""
        return self.armed or action in self.SAFE_ACTIONS

    def action_cancel(self) -> None:
        self.dismiss(self.CANCEL_RESULT)

    def key_label(self, action: str) -> str:
        """The key that runs `action` here now, as the footer shows it, for a button's
        label: the keymap may have moved it, and a label naming the old key would send
        the operator to a key that does nothing. Escape is left out (every dialog's way
        out, never worth a label); "" when no other key is bound. Read from the chain
        Textual binds keys by (keymap applied), not `active_bindings`, which leaves out
        the actions of a modal not armed yet. Of several keys, the one the most derived
        class declares first wins: a quit dialog bound to "q,y" says q, not the y it
        inherits."""
        bound: dict[str, Binding] = {}
        for node, bindings in self._binding_chain:
            if node is self:
                for key, found in bindings.key_to_bindings.items():
                    for binding in found:
                        if binding.action == action and key != "escape":
                            bound.setdefault(key, binding)
        if not bound:
            return ""
        key = next((k for k in self._declared_keys(action) if k in bound), next(iter(bound)))
        return self.app.get_key_display(bound[key]) or key

    @classmethod
    def _declared_keys(cls, action: str) -> Iterator[str]:
        """The keys `action` is declared on, most derived class first, in order."""
        for klass in cls.__mro__:
            for binding in klass.__dict__.get("BINDINGS", ()):
                if isinstance(binding, Binding) and binding.action == action:
                    yield from (key.strip() for key in binding.key.split(","))

    def button_text(self, text: str, action: str) -> str:
        """`text` with the key of `action` after it: "Yes (y)"."""
        key = self.key_label(action)
        return f"{text} ({key})" if key else text


class HostKeyModal(AipermModal):
    """First contact with a host: fingerprint and visual key to compare, then trust for
    this session (o), refuse (r, escape), or remember for good, which is deliberately
    not a single key: the operator types the fingerprint's last characters as the
    server's administrator gave them, which makes the comparison happen."""

    # the picture as wide as it is, the instructions beside it (a Static's default width
    # would give the picture the whole row and push the instructions out of sight)
    # On a short terminal (24 rows) the dialog drops its spacing and button borders, so
    # the buttons stay on screen ("Remember…" has no key); once the check box is open,
    # the picture gives it its room (the fingerprint stays).
    DEFAULT_CSS = """
    HostKeyModal #randomart { width: auto; }
    HostKeyModal #compare { width: 1fr; margin: 0 0 0 2; }
    HostKeyModal.-short > Vertical { padding: 0 2; }
    HostKeyModal.-short .danger-title { margin-bottom: 0; }
    HostKeyModal.-short Horizontal { margin-top: 0; }
    HostKeyModal.-short.-checking #visual { display: none; }
    """
    SHORT_ROWS = 30  # below this many terminal rows, the compact layout
    CANCEL_RESULT = "refuse"
    ARM_SECONDS = 0.5
    SAFE_ACTIONS: ClassVar[frozenset[str]] = frozenset({"cancel", "refuse"})
    CHECK_CHARS = 4
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "once", "Trust this session", id="hostkey.once"),
        Binding("r,escape", "refuse", "Refuse", id="hostkey.refuse"),
    ]

    def __init__(self, host: str, port: int, key_type: str, fingerprint: str) -> None:
        super().__init__()
        self.host, self.port, self.key_type, self.fingerprint = host, port, key_type, fingerprint

    def compose(self) -> ComposeResult:
        host = escape_control(f"{self.host}:{self.port}", keep_newlines=False)
        fingerprint = escape_control(self.fingerprint, keep_newlines=False)
        with Vertical():
            yield Label("First contact: unknown host key", classes="danger-title")
            yield Static(
                Content.assemble(
                    "The server ",
                    (host, "bold"),
                    " is in no known_hosts file.\n",
                    "Key type:    ",
                    (escape_control(self.key_type, keep_newlines=False), "bold"),
                    "\nFingerprint: ",
                    (fingerprint, "bold $text-warning"),
                ),
                id="fingerprint",
            )
            with Horizontal(id="visual"):
                yield Static(Content(self._picture()), id="randomart")
                yield Static(
                    "Compare the fingerprint, or this picture, with what the "
                    "server's administrator sees over another channel:\n"
                    "  ssh-keygen -lv -f /etc/ssh/ssh_host_"
                    f"{self._short_type()}_key.pub\n\n"
                    "A mismatch means someone may be in the middle: refuse.",
                    classes="hint",
                    id="compare",
                )
            with Horizontal():
                yield Button(
                    self.button_text("Trust this session", "once"), id="once", variant="primary"
                )
                yield Button(
                    self.button_text("Refuse", "refuse"),
                    id="refuse",
                    variant="error",
                    classes="safe",
                )
                yield Button("Remember…", id="remember", variant="warning")
            yield Input(
                id="check",
                placeholder=f"last {self.CHECK_CHARS} characters of "
                "the fingerprint, as your administrator gave them",
            )
            yield Static("", classes="error", id="mismatch")

    def _picture(self) -> str:
        try:
            return randomart(self.fingerprint, self.key_type)
        except ValueError:
            return "(no visual key: not a SHA256 fingerprint)"

    def _short_type(self) -> str:
        return {"ssh-ed25519": "ed25519", "ssh-rsa": "rsa"}.get(
            self.key_type, "ecdsa" if self.key_type.startswith("ecdsa") else "*"
        )

    def on_mount(self) -> None:
        self.query_one("#check", Input).display = False
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        short = self.app.size.height < self.SHORT_ROWS
        self.set_class(short, "-short")
        for button in self.query(Button):
            button.compact = short

    def action_once(self) -> None:
        self.dismiss("once")

    def action_refuse(self) -> None:
        self.dismiss("refuse")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "remember":
            self.add_class("-checking")
            box = self.query_one("#check", Input)
            box.display = True
            box.focus()
            self.query_one("#mismatch", Static).update(
                f"To remember this key for good, type the last {self.CHECK_CHARS} "
                "characters of the fingerprint you got from the administrator, then enter."
            )
        elif event.button.id in ("once", "refuse"):
            self.dismiss(event.button.id)

    @on(Input.Submitted, "#check")
    def _checked(self, event: Input.Submitted) -> None:
        if self.armed and event.value.strip() == self.fingerprint[-self.CHECK_CHARS :]:
            self.dismiss("always")
            return
        event.input.value = ""
        self.query_one("#mismatch", Static).update(
            "That does not match the fingerprint shown: nothing was remembered. Refuse "
            "(escape) if the fingerprints differ."
        )


class PassphraseModal(AipermModal):
    """Ask a key's passphrase; the text is never logged, and None means skip the key."""

    def __init__(self, key_path: str) -> None:
        super().__init__()
        self.key_path = key_path

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Key passphrase", classes="title")
            yield Static(
                Content.assemble(
                    "Passphrase for ", (escape_control(self.key_path, keep_newlines=False), "bold")
                )
            )
            yield Input(password=True, id="passphrase", placeholder="passphrase")
            yield Static("enter: unlock   escape: skip this key", classes="hint")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)


class ErrorModal(AipermModal):
    """An error the operator must see (connection failed, bad agent line…)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "cancel", "Close", id="modal.close")
    ]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text, self.message = title, message

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                Content(escape_control(self.title_text, keep_newlines=False)),
                classes="danger-title",
            )
            yield Static(Content(escape_control(self.message)))
            with Horizontal():
                yield Button("Close", id="close", variant="primary")

    @on(Button.Pressed)
    def _pressed(self) -> None:
        self.dismiss(None)


class ConfirmModal(AipermModal):
    """A yes/no question; returns True for yes (armed after a pause, see AipermModal)."""

    CANCEL_RESULT = False
    ARM_SECONDS = 0.5
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "cancel", "No", id="modal.no"),
        Binding("y", "yes", "Yes", id="modal.yes"),
    ]

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
                yield Button(self.button_text(self.yes, "yes"), id="yes", variant="error")
                yield Button(
                    self.button_text(self.no, "cancel"), id="no", variant="primary", classes="safe"
                )

    def action_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class QuitModal(ConfirmModal):
    """ "Quit aiperm?": `q` again (or y) quits at once; quitting only cancels, so there is
    nothing to arm against, and `q` must always get the operator out."""

    ARM_SECONDS = 0.0
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q,y", "yes", "Quit", id="quit.yes")]

    def __init__(self, body: str) -> None:
        super().__init__("Quit aiperm?", body, "Quit", "Stay")


class PermissionModal(AipermModal):
    """The agent asks to use one of its own tools (Claude's Write, Edit, WebFetch…):
    every field of the tool's input is shown, escaped, since allowing it allows exactly
    that input. Returns True to allow."""

    CANCEL_RESULT = False
    ARM_SECONDS = 0.5
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "cancel", "Deny", id="permission.deny"),
        Binding("y", "allow", "Allow", id="permission.allow"),
    ]
    MAX_LINES = 400  # per field; a longer one says how much is not shown

    def __init__(self, tool: str, fields: list[tuple[str, str]], description: str = "") -> None:
        super().__init__()
        self.tool, self.fields, self.description = tool, fields, description

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                Content.assemble(
                    "The agent asks to use its tool ",
                    (escape_control(self.tool, keep_newlines=False), "bold"),
                ),
                classes="danger-title",
            )
            if self.description:
                yield Static(Content(escape_control(self.description)), classes="hint")
            with VerticalScroll(id="fields"):
                for name, text in self.fields:
                    yield Static(self._field(name, text), classes="field")
            with Horizontal():
                yield Button(self.button_text("Allow", "allow"), id="allow", variant="error")
                yield Button(
                    self.button_text("Deny", "cancel"), id="deny", variant="primary", classes="safe"
                )

    def _field(self, name: str, text: str) -> Content:
        lines = escape_control(text).expandtabs(4).splitlines() or [""]
        shown = lines[: self.MAX_LINES]
        if len(lines) > self.MAX_LINES:
            shown.append(
                f"… {len(lines) - self.MAX_LINES} more lines not shown: deny if "
                "you need to see them"
            )
        label = Content.styled(
            f"{escape_control(name, keep_newlines=False)}:", "bold $text-secondary"
        )
        if len(shown) == 1:
            return Content.assemble(label, " ", (shown[0], "bold"))
        return Content.assemble(label, "\n", Content("\n".join(shown)))

    def action_allow(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "allow")


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
                yield Static(
                    Content.assemble(
                        "risk ",
                        (str(self.decision.risk.score), "bold $text-error"),
                        f"/100  blast radius: {self.decision.risk.blast_radius}",
                    )
                )
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
            f"That is not the code. {left} tr{'y' if left == 1 else 'ies'} left."
        )


class EditModal(AipermModal):
    """Edit a command with live re-analysis; returns the new command or None.

    The editor shows the command with its control characters escaped (`\\e`, `\\x07`),
    never raw: a raw escape sequence in a TextArea reaches the terminal (an OSC 52 write
    to the clipboard, a screen clear). What the editor shows is what runs; left as it was
    shown, the original command is approved unchanged. Control characters pasted in are
    escaped the same way as they arrive."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="modal.cancel"),
        Binding("ctrl+s", "submit", "Approve edited", id="modal.submit"),
    ]

    def __init__(self, cmd: str, analyse: Callable[[str], Decision]) -> None:
        super().__init__()
        self.cmd, self.analyse = cmd, analyse

    def _shown(self) -> str:
        return escape_control(self.cmd)

    def _command(self, text: str) -> str:
        """The command the editor's text stands for: the original when untouched."""
        return self.cmd if text == self._shown() else text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Edit the command, then approve it", classes="title")
            yield TextArea(self._shown(), id="editor", soft_wrap=True, show_line_numbers=False)
            with VerticalScroll():
                yield Static(id="analysis")
            yield Static(
                f"{self.key_label('submit')}: approve the edited command   escape: cancel",
                classes="hint",
            )
            with Horizontal():
                yield Button(
                    self.button_text("Approve edited", "submit"), id="submit", variant="success"
                )
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self._reanalyse(self.cmd)
        self.query_one(TextArea).focus()

    @on(TextArea.Changed)
    def _changed(self, event: TextArea.Changed) -> None:
        text = event.text_area.text
        safe = escape_control(text)
        if safe != text:  # a paste brought control characters: show them escaped
            event.text_area.text = safe
            return
        self._reanalyse(self._command(text))

    def _reanalyse(self, cmd: str) -> None:
        """Show the decision for what is typed now (the engine caches, so typing is cheap)."""
        decision = self.analyse(cmd)
        lines = [
            Content.assemble(
                "now: ",
                risk_badge(decision.risk.score, decision.confirm, decision.decision == "deny"),
            )
        ]
        lines += action_lines(
            ActionView(0, cmd, None, decision, "pending", decision.confirm), numbered=False
        )
        self.query_one("#analysis", Static).update(Content("\n").join(lines))

    def action_submit(self) -> None:
        text = self.query_one(TextArea).text
        command = self._command(text)
        self.dismiss(command if command.strip() else None)

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
            yield Label(
                Content.assemble(
                    "Always allow on ", (escape_control(self.host, keep_newlines=False), "bold")
                ),
                classes="title",
            )
            with RadioSet(id="match"):
                yield RadioButton("this exact command", value=True, id="exact")
                yield RadioButton("every command starting with the prefix below", id="prefix")
            yield Static(Content.assemble(("$ ", "bold"), highlight_command(self.cmd)))
            yield Input(prefix, id="pattern", placeholder="prefix")
            yield Static(
                "The rule is saved to remembered.toml. A prefix rule never skips a "
                "typed confirmation or a policy deny.",
                classes="hint",
            )
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


class HelpModal(AipermModal):
    """The keys, in one screen, generated from the live bindings (so a remapped key in
    the user's keymap shows as remapped): `rows` are (keys, what it does)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "cancel", "Close", id="modal.close")
    ]

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        width = max((len(keys) for keys, _ in self.rows), default=0) + 2
        lines = [
            Content.assemble((keys.ljust(width), "bold $text-accent"), what)
            for keys, what in self.rows
        ]
        with Vertical():
            yield Label("aiperm keys", classes="title")
            with VerticalScroll():
                yield Static(Content("\n").join(lines), id="keys")
            yield Static(
                Content(
                    "Keys follow the [keymap] table of your config (docs/tui.md). escape: close"
                ),
                classes="hint",
            )
