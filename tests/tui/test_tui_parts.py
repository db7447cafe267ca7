"""The TUI's plain parts: the output buffer, themes, the CLI's checks, the demo agent."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from helpers.pilot import screen_text, until
from helpers.tui_app import build_app, sample_config, submit

from aiperm_tui.cli import main
from aiperm_tui.demo.agent import DemoAgent, script
from aiperm_tui.demo.sandbox import fill_sandbox
from aiperm_tui.errors import ConfigError
from aiperm_tui.session import SessionInfo
from aiperm_tui.textsafe import MAX_LINE
from aiperm_tui.tui.output import OutputBuffer
from aiperm_tui.tui.replay_picker import session_line
from aiperm_tui.tui.themes import load_themes, resolve_theme, theme_from_toml

# --- output buffer -------------------------------------------------------------------


def test_partial_lines_and_split_utf8_are_joined() -> None:
    buf = OutputBuffer(100)
    data = "héllo wörld\nsecond".encode()
    for i in range(len(data)):  # one byte at a time: UTF-8 split everywhere
        buf.feed("x1", "stdout", data[i : i + 1])
    assert buf.drain() == ["héllo wörld"]
    buf.footer("x1", "exit 0")
    assert buf.drain() == ["second", "── x1 exit 0"]


def test_control_characters_are_escaped_and_crlf_trimmed() -> None:
    buf = OutputBuffer(100)
    buf.feed("x1", "stdout", b"\x1b[2Jred\r\nbidi \xe2\x80\xae here\n\xff\n")
    assert buf.drain() == ["\\e[2Jred", "bidi \\u202e here", "\ufffd"]


def test_a_flood_keeps_only_what_the_view_can_hold_plus_a_marker() -> None:
    buf = OutputBuffer(1000)
    buf.feed("x1", "stdout", b"".join(b"line %d\n" % i for i in range(50_000)))
    lines = buf.drain()
    assert len(lines) == 1001 and lines[-1] == "line 49999"
    assert lines[0].startswith("… 49000 lines skipped")
    assert buf.skipped == 49_000 and buf.lines_in == 50_000


def test_an_endless_line_is_cut_into_pieces_not_kept_whole() -> None:
    buf = OutputBuffer(100)
    buf.feed("x1", "stdout", b"y" * (MAX_LINE * 3 + 5))
    assert [len(line) for line in buf.drain()] == [MAX_LINE] * 3


def test_interleaved_commands_are_marked() -> None:
    buf = OutputBuffer(100)
    buf.header("x1", "web1", "make")
    buf.header("x2", "web2", "make")
    buf.feed("x2", "stdout", b"two\n")
    buf.feed("x1", "stdout", b"one\n")
    assert buf.drain()[-3:] == ["two", "── x1 (continued) ──", "one"]


def test_buffer_is_thread_safe() -> None:
    buf = OutputBuffer(1_000_000)
    threads = [
        threading.Thread(
            target=lambda n=n: [buf.feed(f"x{n}", "stdout", b"a\nb\n") for _ in range(2000)]
        )
        for n in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(1 for line in buf.drain() if line in ("a", "b")) == 4 * 2000 * 2


# --- themes --------------------------------------------------------------------------


def test_shipped_themes_load_and_resolve() -> None:
    themes = load_themes()
    assert {"dark", "light", "high-contrast"} <= set(themes)
    assert not themes["light"].dark and themes["dark"].dark
    assert resolve_theme("nord", themes) == "nord"  # Textual's built-ins work too
    with pytest.raises(ConfigError, match="unknown theme 'nope'"):
        resolve_theme("nope", themes)


def test_a_bad_theme_file_names_the_key(tmp_path: Path) -> None:
    bad = tmp_path / "mine.toml"
    bad.write_text('primary = "#fff"\nsparkle = true\n')
    with pytest.raises(ConfigError, match="unknown theme key 'sparkle'"):
        theme_from_toml(bad)
    bad.write_text("primary = \n")
    with pytest.raises(ConfigError, match="cannot read theme"):
        theme_from_toml(bad)
    bad.write_text('primary = "#fff"\nerror = "#ff00zz"\n')
    with pytest.raises(ConfigError, match=r"error: not a colour: '#ff00zz'"):
        theme_from_toml(bad)
    bad.write_text('primary = "#fff"\n[variables]\nfooter-key-foreground = "#12"\n')
    with pytest.raises(ConfigError, match=r"variables\.footer-key-foreground: not a colour"):
        theme_from_toml(bad)


async def test_themes_switch_live_and_keymap_rebinds(tmp_path: Path) -> None:
    app = build_app(tmp_path, config=sample_config(theme="light", keymap={"review.approve": "y"}))
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.theme == "light"
        assert {"dark", "light", "high-contrast"} <= set(app.available_themes)
        app.theme = "high-contrast"
        replies = submit(app, "p1", "cp config/app.conf config/app.conf.bak")
        await until(pilot, lambda: app.review.current is not None)
        await pilot.press("y")
        await until(pilot, lambda: replies.of("decision"))
        assert replies.of("decision")[0]["decision"] == "allow"


# --- the CLI's checks before the app --------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["tui"], "no agent command given"),
        (["tui", "--", "ls"], "no host"),
        (["tui", "--host", "h", "--", "no-such-agent-xyz"], "agent command not found"),
        (["tui", "--host", "nowhere", "--", "ls"], "unknown host 'nowhere'"),
        (["tui", "--preset", "bogus", "--", "ls"], "invalid choice"),
        (["demo", "--config", "x.toml"], "own throwaway config"),
    ],
)
def test_cli_refuses_bad_input_with_one_line_and_exit_5(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own errors
        code = int(exc.code or 0)
    assert code == 5
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_cli_bad_config_theme_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "c.toml"
    config.write_text('theme = "nope"\ndefault_host = "web1"\n[hosts.web1]\nport = 22\n')
    assert main(["tui", "--config", str(config), "--", "ls"]) == 5
    err = capsys.readouterr().err
    assert f"{config}: theme: unknown theme 'nope'" in err


# --- the demo agent and sandbox -------------------------------------------------------


class ScriptedBroker(io.StringIO):
    """Plays the broker for the demo agent: answers each plan as it is written."""

    def __init__(self, deny: set[str]) -> None:
        super().__init__()
        self.deny, self.plans, self.answers = deny, [], []

    def write(self, text: str) -> int:
        for line in text.splitlines():
            if line.startswith("{"):
                plan = json.loads(line)
                self.plans.append(plan)
                denied = any(a["cmd"] in self.deny for a in plan["actions"])
                if denied:
                    self.answers.append(
                        {
                            "type": "decision",
                            "id": plan["id"],
                            "action": 0,
                            "decision": "deny",
                            "message": "not today",
                        }
                    )
                status = "refused" if denied else "ok"
                self.answers.append({"type": "plan_result", "id": plan["id"], "status": status})
        return super().write(text)

    def readline(self) -> str:  # the agent's stdin
        return json.dumps(self.answers.pop(0)) + "\n" if self.answers else ""


def test_demo_agent_covers_the_tour_and_reacts_to_a_denial() -> None:
    evasion = "ls $(rm -rf data; echo data)"
    broker = ScriptedBroker(deny={evasion})
    script(DemoAgent(broker, broker, "demo", 0.0))  # type: ignore[arg-type]
    cmds = [a["cmd"] for p in broker.plans for a in p["actions"]]
    assert cmds[:3] == ["ls -la", "df -h .", "tail -n 5 logs/app.log"]
    assert "rm -rf logs/old" in cmds and evasion in cmds
    assert any(len(p["actions"]) == 3 for p in broker.plans)
    assert cmds[cmds.index(evasion) + 1] == "ls -la data"  # the safer retry
    assert "not approved: not today" in broker.getvalue()
    assert all(p["host"] == "demo" for p in broker.plans)


def test_demo_agent_runs_as_a_plain_script_and_ends_when_stdin_closes() -> None:
    script_path = Path(__file__).parents[2] / "aiperm_tui" / "demo" / "agent.py"
    proc = subprocess.run(
        [sys.executable, "-I", str(script_path), "--delay", "0"],
        input="",
        capture_output=True,
        text=True,
        timeout=20,
    )
    first = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert json.loads(first[0])["actions"] == [{"cmd": "ls -la"}]
    assert proc.returncode == 1 and "Traceback" not in proc.stderr


def test_sandbox_is_filled_with_an_app_to_look_at(tmp_path: Path) -> None:
    fill_sandbox(tmp_path)
    assert (tmp_path / "config" / "app.conf").is_file()
    assert len(list((tmp_path / "logs" / "old").iterdir())) == 3
    assert (tmp_path / "data" / "users.csv").read_text().startswith("id,name")


def test_the_session_picker_names_the_agent_program_not_its_path(tmp_path: Path) -> None:
    info = SessionInfo(
        "s1", tmp_path, agent=["/root/.pyenv/versions/3.11.7/bin/python", "agent.py", "\x1b[2J"]
    )
    assert "  python agent.py \\e[2J  @" in session_line(info).plain
    assert "  @" in session_line(SessionInfo("s2", tmp_path)).plain  # no agent recorded


@pytest.mark.timeout(60)
@pytest.mark.parametrize("size", [(100, 20), (60, 30), (140, 45)])
async def test_the_output_pane_follows_the_end_after_a_resize(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    """Shrinking the terminal (or narrowing it so long lines bring a scrollbar) moved
    the end of the output below the view, and the pane then stopped following it."""
    app = build_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.broker_screen.output
        for n in range(200):
            pane.buffer.note(f"line {n:03d} " + "x" * (n % 90))
        await until(pilot, lambda: pane.lines_shown >= 200 and pane.is_vertical_scroll_end)
        await pilot.resize_terminal(*size)
        await until(pilot, lambda: app.size == size)
        pane.buffer.note("the last line")
        await until(pilot, lambda: pane.lines_shown >= 201)
        await until(pilot, lambda: "the last line" in screen_text(app))
        assert pane.is_vertical_scroll_end
        pane.scroll_home(animate=False, immediate=True)  # the operator reads back
        await until(pilot, lambda: not pane.following)
        await pilot.resize_terminal(100, 30)
        pane.buffer.note("not dragged down")
        await until(pilot, lambda: pane.lines_shown >= 202)
        assert pane.scroll_offset.y == 0 and "not dragged down" not in screen_text(app)
