"""Breadth (the eleventh pass, breadth11b): more of the tools no pack described.

Block layers and filesystem tools, snapshot managers, MooseFS/LizardFS, low-level backup
tools (`fsadmin.toml`), database admin tools (`dbadmin.toml`), mail utilities
(`mailops.toml`), API gateways and small proxies (`edge.toml`), identity,
virtualisation and hardware register tools (`hostadmin.toml`) and language environments
(`langenv.toml`). Each read form sits beside the same tool's changing and destroying
forms. The development set `devset11b.jsonl` (written before the engine was run on it;
not a measured part, not in `PARTS`) is measured so it cannot rot.
"""

from __future__ import annotations

import pytest
from helpers.devsets import gated_safe, measure, missed_critical
from helpers.policy_corpus import rules_of, verdict

from aiperm_tui.config import Config
from aiperm_tui.policy import PolicyEngine

ENGINE = PolicyEngine(Config())


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        # block layers: reports read; formats and metadata restores are typed
        ("bcachefs fs usage -h /mnt/data", "none"),
        ("bcachefs format /dev/sdb /dev/sdc", "typed"),
        ("make-bcache -B /dev/sdb -C /dev/nvme0n1p1", "typed"),
        ("thin_check /dev/mapper/vg0-pool_tmeta", "none"),
        ("thin_check --clear-needs-check-flag /dev/mapper/vg0-pool_tmeta", "action"),
        ("thin_dump -o /srv/meta.xml /dev/mapper/vg0-pool_tmeta", "action"),
        ("thin_restore -i /srv/meta.xml -o /dev/mapper/vg0-pool_tmeta", "typed"),
        ("integritysetup format /dev/sdb", "typed"),
        ("xfs_quota -x -c 'report -h' /srv", "none"),
        ("xfs_quota -x -c 'limit bsoft=5g bhard=6g alice' /home", "action"),
        ("xfs_io -r -c stat /srv/data/file.bin", "none"),
        ("xfs_io -c 'truncate 0' /srv/db/data.ibd", "typed"),
        ("zdb -C tank", "none"),
        ("zdb -R tank 0:400000:200:r", "action"),
        # snapshot managers: listings read; undo, rollback and restore are typed
        ("snapper -c root status 10..12", "none"),
        ("snapper undochange 10..12", "typed"),
        ("timeshift --list", "none"),
        ("timeshift --restore --snapshot '2024-05-01_10-00-01' --yes", "typed"),
        ("btrbk -n run", "none"),
        ("btrbk run", "action"),
        # distributed file systems and network block devices
        ("mfscli -SIN", "none"),
        ("mfsrmsnapshot /mnt/mfs/data", "typed"),
        ("lizardfs-admin list-chunkservers mfsmaster 9421", "none"),
        ("lizardfs-admin stop-master-without-saving-metadata mfsmaster 9421", "typed"),
        ("qemu-nbd --connect=/dev/nbd0 /srv/images/web.qcow2", "action"),
        ("qemu-nbd -t -p 10809 -b 0.0.0.0 /dev/sda", "typed"),
        # low-level backup tools
        ("dar -l /srv/bk/full", "none"),
        ("dar -x /srv/bk/full -R / -w", "typed"),
        ("dar -c /srv/bk/etc -R /etc -E 'rm -rf /srv'", "deny"),
        ("bareos-dir -t", "none"),
        ("bacula-dir -t -c /tmp/x.conf", "action"),
        ("amadmin daily find", "none"),
        ("amlabel -f daily DailySet1-01", "typed"),
        ("wal-e backup-list", "none"),
        ("wal-e backup-fetch /var/lib/postgresql/16/main LATEST", "typed"),
        ("xbstream -x -C /var/lib/mysql", "typed"),
        ("xbstream -x -C /srv/restore/mysql", "action"),
        # database admin tools; SQL given to the shells is judged as SQL
        ("pg_conftool 16 main show all", "none"),
        ("pg_upgradecluster -m link 15 main", "typed"),
        ("mycli -h db1 -e 'SHOW DATABASES'", "none"),
        ("mycli -h db1 -e 'DROP DATABASE app'", "typed"),
        ("usql pg://db1/app -c 'drop table orders'", "typed"),
        ("cbq -e http://localhost:8091 -s 'SELECT COUNT(*) FROM travel'", "none"),
        ("cbq -e http://localhost:8091 -s 'DELETE FROM travel'", "typed"),
        ("clickhouse client -q 'SELECT count() FROM system.parts'", "none"),
        ("clickhouse client --query 'DROP TABLE logs.events'", "typed"),
        ("clickhouse format -q 'DROP TABLE x'", "none"),
        ("clickhouse start", "action"),
        ("mariadb-dump mysql user", "typed"),
        ("mysqldump -r /etc/cron.d/x app", "typed"),
        ("innochecksum /var/lib/mysql/ibdata1", "none"),
        ("innochecksum --write=crc32 /var/lib/mysql/app/orders.ibd", "typed"),
        ("myisamchk -d /var/lib/mysql/app/logs.MYI", "none"),
        ("myisamchk --recover /var/lib/mysql/app/logs.MYI", "action"),
        ("mongod --version", "none"),
        ("fdbcli --exec 'status json'", "none"),
        ("fdbcli --exec 'writemode on; clearrange \"\" \\xff'", "typed"),
        ("echo 'kill all' | fdbcli", "typed"),
        ("sctool task list -c prod", "none"),
        ("influx_inspect deletetsm -measurement cpu /var/lib/influxdb/data/a.tsm", "typed"),
        ("arangoimport --file /srv/u.json --collection users --overwrite true", "typed"),
        # mail
        ("exipick -zi", "none"),
        ("qmHandle -l", "none"),
        ("qmHandle -D", "typed"),
        ("fetchmail -c", "none"),
        ("fetchmail -f /tmp/fetchmailrc", "typed"),
        ("fetchmail --mda 'rm -rf /srv'", "deny"),
        ("getmail --dump", "typed"),
        ("mailman members announce@lists.example.com", "none"),
        ("mailman delmembers -a -l announce@lists.example.com", "typed"),
        ("doveadm auth test alice S3cret", "action"),
        # proxies and gateways; nginx's forks are judged with nginx
        ("openresty -t", "none"),
        ("openresty -t -c /tmp/x.conf", "action"),
        ("angie -s reload", "action"),
        ("h2o -t -c /etc/h2o/h2o.conf", "none"),
        ("kong migrations list", "none"),
        ("kong config db_export /srv/kong-export.yml", "typed"),
        ("deck gateway diff /srv/kong/kong.yaml", "none"),
        ("deck gateway dump -o /srv/kong/dump.yaml", "typed"),
        ("deck gateway reset --force", "typed"),
        ("stunnel /etc/stunnel/app.conf", "action"),
        ("stunnel /tmp/s.conf", "typed"),
        # identity and virtualisation
        ("ipa-getkeytab -s ipa1 -p HTTP/web1 -k /etc/httpd/http.keytab", "typed"),
        ("sss_override user-show alice", "none"),
        ("sss_override user-add alice -u 0", "typed"),
        ("slapd -Tt", "none"),
        ("slapd -T cat -l /srv/ldap.ldif", "typed"),
        ("lxd sql global 'SELECT name FROM instances'", "none"),
        ("lxd sql global 'DELETE FROM instances'", "typed"),
        ("qmrestore /var/lib/vz/dump/vzdump-qemu-100.vma.zst 100 --force", "typed"),
        ("qemu-system-x86_64 -hda /dev/sda", "typed"),
        # hardware: reports read; raw, register and firmware writes are typed
        ("sg_logs -a /dev/sda", "none"),
        ("sg_raw /dev/sg1 12 00 00 00 60 00", "action"),
        ("sg_raw -s 512 -i /srv/blk.bin /dev/sg1 2a 00 00 00 00 00 00 00 01 00", "typed"),
        ("sg_dd if=/dev/zero of=/dev/sg1 bs=512", "deny"),
        ("flashrom -p internal", "none"),
        ("flashrom -p internal -w /srv/firmware/new.rom", "typed"),
        ("ipmicfg -sdr", "none"),
        ("ipmicfg -fd", "typed"),
        ("sum -c GetBiosInfo", "none"),
        ("sum -c UpdateBios --file /srv/firmware/bios.bin", "typed"),
        ("rdmsr 0x1a0", "none"),
        ("wrmsr 0x1a0 0x850089", "typed"),
        ("setpci -s 00:1f.0 0x40.b", "none"),
        ("setpci -s 00:1f.0 0x40.b=0x80", "typed"),
        ("i2cset -y 1 0x50 0x00 0xff", "typed"),
        ("fio --name=w --filename=/dev/sdb --rw=write --size=10G", "typed"),
        ("fio --name=r --filename=/srv/fio.tmp --rw=randread", "action"),
        ("rocm-smi --showuse", "none"),
        ("rocm-smi --gpureset -d 0", "typed"),
        # language environments: listings read; what runs inside is judged as itself
        ("pyenv versions", "none"),
        ("pyenv exec rm -rf /srv/app", "typed"),
        ("mise ls", "none"),
        ("mise exec -- rm -rf /srv/app", "typed"),
        ("mise exec -- ls", "action"),
        ("nix-shell -p coreutils --run 'rm -rf /srv/data'", "typed"),
        ("nix develop -c rm -rf /srv/app", "typed"),
        ("conda run -n app rm -rf /srv/app", "typed"),
        ("micromamba env list", "none"),
        ("conda env remove -n app", "action"),
        ("conda config --set channel_priority strict", "action"),
        ("nix-env -qa hello", "none"),
        ("nix-env -iA nixpkgs.hello", "action"),
        ("nix-store --gc --print-dead", "none"),
        ("nix-store --gc", "action"),
        ("nixos-rebuild dry-build", "none"),
        ("nixos-rebuild switch", "action"),
        ("pyenv uninstall -f 3.9.1", "action"),
        ("pkgin -y remove openssh", "deny"),
        ("pkgin -y remove nginx", "action"),
        ("bazel query //...", "none"),
        ("bazel --bazelrc=/tmp/x query //...", "action"),
        ("ant -p -f /tmp/build.xml", "action"),
        # second round: deeper forms of tools other packs describe in part
        ("drbdadm -- --discard-my-data connect r0", "typed"),
        ("drbdadm primary --force r0", "typed"),
        ("drbdadm primary r0", "action"),
        ("scstadmin -list_target", "none"),
        ("scstadmin -clear_config -force", "typed"),
        ("fatlabel /dev/sde1", "none"),
        ("fatlabel /dev/sde1 DATA", "action"),
        ("fsfreeze --help", "none"),
        ("mysqlsh --sql -h db1 -e 'DROP DATABASE app'", "typed"),
        ("mysqltuner", "none"),
        ("mysqltuner --outputfile /var/www/x.php", "action"),
        ("pt-find --exec 'DROP TABLE %D.%N' --tablesize +5G", "typed"),
        ("elasticsearch-users list", "none"),
        ("elasticsearch-setup-passwords auto", "typed"),
        ("clamscan -r -i /srv/uploads", "none"),
        ("clamscan -r --remove /srv/uploads", "typed"),
        ("realm leave example.com", "typed"),
        ("realm deny alice@example.com", "action"),
        ("virsh secret-list", "none"),
        ('virsh qemu-agent-command web \'{"execute":"guest-exec"}\'', "typed"),
        ("qm agent 101 ping", "none"),
        ("xm list", "none"),
        ("xl sysrq web b", "typed"),
        ("VBoxManage controlvm web poweroff", "typed"),
        ("VBoxManage guestcontrol web run --exe /bin/rm -- rm -rf /srv/app", "typed"),
        ("lxc restore web before-upgrade", "typed"),
        ("racadm set iDRAC.Users.2.Password NewPass123", "typed"),
        ("dmidecode --dump-bin /srv/dmi.bin", "action"),
        ("guix describe", "none"),
        ("guix shell coreutils -- rm -rf /srv/app", "typed"),
        ("snap remove --purge lxd", "typed"),
        ("snap remove lxd", "action"),
        ("brew ruby -e 'system(\"rm -rf /srv/app\")'", "typed"),
        # third round: links, addresses, security and platform tools
        ("devlink dev show", "none"),
        ("devlink dev flash pci/0000:3b:00.0 file mlx5-fw.bin", "typed"),
        ("rdma link show", "none"),
        ("rdma link add rxe0 type rxe netdev eth0", "action"),
        ("ibportstate 3 1 disable", "typed"),
        ("dhclient -r eth0", "typed"),
        ("dhcpcd -U eth0", "none"),
        ("netperf -H perf1.example.com -l 10", "none"),
        ("netperf -H perf1 -l 3600", "action"),
        ("arpspoof -i eth0 -t 10.0.0.5 10.0.0.1", "typed"),
        ("john --show /srv/audit/hashes.txt", "typed"),
        ("hydra -l admin -P /srv/words.txt ssh://10.0.0.5", "typed"),
        ("sqlmap -u 'https://shop.example.com/item?id=1' --dump", "typed"),
        ("sqlmap -u 'https://shop.example.com/item?id=1' --batch", "action"),
        ("yara -r /srv/rules/webshells.yar /srv/www", "none"),
        ("psad -S", "none"),
        ("cf apps", "none"),
        ("cf env billing", "typed"),
        ("cf ssh billing -c 'rm -rf /home/vcap/app'", "typed"),
        ("bosh -d cf vms", "none"),
        ("bosh -d cf ssh router/0 -c 'sudo rm -rf /var/vcap/store'", "typed"),
        ("bosh int /srv/bosh/creds.yml --path /admin_password", "typed"),
        ("juju status", "none"),
        ("juju ssh 0 'rm -rf /srv/data'", "typed"),
        ("juju exec --unit mysql/0 'rm -rf /var/lib/mysql'", "typed"),
        ("chef-server-ctl cleanse", "typed"),
        ("consul-template -template '/a.tpl:/srv/a.conf:rm -rf /srv/data' -once", "typed"),
        ("consul-template -template '/a.tpl:/srv/a.conf' -exec 'rm -rf /srv/data'", "typed"),
        ("qpid-config queues", "none"),
        ("nats-server --help", "none"),
        ("nix-store --verify --check-contents", "none"),
        ("nix-store --verify --repair", "action"),
        # fourth round: cluster locks, tracing, security keys, password managers
        ("sanlock client status", "none"),
        ("sanlock client shutdown -f 1", "typed"),
        ("dmraid -r", "none"),
        ("dmraid -rE /dev/sdb", "typed"),
        ("blkparse -i /srv/trace/sda", "none"),
        ("zfs-auto-snapshot --label=hourly --keep=1 //", "typed"),
        ("funccount 'vfs_*'", "none"),
        ("vdpa dev show", "none"),
        ("vdpa dev del vdpa0", "typed"),
        ("dog example.com MX", "none"),
        ("ykman oath accounts code", "typed"),
        ("ykman info", "none"),
        ("minisign -V -p /etc/minisign.pub -m /srv/release.tar.gz", "none"),
        ("rage -d -i /srv/keys/key.txt /srv/secrets.age", "typed"),
        ("rbw list", "none"),
        ("rbw get github", "typed"),
        ("google-authenticator -t -d -f -r 3 -R 30 -w 3", "typed"),
        ("modutil -list -dbdir sql:/etc/pki/nssdb", "none"),
    ],
)
def test_breadth11b_family(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, (cmd, rules_of(ENGINE, cmd))


@pytest.mark.timeout(60)
def test_a_described_tool_keeps_its_output_and_payload_forms_gated() -> None:
    """A read rule never opens a hole: the output file, the command run and the
    configuration from a temp folder keep their own judgement."""
    assert verdict(ENGINE, "bsondump --outFile=/etc/cron.d/x /srv/dump/orders.bson") != "none"
    assert (
        verdict(ENGINE, "eximstats -charts -chartdir /var/www/html /var/log/exim4/mainlog")
        != "none"
    )
    assert verdict(ENGINE, "mbsync -c /srv/x -l work") != "none"
    assert verdict(ENGINE, "smartd -q onecheck -c /tmp/x.conf") != "none"
    assert verdict(ENGINE, "hitch --test --config=/tmp/h.conf") != "none"


@pytest.mark.timeout(120)
def test_devset11b_is_measured() -> None:
    """The development set, four rounds each written before the engine was run on it
    (653 lines over some 200 tools, 279 deeper forms of partly described tools, 106
    lines of link, security and platform tools, 70 of cluster locks, tracing and
    security keys: 278 of 460 safe lines were gated and 103 of 243 critical ones missed
    then, labels as corrected): every critical line is typed or denied, and at most 1 %
    of the safe lines is gated (left: an arangosh JavaScript string, which no rule
    reads)."""
    report = measure("devset11b.jsonl", ENGINE)
    crit = report.critical_recall
    assert crit.hits == crit.total, missed_critical(report)
    assert report.safe_false_positives.value <= 0.01, gated_safe(report)
    assert report.danger_recall.hits == report.danger_recall.total
