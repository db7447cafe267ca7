"""Every key flow of the broker app under Pilot, on the real Broker, PolicyEngine and
Recorder (only the SSH pool is a stand-in; the SSH tests use the real one)."""

from __future__ import annotations

import os
import signal
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest
from helpers.pilot import screen_text, until
from helpers.tui_app import FakePool, Script, build_app, open_dialog, sample_config, submit
from textual.widgets import Input, Log, TextArea

from aiperm_tui.config import load_config
from aiperm_tui.session import read_events
from aiperm_tui.tui.app import AgentSpec, BrokerApp
from aiperm_tui.tui.modals import (
    ChallengeModal,
    ConfirmModal,
    DenyMessageModal,
    EditModal,
    HostKeyModal,
    PassphraseModal,
    RememberModal,
)

SIZE = (140, 45)


def events(app: BrokerApp, kind: str) -> list[dict[str, Any]]:
    return [e for e in read_events(app.deps.recorder.path) if e["type"] == kind]


def pending(app: BrokerApp, plan_id: str) -> list[int]:
    return [a.index for a in app.broker.plan(plan_id).awaiting]


async def test_approve_runs_the_command_and_answers(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        replies = submit(app, "p1", "gzip -kf logs/app.log", goal="compress")
        await until(pilot, lambda: app.review.current is not None)
        await pilot.press("a")
        await until(pilot, lambda: replies.of("plan_result"))
        assert replies.of("decision")[0]["decision"] == "allow"
        assert replies.of("result")[0]["stdout"] == "ran: gzip -kf logs/app.log\n"
        assert replies.of("plan_result")[0]["status"] == "ok"
        log = app.query_one(Log)
        await until(pilot, lambda: any("ran: gzip" in line for line in log.lines))
        assert any(line.startswith("━━ x1 @web1 $ gzip -kf logs/app.log") for line in log.lines)
        assert events(app, "approval")[0]["by"] == "human"


async def test_batch_approve_takes_plan_level_and_skips_action_and_typed(tmp_path: Path) -> None:
    config = sample_config(
        rules=[
            {"action": "confirm", "match": "prefix", "pattern": "df ", "confirm": "plan"},
            {"action": "confirm", "match": "prefix", "pattern": "tail ", "confirm": "plan"},
        ]
    )
    app = build_app(tmp_path, config=config)
    async with app.run_test(size=SIZE) as pilot:
        reads = [submit(app, "p1", "df -h ."), submit(app, "p2", "tail -n 5 logs/app.log")]
        submit(app, "p3", "cp config/app.conf config/app.conf.bak")
        submit(app, "p4", "rm -rf logs/old")
        await until(pilot, lambda: len(app.review.requests) == 4)
        await pilot.press("A")
        await until(pilot, lambda: all(r.of("plan_result") for r in reads))
        assert [r.of("plan_result")[0]["status"] for r in reads] == ["ok", "ok"]
        assert pending(app, "p3") == [0] and pending(app, "p4") == [0]
        assert {e["by"] for e in events(app, "approval")} == {"batch"}
        await until(pilot, lambda: [r.id for r in app.review.requests] == ["p3", "p4"])


async def test_edit_that_raises_risk_needs_confirming_again(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        replies = submit(app, "p1", "gzip -kf logs/app.log")
        await open_dialog(pilot, app, "e", EditModal)
        edited = "gzip -kf logs/app.log && rm -rf logs/old"
        app.screen.query_one(TextArea).text = edited
        await until(pilot, lambda: "TYPED" in str(app.screen.query_one("#analysis").render()))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ChallengeModal))
        action = app.broker.plan("p1").actions[0]
        assert action.state == "pending" and action.needs == "typed"
        assert action.edited == edited and not replies.of("result")
        code = app.broker.challenge("p1", 0)
        await pilot.press(*code, "enter")
        await until(pilot, lambda: replies.of("plan_result"))
        result = replies.of("result")[0]
        assert result["cmd"] == edited and result["edited"] is True
        approval = events(app, "approval")[0]
        assert approval["cmd"] == edited and approval["original"] == "gzip -kf logs/app.log"


AGENT = textwrap.dedent("""
    import json, sys
    out = open(sys.argv[1], "w")
    print("hello from the test agent", flush=True)
    print("a warning", file=sys.stderr, flush=True)
    print(json.dumps({"type": "plan", "id": "p1", "actions": [{"cmd": sys.argv[2]}]}),
          flush=True)
    for line in sys.stdin:
        out.write(line); out.flush()
        if json.loads(line).get("type") == "plan_result":
            break
    if sys.argv[3] == "crash":  # one more request, then wait to be killed by the test
        print(json.dumps({"type": "plan", "id": "p2", "actions": [{"cmd": "touch pending"}]}),
              flush=True)
        sys.stdin.read()
""")


def agent_spec(tmp_path: Path, cmd: str, mode: str = "normal") -> tuple[AgentSpec, Path]:
    script = tmp_path / "agent.py"
    script.write_text(AGENT)
    received = tmp_path / "received.jsonl"
    return AgentSpec([sys.executable, str(script), str(received), cmd, mode]), received


async def test_deny_with_a_message_reaches_the_agent(tmp_path: Path) -> None:
    spec, received = agent_spec(tmp_path, "cp config/app.conf /tmp/x")
    app = build_app(tmp_path, agent=spec)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.review.current is not None)
        agent_log = app.agent_pane.query_one("#agent-log")
        await until(pilot, lambda: len(agent_log.lines) >= 3)
        await pilot.press("D")
        await until(pilot, lambda: isinstance(app.screen, DenyMessageModal))
        await pilot.press(*"use rsync", "enter")
        await until(pilot, lambda: "plan_result" in received.read_text())
        lines = [line for line in received.read_text().splitlines() if line]
        import json

        decision = json.loads(lines[0])
        assert decision["decision"] == "deny" and decision["message"] == "use rsync"
        assert json.loads(lines[-1])["status"] == "refused"
        assert events(app, "deny")[0]["message"] == "use rsync"


async def test_typed_confirmation_right_code_runs(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        replies = submit(app, "p1", "rm -rf logs/old")
        await open_dialog(pilot, app, "a", ChallengeModal)
        code = app.broker.challenge("p1", 0)
        assert code and str(app.screen.query_one("#code").render()) == code
        await pilot.press(*code.lower(), "enter")
        await until(pilot, lambda: replies.of("plan_result"))
        assert replies.of("plan_result")[0]["status"] == "ok"
        assert all(code not in str(m) for m in replies.messages)  # never sent to the agent


async def test_typed_confirmation_wrong_code_runs_nothing(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        replies = submit(app, "p1", "rm -rf logs/old")
        await open_dialog(pilot, app, "a", ChallengeModal)
        for _ in range(2):
            await pilot.press(*"ZZZZ", "enter")
        assert "1 try left" in str(app.screen.query_one("#wrong").render())
        await pilot.press(*"ZZZZ", "enter")
        await until(pilot, lambda: not isinstance(app.screen, ChallengeModal))
        assert pending(app, "p1") == [0]
        assert not replies.of("result") and not events(app, "approval")


def _app_with_a_config_file(tmp_path: Path) -> Any:
    """An app whose config comes from a file (host web1), so a remembered rule has a
    file to be saved to."""
    config_file = tmp_path / "config.toml"
    config_file.write_text('default_host = "web1"\n[hosts.web1]\nhostname = "192.0.2.10"\n')
    return build_app(tmp_path, config=load_config(config_file))


async def test_remember_saves_a_rule_and_the_next_one_is_approved_by_it(tmp_path: Path) -> None:
    app = _app_with_a_config_file(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        first = submit(app, "p1", "systemctl restart nginx")
        await open_dialog(pilot, app, "r", RememberModal)
        await pilot.click("#ok")
        await until(pilot, lambda: first.of("plan_result"))
        remembered = (tmp_path / "remembered.toml").read_text()
        assert 'pattern = "systemctl restart nginx"' in remembered
        second = submit(app, "p2", "systemctl restart nginx")
        await until(pilot, lambda: second.of("plan_result"))
        assert second.of("plan_result")[0]["status"] == "ok"
        by = [(e["id"], e["by"]) for e in events(app, "approval")]
        assert by == [("p1", "human"), ("p2", "rule")]
        assert events(app, "rule_added")[0]["match"] == "exact"


class BlockingPool(FakePool):
    script = Script(block={"tail -f logs/app.log"})


async def test_cancel_stops_the_running_command(tmp_path: Path) -> None:
    app = build_app(tmp_path, pool_factory=BlockingPool)
    async with app.run_test(size=SIZE) as pilot:
        replies = submit(app, "p1", "tail -f logs/app.log")  # a read: runs by rule
        await until(pilot, lambda: app.listener.running)
        await pilot.press("c")
        await until(pilot, lambda: replies.of("plan_result"))
        assert replies.of("result")[0]["error"] == "cancelled"
        assert events(app, "exec_end")[0]["error"] == "cancelled"


async def test_quit_with_a_running_command_asks_then_cancels_cleanly(tmp_path: Path) -> None:
    app = build_app(tmp_path, pool_factory=BlockingPool)
    async with app.run_test(size=SIZE) as pilot:
        replies = submit(app, "p1", "tail -f logs/app.log")
        await until(pilot, lambda: app.listener.running)
        await pilot.press("q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await until(pilot, lambda: "Quit (q)" in screen_text(app))  # drawn, not just pushed
        shown = screen_text(app)  # what is cancelled, and that q again quits
        assert "1 command running." in shown
        await pilot.press("n")
        assert app.is_running and app.listener.running
        await pilot.press("q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running, timeout=15)
    assert replies.of("plan_result")[0]["status"] in ("refused", "failed")
    kinds = [e["type"] for e in read_events(app.deps.recorder.path)]
    assert kinds[-2:] == ["session_end", "seal"] and "exec_end" in kinds


async def test_agent_crash_is_shown_and_its_pending_requests_cancelled(tmp_path: Path) -> None:
    spec, _ = agent_spec(tmp_path, "ls -la", mode="crash")
    app = build_app(tmp_path, agent=spec)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: any(p.id == "p2" for p in app.broker.plans()))
        os.kill(app._agent.pid, signal.SIGKILL)
        await until(pilot, lambda: app._agent_state == "crashed", timeout=10)
        await until(pilot, lambda: app.broker.plan("p2").actions[0].state == "cancelled")
        (action,) = app.broker.plan("p2").actions
        assert (action.state, action.message) == ("cancelled", "cancelled: the agent exited")
        # the status bar and the agent pane are redrawn by the pump: wait for them
        await until(pilot, lambda: "agent crashed" in str(app.query_one("#status").render()))

        def shown() -> str:
            lines = app.agent_pane.query_one("#agent-log").lines
            return " ".join(" ".join(line.text for line in lines).split())

        await until(pilot, lambda: "agent crashed (SIGKILL)" in shown())
        assert app.is_running  # the session stays open for review


FINGERPRINT = "SHA256:n32If4GClu5H9sU4Okgbdo2NA+/V9wO3wJOmu+bpYKY"


def _ask_trust(
    app: BrokerApp, answers: list[str], fingerprint: str = FINGERPRINT
) -> threading.Thread:
    """A connecting thread asking about an unknown host key, as the SSH pool does."""
    thread = threading.Thread(
        target=lambda: answers.append(
            app.deps.prompts.trust_host("web1", 22, "ssh-ed25519", fingerprint)
        )
    )
    thread.start()
    return thread


async def test_host_key_first_contact_shows_fingerprint_and_visual_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # armed by the test, not by a clock: a loaded machine must not arm it early
    monkeypatch.setattr(HostKeyModal, "ARM_SECONDS", 3600.0)
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        answers: list[str] = []
        thread = _ask_trust(app, answers, "SHA256:abc\x1b[2J")
        await until(
            pilot, lambda: isinstance(app.screen, HostKeyModal) and app.screen.query("#fingerprint")
        )
        assert "SHA256:abc\\e[2J" in str(app.screen.query_one("#fingerprint").render())
        await pilot.press("r")  # refusing is safe at once, even before the modal is armed
        await until(pilot, lambda: answers == ["refuse"])
        thread.join()
        thread = _ask_trust(app, answers)
        await until(
            pilot, lambda: isinstance(app.screen, HostKeyModal) and app.screen.query("#randomart")
        )
        art = str(app.screen.query_one("#randomart").render())
        assert art.splitlines()[0] == "+--[ED25519 256]--+"  # what ssh-keygen -lv draws
        await pilot.pause()
        shown = screen_text(app)  # on the screen, not only in the widgets: the comparison
        assert FINGERPRINT in shown and "+--[ED25519 256]--+" in shown
        assert "ssh-keygen -lv -f" in shown and "A mismatch means" in shown
        await pilot.press("o")  # too soon: trust keys wait until the modal is armed
        assert isinstance(app.screen, HostKeyModal) and answers == ["refuse"]
        app.screen._arm()  # what the modal's timer does after ARM_SECONDS
        await pilot.press("a")  # armed, "a" still trusts nothing (it trusted for good)
        await pilot.pause()
        assert isinstance(app.screen, HostKeyModal) and answers == ["refuse"]
        await pilot.press("o")
        await until(pilot, lambda: answers == ["refuse", "once"])
        thread.join()


async def test_remembering_a_host_key_needs_its_fingerprint_typed(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        answers: list[str] = []
        thread = _ask_trust(app, answers)
        await until(pilot, lambda: isinstance(app.screen, HostKeyModal) and app.screen.armed)
        await pilot.click("#remember")
        await until(pilot, lambda: app.screen.query_one("#check", Input).has_focus)
        await pilot.press(*"abcd", "enter")
        assert "does not match" in str(app.screen.query_one("#mismatch").render())
        assert isinstance(app.screen, HostKeyModal) and not answers
        await pilot.press(*FINGERPRINT[-4:], "enter")
        await until(pilot, lambda: answers == ["always"])
        thread.join()


async def test_passphrase_modal_is_a_password_field_and_skip_returns_none(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        answers: list[str | None] = []

        def ask() -> None:
            answers.append(app.deps.prompts.passphrase("/home/me/.ssh/id_ed25519"))

        for typed in ("s3cret", None):
            thread = threading.Thread(target=ask)
            thread.start()
            await until(pilot, lambda: isinstance(app.screen, PassphraseModal))
            assert app.screen.query_one(Input).password
            await pilot.press(*(typed or ""), "enter" if typed else "escape")
            await until(pilot, lambda t=thread: not t.is_alive())
        assert answers == ["s3cret", None]
    assert "s3cret" not in (app.deps.recorder.path / "events.jsonl").read_text()


async def test_prompts_after_shutdown_refuse_instead_of_hanging(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE):
        pass
    assert app.deps.prompts.trust_host("h", 22, "ssh-rsa", "SHA256:x") == "refuse"


@pytest.mark.parametrize("key", ["a", "e", "d", "r", "p"])
async def test_keys_with_nothing_selected_are_hidden_and_inert(tmp_path: Path, key: str) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        assert key not in app.screen.active_bindings  # hidden from the footer
        await pilot.press(key)
        assert app.screen is app.screen_stack[0] and app.is_running
        submit(app, "p1", "cp config/app.conf config/app.conf.bak")
        await until(pilot, lambda: key in app.screen.active_bindings)


async def test_preview_shows_the_probes_output_in_the_review_pane(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        submit(app, "p1", "rm -rf logs/old")
        await until(pilot, lambda: app.review.current is not None)
        await pilot.press("p")
        await until(pilot, lambda: app.review.current and app.review.current.actions[0].preview)
        detail = str(app.review.query_one("#detail").render())
        assert "impact preview:" in detail and "ran: " in detail
        assert events(app, "preview")[0]["probes"]
        assert pending(app, "p1") == [0]  # a preview approves nothing


async def test_remember_a_prefix(tmp_path: Path) -> None:
    app = _app_with_a_config_file(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        first = submit(app, "p1", "systemctl restart nginx")
        await until(pilot, lambda: app.review.current is not None)
        await pilot.press("r")
        await until(
            pilot, lambda: isinstance(app.screen, RememberModal) and app.screen.query("#pattern")
        )
        await pilot.click("#prefix")
        app.screen.query_one("#pattern", Input).value = "systemctl restart "
        await pilot.click("#ok")
        await until(pilot, lambda: first.of("plan_result"))
        second = submit(app, "p2", "systemctl restart postgresql")
        await until(pilot, lambda: second.of("plan_result"))
        assert events(app, "rule_added")[0]["pattern"] == "systemctl restart "
        assert [e["by"] for e in events(app, "approval")] == ["human", "rule"]


async def test_mouse_picks_a_request_and_plan_actions_are_walked_with_brackets(
    tmp_path: Path,
) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        submit(app, "p1", "cp config/app.conf config/app.conf.bak")
        submit(app, "p2", "gzip -kf logs/app.log", "truncate -s 0 logs/app.log")
        await until(pilot, lambda: len(app.review.requests) == 2)
        await pilot.click("#queue", offset=(10, 1))
        await until(pilot, lambda: app.review.current.id == "p2")
        assert app.review.action_cursor == 0
        await pilot.press("right_square_bracket")
        assert app.review.action_cursor == 1
        assert "▶ #2" in str(app.review.query_one("#detail").render())


async def test_at_80x24_the_action_a_acts_on_is_in_view(tmp_path: Path) -> None:
    """The detail shows a few lines at 80×24: after approving a plan's first action the
    next one, below them, is scrolled into view, not left unseen."""
    app = build_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        replies = submit(
            app,
            "p1",
            "cp config/app.conf config/app.conf.bak",
            "gzip -kf logs/app.log",
            "truncate -s 0 logs/app.log",
            goal="compress and rotate the app log",
        )
        await until(pilot, lambda: app.review.current is not None)
        for number in (2, 3):
            await pilot.press("a")
            await until(pilot, lambda: app.review.action_cursor == number - 1)  # noqa: B023
            # scrolled after a refresh: wait for the screen to show it, not one pause
            shown = f"▶ #{number} [pending] $ "
            await until(pilot, lambda: shown in screen_text(app))  # noqa: B023
        await pilot.press("left_square_bracket", "left_square_bracket")  # back to the top
        await until(pilot, lambda: "▶ #1 [approved] $ cp config/app.conf" in screen_text(app))
        assert not replies.of("plan_result")


async def test_at_80x24_the_host_key_dialog_keeps_its_buttons_on_screen(tmp_path: Path) -> None:
    """24 rows are fewer than the dialog with its picture: it tightens, so every answer
    stays on screen ("Remember…" has no key), and the check box gets the picture's room."""
    app = build_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        answers: list[str] = []
        thread = _ask_trust(app, answers)
        await until(pilot, lambda: isinstance(app.screen, HostKeyModal) and app.screen.armed)
        await pilot.pause()
        shown = screen_text(app)
        assert FINGERPRINT in shown and "+--[ED25519 256]--+" in shown
        for button in ("Trust this session (o)", "Refuse (r)", "Remember…"):
            assert button in shown
        await pilot.click("#remember")
        await until(pilot, lambda: app.screen.query_one("#check", Input).has_focus)
        await pilot.pause()
        shown = screen_text(app)
        assert FINGERPRINT in shown and "last 4 characters of the fingerprint" in shown
        await pilot.press(*FINGERPRINT[-4:], "enter")
        await until(pilot, lambda: answers == ["always"])
        thread.join()
