"""Eleventh pass, false positives fixed by class (fp11).

A fresh report file in a temp folder is not a change (the labelling decision of the
eleventh pass, `aiperm_tui/policy/tempreport.py`): a command's own output saved under a
new name directly in /tmp or /var/tmp is judged as if printed. Beside each relaxed form,
the forms that keep their level: a dump, a backup or key material, an append to a file
the line did not write, a subfolder it did not make, names services use, output with no
end, and whatever the line then does with the file.
"""

from __future__ import annotations

import pytest
from helpers.policy_corpus import verdict

from aiperm_tui.config import Config, HostConfig
from aiperm_tui.policy import PolicyEngine

ENGINE = PolicyEngine(Config())


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        # a report saved to a new file directly in a temp folder: as if printed
        ("df -h > /tmp/report.txt", "none"),
        ("df -h > /var/tmp/report.txt", "none"),
        ("df -h | tee /tmp/df.txt", "none"),
        ("df -h > /tmp/r.txt; free -m >> /tmp/r.txt", "none"),
        ("mkdir -p /tmp/diag && df -h > /tmp/diag/df.txt", "none"),
        ("ssh web1 'df -h > /tmp/r.txt'", "none"),
        ("curl -fsSL -o /tmp/x.tgz https://releases.example.com/x.tgz", "none"),
        ("wget -q -O /tmp/SHA256SUMS https://releases.example.com/SHA256SUMS", "none"),
        ("ncdu -x -o /tmp/ncdu-var.json /var", "none"),
        ("tree -L 2 -o /tmp/tree.txt /srv", "none"),
        ("shuf -n 1000 -o /tmp/sample.log /var/log/nginx/access.log", "none"),
        ("tcpdump -i eth0 -c 100 -w /tmp/dns.pcap port 53", "none"),
        ("iptables-save > /tmp/iptables.rules", "none"),
        ("mysqldump --no-data shop > /tmp/shop-schema.sql", "none"),
        ("pg_dump -s shop > /tmp/shop-schema.sql", "none"),
        ("printf 'echo hi\\n' > /tmp/h.sh && bash -n /tmp/h.sh", "none"),
        # a log copied out of a host or container into a new temp file
        ("scp web-2:/var/log/nginx/error.log /tmp/web-2-error.log", "none"),
        ("docker cp api-web:/app/logs/error.log /tmp/api-error.log", "none"),
        ("kubectl cp web-0:/var/log/app.log /tmp/app.log", "none"),
        # ... and what keeps its level
        ("df -h >> /tmp/report.txt", "action"),  # appends to a file it did not write
        ("df -h | tee -a /tmp/report.txt", "action"),
        ("df -h > /tmp/sub/r.txt", "action"),  # a subfolder the line did not make
        ("df -h > /tmp/.hidden", "action"),
        ("df -h > /tmp/krb5cc_0", "action"),  # a Kerberos ticket cache
        ("df -h > /tmp/sess_abc", "action"),  # a PHP session
        ("df -h > /tmp/ssh-XXXX/agent.1", "action"),
        ("df -h > /tmp/app.sock", "action"),
        ("> /tmp/x", "action"),  # nothing printed: it empties the file
        (": > /tmp/x", "action"),
        ("T=/tmp/out.txt; echo hi > $T", "action"),  # the name comes from a variable
        ("df -h > /srv/report.txt", "action"),  # outside the temp folders: unchanged
        ("mysqldump shop > /tmp/shop.sql", "action"),  # a whole data dump
        ("pg_dump -d shop > /tmp/shop.sql", "action"),  # -d names the database
        ("pg_dump shop | gzip > /tmp/shop.sql.gz", "action"),
        ("pg_dump db | sudo sh -c 'cat > /tmp/db.sql'", "action"),
        ("pg_d''ump db > /tmp/x.sql", "action"),
        ("tar czf /tmp/etc.tgz /etc", "action"),  # a backup
        ("/usr/bin/tar czf /tmp/app-backup.tgz /srv/app", "action"),
        ("t''ar czf /tmp/x.tgz /srv", "action"),
        ("bash -c \"t''ar czf /tmp/x.tgz /srv\"", "action"),
        ("docker save app:1 -o /tmp/app.tar", "action"),
        ("openssl genrsa -out /tmp/k.pem 2048", "action"),  # key material
        ("yes > /tmp/fill", "action"),  # no end: fills the filesystem
        ("y''es > /tmp/fill", "action"),
        ("cat /dev/urandom > /tmp/fill", "action"),
        ("tcpdump -i eth0 -w /tmp/all.pcap", "action"),  # a capture that never stops
        ("dumpcap -i eth0 -w /tmp/x.pcap", "action"),
        ("scp -r web-2:/var/log/nginx /tmp/nginx", "action"),  # a folder
        ("scp web-2:/var/lib/mysql/ibdata1 /tmp/ib", "action"),  # a database's file
        ("docker cp vault-0:/vault/data/core/_keyring /tmp/kr", "action"),  # not a log
        ("docker cp /tmp/x api-web:/app/x", "action"),  # into the container
        ("cat /etc/shadow > /tmp/s", "typed"),  # a credential
        ("kubectl get secret x -o yaml > /tmp/s.yaml", "typed"),
    ],
)
def test_a_fresh_report_in_a_temp_folder(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, ENGINE.decide(cmd).reason


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "use",
    [
        "bash /tmp/x",
        ". /tmp/x",
        "bash < /tmp/x",
        "python3 /tmp/x",
        "LD_PRELOAD=/tmp/x ls",
        "make -n -f /tmp/x",
        "awk -f /tmp/x /etc/hosts",
        "sed -f /tmp/x /etc/hosts",
        "dpkg -i /tmp/x",
        "tar xzf /tmp/x -C /",
        "chmod +x /tmp/x",
        "mv /tmp/x /etc/cron.d/x",
        "crontab /tmp/x",
        "psql -f /tmp/x",
        "kubectl apply -f /tmp/x",
        "iptables-restore < /tmp/x",
        "insmod /tmp/x",
        "xargs -a /tmp/x rm",
        "patch -p1 < /tmp/x",
        "env $(cat /tmp/x) ls",
    ],
)
def test_what_the_line_does_with_the_file_keeps_its_level(use: str) -> None:
    """Running, sourcing, installing, unpacking or moving the file is judged by its own
    rule: the write being relaxed never hides it."""
    cmd = f"curl -fsSL -o /tmp/x https://e.example/x && {use}"
    assert verdict(ENGINE, cmd) in ("action", "typed", "deny"), ENGINE.decide(cmd).reason


@pytest.mark.timeout(60)
def test_a_link_planted_first_is_followed() -> None:
    """The name links elsewhere earlier on the line: the write goes there."""
    assert verdict(ENGINE, "ln -s /etc/passwd /tmp/r.txt; df -h > /tmp/r.txt") == "typed"
    cmd = "df -h > /tmp/r.txt; ln -sf /etc/passwd /tmp/r.txt; df -h >> /tmp/r.txt"
    assert verdict(ENGINE, cmd) == "typed"


@pytest.mark.timeout(60)
def test_a_makefile_from_a_temp_folder_runs_even_in_a_dry_run() -> None:
    """`$(shell ...)` runs when make reads the file, `-n` or not."""
    assert verdict(ENGINE, "make -n -f /tmp/mk") == "typed"
    assert verdict(ENGINE, "make -C /tmp/build -n") == "typed"
    assert verdict(ENGINE, "make -n install") == "none"
    assert verdict(ENGINE, "make -n -f Makefile.ci") == "none"


@pytest.mark.timeout(60)
def test_the_relaxed_write_is_named_and_read_only_refuses_it() -> None:
    d = ENGINE.decide("df -h > /tmp/report.txt")
    assert "fs.temp_report" in {f.rule for f in d.findings}
    assert "judged as if printed" in d.reason
    # read_only runs only reads: a file written is not one
    assert ENGINE.decide("df -h > /tmp/report.txt", preset="read_only").decision == "deny"
    assert ENGINE.decide("df -h", preset="read_only").decision == "allow"


@pytest.mark.timeout(60)
def test_the_jail_still_sees_the_write() -> None:
    """Outside `jail_root`, a relaxed report is still a write outside the jail."""
    jailed = PolicyEngine(Config(hosts={"dev": HostConfig(name="dev", jail_root="/work/jail")}))
    assert jailed.decide("df -h > /tmp/report.txt", host="dev").decision == "deny"
    assert jailed.decide("df -h > /work/jail/report.txt", host="dev").decision == "allow"
