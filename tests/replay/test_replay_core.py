"""Playback clock, scene folding, seek context, integrity and the text form, headless."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.audit_key import use_key
from helpers.replay_log import KEY, demo_events, write_session
from helpers.session_fixture import end_exec

from aiperm_tui.replay import recording as recording_mod
from aiperm_tui.replay.playback import Playback, check_speed
from aiperm_tui.replay.recording import Recording, check_integrity
from aiperm_tui.replay.scene import Scene, edit_diff
from aiperm_tui.replay.text import TextReplay
from aiperm_tui.session import Recorder
from aiperm_tui.textsafe import MAX_LINE


@pytest.fixture(params=[2, 1], ids=["format2", "format1"])
def demo(tmp_path: Path, request: pytest.FixtureRequest) -> Recording:
    """The demo session; also in format 1 (output inline), which readers still read."""
    rec = Recording.open(write_session(tmp_path, demo_events(), fmt=request.param))
    yield rec
    rec.close()


def test_replay_playback_caps_idle_gaps_and_scales_with_speed(demo: Recording) -> None:
    play = Playback(demo.index, speed=2.0, max_idle=2.0)
    assert play.tick(0.0) == 1  # session_start is due at once
    assert play.tick(0.2) == 0 and play.tick(0.05) == 1  # 0.5 s gap at 2x = 0.25 s
    play.seek(14)  # the next event comes 25.98 s later: capped to 2 s, so 1 s at 2x
    assert play.wait() == pytest.approx(1.0)
    assert play.tick(0.99) == 0 and play.tick(0.02) >= 1
    play.seek(0)
    assert play.tick(1000.0) == play.total and play.at_end and not play.playing


def test_replay_playback_keys(demo: Recording) -> None:
    play = Playback(demo.index)
    requests = demo.index.markers["request"]
    assert requests == [2, 11] and demo.index.markers["deny"] == [15]
    assert play.seek(play.next_request_cursor()) == 3
    assert play.seek(play.next_request_cursor()) == 12
    assert play.next_request_cursor() == 12  # no later request: stays
    assert play.seek(play.prev_request_cursor()) == 3 and play.prev_request_cursor() == 0
    play.seek(5)
    assert play.step(-1) == 4 and not play.playing and play.step(+1) == 5
    assert play.seek_fraction(1.0) == play.total and play.seek_fraction(0.0) == 0
    assert play.seek_time(2.0) == 5  # everything up to and including the approval at 2.0
    assert [play.faster() for _ in range(8)][-1] == 16.0
    assert [play.slower() for _ in range(8)][-1] == 0.25
    play.seek(play.total)
    play.playing = False
    assert play.toggle() and play.cursor == 0  # resuming at the end starts over
    with pytest.raises(ValueError):
        check_speed(32)


def test_replay_scene_folds_decisions_edits_and_denials(demo: Recording) -> None:
    scene = Scene()
    for pos, event in enumerate(demo.index.events()):
        scene.apply(event, pos)
    p1, p2 = scene.requests["p1"], scene.requests["p2"]
    assert (p1.status, p1.actions[0].status, p1.actions[0].by) == ("ok", "done", "human")
    edited, denied = p2.actions
    assert edited.original == "rm -rf /var/log/old" and edited.cmd == "rm -rf /var/log/old/*.gz"
    assert edited.decision["findings"][0]["rule"] == "rm-recursive"
    assert (denied.status, denied.by, denied.message) == ("denied", "policy", "never the root")
    scene.apply({"type": "request", "id": "p3", "actions": ["rm -r /srv"]}, 99)
    scene.apply(
        {
            "type": "decision",
            "id": "p3",
            "action": 0,
            "cmd": "rm -r /srv/tmp",
            "decision": "allow",
            "confirm": "action",
        },
        100,
    )  # an edit, re-analysed
    edit = scene.requests["p3"].actions[0]
    assert (edit.cmd, edit.original, edit.status) == ("rm -r /srv/tmp", "rm -r /srv", "pending")
    assert [t for _, t in scene.agent] == [
        "Looking at the disk usage",
        "Cleaning old logs \x1b[31mnow",
        "done",
    ]
    assert edit_diff("rm -rf /var/log/old", "rm -rf /var/log/old/*.gz") == [
        ("equal", "rm -rf "),
        ("delete", "/var/log/old"),
        ("insert", "/var/log/old/*.gz"),
    ]


def test_replay_seek_context_matches_playing_from_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = demo_events()
    filler = [
        (31.0 + i / 100, "output", {"exec": "x9", "stream": "stdout", "data": f"{i}\n"})
        for i in range(300)
    ]
    rec = Recording.open(write_session(tmp_path, [*events[:-1], *filler, events[-1]]))
    monkeypatch.setattr(recording_mod, "WINDOW", 50)
    full, partial = Scene(), Scene()
    for pos, event in enumerate(rec.index.events()):
        full.apply(event, pos)
    context = rec.context(len(rec.index))
    assert len(context) < 80
    for pos, event in context:
        partial.apply(event, pos)
    assert partial.request == full.request
    assert list(partial.agent) == list(full.agent)
    assert partial.start == full.start
    rec.close()


def test_replay_integrity_names_the_first_bad_event(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_session(tmp_path, demo_events())
    assert check_integrity(folder).state == "unverified"  # no key on this machine
    use_key(monkeypatch, Path.home() / "keys", KEY)
    assert check_integrity(folder).ok
    log = folder / "events.jsonl"
    log.write_bytes(log.read_bytes().replace(b"df -h /", b"df -h ~", 1))
    bad = check_integrity(folder)
    assert bad.state == "unverified" and bad.first_bad == 2 and "seq 3" in bad.message


def test_replay_text_shows_everything_escaped(demo: Recording) -> None:
    text = "\n".join(TextReplay(demo.output).lines(demo.index.events()))
    for expected in (
        "session start: agent demo-agent --fast",
        "agent: Looking at the disk usage",
        "agent: Cleaning old logs \\e[31mnow",
        "request p2 @web1 (agent, fail_fast): free space",
        "#2 $ rm -rf /",
        "finding high rm-recursive [0:6]: recursive delete",
        "approved p2#1 by human: $ rm -rf /var/log/old/*.gz",
        "edited: rm -rf [-/var/log/old-]{+/var/log/old/*.gz+}",
        "DENIED p2#2 by policy: $ rm -rf /",
        "told the agent: never the root",
        "x1 out| /dev/sda1 40G 39G 1G",
        "x2 err| removed 3 files",
        "end x1: exit 0 in 290 ms, 48 B out, 0 B err",
        "agent! done",
        "session end: normal",
    ):
        assert expected in text, expected
    assert "\x1b" not in text


def test_replay_reads_a_log_from_the_real_recorder(tmp_path: Path) -> None:
    with Recorder.create(
        agent=["a"], hosts=["h"], preset="ops_safe", key=KEY, root=tmp_path
    ) as rec:
        rec.event("agent_line", stream="stdout", text="hi")
        rec.event(
            "request",
            id="p1",
            host="h",
            goal="",
            strategy="fail_fast",
            source="agent",
            actions=["ls"],
        )
        rec.event("exec_start", exec="x1", id="p1", action=0, host="h", cmd="ls")
        rec.output("x1", "stdout", b"a\xffb\n")
        end_exec(rec, "x1", stdout_bytes=4)
        folder = rec.path
    recording = Recording.open(folder)
    assert recording.index.markers["request"] == [2]
    text = "\n".join(TextReplay(recording.output).lines(recording.index.events()))
    assert "x1 out| a\ufffdb" in text and "agent: hi" in text
    recording.close()


def test_replay_text_cuts_a_line_without_end_into_pieces(tmp_path: Path) -> None:
    """Output with no newline (a dump, a \\r progress bar) is printed in MAX_LINE pieces as
    it comes, not held as one growing line until the command ends."""
    flood = [
        (31.0 + i, "output", {"exec": "x9", "stream": "stdout", "data": "z" * 10_000})
        for i in range(5)
    ]
    end = (
        37.0,
        "exec_end",
        {
            "exec": "x9",
            "exit_status": 0,
            "duration_ms": 6000,
            "stdout_bytes": 50_000,
            "stderr_bytes": 0,
        },
    )
    recording = Recording.open(write_session(tmp_path, [*demo_events(), *flood, end]))
    lines = [
        line
        for line in TextReplay(recording.output).lines(recording.index.events())
        if line.endswith("z" * 100)
    ]
    recording.close()
    assert [line.count("z") for line in lines] == [MAX_LINE] * 3 + [50_000 - 3 * MAX_LINE]
