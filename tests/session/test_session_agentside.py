"""The agent's side in the log is bounded: long lines clipped with a marker, a flood
admitted at a capped rate with the rest counted in an "N lines not recorded" event."""

from __future__ import annotations

from pathlib import Path

from helpers.session_fixture import KEY

from aiperm_tui.config import AuditConfig
from aiperm_tui.replay.text import TextReplay
from aiperm_tui.session import OutputReader, Recorder, read_events, verify_session
from aiperm_tui.session.agentside import BURST_SECONDS, SHOWN_MAX, AgentBudget, agent_entry, clip
from aiperm_tui.session.export import pane_frames


def test_clip_keeps_the_head_and_says_how_much_was_cut() -> None:
    assert clip("short", 10) == ("short", 0)
    text, cut = clip("x" * 25, 10)
    assert cut == 15 and text == "x" * 10 + "…[15 more characters not recorded]"


def test_budget_refills_with_time_and_counts_what_it_refuses() -> None:
    now = [0.0]
    budget = AgentBudget(2, clock=lambda: now[0])
    burst = int(2 * BURST_SECONDS)
    assert all(budget.admit(3) for _ in range(burst))
    assert not budget.admit(4) and not budget.admit(5)
    assert budget.take_dropped() == {"lines": 2, "chars": 9}
    assert budget.take_dropped() is None
    now[0] = 1.0  # one second: two more lines
    assert budget.admit(1) and budget.admit(1) and not budget.admit(1)


def test_a_flood_is_capped_and_counted(tmp_path: Path) -> None:
    rec = Recorder.create(
        agent=["a"],
        hosts=[],
        preset="p",
        key=KEY,
        root=tmp_path,
        audit=AuditConfig(agent_lines_per_second=5, agent_line_max=64),
    )
    sent = 5000
    recorded = sum(1 for i in range(sent) if rec.agent_line("stdout", "chatter", f"{i}" * 40))
    rec.close()
    events = list(read_events(rec.path))
    lines = [e for e in events if e["type"] == "agent_line"]
    dropped = [e for e in events if e["type"] == "agent_lines_dropped"]
    assert len(lines) == recorded < 100  # the burst, and what the clock refilled
    assert sum(e["lines"] for e in dropped) == sent - recorded  # every line accounted for
    assert events[-3]["type"] == "agent_lines_dropped"  # said at close, before the end
    assert all(len(e["text"]) <= 64 + 40 for e in lines)
    assert any(e.get("cut") for e in lines)
    seal = events[-1]
    assert seal["counts"]["agent_lines"] == recorded
    assert seal["counts"]["agent_lines_dropped"] == sent - recorded
    assert verify_session(rec.path, KEY).ok


def test_operator_and_permission_events_read_back_in_the_text_replay(tmp_path: Path) -> None:
    rec = Recorder.create(
        agent=["a"],
        hosts=[],
        preset="p",
        key=KEY,
        root=tmp_path,
        audit=AuditConfig(agent_line_max=50),
    )
    rec.agent_line("stderr", "stderr", "warning \x1b[31m red")
    rec.operator_message("stop that", delivered=False)
    rec.permission_request("r9", "Bash", "", {"command": "rm -rf /" + "x" * 100})
    rec.permission_answer("r9", True)
    rec.close()
    asked = next(e for e in read_events(rec.path) if e["type"] == "permission_request")
    assert asked["input"].startswith('{"command":"rm -rf /') and "not recorded" in asked["input"]
    with OutputReader(rec.path) as output:
        text = "\n".join(TextReplay(output).lines(read_events(rec.path)))
    assert "agent! warning \\e[31m red" in text
    assert "operator: you: stop that  (not delivered: the agent cannot be talked to)" in text
    assert 'permission: asks to use its tool Bash: {"command":"rm -rf /' in text
    assert "permission: tool permission allowed by the operator" in text
    assert "sealed: 6 events, head " in text and "isolation unknown" in text


def test_a_huge_line_in_a_damaged_log_is_shown_cut(tmp_path: Path) -> None:
    """A line written into the log by hand (the chain breaks, so it replays marked
    UNVERIFIED) can be of any size: replay's text and the export's markers show its head
    and say how much they left out, so neither stalls on it."""
    rec = Recorder.create(agent=["a"], hosts=[], preset="p", key=KEY, root=tmp_path)
    rec.agent_line("stdout", "assistant", "placeholder")
    rec.close()
    log = rec.path / "events.jsonl"
    huge = "A" * (SHOWN_MAX + 500_000)
    log.write_text(log.read_text().replace("placeholder", huge))
    assert not verify_session(rec.path, KEY).ok
    said = f"A…[{500_000} more characters not shown]"
    look, text = agent_entry(next(e for e in read_events(rec.path) if e["type"] == "agent_line"))
    assert (look, len(text)) == ("stdout", SHOWN_MAX + len(said) - 1) and text.endswith(said)
    markers = [text for _, code, text in pane_frames(rec.path, agent=True) if code == "m"]
    assert len(markers) == 1 and markers[0].endswith(said)
    with OutputReader(rec.path) as output:
        shown = "\n".join(TextReplay(output).lines(read_events(rec.path)))
    assert said in shown and huge not in shown
