"""A recorded session with every kind of event a report or an export looks at, and the
keys the session tests use (shared by tests/session and anyone needing a real log)."""

from __future__ import annotations

import contextlib
import json
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiperm_tui.session import OutputReader, Recorder, read_events
from aiperm_tui.session.chain import Sealer, genesis
from aiperm_tui.session.keys import AuditKey
from aiperm_tui.session.store import write_meta
from aiperm_tui.session.verify import META_FACTS

KEY = AuditKey(bytes(range(32)), "file")
OTHER_KEY = AuditKey(bytes(range(1, 33)), "env")


def recorded_output(folder: Path) -> dict[tuple[str, str], bytes]:
    """Every byte of output a session recorded, per (exec, stream), in order."""
    got: dict[tuple[str, str], bytes] = defaultdict(bytes)
    with OutputReader(folder) as output:
        for event in read_events(folder):
            if event["type"] == "output":
                got[(event["exec"], event["stream"])] += output(event)
    return dict(got)


def decision(score: int, confirm: str = "none", verdict: str = "allow") -> dict:
    """A Decision.to_dict() as the broker inlines it in a `decision` event."""
    return {
        "decision": verdict,
        "confirm": confirm,
        "layer": "preset:ops_safe",
        "reason": "test",
        "risk": {"score": score, "blast_radius": "single"},
        "findings": [{"rule": "rm-recursive", "severity": "high", "message": "m", "span": [0, 2]}]
        if score >= 70
        else [],
        "suggestions": [],
        "argv": None,
    }


def end_exec(
    rec: Recorder,
    exec_id: str,
    *,
    exit_status: int = 0,
    duration_ms: int = 1,
    stdout_bytes: int = 0,
    stderr_bytes: int = 0,
) -> int:
    """Record the `exec_end` of a command that ended on its own (no signal, no error), as
    the broker writes it; its seq. Every test that records output closes its exec so,
    which also seals the exec's last output batch."""
    return rec.event(
        "exec_end",
        exec=exec_id,
        exit_status=exit_status,
        signal=None,
        error=None,
        duration_ms=duration_ms,
        stdout_bytes=stdout_bytes,
        stderr_bytes=stderr_bytes,
    )


def record_fixture(root: Path, key: AuditKey = KEY) -> Path:
    """A closed session: approvals by human/rule/batch, an edit, a denial, a typed
    confirmation, a failing command, hostile text, binary output."""
    rec = Recorder.create(
        agent=["claude", "-p"],
        hosts=["web1", "db1"],
        preset="ops_safe",
        key=key,
        root=root,
        isolation="sandbox",
    )
    rec.agent_line("stdout", "assistant", "checking disk space")
    rec.operator_message("keep it read-only | <b>please</b>", delivered=True)
    rec.permission_request("t1", "Write", "write notes.md", {"path": "notes.md"})
    rec.permission_answer("t1", False, "denied by the operator")
    rec.event(
        "request",
        id="r1",
        host="web1",
        goal="disk",
        strategy="look",
        source="agent",
        actions=["df -h", "du -sh /var/log", 'echo "<script>alert(1)</script>"'],
    )
    for i, cmd in enumerate(["df -h", "du -sh /var/log", 'echo "<script>alert(1)</script>"']):
        rec.event("decision", id="r1", action=i, cmd=cmd, **decision(10))
    rec.event(
        "approval",
        id="r1",
        action=0,
        by="human",
        cmd="df -h",
        original=None,
        confirm="none",
        rule=None,
    )
    rec.event(
        "approval",
        id="r1",
        action=1,
        by="rule",
        cmd="du -sh /var/log",
        original=None,
        confirm="none",
        rule="rule:remembered:0",
    )
    rec.event(
        "approval",
        id="r1",
        action=2,
        by="batch",
        cmd='echo "<script>x</script>"',
        original='echo "<script>alert(1)</script>"',
        confirm="plan",
        rule=None,
    )
    rec.event("exec_start", exec="x1", id="r1", action=0, host="web1", cmd="df -h")
    rec.output("x1", "stdout", "Filesystem  Size\n/dev/sda1   20G ✓\n".encode())
    end_exec(rec, "x1", duration_ms=12, stdout_bytes=30)
    rec.event("exec_start", exec="x2", id="r1", action=1, host="web1", cmd="du -sh /var/log")
    rec.output("x2", "stderr", b"du: cannot read \xff\n")
    end_exec(rec, "x2", exit_status=1, duration_ms=5, stderr_bytes=18)
    rec.event("result_sent", id="r1", action=1, exit_status=1, truncated=False, edited=False)
    rec.event(
        "request",
        id="r2",
        host="db1",
        goal="clean",
        strategy="rm",
        source="socket",
        actions=["rm -rf /var/tmp/cache", "systemctl restart postgres"],
    )
    rec.event("decision", id="r2", action=0, cmd="rm -rf /var/tmp/cache", **decision(85, "typed"))
    rec.event(
        "decision", id="r2", action=1, cmd="systemctl restart postgres", **decision(75, "action")
    )
    rec.event(
        "approval",
        id="r2",
        action=0,
        by="human",
        cmd="rm -rf /var/tmp/cache",
        original=None,
        confirm="typed",
        rule=None,
    )
    rec.event(
        "deny",
        id="r2",
        action=1,
        by="human",
        cmd="systemctl restart postgres",
        reason="not during business hours",
        message="try tonight | <b>later</b>",
    )
    rec.event("preview", id="r2", action=0, probes=["du -s /var/tmp/cache"], output="12 files")
    rec.event("rule_added", host="web1", match="prefix", pattern="du -sh")
    rec.event("plan_end", id="r2", status="denied", exit_code=1)
    rec.event("error", message="agent sent bad JSON", code=4, id=None)
    rec.close()
    return rec.path


def rechain(folder: Path, key: AuditKey, edit: Callable[[list[dict[str, Any]]], object]) -> None:
    """What a holder of `key` can do: rewrite the lines and re-seal the whole chain (meta.toml
    is deleted: `verify` then says meta_missing; `sync_meta` makes it agree again)."""
    lines = [json.loads(line) for line in (folder / "events.jsonl").read_bytes().splitlines()]
    edit(lines)
    sealer, prev, out = Sealer(key.secret), genesis(folder.name), bytearray()
    for seq, event in enumerate(lines, 1):
        event.pop("mac")
        event["seq"], event["kid"] = seq, key.key_id
        if event["type"] == "session_start":
            event["key_id"] = key.key_id
        if event["type"] == "seal":
            event["events"], event["head"] = seq - 1, prev.decode()
        body = json.dumps(event, separators=(",", ":")).encode()[:-1]
        prev = sealer.seal(prev, body)
        out += body + b',"mac":"' + prev + b'"}\n'
    (folder / "events.jsonl").write_bytes(bytes(out))
    (folder / "meta.toml").unlink()


def sync_meta(folder: Path) -> None:
    """meta.toml written again from the (re-chained) log, as a key holder would."""
    events = [json.loads(line) for line in (folder / "events.jsonl").read_bytes().splitlines()]
    start = events[0]
    meta = {name: start[name] for name in META_FACTS if name in start}
    meta.update(id=folder.name, events=len(events), head=events[-1]["mac"])
    with contextlib.suppress(TypeError):  # a null in a fact: TOML cannot hold it; no meta
        write_meta(folder, meta)
