"""The configuration: the example file, discovery, and one-line errors for bad input."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from aiperm_tui import paths
from aiperm_tui.cli import main
from aiperm_tui.config import Config, config_fields, load_config, parse_config
from aiperm_tui.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config.example.toml"


def test_example_config_loads_and_documents_every_key() -> None:
    config = load_config(EXAMPLE)
    assert config.path == str(EXAMPLE)  # a string: no pathlib on a check's path
    assert config.default_host == "web1"
    assert config.hosts["web1"].jail_root == "/srv/app"
    assert config.hosts["web1"].identity_files == ("~/.ssh/id_ed25519",)
    assert [r.action for r in config.rules] == ["allow", "deny", "confirm"]
    data = tomllib.loads(EXAMPLE.read_text())
    documented = {
        "": set(data),
        "output": set(data["output"]),
        "ssh": set(data["ssh"]),
        "limits": set(data["limits"]),
        "audit": set(data["audit"]),
        "policy": set(data["policy"]),
        "hosts.*": set(data["hosts"]["web1"]),
        "rules": {k for rule in data["rules"] for k in rule},
        "agents.*": {k for table in data["agents"].values() for k in table},
    }
    for table, keys in config_fields().items():
        missing = set(keys) - documented[table] - {"identity_file"}
        assert not missing, f"config.example.toml does not document {table}: {sorted(missing)}"


def test_example_values_match_the_defaults() -> None:
    example, default = load_config(EXAMPLE), Config()
    assert example.output == default.output
    assert example.ssh == default.ssh
    assert example.limits == default.limits
    assert example.audit == default.audit
    assert example.preset == default.preset and example.theme == default.theme


def test_missing_default_file_gives_defaults() -> None:
    config = load_config()
    assert config == Config()


def test_env_var_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.toml"
    path.write_text('preset = "read_only"\n')
    monkeypatch.setenv("AIPERM_CONFIG", str(path))
    assert load_config().preset == "read_only"
    assert load_config(EXAMPLE).preset == "ops_safe"  # --config wins over the env var


def test_named_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 1", "colour: unknown key"),
        ('preset = "yolo"', "preset: must be one of read_only, ops_safe, ops_strict, dev_sandbox"),
        ("[hosts.web1]\nport = 70000", "hosts.web1.port: must be a port number"),
        ('[hosts.web1]\nport = "22"', "hosts.web1.port: expected an integer, got a string"),
        ("[hosts.web1]\nhostnme = 'x'", "hosts.web1.hostnme: unknown key"),
        ('[hosts.web1]\njail_root = "srv"', "hosts.web1.jail_root: must be an absolute path"),
        ("[ssh]\nuse_agent = 1", "ssh.use_agent: expected true or false, got an integer"),
        ("[output]\nagent_cap_bytes = -1", "output.agent_cap_bytes: must be 0 or more"),
        ('[[rules]]\naction = "allow"', "rules[0].pattern: missing"),
        ('[[rules]]\naction = "maybe"\npattern = "x"', "rules[0].action: must be one of"),
        ('[[rules]]\naction = "confirm"\npattern = "x"\nconfirm = "none"', "rules[0].confirm"),
        ("preset = ", "not valid TOML"),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")) as info:
        load_config(path)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_bad_config_on_the_command_line_is_one_line_exit_5(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[hosts.web1]\nport = 70000\n")
    code = main(["check", "--config", str(path), "--", "ls"])
    err = capsys.readouterr().err
    assert code == 5
    assert err.count("\n") == 1 and "hosts.web1.port" in err and "Traceback" not in err


def test_remembered_rules_are_appended_after_config_rules(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[[rules]]\naction = "deny"\npattern = "reboot"\n')
    paths.remembered_rules_path(path).write_text(
        '[[rules]]\naction = "allow"\nmatch = "prefix"\npattern = "df "\nhost = "web1"\n'
    )
    config = load_config(path)
    origins = [(r.origin, r.pattern) for r in config.rules]
    assert origins == [("config", "reboot"), ("remembered", "df ")]


def test_host_lookup_uses_default_and_tolerates_ssh_config_names() -> None:
    hosts = {"a": {"port": 2222, "preset": "read_only"}}
    config = parse_config({"default_host": "a", "hosts": hosts})
    assert config.host(None).port == 2222
    assert config.host("from-ssh-config").hostname is None
    assert config.preset_for("a") == "read_only" and config.preset_for("b") == "ops_safe"
    with pytest.raises(ConfigError, match="no host given"):
        Config().host(None)
