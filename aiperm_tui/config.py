"""The configuration: TOML read with tomllib into frozen values (`aiperm_tui.values`:
a frozen dataclass's behaviour without its start-up cost, since `aiperm check` reads it).

Discovery, first found wins: `--config PATH`, `$AIPERM_CONFIG`, the user config folder
(`aiperm_tui.paths.config_path`). A missing file at the default place means defaults; a
missing file that was named explicitly is an error. Rules the operator chose to remember in
the TUI live in `remembered.toml` beside the config file (so the hand-written config keeps
its comments) and are appended after the config's own rules.

Every key is validated: an unknown key, a wrong type or a bad value raises `ConfigError`
with one line naming the file, the key and what is wrong (exit code 5).
`config.example.toml` at the repository root documents every key; a test loads it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

from aiperm_tui import paths, textcache
from aiperm_tui.errors import ConfigError
from aiperm_tui.values import Frozen, fields

TYPE_CHECKING = False  # typing is not imported at run time (~2 ms of every check)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any, Literal

    RuleAction = Literal["allow", "confirm", "deny"]
    RuleMatch = Literal["exact", "prefix", "glob"]
else:  # the names exist at run time, for imports; only mypy reads them
    RuleAction = object
    RuleMatch = object

PRESETS = ("read_only", "ops_safe", "ops_strict", "dev_sandbox")
RULE_ACTIONS = ("allow", "confirm", "deny")
RULE_MATCHES = ("exact", "prefix", "glob")
CONFIRM_LEVELS = ("none", "plan", "action", "typed")

SANDBOX_LEVELS = ("required", "off")
# The agent's own API variables, passed to it when set (the operator may name others with
# `agent_env`); they open the agent's provider, never a server.
DEFAULT_AGENT_ENV = ("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL")
# Never handed to an agent, even when named in `agent_env`: each leads to the broker's
# terminal (tmux, screen), a credential (ssh-agent, GPG, keyrings), the desktop or aiperm.
ENV_FORBIDDEN = frozenset(
    {
        "TMUX",
        "TMUX_PANE",
        "STY",
        "WINDOW",
        "SSH_AUTH_SOCK",
        "SSH_AGENT_PID",
        "DISPLAY",
        "WAYLAND_DISPLAY",
        "XAUTHORITY",
        "GNOME_KEYRING_CONTROL",
        "XDG_RUNTIME_DIR",
        "KRB5CCNAME",
    }
)
ENV_FORBIDDEN_PREFIXES = ("DBUS_", "GPG", "AIPERM_", "SSH_", "TMUX")


class Rule(Frozen):
    """An operator rule, applied before the preset; the first matching rule wins."""

    __slots__ = ("action", "confirm", "host", "match", "origin", "pattern", "reason")
    action: RuleAction
    match: RuleMatch
    pattern: str
    host: str | None  # None: every host
    confirm: str  # the level a `confirm` rule asks for
    reason: str
    origin: str  # "config" or "remembered"

    def __init__(
        self,
        action: RuleAction,
        match: RuleMatch,
        pattern: str,
        host: str | None = None,
        confirm: str = "action",
        reason: str = "",
        origin: str = "config",
    ) -> None:
        object.__setattr__(self, "action", action)
        object.__setattr__(self, "match", match)
        object.__setattr__(self, "pattern", pattern)
        object.__setattr__(self, "host", host)
        object.__setattr__(self, "confirm", confirm)
        object.__setattr__(self, "reason", reason)
        object.__setattr__(self, "origin", origin)


class HostConfig(Frozen):
    """One `[hosts.NAME]` table. Fields left None are filled from ~/.ssh/config, then defaults."""

    __slots__ = (
        "command_timeout",
        "connect_timeout",
        "hostname",
        "identity_files",
        "jail_root",
        "name",
        "port",
        "preset",
        "proxy_jump",
        "user",
    )
    name: str
    hostname: str | None
    port: int | None
    user: str | None
    identity_files: tuple[str, ...]
    proxy_jump: str | None
    connect_timeout: float | None
    command_timeout: float | None
    preset: str | None
    jail_root: str | None

    def __init__(
        self,
        name: str,
        hostname: str | None = None,
        port: int | None = None,
        user: str | None = None,
        identity_files: tuple[str, ...] = (),
        proxy_jump: str | None = None,
        connect_timeout: float | None = None,
        command_timeout: float | None = None,
        preset: str | None = None,
        jail_root: str | None = None,
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "hostname", hostname)
        object.__setattr__(self, "port", port)
        object.__setattr__(self, "user", user)
        object.__setattr__(self, "identity_files", identity_files)
        object.__setattr__(self, "proxy_jump", proxy_jump)
        object.__setattr__(self, "connect_timeout", connect_timeout)
        object.__setattr__(self, "command_timeout", command_timeout)
        object.__setattr__(self, "preset", preset)
        object.__setattr__(self, "jail_root", jail_root)


class OutputConfig(Frozen):
    """How much output goes back to the agent and into the log."""

    __slots__ = ("agent_cap_bytes", "record_cap_bytes")
    agent_cap_bytes: int  # per stream, head and tail kept
    record_cap_bytes: int  # per command, then an output_truncated event

    def __init__(
        self,
        agent_cap_bytes: int = 64 * 1024,
        record_cap_bytes: int = 1024**3,
    ) -> None:
        object.__setattr__(self, "agent_cap_bytes", agent_cap_bytes)
        object.__setattr__(self, "record_cap_bytes", record_cap_bytes)


class LimitsConfig(Frozen):
    """What an agent may ask of the broker (docs/responsiveness.md)."""

    __slots__ = (
        "agent_outbox_bytes",
        "agent_stall_seconds",
        "max_open_requests",
        "request_burst",
        "requests_per_second",
    )
    max_open_requests: int  # unfinished requests; more are refused with an error
    requests_per_second: float  # sustained request rate (a token bucket)
    request_burst: int  # requests let through at once before the rate applies
    agent_outbox_bytes: int  # replies waiting for an agent that does not read
    agent_stall_seconds: float  # replies dropped and nothing read this long: end it

    def __init__(
        self,
        max_open_requests: int = 200,
        requests_per_second: float = 10.0,
        request_burst: int = 50,
        agent_outbox_bytes: int = 8 * 1024 * 1024,
        agent_stall_seconds: float = 10.0,
    ) -> None:
        object.__setattr__(self, "max_open_requests", max_open_requests)
        object.__setattr__(self, "requests_per_second", requests_per_second)
        object.__setattr__(self, "request_burst", request_burst)
        object.__setattr__(self, "agent_outbox_bytes", agent_outbox_bytes)
        object.__setattr__(self, "agent_stall_seconds", agent_stall_seconds)


class SSHConfig(Frozen):
    """Defaults for every host."""

    __slots__ = (
        "command_timeout",
        "connect_timeout",
        "keepalive_interval",
        "use_agent",
        "use_ssh_config",
    )
    use_ssh_config: bool  # honour ~/.ssh/config for what [hosts] leaves out
    use_agent: bool  # offer ssh-agent keys (hardware keys, password managers)
    connect_timeout: float
    command_timeout: float  # 0: no timeout
    keepalive_interval: int

    def __init__(
        self,
        use_ssh_config: bool = True,
        use_agent: bool = True,
        connect_timeout: float = 10.0,
        command_timeout: float = 0.0,
        keepalive_interval: int = 15,
    ) -> None:
        object.__setattr__(self, "use_ssh_config", use_ssh_config)
        object.__setattr__(self, "use_agent", use_agent)
        object.__setattr__(self, "connect_timeout", connect_timeout)
        object.__setattr__(self, "command_timeout", command_timeout)
        object.__setattr__(self, "keepalive_interval", keepalive_interval)


# What each agent may reach through the broker's network proxy when `[agents.NAME]`
# sets no `network` (NAME: the agent program's file name). Claude Code needs only its
# API; its telemetry (statsig.anthropic.com) and error reports (sentry.io) are refused.
DEFAULT_AGENT_NETWORK: Mapping[str, tuple[str, ...]] = {"claude": ("api.anthropic.com:443",)}


class AgentConfig(Frozen):
    """One `[agents.NAME]` table. `network` None: the built-in default for NAME;
    `agent_user` the separate Unix account the agent runs as (a root broker only,
    aiperm_tui.agent.identity), None: the operator's own."""

    __slots__ = ("agent_user", "name", "network")
    name: str
    network: tuple[str, ...] | None
    agent_user: str | None

    def __init__(
        self,
        name: str,
        network: tuple[str, ...] | None = None,
        agent_user: str | None = None,
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "network", network)
        object.__setattr__(self, "agent_user", agent_user)


class AuditConfig(Frozen):
    """`[audit]`: the session record (docs/log-format.md)."""

    __slots__ = ("agent_line_max", "agent_lines_per_second", "anchor", "anchor_timeout")
    anchor: tuple[str, ...]  # argv of the hook given each start's and seal's heads; () = off
    anchor_timeout: float  # seconds before the hook is killed (its failure recorded)
    agent_line_max: int  # characters of one agent line recorded, then a marker
    agent_lines_per_second: int  # recorded agent lines per second (bursts of 10 s)

    def __init__(
        self,
        anchor: tuple[str, ...] = (),
        anchor_timeout: float = 10.0,
        agent_line_max: int = 4096,
        agent_lines_per_second: int = 200,
    ) -> None:
        object.__setattr__(self, "anchor", anchor)
        object.__setattr__(self, "anchor_timeout", anchor_timeout)
        object.__setattr__(self, "agent_line_max", agent_line_max)
        object.__setattr__(self, "agent_lines_per_second", agent_lines_per_second)


class PolicyConfig(Frozen):
    """`[policy]`: what the policy engine is told about the site. `site_domains`: the
    estate's own DNS domains (validated by `_site_domains`), under which a plainly
    written name is the site's (`aiperm_tui.policy.addresses.site_address`)."""

    __slots__ = ("site_domains",)
    site_domains: tuple[str, ...]  # lower-case, no trailing dot

    def __init__(self, site_domains: tuple[str, ...] = ()) -> None:
        object.__setattr__(self, "site_domains", site_domains)


class Config(Frozen):
    """The whole configuration. `path` is where it was read from (None: defaults only)."""

    __slots__ = (
        "agent_env",
        "agents",
        "audit",
        "default_host",
        "hosts",
        "keymap",
        "limits",
        "output",
        "path",
        "policy",
        "preset",
        "rules",
        "sandbox",
        "ssh",
        "theme",
    )
    default_host: str | None
    preset: str
    theme: str
    output: OutputConfig
    ssh: SSHConfig
    limits: LimitsConfig
    audit: AuditConfig
    policy: PolicyConfig
    hosts: Mapping[str, HostConfig]
    rules: tuple[Rule, ...]
    keymap: Mapping[str, str]
    sandbox: str  # the agent's isolation: "required" (bubblewrap) or "off"
    agent_env: tuple[str, ...]  # variables passed to the agent
    agents: Mapping[str, AgentConfig]
    path: str | os.PathLike[str] | None  # load_config: a string (no pathlib on a check's path)

    def __init__(
        self,
        default_host: str | None = None,
        preset: str = "ops_safe",
        theme: str = "dark",
        output: OutputConfig | None = None,
        ssh: SSHConfig | None = None,
        limits: LimitsConfig | None = None,
        audit: AuditConfig | None = None,
        policy: PolicyConfig | None = None,
        hosts: Mapping[str, HostConfig] | None = None,
        rules: tuple[Rule, ...] = (),
        keymap: Mapping[str, str] | None = None,
        sandbox: str = "required",
        agent_env: tuple[str, ...] = DEFAULT_AGENT_ENV,
        agents: Mapping[str, AgentConfig] | None = None,
        path: str | os.PathLike[str] | None = None,
    ) -> None:
        object.__setattr__(self, "default_host", default_host)
        object.__setattr__(self, "preset", preset)
        object.__setattr__(self, "theme", theme)
        object.__setattr__(self, "output", OutputConfig() if output is None else output)
        object.__setattr__(self, "ssh", SSHConfig() if ssh is None else ssh)
        object.__setattr__(self, "limits", LimitsConfig() if limits is None else limits)
        object.__setattr__(self, "audit", AuditConfig() if audit is None else audit)
        object.__setattr__(self, "policy", PolicyConfig() if policy is None else policy)
        object.__setattr__(self, "hosts", {} if hosts is None else hosts)
        object.__setattr__(self, "rules", rules)
        object.__setattr__(self, "keymap", {} if keymap is None else keymap)
        object.__setattr__(self, "sandbox", sandbox)
        object.__setattr__(self, "agent_env", agent_env)
        object.__setattr__(self, "agents", {} if agents is None else agents)
        object.__setattr__(self, "path", path)

    def agent_network(self, agent: str) -> tuple[str, ...]:
        """The allowlist of the agent program named `agent` (`claude`): its table's
        `network`, else the built-in default, else nothing."""
        configured = self.agents.get(agent)
        if configured is not None and configured.network is not None:
            return configured.network
        return DEFAULT_AGENT_NETWORK.get(agent, ())

    def host(self, name: str | None) -> HostConfig:
        """The host named, or the default host; a name without a [hosts] table is still
        valid (it may come from ~/.ssh/config), so it gets an empty HostConfig."""
        name = name or self.default_host
        if not name:
            raise ConfigError("no host given and no default_host configured (use --host NAME)")
        return self.hosts.get(name) or HostConfig(name=name)

    def site_hostnames(self) -> frozenset[str]:
        """The `hostname` of every `[hosts.NAME]` table, lower-case without a trailing
        dot: the servers aiperm itself sends commands to, each the site's by its exact
        name (never its parent domain: `x.compute.amazonaws.com` is one host of AWS's)."""
        return frozenset(h.hostname.lower().rstrip(".") for h in self.hosts.values() if h.hostname)

    def preset_for(self, host: str | None) -> str:
        """The host's preset, else the global one."""
        if host and host in self.hosts and self.hosts[host].preset:
            return self.hosts[host].preset or self.preset
        return self.preset


# --- validation -----------------------------------------------------------------------

if TYPE_CHECKING:
    Check = Callable[[Any, str], Any]


def _type_name(value: Any) -> str:
    return {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "a table",
    }.get(type(value), type(value).__name__)


def _string(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{key}: expected a string, got {_type_name(value)}")
    return value


def _nonempty_string(value: Any, key: str) -> str:
    text = _string(value, key)
    if not text.strip():
        raise ConfigError(f"{key}: must not be empty")
    return text


def _boolean(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{key}: expected true or false, got {_type_name(value)}")
    return value


def _non_negative_int(value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{key}: expected an integer, got {_type_name(value)}")
    if value < 0:
        raise ConfigError(f"{key}: must be 0 or more, got {value}")
    return value


def _port(value: Any, key: str) -> int:
    port = _non_negative_int(value, key)
    if not 1 <= port <= 65535:
        raise ConfigError(f"{key}: must be a port number from 1 to 65535, got {port}")
    return port


def _seconds(value: Any, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{key}: expected a number of seconds, got {_type_name(value)}")
    if value < 0:
        raise ConfigError(f"{key}: must be 0 or more, got {value}")
    return float(value)


def _one_of(choices: tuple[str, ...]) -> Check:
    def check(value: Any, key: str) -> str:
        text = _string(value, key)
        if text not in choices:
            raise ConfigError(f"{key}: must be one of {', '.join(choices)}; got {text!r}")
        return text

    return check


def _string_list(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{key}: expected a string or an array of strings")
    return tuple(value)


def forbidden_agent_env(name: str) -> bool:
    """Whether `name` must never reach an agent (see ENV_FORBIDDEN)."""
    return name in ENV_FORBIDDEN or name.startswith(ENV_FORBIDDEN_PREFIXES)


def _agent_env(value: Any, key: str) -> tuple[str, ...]:
    names = _string_list(value, key)
    for name in names:
        if forbidden_agent_env(name):
            raise ConfigError(
                f"{key}: {name} must never be passed to an agent (it leads to "
                "the operator's terminal, keys, display or aiperm's secrets)"
            )
    return names


def _absolute_path(value: Any, key: str) -> str:
    text = _string(value, key)
    if not text.startswith("/"):
        raise ConfigError(f"{key}: must be an absolute path, got {text!r}")
    return text


def _table(value: Any, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{key}: expected a table, got {_type_name(value)}")
    return value


def _fields(table: Mapping[str, Any], key: str, spec: Mapping[str, Check]) -> dict[str, Any]:
    """Validate every entry of `table` against `spec`; unknown keys are errors."""
    out: dict[str, Any] = {}
    for name, value in table.items():
        full = f"{key}.{name}" if key else name
        if name not in spec:
            known = ", ".join(sorted(spec))
            raise ConfigError(f"{full}: unknown key (known keys here: {known})")
        out[name] = spec[name](value, full)
    return out


_OUTPUT_SPEC: dict[str, Check] = {
    "agent_cap_bytes": _non_negative_int,
    "record_cap_bytes": _non_negative_int,
}
_SSH_SPEC: dict[str, Check] = {
    "use_ssh_config": _boolean,
    "use_agent": _boolean,
    "connect_timeout": _seconds,
    "command_timeout": _seconds,
    "keepalive_interval": _non_negative_int,
}


def _argv(value: Any, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(
            f"{key}: expected an array of non-empty strings (a command and "
            'its arguments, run without a shell), e.g. ["logger", "-t", '
            '"aiperm"]'
        )
    return tuple(value)


def _positive_int(value: Any, key: str) -> int:
    number = _non_negative_int(value, key)
    if number == 0:
        raise ConfigError(f"{key}: must be 1 or more")
    return number


def _positive_number(value: Any, key: str) -> float:
    if _seconds(value, key) == 0:
        raise ConfigError(f"{key}: must be more than 0")
    return float(value)


_LIMITS_SPEC: dict[str, Check] = {
    "max_open_requests": _positive_int,
    "requests_per_second": _positive_number,
    "request_burst": _positive_int,
    "agent_outbox_bytes": _positive_int,
    "agent_stall_seconds": _positive_number,
}
_AUDIT_SPEC: dict[str, Check] = {
    "anchor": _argv,
    "anchor_timeout": _seconds,
    "agent_line_max": _positive_int,
    "agent_lines_per_second": _positive_int,
}
# Shared zones a `site_domains` entry may not be, nor lie under: every name below one is
# another customer's (an S3 bucket, a Pages site, a tunnel, a wildcard-DNS service that
# maps `10.0.0.1.nip.io` to any address). A short list by hand and not the full Public
# Suffix List: the PSL has ~10,000 entries and changes monthly, the engine has no network
# and only the standard library, and the entry is the operator's own, so this check is
# against a mistake (a host's name pasted with its cloud's zone), not an adversary.
SHARED_ZONES = frozenset(
    {"amazonaws.com", "cloudfront.net", "elasticbeanstalk.com", "awsapps.com",
     "azurewebsites.net", "cloudapp.net", "cloudapp.azure.com", "windows.net",
     "azureedge.net", "appspot.com", "web.app", "firebaseapp.com", "run.app",
     "cloudfunctions.net", "github.io", "githubusercontent.com", "gitlab.io",
     "herokuapp.com", "ngrok.io", "ngrok.app", "ngrok-free.app", "workers.dev",
     "pages.dev", "r2.dev", "trycloudflare.com", "vercel.app", "netlify.app", "fly.dev",
     "onrender.com", "ondigitalocean.app", "digitaloceanspaces.com", "blogspot.com",
     "nip.io", "sslip.io", "xip.io", "duckdns.org", "loca.lt", "us.com", "eu.com"}
)  # fmt: skip
# Second-level labels registries sell names under (`co.uk`, `com.au`, `ne.jp`): with a
# two-letter country code after, the pair is a public suffix, no one's domain.
_SECOND_LEVELS = frozenset(
    {"ac", "co", "com", "edu", "gob", "gov", "go", "ltd", "mil", "ne", "net", "nic", "or",
     "org", "plc", "sch"}
)  # fmt: skip


def _dns_label(label: str) -> bool:
    """A DNS label as a host name may spell it: 1 to 63 ASCII letters, digits and dashes,
    no dash first or last."""
    return (
        0 < len(label) <= 63
        and label.isascii()
        and label.replace("-", "").isalnum()
        and not label.startswith("-")
        and not label.endswith("-")
    )


def _domain_problem(text: str) -> str | None:
    """Why the lower-case `text` cannot be a `site_domains` entry, or None: each refused
    shape would make hosts of the Internet the site's."""
    labels = text.split(".")
    if "*" in text:
        return "a wildcard: name the domain itself (every name under it counts)"
    if ":" in text or (labels[-1] and not labels[-1][:1].isalpha()):
        return "an IP address, not a domain (the last label must be a top-level domain)"
    if not all(_dns_label(label) for label in labels):
        return "not a domain name: dotted labels of letters, digits and dashes, no end dot"
    if len(labels) < 2:
        return "a single label: a whole top-level domain would be the site's"
    if len(labels) == 2 and len(labels[1]) == 2 and labels[0] in _SECOND_LEVELS:
        return "a public suffix: names under it are anyone's"
    if any(".".join(labels[i:]) in SHARED_ZONES for i in range(len(labels))):
        return "a shared zone: names under it are other customers'"
    return None


def _site_domain(value: Any, key: str) -> str:
    """One `site_domains` entry, lower-case (DNS names are compared so)."""
    text = _nonempty_string(value, key).lower()
    problem = _domain_problem(text)
    if problem:
        raise ConfigError(f"{key}: {value!r} is {problem}")
    return text


def _site_domains(value: Any, key: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ConfigError(f'{key}: expected an array of domain names (["example.org"])')
    return tuple(_site_domain(v, f"{key}[{i}]") for i, v in enumerate(value))


_POLICY_SPEC: dict[str, Check] = {"site_domains": _site_domains}
_HOST_SPEC: dict[str, Check] = {
    "hostname": _nonempty_string,
    "port": _port,
    "user": _nonempty_string,
    "identity_file": _string_list,
    "identity_files": _string_list,
    "proxy_jump": _nonempty_string,
    "connect_timeout": _seconds,
    "command_timeout": _seconds,
    "preset": _one_of(PRESETS),
    "jail_root": _absolute_path,
}


def _net_entries(value: Any, key: str) -> tuple[str, ...]:
    from aiperm_tui.netrules import NetRuleError, parse_rule

    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f'{key}: expected an array of "host[:port]" strings')
    for index, entry in enumerate(value):
        try:
            parse_rule(entry)
        except NetRuleError as exc:
            raise ConfigError(f"{key}[{index}]: {exc}") from None
    return tuple(value)


_AGENT_SPEC: dict[str, Check] = {
    "network": _net_entries,
    "agent_user": _nonempty_string,
}
_RULE_SPEC: dict[str, Check] = {
    "action": _one_of(RULE_ACTIONS),
    "match": _one_of(RULE_MATCHES),
    "pattern": _nonempty_string,
    "host": _nonempty_string,
    "confirm": _one_of(CONFIRM_LEVELS[1:]),
    "reason": _string,
}


def _host(name: str, value: Any) -> HostConfig:
    values = _fields(_table(value, f"hosts.{name}"), f"hosts.{name}", _HOST_SPEC)
    files = values.pop("identity_file", ()) + values.pop("identity_files", ())
    return HostConfig(name=name, identity_files=files, **values)


def _agent(name: str, value: Any) -> AgentConfig:
    return AgentConfig(
        name=name, **_fields(_table(value, f"agents.{name}"), f"agents.{name}", _AGENT_SPEC)
    )


def _rule(index: int, value: Any, origin: str) -> Rule:
    key = f"rules[{index}]"
    values = _fields(_table(value, key), key, _RULE_SPEC)
    for required in ("action", "pattern"):
        if required not in values:
            raise ConfigError(f"{key}.{required}: missing (every rule needs action and pattern)")
    values.setdefault("match", "exact")
    return Rule(origin=origin, **values)


def _rules(value: Any, origin: str) -> tuple[Rule, ...]:
    if not isinstance(value, list):
        raise ConfigError("rules: expected an array of tables ([[rules]])")
    return tuple(_rule(i, v, origin) for i, v in enumerate(value))


def _sub(cls: type, data: Mapping[str, Any], key: str, spec: Mapping[str, Check]) -> Any:
    return cls(**_fields(_table(data.get(key, {}), key), key, spec))


def parse_config(
    data: Mapping[str, Any],
    path: str | os.PathLike[str] | None = None,
    remembered: Mapping[str, Any] | None = None,
) -> Config:
    """Build a `Config` from parsed TOML, validating every key."""
    top: dict[str, Check] = {
        "default_host": _nonempty_string,
        "preset": _one_of(PRESETS),
        "theme": _nonempty_string,
        "output": _table,
        "ssh": _table,
        "hosts": _table,
        "rules": lambda v, k: v,
        "keymap": _table,
        "sandbox": _one_of(SANDBOX_LEVELS),
        "agent_env": _agent_env,
        "agents": _table,
        "audit": _table,
        "limits": _table,
        "policy": _table,
    }
    values = _fields(data, "", top)
    hosts = {name: _host(name, v) for name, v in values.get("hosts", {}).items()}
    rules = _rules(values.get("rules", []), "config")
    agents = {name: _agent(name, v) for name, v in values.get("agents", {}).items()}
    if remembered:
        unknown = set(remembered) - {"rules"}
        if unknown:
            raise ConfigError(f"remembered.toml: unknown key {sorted(unknown)[0]!r}")
        rules += _rules(remembered.get("rules", []), "remembered")
    keymap = {k: _string(v, f"keymap.{k}") for k, v in values.get("keymap", {}).items()}
    return Config(
        default_host=values.get("default_host"),
        preset=values.get("preset", "ops_safe"),
        theme=values.get("theme", "dark"),
        output=_sub(OutputConfig, data, "output", _OUTPUT_SPEC),
        ssh=_sub(SSHConfig, data, "ssh", _SSH_SPEC),
        limits=_sub(LimitsConfig, data, "limits", _LIMITS_SPEC),
        audit=_sub(AuditConfig, data, "audit", _AUDIT_SPEC),
        policy=_sub(PolicyConfig, data, "policy", _POLICY_SPEC),
        hosts=hosts,
        rules=rules,
        keymap=keymap,
        sandbox=values.get("sandbox", "required"),
        agent_env=values.get("agent_env", DEFAULT_AGENT_ENV),
        agents=agents,
        path=path,
    )


def _read_toml(path: str) -> dict[str, Any]:
    import tomllib  # here: with the files' TOML cached, `aiperm check` never imports it

    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None


def _toml_data(text: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """What the cache keeps of a config file's text: no index, and its TOML as data
    (None when it is not TOML: `_read_toml` then says why)."""
    import tomllib

    try:
        return {}, tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}, None


def _read_tables(files: dict[str, str]) -> dict[str, dict[str, Any]]:
    """The TOML of each existing file (by name), through the user cache (`textcache`):
    tomllib and the modules it imports were ~10 ms of every hook's `aiperm check` with a
    config file. Any file the cache cannot give (unreadable, not UTF-8, not TOML, a
    value JSON cannot hold) is read by `_read_toml`, which says what is wrong."""
    try:
        cached = textcache.Derived(files, _toml_data, __file__, lambda index: index == {}, "config")
        tables = {name: cached.data(name) for name in files}
    except (OSError, ValueError):
        tables = {}
    return {
        name: table if isinstance(table, dict) else _read_toml(path)
        for name, path in files.items()
        for table in (tables.get(name),)
    }


def load_config(explicit: str | Path | None = None) -> Config:
    """Read and validate the configuration (see the module docstring for discovery).

    Files are named by strings, the `Config`'s path too: pathlib is not imported (~3 ms
    of a hook's `aiperm check`)."""
    file = paths.config_file(explicit)
    named = explicit is not None or os.environ.get("AIPERM_CONFIG")
    if not os.path.exists(file) and named:
        raise ConfigError(f"{file}: config file not found (run `aiperm init` to create one)")
    remembered_file = paths.remembered_rules_file(file)
    files = {
        name: path
        for name, path in (("config.toml", file), ("remembered.toml", remembered_file))
        if os.path.exists(path)
    }
    tables = _read_tables(files) if files else {}
    source = file if "config.toml" in files else None
    try:
        return parse_config(tables.get("config.toml", {}), source, tables.get("remembered.toml"))
    except ConfigError as exc:
        where = remembered_file if str(exc).startswith("remembered") else file
        raise ConfigError(f"{where}: {exc}") from None


def config_fields() -> dict[str, tuple[str, ...]]:
    """The documented keys of each table, for the test that keeps config.example.toml whole."""
    return {
        "": tuple(f for f in fields(Config) if f != "path"),
        "output": tuple(_OUTPUT_SPEC),
        "ssh": tuple(_SSH_SPEC),
        "audit": tuple(_AUDIT_SPEC),
        "limits": tuple(_LIMITS_SPEC),
        "policy": tuple(_POLICY_SPEC),
        "hosts.*": tuple(_HOST_SPEC),
        "rules": tuple(_RULE_SPEC),
        "agents.*": tuple(_AGENT_SPEC),
    }
