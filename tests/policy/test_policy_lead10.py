"""The lead's fixes of the tenth pass: a read subcommand whose report is written to a
file named by an output option is a write of that file (judged by the file's class), and
an output option's format value stays a read; `docker compose run|exec` with host access
is judged as `docker run` with it is; `bq query`'s SQL is judged as SQL; an unknown Go
tool's `NOUN.VERB` command is read for its verb; test runners run the project's code
(the plan); `info -o` writes; ansible's report modules read, and its options that
name a program (a ProxyCommand, an interpreter) are typed; a builtin's name as another
program's argument (`jq .`) no longer stops an unknown tool's read verb; a file server's
first operand, or the folder the line entered, is what it serves."""

from __future__ import annotations

import pytest
from helpers.policy_corpus import verdict

from aiperm_tui.config import Config
from aiperm_tui.policy import PolicyEngine

ENGINE = PolicyEngine(Config())


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        # the path an output option names is written, whatever tool's read it is
        ("tailscale status -o /etc/cron.d/ts", "typed"),
        ("tailscale status --output=/etc/profile.d/x.sh", "typed"),
        ("helm list --output /srv/releases.txt", "action"),
        ("tailscale status -o /dev/null", "none"),
        # a format is not a file
        ("tailscale status --json", "none"),
        ("helm list -o yaml", "none"),
        ("helm list --output json", "none"),
    ],
)
def test_a_reads_output_file_is_written(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, cmd


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        # compose's run and exec give the container the host as docker run does
        ("docker compose run -v /:/host web sh", "typed"),
        ("docker compose run -v /var/run/docker.sock:/var/run/docker.sock web sh", "typed"),
        ("docker compose exec --privileged web sh", "typed"),
        ("docker compose run -v ./data:/data web ls", "action"),
        ("docker compose run --rm web ls", "action"),
        # BigQuery's SQL judged as any client's SQL
        ("bq query --use_legacy_sql=false 'DELETE FROM ds.t WHERE true'", "typed"),
        ("bq query 'DROP SCHEMA analytics CASCADE'", "typed"),
        ("bq query 'SELECT password FROM a.users'", "typed"),
        ("bq query 'INSERT INTO a.b VALUES (1)'", "action"),
        ("bq query --destination_table=a.daily 'SELECT 1'", "action"),
        ("bq query", "action"),
        ("bq query --nouse_legacy_sql 'SELECT name FROM ds.users LIMIT 10'", "none"),
        ("bq query --dry_run 'DELETE FROM a.b WHERE true'", "none"),
    ],
)
def test_container_host_access_and_bigquery_sql(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, cmd


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        # Go tools' NOUN.VERB commands: the verb after the one dot is read as a verb
        ("govc vm.destroy web1", "typed"),
        ("govc datastore.rm -ds=ds1 old.vmdk", "typed"),
        ("zztool host.shutdown esx1", "typed"),
        # a host name (more dots) and a report word before it are not verbs
        ("zztool connect kill.example.com", "action"),
        ("zztool show db.drop", "action"),
    ],
)
def test_a_dotted_go_command_s_verb_is_read(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, cmd


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        # a compile runs the project's code: the plan, never unasked; a test runner runs
        # it, a plain yes since the fifteenth pass (as `python3 app.py` is)
        ("npm test", "action"),
        ("yarn test", "action"),
        ("cargo test", "action"),
        ("cargo check", "plan"),
        ("npm ls", "none"),
        ("cargo tree", "none"),
        # info's -o writes the node it shows into a file
        ("info -o /etc/cron.d/x coreutils", "typed"),
        ("info --output=/srv/x", "action"),
        ("info coreutils", "none"),
    ],
)
def test_code_runners_and_info_output(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, cmd


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        # ansible's built-in report modules read, as salt's test.ping does
        ("ansible all -m ping", "none"),
        ("ansible web -m ansible.builtin.service_facts", "none"),
        ("ansible web -m stat -a path=/etc/hosts -u deploy -b", "none"),
        ("ansible all -m setup", "plan"),
        ("ansible all -M /tmp/lib -m ping", "plan"),
        ("ansible all -m community.x.ping", "plan"),
        # a program of the line's choosing: ssh's ProxyCommand, an interpreter variable
        ("ansible all -m shell -a uptime --ssh-common-args='-o ProxyCommand=sh -c id'", "typed"),
        ("ansible-playbook site.yml --check --ssh-common-args='-o ProxyCommand=sh'", "typed"),
        ("ansible all -m ping -e 'x=1 ansible_python_interpreter=/tmp/p'", "typed"),
        ("ansible-playbook site.yml -e env=prod --check", "none"),
        ("ansible all -m shell -a 'grep ProxyCommand /etc/ssh/ssh_config'", "none"),
    ],
)
def test_ansible_reports_read_and_its_program_options_run(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, cmd


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        # a builtin's name as another program's argument is data: the read verb holds
        ("zzctl list --json | jq .", "none"),
        ("zzctl list | grep source", "none"),
        # run by the shell, as the command word or behind what runs a builtin, it is not
        ("command hash -p /tmp/evil zzctl; zzctl status", "typed"),
        ("time -p hash -p /tmp/x zzctl; zzctl status", "typed"),
        ("builtin alias zzctl=rm; zzctl status", "action"),
        ("command -p . ./x; zzctl status", "action"),
        (". ./env.sh; zzctl status", "action"),
    ],
)
def test_a_builtin_s_name_as_an_argument_keeps_the_read_verb(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, cmd


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        # a server whose folder is its first operand, or the working folder without one
        ("cd / && npx http-server", "typed"),
        ("cd / && http-server --port 8080", "typed"),
        ("cd / && darkhttpd .", "typed"),
        ("cd /root && miniserve -p 80 .", "typed"),
        ("cd / && updog -p 80", "typed"),
        # a build folder, named from there or entered, is routine
        ("cd / && http-server ./public -p 8080", "action"),
        ("cd /srv/www && darkhttpd . --port 8080", "action"),
        ("cd / && miniserve -p 80 srv/www", "action"),
    ],
)
def test_a_server_s_operand_or_working_folder_is_what_it_serves(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, cmd
