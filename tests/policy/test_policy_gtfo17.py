"""The GTFOBins catalogue's classes the sixteenth pass's engine let through (lead17).

`benchmarks/gtfobins_catalogue.py` measured the engine on the catalogue's 1,460
snippets: 55 ran with no confirmation and 667 got less than the typed code. Each class
behind them is judged now; these tables hold fresh forms of each class (other tools,
spellings and paths than the catalogue's), and the reads beside them that must still
run unasked.
"""

from __future__ import annotations

import pytest
from helpers.policy_corpus import verdict

from aiperm_tui.policy import PolicyEngine

TYPED = [
    # metadata tools whose options print what the file holds
    "cmp -l /etc/shadow /dev/zero",
    "cmp -b --verbose /root/.ssh/id_ecdsa /dev/zero",
    "file -f /etc/gshadow",
    "file --magic-file=/etc/ssl/private/site.key /bin/true",
    "du --files0-from=/root/.pgpass",
    "wc -w --files0-from /home/deploy/.aws/credentials",
    # a trace, log or typescript written into a file that runs or logs in
    "strace -f -o /etc/cron.d/backup-check true",
    "ltrace --output=/root/.ssh/authorized_keys id",
    "wget -a /etc/profile.d/proxy.sh https://mirror.example.org/",
    "rlwrap -l /etc/sudoers.d/90-ops cat",
    "screen -dmS t -L -Logfile /root/.bash_profile top",
    "script -q -c 'echo ssh-ed25519 AAAA k' /root/.ssh/authorized_keys",
    "script -q --log-out=/etc/cron.d/x -c date",
    "xxd -r /var/tmp/k.hex /root/.ssh/authorized_keys",
    # vim's embedded interpreters, under any of its names
    "view -c 'py3 import pty; pty.spawn(\"/bin/sh\")' /etc/hosts",
    "rview +'lua os.execute(\"id\")' notes.txt",
    "vimdiff -c ':perl system(\"id\")' a b",
    "nvim --cmd 'rubydo system(\"id\")' x",
    # a native library loaded from a temp folder or a path the line does not fix
    "python3 -c 'import ctypes; ctypes.cdll.LoadLibrary(\"/var/tmp/libx.so\")'",
    'ruby -e \'require "fiddle"; Fiddle::Handle.new("/dev/shm/l.so")\'',
    "python3 -c 'import ctypes, sys; ctypes.CDLL(sys.argv[1])' /tmp/p.so",
    # tools that run a program they are handed
    "aria2c --on-download-complete=/tmp/post.sh https://mirror.example.org/a.iso",
    "socket -sp 'bash -i' 4444",
    "service ../../../tmp/run start",
    "sudo sg root",
    "sg docker",
    "sg wheel",
    "nmap --script=/dev/shm/x.nse -p 80 web1",
    "git apply --unsafe-paths --directory=/ fix.patch",
    # interpreters that write, download or spawn through other calls
    'jrunscript -e \'var w=new java.io.FileWriter("/etc/cron.d/j"); w.write("x"); w.close()\'',
    'julia -e \'open(io->write(io, "k"), "/root/.ssh/authorized_keys", "a")\'',
    "sudo php -r 'pcntl_exec(\"/bin/bash\");'",
]

ACTION = [
    "python3 -c 'import ctypes; ctypes.CDLL(\"libc.so.6\").malloc_trim(0)'",
    "socat -u TCP-LISTEN:9000 CREATE:/srv/drop/in.bin",
    "sg developers",
    # an interactive shell is a plain yes unless it runs with raised privileges
    'php -r \'pcntl_exec("/bin/sh", ["-p"]);\'',
    "xxd -r dump.hex /srv/fw/image.bin",
    "screen -L -Logfile /srv/logs/job.log -dmS job ./run.sh",
    'node -e \'require("https").get(process.env.U, r => '
    'r.pipe(require("fs").createWriteStream("/srv/a")))\'',
]

NONE = [
    "cmp /etc/shadow /etc/shadow-",
    "cmp -s a.bin b.bin",
    "file /etc/shadow",
    "wc -l /etc/shadow",
    "du -sh ~/.ssh",
    "strace -c ls",
    "strace -f -o /tmp/ls.trace ls",
    "screen -list",
    "screen -ls",
    "script -q -c 'df -h' /tmp/session.log",
    "xxd -r -p payload.hex",
    "view /etc/hosts",
    "view -c 'set ft=lua' init.lua",
    'python3 -c \'print("x", "a")\'',
    "python3 -c 'import json; print(json.dumps({\"a\": 1}))'",
    "service --status-all",
    "nmap --script ssl-cert -p 443 web1",
    "git apply --check fix.patch",
    "pidstat -u 1 5",
]


@pytest.mark.parametrize("cmd", TYPED)
def test_catalogue_classes_need_the_typed_code(engine: PolicyEngine, cmd: str) -> None:
    assert verdict(engine, cmd, "ops_safe") in ("typed", "deny"), cmd


@pytest.mark.parametrize("cmd", ACTION)
def test_their_routine_siblings_need_a_plain_yes(engine: PolicyEngine, cmd: str) -> None:
    assert verdict(engine, cmd, "ops_safe") == "action", cmd


@pytest.mark.parametrize("cmd", NONE)
def test_the_reads_beside_them_run_unasked(engine: PolicyEngine, cmd: str) -> None:
    assert verdict(engine, cmd, "ops_safe") in ("none", "plan"), cmd
