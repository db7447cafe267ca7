"""Record docs/demo.cast: the real `aiperm demo` under tmux and asciinema, driven by
key presses as an operator would (approve all reads, edit, typed code, a plan, deny with
a message, the history, quit). Each key waits for what it answers to be on screen.

    python docs/make_demo_cast.py      # needs tmux and asciinema (pip install asciinema)

HOME points at a throwaway folder, so the recording creates its own audit key and
session log there and nothing of yours shows in it.
"""

import re
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOME = tempfile.mkdtemp(prefix="aiperm-demo-home-")

S = "aipermdemo"


def sh(*a):
    return subprocess.run(["tmux", *a], capture_output=True, text=True).stdout


def screen():
    return sh("capture-pane", "-p", "-t", S)


def keys(*k, pause=0.25):
    for key in k:
        sh("send-keys", "-t", S, key)
        time.sleep(pause)


def typed(text, pause=0.12):
    for ch in text:
        sh("send-keys", "-t", S, "-l", ch)
        time.sleep(pause)


def wait(pattern, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        s = screen()
        m = re.search(pattern, s)
        if m:
            return m, s
        time.sleep(0.2)
    print(screen())
    sh("kill-session", "-t", S)
    raise SystemExit(f"timeout waiting for {pattern!r}")


cmd = (
    f"env HOME={HOME} PYTHONPATH={ROOT} TERM=xterm-256color "
    "asciinema rec --overwrite -q -i 1.5 -c 'python -m aiperm_tui demo --delay 0.9' "
    f"{ROOT / 'docs' / 'demo.cast'}"
)
sh("new-session", "-d", "-s", S, "-x", "100", "-y", "30", cmd)
wait(r"p3 @")
time.sleep(1.5)
keys("A")
wait(r"p4 @")
time.sleep(1.5)
keys("e")
wait(r"Edit the command")
time.sleep(1)
keys("Home", "Right", "Right")
typed(" -p")
time.sleep(1.5)
keys("C-s")
wait(r"p5 @")
time.sleep(1.5)
keys("a")
m, s = wait(r"Type this code[\s\S]*?\b([A-Z0-9]{6})\b")
code = m.group(1)
time.sleep(1)
typed(code.lower(), 0.2)
time.sleep(0.6)
keys("Enter")
wait(r"p6 @")
time.sleep(2)
keys("a")
time.sleep(1.2)
keys("a")
wait(r"p7 @")
time.sleep(3)
keys("D")
wait(r"Deny, with a message")
time.sleep(0.6)
typed("no hidden deletions, please")
time.sleep(0.6)
keys("Enter")
wait(r"p8 @")
time.sleep(1.5)
keys("a")
wait(r"p9 @")
time.sleep(1.5)
keys("a")
wait(r"That's the tour|tour\. I'm done", 60)
time.sleep(2)
keys("h")
time.sleep(3)
keys("q")
time.sleep(3)
print(screen())
sh("kill-session", "-t", S)
