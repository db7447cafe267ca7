"""A hostile review of the eleventh pass's read forms (review11).

Every `read_only` name, `effect = "none"` rule and table `read` list runs a command
unasked under ops_safe. Each case below is a read form's hidden option that runs a
program, writes a file at a path the agent chose, or prints a credential: it must be
asked (at least `action`), while the plain read beside it still runs unasked.
"""

from __future__ import annotations

import pytest
from helpers.policy_corpus import rules_of, verdict

from aiperm_tui.config import Config
from aiperm_tui.policy import PolicyEngine

ENGINE = PolicyEngine(Config())


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        # a config outside /etc (or climbing out of it) names programs smartd/slapd run
        ("smartd -q onecheck --configfile=/tmp/evil.conf", "action"),
        ("smartd -q onecheck -c /etc/../tmp/evil.conf", "action"),
        ("smartd -q onecheck -w /tmp/warn.sh", "action"),
        ("smartd -q onecheck -c /etc/smartd.conf", "none"),
        ("slapd -Tt -f /etc/../tmp/evil.conf", "action"),
        ("slapd -Tt -F /etc/openldap/slapd.d", "none"),
        ("pound -c -f /etc/../tmp/p.cfg", "action"),
        ("hitch --test --config=/etc/../tmp/h.conf", "action"),
        # signify -V -e writes the embedded message to the -m path
        ("signify -V -e -p /tmp/k.pub -x /tmp/m.sig -m /root/.bashrc", "action"),
        ("signify -V -p /etc/signify/release.pub -m /srv/SHA256", "none"),
        # hook and action scripts
        ("dhcpcd -T -c /tmp/evil.sh eth0", "action"),
        ("dhcpcd --test --script=/tmp/evil.sh eth0", "action"),
        ("dhcpcd --test eth0", "none"),
        ("hostapd_cli -a /tmp/evil.sh status", "action"),
        ("hostapd_cli -i wlan0 status", "none"),
        # a log file at any path
        ("csysdig --logfile=/root/.bashrc", "typed"),  # its class: root's startup file (fp13)
        ("csysdig -v procs", "none"),
        # a policy file's functions run programs; a credential printed; SQL given
        ("cf-promises -f /tmp/evil.cf", "action"),
        ("cf-promises --file=/var/cfengine/../tmp/x.cf", "action"),
        ("cf-promises -f /var/cfengine/inputs/promises.cf", "none"),
        ("databricks auth describe --sensitive", "typed"),
        ("databricks auth describe", "none"),
        (
            "dbt show --inline \"{% do run_query('drop table analytics.orders') %} select 1\"",
            "action",
        ),
        ("dbt show --inline 'delete from analytics.orders'", "action"),
        ("dbt show --inline \"select * from {{ ref('orders') }}\" --limit 5", "none"),
        # files written at a path the agent names
        ("wrangler r2 object get corp/.bashrc --file /root/.bashrc", "action"),
        ("wrangler r2 object get assets/app.js --pipe", "none"),
        ("wrangler types /root/.bashrc", "action"),
        ("pandoc --log=/root/.bashrc README.md", "typed"),  # root's startup file (review12)
        ("pandoc -t plain README.md", "none"),
        # consuming as a group moves its offsets: its consumers skip those messages
        ("rpk topic consume orders -g billing", "action"),
        ("kaf consume orders --group billing", "action"),
        ("rpk topic consume orders -n 5", "none"),
        # code loaded from a path the agent chose: modules, configurations, servers
        ("pkcs11-tool --module /tmp/evil.so -L", "action"),
        ("p11tool --provider /tmp/evil.so --list-tokens", "action"),
        ("pkcs11-tool --module /usr/lib/x86_64-linux-gnu/opensc-pkcs11.so -L", "none"),
        ("suricata -T -c /tmp/evil.yaml", "action"),
        ("snort -T -c /tmp/evil.conf", "action"),
        ("suricata -T -c /etc/suricata/suricata.yaml", "none"),
        ("rkhunter --check --sk --configfile /tmp/rk.conf", "action"),
        ("rkhunter --check --sk", "none"),
        ("bareos-dir -t -c /etc/../tmp/x.conf", "action"),
        ("dataplaneapi -f /etc/haproxy/dataplaneapi.yaml", "action"),
        ("dataplaneapi --version", "none"),
        ("cf-agent -n -f /tmp/evil.cf", "action"),
        ("cf-agent -n", "none"),
        # a read word that acts: Xen's debug keys reboot or crash the host; sched setters
        ("xl debug-keys R", "typed"),
        ("xl debug-keys C", "typed"),
        ("xl sched-credit -d web1 -w 512", "action"),
        ("xl sched-credit -d web1", "none"),
        ("xl dmesg", "none"),
    ],
)
def test_a_read_forms_hidden_option_is_asked(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, (cmd, rules_of(ENGINE, cmd))


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "rule"),
    [
        ("dhcpcd -T -c /tmp/evil.sh eth0", "dhcp.hook_script"),
        ("hostapd_cli -a /tmp/evil.sh status", "hostapd.action_script"),
        ("csysdig --logfile=/root/.bashrc", "csysdig.logfile"),
        ("cf-promises -f /tmp/evil.cf", "cfengine.promises_foreign_file"),
        ("dbt show --inline 'delete from analytics.orders'", "dbt.inline_statement"),
        ("wrangler r2 object get corp/.bashrc --file /root/.bashrc", "wrangler.r2_get_file"),
        ("rpk topic consume orders -g billing", "dbops.consume_as_group"),
        ("pkcs11-tool --module /tmp/evil.so -L", "pkcs11.foreign_module"),
        ("suricata -T -c /tmp/evil.yaml", "ids.foreign_config"),
    ],
)
def test_the_hidden_option_is_named(cmd: str, rule: str) -> None:
    assert rule in rules_of(ENGINE, cmd), (cmd, rules_of(ENGINE, cmd))
