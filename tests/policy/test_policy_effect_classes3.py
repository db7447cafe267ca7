"""Classes of behaviour found missing on held-out v2 (third pass on issue 16).

Each case is a class, spelled in ways no rule and no held-out command names literally:
credentials of other CLIs and whole folders of credentials read by archivers and
recursive tools, a program's literal path to a credential, a key added to an account's
`authorized_keys`, local files copied to cloud storage, a pattern over a top-level
system folder deleted, `!` lines of an ed/ex script on stdin, IFS-split variables,
`xargs` fed by a list of paths, a signal name that holds the letter of a list flag,
whole nft tables flushed, tar's old-style archive name, and dry-run flags honoured only
by tools that have one. Counter-cases show the everyday form of each still runs.
"""

from __future__ import annotations

import pytest
from helpers.policy_corpus import verdict

from aiperm_tui.config import Config
from aiperm_tui.policy import PolicyEngine, secondopinion

ENGINE = PolicyEngine(Config())


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        # tokens and passwords of other CLIs and clients
        ("head ~/.config/rclone/rclone.conf", "typed"),
        ("grep pass /etc/mysql/debian.cnf", "typed"),
        ("bat /home/ci/.config/gh/hosts.yml", "typed"),
        ("stat /etc/mysql/debian.cnf", "none"),
        # a whole folder of credentials read by a tool that reads every file under it
        ("tar -cf - /home/ops/.gnupg | xz", "typed"),
        ("rg -n secret_key /root/.aws", "typed"),
        ("cp -r ~/.kube /tmp/kube-copy", "typed"),
        ("grep -R Host ~/.ssh", "typed"),
        ("ls -la /etc/ssl/private", "none"),
        ("du -sh ~/.gnupg", "none"),
        ("grep Host ~/.ssh/config", "none"),
        # a program that names a credential reads it
        ("python3 -c 'import sys; sys.stdout.write(open(\"/etc/gshadow\").read())'", "typed"),
        ("awk 'BEGIN { while ((getline l < \"/root/.pgpass\") > 0) print l }'", "typed"),
        ("python3 -c 'print(open(\"/etc/os-release\").read())'", "none"),
        # a key added to any account's authorized_keys is a new login
        ("cat new.pub >> /srv/git/.ssh/authorized_keys", "typed"),
        ("printf '%s\\n' 'ssh-rsa AAAA k' | tee -a /home/ci/.ssh/authorized_keys2", "typed"),
        ("echo 'export EDITOR=vim' >> ~/.profile", "action"),
        # local files copied to cloud storage leave the machine
        ("gsutil cp -r /var/lib/app/exports gs://bucket/exports/", "typed"),
        ("aws s3 mv ./reports s3://bucket/reports --recursive", "typed"),
        ("rclone sync /home/ops/photos b2remote:photos", "typed"),
        ("aws s3 cp s3://bucket/config.json /tmp/config.json", "action"),
        ("aws s3 ls s3://bucket/", "none"),
        # a pattern over the files of a top-level system folder deletes many of them
        ("rm -f /etc/*.rpmsave", "typed"),
        ("ruby -e 'Dir.glob(\"/usr/bin/*.old\").each { |f| File.delete(f) }'", "typed"),
        ("rm -f /etc/nginx/conf.d/*.bak", "action"),
        # ed and ex read commands on stdin; a `!` line runs a shell command
        ("ed -s /tmp/t.txt <<< 'e !rm -rf /var/lib/docker'", "typed"),
        ("echo '!cat /etc/shadow' | ex -s", "typed"),
        ("printf '1,$s/a/b/g\\nw\\nq\\n' | ed -s notes.txt", "action"),
        # a script with no write command only prints
        ("ed -s /etc/crontab <<< ',n'", "none"),
        ("ex -s /etc/hosts <<< '%s/old/new/g | x'", "action"),
        # a line that sets IFS splits variables on it
        ("IFS=:; cmd=chmod:-R:777:/etc; $cmd", "deny"),
        ("IFS=:; echo $PATH", "none"),
        # xargs acts on every path the lister prints
        ("find /var/lib -name '*.lock' | xargs rm", "deny"),
        ("ls /usr/local/bin | xargs -I% rm /usr/local/bin/%", "deny"),
        ("find build -name '*.o' | xargs rm -f", "action"),
        ("find /etc -name '*.conf' | xargs grep -l listen", "none"),
        # a signal name holding an L is not the list flag
        ("kill -KILL 1", "typed"),
        ("kill -l", "none"),
        # a whole nft table or chain emptied, or a drop policy
        ("nft flush chain inet filter input", "typed"),
        ("nft delete table ip nat", "typed"),
        ("nft list ruleset", "none"),
        # tar's old style: the archive follows the letters
        ("tar cjf /tmp/site.tbz /srv/site", "action"),
        ("tar tjf /tmp/site.tbz", "none"),
        # a dry-run flag counts only for a tool that has one, among its own options
        ("rm -r /opt/app --dry-run", "typed"),
        ("chown -R nobody /var/lib --dry-run", "deny"),
        ("helm rollback web 3 --dry-run", "none"),
        ("rsync -a --delete -n /srv/www/ web2:/srv/www/", "none"),
    ],
)
def test_effect_class(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    ("src", "ours", "theirs", "expected"),
    [
        # bashlex drops the backslash of a single-quoted part glued to a word
        ("stat -c='%n\\t%s' f", [["stat", "-c=%n\\t%s", "f"]], [["stat", "-c=%nt%s", "f"]], []),
        # elsewhere a backslash still counts
        ("echo '\\t' x", [["echo", "\\t", "x"]], [["echo", "t", "x"]], ["echo t x"]),
    ],
)
def test_bashlex_backslash_misreading_is_not_a_disagreement(
    src: str, ours: list[list[str]], theirs: list[list[str]], expected: list[str]
) -> None:
    assert secondopinion.differ(ours, theirs, src)[1] == expected


@pytest.mark.timeout(30)
def test_a_quoted_format_glued_to_an_option_is_not_gated() -> None:
    assert verdict(ENGINE, "dpkg-query -W -f='${Package} ${Status}\\n' bash") == "none"
