"""What the infrastructure tools do: terraform and pulumi, ansible, salt, puppet and chef
(the module or function a fleet run applies), and the cloud CLIs judged by their words.

The judges register with `toolbox.handles`; `toolbox` loads this module the first time a
command it names is judged.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from aiperm_tui.policy.dataflow import same_file
from aiperm_tui.policy.fspaths import classify, is_secret
from aiperm_tui.policy.hits import Hit
from aiperm_tui.policy.lazyre import lazy
from aiperm_tui.policy.model import Severity
from aiperm_tui.policy.normalize import Cmd
from aiperm_tui.policy.packs import builtin_packs, search_args
from aiperm_tui.policy.parse import Word
from aiperm_tui.policy.toolbox import _table, _where, handles, hit, level_of, write_hit

TYPE_CHECKING = False  # typing is not imported at run time

if TYPE_CHECKING:
    from aiperm_tui.policy.analysis import Analysis


# A plan written to a file by a `plan -destroy` on the line (`-destroy` given, or added by
# TF_CLI_ARGS / TF_CLI_ARGS_plan): applying that file destroys.
_PLAN_OUT = lazy(r"\bplan\b([^;&|\n]*?)\s-out[= ]['\"]?([^\s'\";&|]+)")
_DESTROY_ARGS = lazy(r"\bTF_CLI_ARGS(?:_plan)?=['\"]?[^;&|\n]*?-destroy\b")


def _destroy_plan(cmd: Cmd, an: Analysis) -> bool:
    """`terraform plan -destroy -out=p && terraform apply p`: the saved plan applied is
    one made to destroy (its own `-destroy`, or TF_CLI_ARGS_plan='-destroy')."""
    pos = [a.text for a in cmd.positional()]
    saved = pos[1] if len(pos) > 1 else None
    if saved is None:
        return False
    for m in _PLAN_OUT.finditer(an.src):
        if m.group(2) == saved and ("-destroy" in m.group(1) or _DESTROY_ARGS.search(an.src)):
            return True
    return False


@handles("terraform", "tofu", "terragrunt", "pulumi")
def _terraform(cmd: Cmd, an: Analysis) -> list[Hit]:
    sub = cmd.sub()
    pos = [a.text for a in cmd.positional()]
    level = level_of("terraform", [sub, *pos[1:3]])
    checking = any(a.text.lstrip("-") in ("check", "diff") for a in cmd.args)
    if sub == "console" and _UNMASKED.search(an.src):
        return hit(
            cmd,
            "terraform.console_unmasked",
            "high",
            f"{cmd.name} console: nonsensitive() prints a value the configuration marks sensitive",
        )
    if not sub or (level == "read" and not (sub == "fmt" and not checking)):
        return []
    if sub == "fmt":
        return hit(cmd, "terraform.fmt", "medium", "terraform fmt rewrites .tf files", "single")
    destroys = any(a.text.lstrip("-") in ("destroy", "destroy=true") for a in cmd.args)
    if level == "high" or (sub == "apply" and (destroys or _destroy_plan(cmd, an))):
        return hit(
            cmd,
            f"terraform.{sub}",
            "high",
            f"{cmd.name} {' '.join(pos[:2])}: destroys or rewrites infrastructure state",
            suggest=f"{cmd.name} plan -destroy" if sub == "destroy" else f"{cmd.name} state list",
        )
    if sub in ("apply", "up", "import", "taint", "untaint", "refresh", "init"):
        auto = any(a.text.lstrip("-") in ("auto-approve", "yes", "y") for a in cmd.args)
        severity: Severity = "high" if auto else "medium"
        return hit(
            cmd,
            f"terraform.{sub}",
            severity,
            f"{cmd.name} {sub}: changes infrastructure"
            if sub != "init"
            else f"{cmd.name} init: downloads providers and modules",
            suggest=f"{cmd.name} plan",
        )
    return hit(cmd, f"terraform.{sub}", "medium")


# An expression that strips the sensitive mark from a value (`nonsensitive(var.db_password)`),
# fed to `terraform console` on the line.
_UNMASKED = lazy(r"\bnonsensitive\s*\(")


# Ad-hoc runs whose payload a pack rule judges as a command: `ansible -m shell -a CMD`,
# `salt TARGET cmd.run CMD`.
_FLEET_PAYLOAD = lazy(
    r"(^|\s)(-m|--module-name)[= ]?(ansible\.builtin\.|ansible\."
    r"legacy\.)?(shell|command|raw)\s.*(-a|--args)[= ]?\S|"
    r"(^|\s)cmd\.(run|shell|run_all|run_stdout)\s+\S"
)


# A check-mode flag written as a word of text (the pack rules read the joined line).
_CHECK_WORD = lazy(r"(?:^|\s)(?:--check|-C)(?:\s|$)")


_YES = ("yes", "true", "True", "1")


# Fleet modules whose effect is a shell command's: the module's arguments, as key=value
# (ansible -a) or positional (salt), become that command, judged like one typed on each
# host (`file state=absent` deletes like `rm -rf`, `authorized_key` grants a login).
_ANSIBLE_MODULES: dict[str, Callable[[dict[str, str]], str | None]] = {
    "file": lambda a: (
        f"rm -rf {_q(a.get('path') or a.get('dest') or a.get('name'))}"
        if a.get("state") == "absent"
        else None
    ),
    "user": lambda a: (
        f"userdel {'-r ' if a.get('remove') in _YES else ''}{_q(a.get('name'))}"
        if a.get("state") == "absent"
        else None
    ),
    "authorized_key": lambda a: (
        f"tee -a ~{a.get('user', 'root')}/.ssh/authorized_keys"
        if a.get("state", "present") == "present"
        else None
    ),
    # the remote file's content comes back to the controller (slurp prints it)
    "fetch": lambda a: f"cat {_q(a.get('src'))}",
    "slurp": lambda a: f"cat {_q(a.get('src') or a.get('path'))}",
    "copy": lambda a: f"tee {_q(a.get('dest'))}" if a.get("dest") else None,
    "lineinfile": lambda a: f"tee -a {_q(a.get('path') or a.get('dest'))}",
    "blockinfile": lambda a: f"tee -a {_q(a.get('path') or a.get('dest'))}",
    "template": lambda a: f"tee {_q(a.get('dest'))}" if a.get("dest") else None,
    "apt": lambda a: _ansible_package(a),
    "yum": lambda a: _ansible_package(a),
    "dnf": lambda a: _ansible_package(a),
    "package": lambda a: _ansible_package(a),
    "service": lambda a: _ansible_service(a),
    "systemd": lambda a: _ansible_service(a),
    # every targeted host restarted or halted at once
    "reboot": lambda a: "systemctl reboot",
    "shutdown": lambda a: "systemctl poweroff",
}


_SALT_FUNCTIONS: dict[str, Callable[[list[str]], str | None]] = {
    "cp.push": lambda a: f"cat {_q(a[0])}" if a else None,
    "file.read": lambda a: f"cat {_q(a[0])}" if a else None,
    "file.grep": lambda a: f"grep {_q(a[1] if len(a) > 1 else '')} {_q(a[0])}" if a else None,
    "file.remove": lambda a: f"rm -rf {_q(a[0])}" if a else None,
    "file.rmdir": lambda a: f"rm -rf {_q(a[0])}" if a else None,
    "file.truncate": lambda a: f"truncate -s 0 {_q(a[0])}" if a else None,
    "file.write": lambda a: f"tee {_q(a[0])}" if a else None,
    "file.append": lambda a: f"tee -a {_q(a[0])}" if a else None,
    "file.copy": lambda a: f"cp {_q(a[0])} {_q(a[1])}" if len(a) > 1 else None,
    "user.delete": lambda a: f"userdel {_q(a[0])}" if a else None,
    "ssh.set_auth_key": lambda a: f"tee -a ~{a[0]}/.ssh/authorized_keys" if a else None,
    "service.stop": lambda a: f"systemctl stop {_q(a[0])}" if a else None,
    "service.disable": lambda a: f"systemctl disable {_q(a[0])}" if a else None,
}


def _q(value: str | None) -> str:
    import shlex  # here, not at the top: most checks never need it

    return shlex.quote(value) if value else "$UNKNOWN"


def _ansible_package(args: dict[str, str]) -> str | None:
    if args.get("state") not in ("absent", "removed"):
        return None
    names = (args.get("name") or args.get("pkg") or "").replace(",", " ").split()
    return f"apt-get remove -y {' '.join(_q(n) for n in names) or '$UNKNOWN'}"


def _ansible_service(args: dict[str, str]) -> str | None:
    verb = {"stopped": "stop", "restarted": "restart", "reloaded": "reload"}.get(
        args.get("state", "")
    )
    if args.get("enabled") in ("no", "false", "False"):
        verb = verb or "disable"
    return f"systemctl {verb} {_q(args.get('name'))}" if verb else None


def _fleet_module(cmd: Cmd) -> str | None:
    """The shell command a fleet module run amounts to (None when it is not one we know)."""
    argv = cmd.argv
    if cmd.name == "ansible":
        module = cmd.option_value("m") or cmd.option_value("module-name") or ""
        raw = cmd.option_value("a") or cmd.option_value("args") or ""
        import shlex

        try:
            pairs = dict(w.split("=", 1) for w in shlex.split(raw) if "=" in w)
        except ValueError:
            return None
        known = _ANSIBLE_MODULES.get(module.rsplit(".", 1)[-1])
        return known(pairs) if known else None
    if cmd.name in ("salt", "salt-ssh", "salt-call"):
        for i, word in enumerate(argv):
            if word in _SALT_FUNCTIONS:
                args = [w for w in argv[i + 1 :] if not w.startswith("-") and "=" not in w]
                return _SALT_FUNCTIONS[word](args)
    return None


# ansible's built-in modules that only report (`ansible all -m ping`), as salt's
# `test.ping` and `pkg.list_pkgs` do; not `setup` (it returns the remote environment,
# tokens included) nor `debug` (its templates may read the controller's files).
_ANSIBLE_READ_MODULES = frozenset(
    f"{prefix}{name}"
    for prefix in ("", "ansible.builtin.", "ansible.legacy.")
    for name in ("ping", "service_facts", "package_facts", "stat")
)


def _ansible_reads(cmd: Cmd) -> bool:
    """`ansible PATTERN -m ping`: a built-in module that only reports, from the modules
    shipped with ansible (no `-M` folder that could hold another `ping`), with no extra
    variables or ssh arguments (`-e ansible_python_interpreter=PROG`, a ProxyCommand in
    `--ssh-common-args`: each runs a program of the line's choosing)."""
    module = cmd.option_value("m") or cmd.option_value("module-name") or ""
    reports = module in _ANSIBLE_READ_MODULES or (
        module.rsplit(".", 1)[-1] == "setup" and _facts_by_name(cmd)
    )
    return reports and not cmd.has(*_ANSIBLE_RUNS_PROGRAMS)


# The facts that carry what a host keeps secret: its environment (tokens, passwords) and the
# local facts its administrators wrote.
_PRIVATE_FACTS = ("ansible_env", "ansible_local", "env", "local")


def _facts_by_name(cmd: Cmd) -> bool:
    """`ansible web -m setup -a 'filter=ansible_memtotal_mb'`: facts picked by a filter that
    names none of the private ones (`ansible_env`, `ansible_local`; `*` or `ansible_e*`
    match them), with no other argument (`fact_path=DIR` runs the executables there)."""
    import fnmatch
    import shlex

    try:
        pairs = dict(w.split("=", 1) for w in shlex.split(cmd.option_value("a", "args") or ""))
    except ValueError:
        return False
    patterns = [p.strip() for p in pairs.get("filter", "").strip("[]").split(",")]
    return set(pairs) <= {"filter", "gather_subset", "gather_timeout"} and all(
        p and not any(fnmatch.fnmatchcase(f, p) for f in _PRIVATE_FACTS) for p in patterns
    )


_ANSIBLE_RUNS_PROGRAMS = (
    "M",
    "module-path",
    "e",
    "extra-vars",
    "ssh-common-args",
    "ssh-extra-args",
    "scp-extra-args",
    "sftp-extra-args",
)


_RECIPE = lazy(r"\.(?:ya?ml|pp|rb|sls|json)$")


def _planted_recipe(cmd: Cmd, an: Analysis) -> str | None:
    """The playbook or manifest (`ansible-playbook /tmp/p.yml`, `puppet apply x.pp`) the
    line wrote, or one from a temp folder: its tasks run on every host it targets, and
    nobody reviewed them. None for one kept in the repository or /etc."""
    for word in cmd.positional():
        path = _where(word.text, an)
        if _RECIPE.search(word.text) and (
            classify(path) == "temp" or any(same_file(word.text, w) for w in an.written)
        ):
            return word.text
    return None


# A Jinja lookup in ansible's arguments runs on this host (the controller) before any
# task, check mode or not: `pipe` and `lines` run a command, `file` and its kin read one.
_LOOKUP = lazy(
    r"""\b(?:lookup|query|q)\(\s*['"](pipe|lines|file|unvault|template|first_found)['"]"""
    r"""\s*,\s*['"]([^'"]+)['"]"""
)


def _controller_lookups(cmd: Cmd, an: Analysis) -> None:
    """`ansible localhost -m debug -a 'msg={{ lookup("file", "/etc/shadow") }}'` reads the
    shadow file as `cat` would; `lookup("pipe", CMD)` runs CMD: each is judged so."""
    for m in _LOOKUP.finditer(cmd.text()):
        kind, arg = m.groups()
        text = arg if kind in ("pipe", "lines") else f"cat {_q(arg)}"
        an.payload(text, cmd.args, "exec.fleet_lookup", f"{cmd.name} (a lookup on this host)")


@handles("ansible", "ansible-playbook", "salt", "salt-call", "salt-ssh", "puppet", "chef-client")
def _config_mgmt(cmd: Cmd, an: Analysis) -> list[Hit]:
    if cmd.name.startswith("ansible"):
        _controller_lookups(cmd, an)
    if cmd.has("check", "C", "syntax-check", "list-hosts", "list-tasks", "list-tags", "noop"):
        return []
    if cmd.name == "chef-client" and cmd.has("why-run", "W"):
        return []  # chef's dry run: reports what each resource would do, as --noop does
    if cmd.name == "ansible" and _ansible_reads(cmd):
        return []
    if cmd.argv in (["-v"], ["--version"], ["-V"]):
        return []  # `chef-client -v`, `puppet -V`: the version, alone
    if (planted := _planted_recipe(cmd, an)) is not None:
        return hit(
            cmd,
            "exec.temp_script",
            "high",
            f"{cmd.name} runs {planted}, a playbook or manifest written on this line or kept "
            "in a temp folder (any account may have written it): code nobody has reviewed",
            "unknown",
            suggest=f"cat {planted}",
        )
    text = " ".join(cmd.argv)
    if _FLEET_PAYLOAD.search(text):
        command = cmd.option_value("a", "args") if cmd.name == "ansible" else None
        if command and _CHECK_WORD.search(command):
            # `-a 'rm -rf /x # --check'`: the flag is inside the command, not ansible's
            # own (those returned above), so the pack rules' check-mode exemption is
            # fooled: the command runs on every host and is judged here
            an.payload(command, cmd.args, "exec.fleet_module", "ansible (on every host)")
        return []  # the command it runs on every host is judged as a command (packs)
    if (same := _fleet_module(cmd)) is not None:
        an.payload(same, cmd.args, "exec.fleet_module", f"{cmd.name} (on every host it targets)")
    if cmd.name == "ansible" and (
        not re.search(
            r"-m\s+(shell|command|raw|script|file|copy|"
            r"apt|yum|service|systemd|user)",
            text,
        )
    ):
        return hit(cmd, "config.ansible", "low", "ansible ad-hoc module run", "system")
    return hit(
        cmd,
        f"config.{cmd.name}",
        "medium",
        f"{cmd.name}: applies configuration",
        suggest=f"{cmd.name} --check ..." if "ansible" in cmd.name else "",
    )


# Options whose value picks or shapes what a cloud CLI prints (a JMESPath query, a
# filter, a format): `--query 'Users[?contains(UserName, `delete`)]'` deletes nothing.
_OUTPUT_SHAPING = frozenset({"--query", "--filter", "--filters", "--format", "--output"})


def _shaping_values(argv: list[str]) -> set[str]:
    """The values given to the options that only shape the output."""
    return {v for v in argv if v not in _without_output_shaping(argv) and v[:2] != "--"}


def _without_output_shaping(argv: list[str]) -> list[str]:
    """`argv` without the values of the options that only shape the output."""
    out: list[str] = []
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word in _OUTPUT_SHAPING:
            skip = True
        elif word.split("=", 1)[0] not in _OUTPUT_SHAPING:
            out.append(word)
    return out


# `aws ssm send-command`'s options that only choose where and how a shell document runs
# and what is printed; any other (an output bucket, a notification, a log group) sends
# or keeps the output somewhere and leaves the command the plain change it was.
_SSM_PLAIN_OPTIONS = frozenset(
    {"--document-name", "--instance-ids", "--targets", "--parameters", "--comment",
     "--query", "--output", "--region", "--profile", "--timeout-seconds",
     "--max-concurrency", "--max-errors", "--no-cli-pager"}
)  # fmt: skip
_SSM_SHELL_DOCUMENTS = frozenset({"AWS-RunShellScript", "AWS-RunPowerShellScript"})


def _ssm_shell_commands(cmd: Cmd) -> list[str] | None:
    """The commands `aws ssm send-command --document-name AWS-RunShellScript
    --parameters 'commands=["df -h /","uptime"]'` runs on the instances (eighteenth
    pass), judged as `ssh HOST CMD` is; None when the line is not that form, a document
    other than the shell's, parameters from a file, or an option outside
    `_SSM_PLAIN_OPTIONS`."""
    import json  # here, not at the top: most checks never need it

    if [a.text for a in cmd.positional("")[:2]] != ["ssm", "send-command"]:
        return None
    options = {a.text.split("=", 1)[0] for a in cmd.args if a.text.startswith("--")}
    if not options <= _SSM_PLAIN_OPTIONS:
        return None
    documents = list(cmd.option_values("document-name"))  # the last wins: one only (rev18a)
    values = list(cmd.option_values("parameters"))
    if len(documents) != 1 or documents[0] not in _SSM_SHELL_DOCUMENTS or len(values) != 1:
        return None
    name, _, listed = values[0].partition("=")
    try:
        commands = json.loads(listed) if name == "commands" else None
    except ValueError:
        return None
    if not isinstance(commands, list) or not all(isinstance(c, str) for c in commands):
        return None
    return commands or None


@handles(
    "aws",
    "gcloud",
    "az",
    "doctl",
    "s3cmd",
    "gsutil",
    "rclone",
    "mc-cli",
    "hcloud",
    "linode-cli",
    "openstack",
    "scw",
    "oci",
    "vultr-cli",
    "ovhcloud",
    "exo",
    "aliyun",
    "upctl",
    "ionosctl",
    "tccli",
    # OpenStack's per-service clients (`cinder delete`, `glance image-list`): their words
    # follow the same conventions (infra.toml)
    "cinder",
    "glance",
    "neutron",
    "heat",
    "manila",
    "ironic",
    "swift",
    "mongocli",  # MongoDB Atlas and Ops Manager (dbops.toml)
)
def _cloud(cmd: Cmd, an: Analysis) -> list[Hit]:
    """A cloud CLI judged by its words, with the patterns of its table (cloud.toml)."""
    packs = builtin_packs()

    def found(key: str, words: list[str]) -> bool:
        """`key`'s pattern in `words` (`search_args`: the read words hold however the
        words are read, the others are found however they are read)."""
        pattern = packs.table_key(cmd.name, key)
        return pattern is not None and (
            search_args(pattern, words, lowers=key == "read_words") is not None
        )

    shaping = _shaping_values(cmd.argv)
    verbs = [a.text for a in cmd.positional("") if a.text not in shaping][:4]
    if (fetched := _download(cmd, an)) is not None:
        return fetched
    if cmd.name == "aws" and (commands := _ssm_shell_commands(cmd)) is not None:
        words = [a for a in cmd.args if a.text.startswith("commands=")] or cmd.args
        an.payload("; ".join(commands), words, "exec.ssm", "aws ssm send-command")
        return []
    # the words after the first read verb name what it reads (sixteenth pass: `gcloud
    # projects describe delete-me-sandbox` describes a project called so)
    upto = next((i + 1 for i in range(len(verbs)) if found("read_words", verbs[: i + 1])), 0)
    if upto and not found("change_words", verbs[:upto]):
        return []
    if found("delete_words", _without_output_shaping(cmd.argv)):
        level = _table(cmd.name).delete_level
        return hit(
            cmd,
            f"cloud.{cmd.name}_delete",
            "high" if found("recursive", cmd.argv) else level,  # type: ignore[arg-type]
            f"{cmd.name}: deletes cloud resources or data",
            suggest=f"{cmd.name} ... list/describe first",
        )
    return hit(cmd, f"cloud.{cmd.name}", "medium", f"{cmd.name}: changes cloud resources")


# One object named in a bucket (`s3://B/KEY`, `gs://B/KEY`): KEY is a file's name, not a
# folder's.
_OBJECT_URL = lazy(r"^(?:s3|gs)://[^/\s]+/(\S*[^/\s*?\[])$")
# The global options whose value follows them as a word of its own.
_GLOBAL_VALUES = frozenset({"--region", "--profile", "--output", "--project", "--billing-project"})


def _download(cmd: Cmd, an: Analysis) -> list[Hit] | None:
    """`aws s3 cp s3://B/KEY DEST`, `gsutil cp gs://B/KEY DEST`, `gcloud storage cp ...`:
    one object fetched from a bucket is judged as the write of DEST, as `curl -o DEST` is
    (a fresh file named directly under /tmp is the read a report is; `-` prints it, as
    `gsutil cat` does), and an object named as a credential (`s3://B/prod/.env`) is a
    secret read wherever it goes. None (the words decide) for anything else: a folder or
    a pattern, `--recursive`, a second source, a word more than the two (an option's
    value the line may have put there to move the source, `--expected-size SRC`)."""
    if cmd.name == "az":
        return _blob_download(cmd, an)
    words = [a for a in cmd.positional("") if a.text not in ("s3", "storage")]
    if not words or words[0].text != "cp" or cmd.has("recursive", "r", "R"):
        return None
    operands = [w for w in words[1:] if not _after_global(cmd, w)]
    if len(operands) != 2 or operands[1].dynamic or "://" in operands[1].text:
        return None
    source, dest = operands
    key = _OBJECT_URL.match(source.text)
    if key is None:
        return None
    if is_secret("/" + key.group(1)):
        return hit(
            cmd,
            "cloud.secret_object",
            "high",
            f"{cmd.name} fetches {source.text}, an object named as a credential",
            "single",
        )
    if dest.text == "-":
        return []
    found = write_hit(
        dest, cmd.span, f"{cmd.name} downloads {source.text} to", truncate=True, cwd=an.cwd
    )
    return [found] if found else []


def _blob_download(cmd: Cmd, an: Analysis) -> list[Hit] | None:
    """`az storage blob download -c C -n NAME -f FILE`: judged as `_download` judges a copy.
    None unless the file is given once, as a word of its own (argparse keeps the last of
    several, and takes `--fil` for `--file`)."""
    if cmd.argv[:3] != ["storage", "blob", "download"]:
        return None
    args = cmd.args
    given = [i for i, a in enumerate(args) if a.text in ("-f", "--file")]
    if len(given) != 1 or given[0] + 1 >= len(args):
        return None
    if any(a.text.startswith("--fi") and a.text != "--file" for a in args):
        return None
    dest, name = args[given[0] + 1], cmd.option_value("n", "name") or ""
    if dest.dynamic or is_secret("/" + name):
        return (
            None
            if dest.dynamic
            else hit(
                cmd,
                "cloud.secret_object",
                "high",
                f"az fetches {name}, a blob named as a credential",
            )
        )
    found = write_hit(dest, cmd.span, f"az downloads {name} to", truncate=True, cwd=an.cwd)
    return [found] if found else []


def _after_global(cmd: Cmd, word: Word) -> bool:
    """Is `word` the value of a global option written before it (`--region eu-west-1`)?"""
    args = cmd.args
    i = next(n for n, a in enumerate(args) if a is word)
    return i > 0 and args[i - 1].text in _GLOBAL_VALUES
