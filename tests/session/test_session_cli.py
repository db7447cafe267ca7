"""`aiperm sessions/verify/export/report`: output, formats and exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers.audit_key import use_key
from helpers.session_fixture import KEY, OTHER_KEY

from aiperm_tui.cli import main
from aiperm_tui.config import AuditConfig
from aiperm_tui.session import Recorder

VOID = {"meta", "br", "hr", "img", "link", "input", "col", "wbr"}


class StrictHTML(HTMLParser):
    """Fails on any unbalanced tag; collects the text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.add(tag)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _tamper(path: Path) -> None:
    lines = (path / "events.jsonl").read_bytes().splitlines(keepends=True)
    lines[5] = lines[5].replace(b"df -h", b"df -H")  # seq 6, the first request
    (path / "events.jsonl").write_bytes(b"".join(lines))


def test_sessions_table_and_json(recorded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sessions"]) == 0
    out = capsys.readouterr().out
    assert recorded.name in out and "claude -p" in out and "web1,db1" in out
    assert out.splitlines()[1].split()[-4:] == ["5", "2", "1", "ok"]
    assert main(["sessions", "--json"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert (row["id"], row["commands_requested"], row["verification"]) == (recorded.name, 5, "ok")


def test_sessions_table_shows_the_whole_isolation_level_and_marks_a_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`sandbox+user:NAME` is shown whole (cut at 12 it read `sandbox+user`, hiding the
    account), and a host list too long for its column ends in an ellipsis, never cut
    silently into a list that reads complete."""
    monkeypatch.setenv("AIPERM_DATA_DIR", str(tmp_path / "data"))
    hosts = [f"web{i}.prod.example.net" for i in range(4)]
    rec = Recorder.create(
        agent=["a"],
        hosts=hosts,
        preset="read_only",
        key=KEY,
        root=tmp_path / "data" / "sessions",
        isolation="sandbox+user:aiperm-agent",
    )
    rec.close()
    use_key(monkeypatch, tmp_path, KEY)
    assert main(["sessions"]) == 0
    row = capsys.readouterr().out.splitlines()[1]
    assert "sandbox+user:aiperm-agent" in row
    assert "web0.prod.example.net,web1.prod…" in row


def test_sessions_verify_reports_a_deleted_session(
    recorded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sessions", "--verify"]) == 0
    assert "index check: ok, 1 session(s)" in capsys.readouterr().out
    shutil.rmtree(recorded)
    assert main(["sessions", "--verify"]) == 1
    out = capsys.readouterr().out
    assert f"missing: {recorded.name}: missing" in out and "deleted" in out
    assert main(["sessions", "--verify", "--no-verify"]) == 5


def test_verify_shows_the_facts_it_vouches_for(
    recorded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify"]) == 0
    out = capsys.readouterr().out
    assert "sealed, head " in out and "[isolation sandbox, key " in out


def _anchored_session(tmp_path: Path, hook: tuple[str, ...]) -> Recorder:
    """A closed session under tmp_path/data recorded with the anchor `hook`, once both
    of the hook's runs (the start and the seal) are done."""
    rec = Recorder.create(
        agent=["a"],
        hosts=["h"],
        preset="p",
        key=KEY,
        root=tmp_path / "data" / "sessions",
        audit=AuditConfig(anchor=hook),
    )
    rec.close()
    assert len(rec.anchor_threads) == 2
    for thread in rec.anchor_threads:
        thread.join(30)
    return rec


def test_report_shows_the_anchor_and_its_outcome(
    tmp_path: Path, key: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIPERM_DATA_DIR", str(tmp_path / "data"))
    _anchored_session(tmp_path, (sys.executable, "-c", ""))
    report = json.loads(_report("json", tmp_path))
    (s,) = report["sessions"]
    ok = f"anchored ({sys.executable} exit 0)"
    assert s["anchor"] == f"{sys.executable} -c : start {ok}; seal {ok}"
    assert report["totals"]["anchored"] == 1


def test_report_says_the_anchor_was_off_or_cannot_be_known(
    recorded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fixture session ran with no anchor: "off", read from its authenticated
    session_start. With the key gone that cannot be read: "unknown", and never "format 2"
    for a format 3 log."""
    (s,) = json.loads(_report("json", tmp_path))["sessions"]
    assert s["anchor"] == "off"
    use_key(monkeypatch, tmp_path / "other", OTHER_KEY)
    (s,) = json.loads(_report("json", tmp_path, code=1))["sessions"]
    assert s["anchor"] == "unknown (the log does not verify)"


def test_sessions_verify_anchored(
    tmp_path: Path, key: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`sessions --verify --anchored FILE`: a session whose start and seal were anchored
    (here through `tee -a`, as a syslog extract would hold them) and that was deleted."""
    monkeypatch.setenv("AIPERM_DATA_DIR", str(tmp_path / "data"))
    store = tmp_path / "anchored.log"
    rec = _anchored_session(tmp_path, ("tee", "-a", str(store)))
    assert main(["sessions", "--verify", "--anchored", str(store)]) == 0
    assert "index check: ok" in capsys.readouterr().out
    shutil.rmtree(rec.path)
    assert main(["sessions", "--verify", "--anchored", str(store)]) == 1
    out = capsys.readouterr().out
    for at in ("start", "seal"):  # the two hook runs may finish in either order
        assert f"{at} of {rec.session_id}: missing: anchored, but its folder is gone" in out
    assert main(["sessions", "--anchored", str(store)]) == 5
    assert main(["sessions", "--verify", "--anchored", str(tmp_path / "nosuch")]) == 5
    assert "--anchored: cannot read" in capsys.readouterr().err


def test_sessions_when_there_are_none(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sessions"]) == 0
    assert "no recorded sessions" in capsys.readouterr().out


def test_verify_exit_codes(
    recorded: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    assert main(["verify"]) == 0
    assert main(["verify", recorded.name[:20]]) == 0
    assert "ok: intact" in capsys.readouterr().out
    _tamper(recorded)
    assert main(["verify", "latest"]) == 1
    assert "seq 6: edited" in capsys.readouterr().out
    assert main(["verify", "--all"]) == 1
    use_key(monkeypatch, tmp_path / "other", OTHER_KEY)
    assert main(["verify"]) == 1
    assert "wrong key" in capsys.readouterr().out
    monkeypatch.delenv("AIPERM_AUDIT_KEY_FILE")
    assert main(["verify"]) == 1
    assert "missing key" in capsys.readouterr().out


def test_usage_errors_exit_5(
    recorded: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["verify", "nosuch"]) == 5
    err = capsys.readouterr().err
    assert err.startswith("aiperm: error: no session matches") and err.count("\n") == 1
    assert main(["export", "nosuch"]) == 5
    assert main(["export", "latest", "-o", str(tmp_path / "no" / "dir" / "x.cast")]) == 5
    assert main(["report", "--since", "yesterday"]) == 5
    assert main(["verify", "latest", "--all"]) == 5
    with pytest.raises(SystemExit) as exc:
        main(["export", "latest", "--format", "gif"])
    assert exc.value.code == 5


def test_export_asciicast_plays_in_asciinema(recorded: Path, tmp_path: Path) -> None:
    cast = tmp_path / "s.cast"
    assert main(["export", "latest", "--format", "asciicast", "-o", str(cast)]) == 0
    lines = cast.read_text().splitlines()
    header = json.loads(lines[0])
    assert header["version"] == 2 and header["width"] > 0 and header["height"] > 0
    assert header["timestamp"] > 1_600_000_000 and recorded.name in header["title"]
    frames = [json.loads(line) for line in lines[1:]]
    assert all(f[1] == "o" for f in frames)
    assert [f[0] for f in frames] == sorted(f[0] for f in frames)
    shown = subprocess.run(
        [sys.executable, "-m", "asciinema", "cat", str(cast)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert "$ web1: df -h" in shown
    assert "/dev/sda1   20G ✓\n" in shown  # text=True has turned \r\n into \n
    assert any("20G ✓\r\n" in f[2] for f in frames)
    assert "du: cannot read \ufffd" in shown
    assert "[exit 1]" in shown


def test_asciicast_drops_string_sequences(tmp_path: Path) -> None:
    from aiperm_tui.session.export import terminal_text

    hostile = "\x1b]52;c;ZXZpbA==\x07\x1b]0;title\x1b\\\x1b[31mred\x1b[0m\nnext"
    assert terminal_text(hostile) == "\x1b[31mred\x1b[0m\r\nnext"


def test_export_jsonl_is_the_exact_log(recorded: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.jsonl"
    assert main(["export", recorded.name, "--format", "jsonl", "-o", str(out)]) == 0
    assert out.read_bytes() == (recorded / "events.jsonl").read_bytes()


def _report(fmt: str, tmp_path: Path, *extra: str, code: int = 0) -> str:
    out = tmp_path / f"r.{fmt}"
    assert main(["report", "--format", fmt, "-o", str(out), *extra]) == code
    return out.read_text()


def test_report_json(recorded: Path, tmp_path: Path) -> None:
    report = json.loads(_report("json", tmp_path))
    (s,) = report["sessions"]
    assert (s["user"], s["agent"], s["hosts"]) == (s["user"], ["claude", "-p"], ["web1", "db1"])
    assert s["hostname"] and s["commands_requested"] == 5 and s["commands_run"] == 2
    assert s["approved"] == {"human": 2, "rule": 1, "batch": 1}
    assert s["edited"] == [
        {
            "cmd": 'echo "<script>x</script>"',
            "original": 'echo "<script>alert(1)</script>"',
            "by": "batch",
        }
    ]
    assert [d["reason"] for d in s["denied"]] == ["not during business hours"]
    outcomes = {h["cmd"]: (h["score"], h["confirm"], h["outcome"]) for h in s["high_risk"]}
    assert outcomes == {
        "rm -rf /var/tmp/cache": (85, "typed", "approved by human (confirm: typed)"),
        "systemctl restart postgres": (75, "action", "denied by human"),
    }
    assert [f["exit_status"] for f in s["failures"]] == [1]
    assert s["errors"] == ["agent sent bad JSON"]
    assert s["verification"]["ok"] is True
    assert (s["isolation"], s["anchor"]) == ("sandbox", "off")
    assert (s["agent_lines"], s["operator_messages"], s["permission_prompts"]) == (1, 1, 1)
    assert s["permissions"] == {"allowed": 0, "denied": 1}
    assert report["totals"]["agent_lines"] == 1
    controls = {c["control"]: c["count"] for c in report["controls"]}
    assert set(controls) == {
        "CC6.1",
        "CC6.2",
        "CC6.3",
        "CC7.2",
        "CC8.1",
        "A.5.15",
        "A.8.2",
        "A.8.15",
        "A.8.16",
    }
    assert controls["CC7.2"] == 2 and controls["A.8.15"] == 1


def test_report_markdown(recorded: Path, tmp_path: Path) -> None:
    md = _report("md", tmp_path)
    for needle in (
        "# aiperm compliance report",
        "CC6.1",
        "A.8.16",
        recorded.name,
        "`rm -rf /var/tmp/cache`",
        "approved by human (confirm: typed)",
        "2 by a human, 1 by a rule, 1 in a batch",
        "not during business hours",
        "| Agent isolation | sandbox |",
        "| Anchor hook | off |",
        "1 lines shown (0 more not recorded: over the rate cap), 1 messages from "
        "the operator, 1 tool permission prompts (0 allowed, 1 denied)",
    ):
        assert needle in md, needle


def test_report_html_is_balanced_and_escaped(recorded: Path, tmp_path: Path) -> None:
    page = _report("html", tmp_path)
    parser = StrictHTML()
    parser.feed(page)
    parser.close()
    assert parser.stack == []
    assert "script" not in parser.tags and "b" not in parser.tags
    text = "".join(parser.text)
    assert 'echo "<script>alert(1)</script>"' in text  # shown as text, not markup
    assert "CC8.1" in text and "ISO/IEC 27001:2022" in text and "@media print" in page
    assert "<link" not in page and "src=" not in page  # self-contained


def test_report_date_range(recorded: Path, tmp_path: Path) -> None:
    start = recorded.name[:4] + "-" + recorded.name[4:6] + "-" + recorded.name[6:8]
    assert len(json.loads(_report("json", tmp_path, "--since", start))["sessions"]) == 1
    assert len(json.loads(_report("json", tmp_path, "--until", start))["sessions"]) == 1
    assert json.loads(_report("json", tmp_path, "--until", "2000-01-01"))["sessions"] == []


def test_report_shows_failed_verification(recorded: Path, tmp_path: Path) -> None:
    assert "## Integrity\n\nok: the session index of" in _report("md", tmp_path)
    _tamper(recorded)
    md = _report("md", tmp_path, code=1)
    assert "FAILED: seq 6: edited" in md
    top = md.split("## Controls")[0]  # before anything else the report says
    assert "1 (0 verified intact); 1 INTEGRITY PROBLEM(S), listed below." in top
    assert f"| fails verification (edited) | {recorded.name} | seq 6: edited" in top
    integrity = json.loads(_report("json", tmp_path, code=1))["integrity"]
    assert integrity["ok"] is False and integrity["findings"] == []
    assert [x["problem"] for x in integrity["failed_verification"]] == ["edited"]


def test_report_shows_a_deleted_session(
    tmp_path: Path, key: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A session deleted with its folder is named by the report (from the session index),
    whatever date range is asked for, and the report exits 1."""
    monkeypatch.setenv("AIPERM_DATA_DIR", str(tmp_path / "data"))
    kept, gone = (
        Recorder.create(
            agent=["a"], hosts=["h"], preset="p", key=KEY, root=tmp_path / "data" / "sessions"
        )
        for _ in range(2)
    )
    kept.close()
    gone.close()
    assert json.loads(_report("json", tmp_path))["totals"]["sessions"] == 2
    shutil.rmtree(gone.path)
    md = _report("md", tmp_path, code=1)
    top = md.split("## Controls")[0]
    assert "## INTEGRITY: 1 PROBLEM(S) FOUND" in top
    assert f"| missing | {gone.session_id} | {gone.session_id}: missing: the index" in top
    assert "1 (1 verified intact); 1 INTEGRITY PROBLEM(S), listed below." in top
    assert "1 integrity problem(s)" in capsys.readouterr().err
    report = json.loads(_report("json", tmp_path, "--until", "2000-01-01", code=1))
    assert report["sessions"] == []
    assert [(f["problem"], f["session"]) for f in report["integrity"]["findings"]] == [
        ("missing", gone.session_id)
    ]
    page = _report("html", tmp_path, code=1)
    assert '<h2 class="bad">INTEGRITY: 1 PROBLEM(S) FOUND</h2>' in page


def test_agent_label_shortens_paths_escapes_and_marks_the_cut() -> None:
    from aiperm_tui.cli.sessions import agent_label

    assert (
        agent_label(
            ["/root/.pyenv/versions/3.11.7/bin/python", "/work/demo/agent.py", "--host", "demo"]
        )
        == "python agent.py --host demo"
    )
    assert agent_label(["claude", "-p", "fix \x1b[31m"]) == "claude -p fix \\e[31m"
    long = agent_label(["agent"] + ["--flag"] * 10)
    assert len(long) == 30 and long.endswith("…")


@pytest.mark.timeout(60)
def test_verify_all_fails_when_a_session_was_deleted(
    recorded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`verify --all` is what an auditor runs to check everything: every log left
    verifying says nothing of a log deleted whole, so it checks the index too."""
    assert main(["verify", "--all"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1].startswith("index check: ok, 1 session(s)")
    shutil.rmtree(recorded)
    assert main(["verify", "--all"]) == 1
    out = capsys.readouterr().out
    assert f"missing: {recorded.name}: missing: the index records its start" in out


@pytest.mark.timeout(60)
def test_a_live_session_is_counted_apart_from_damage(
    tmp_path: Path, key: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """While a session is being recorded nothing vouches for it yet: the check does not
    pass (exit 1), and says it is live rather than counting it among logs that fail."""
    monkeypatch.setenv("AIPERM_DATA_DIR", str(tmp_path / "data"))
    root = tmp_path / "data" / "sessions"
    Recorder.create(agent=["a"], hosts=["h"], preset="p", key=KEY, root=root).close()
    live = Recorder.create(agent=["a"], hosts=["h"], preset="p", key=KEY, root=root)
    try:
        assert main(["sessions", "--verify"]) == 1
        last = capsys.readouterr().out.splitlines()[-1]
        assert last == (
            "index check: 0 problem(s); 0 of 2 log(s) do not verify; 1 still being recorded "
            "(not sealed yet: nothing vouches for it until it ends)"
        )
    finally:
        live.close()
    assert main(["sessions", "--verify"]) == 0
