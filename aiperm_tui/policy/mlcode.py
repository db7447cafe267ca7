"""Model and data files a Python one-liner loads, and the ML libraries' calls that change.

Loading a model is running code more often than it looks (twentieth pass, audit20b):

- a deserialiser runs the code a pickle holds: `pickle.load` and its kin (`dill`,
  `cloudpickle`, `joblib.load`, `shelve`), `torch.load` unless `weights_only=True`,
  `pandas.read_pickle`, `numpy.load(..., allow_pickle=True)`, Keras' `load_model(...,
  safe_mode=False)`, an MLflow pyfunc model (cloudpickled);
- `trust_remote_code=True` runs the Python files a Hub repository ships, and
  `torch.hub.load` runs a GitHub repository's `hubconf.py`.

Either is a plain yes for a file already on the host (a program already installed, by the
twelfth pass's rule), and typed when the file was downloaded or written earlier on the
line, sits in a temp or downloads folder, or is fetched from a hub (code nobody
reviewed). `weights_only=True`, safetensors, ONNX and a config or tokenizer read from a
local folder stay reads. The registry and hub clients (MLflow, huggingface_hub, W&B)
change state through named calls: setting an alias or a stage, registering, logging and
downloading are changes; deleting a registered model or a Hub repository, uploading to
the Hub, making a repository public and printing the stored token are typed.
"""

from __future__ import annotations

import re

from aiperm_tui.policy.dataflow import closing
from aiperm_tui.policy.hits import Hit
from aiperm_tui.policy.lazyre import lazy

TYPE_CHECKING = False  # typing is not imported at run time (~2 ms of every check)

if TYPE_CHECKING:
    from aiperm_tui.policy.analysis import Analysis
    from aiperm_tui.policy.normalize import Cmd

# Modules whose `load`/`loads`/`Unpickler` unpickle what they are given (`shelve.open`
# too); torch and numpy are judged by their options.
_PICKLERS = frozenset({"pickle", "_pickle", "cPickle", "dill", "cloudpickle", "joblib"})
_ALIAS = lazy(r"\bimport\s+([\w.]+)\s+as\s+(\w+)")
_FROM_IMPORT = lazy(r"\bfrom\s+(\w+)\s+import\s+[\w\s,()]*?\b(?:loads?|Unpickler)\b")
_DUNDER = lazy(r"""__import__\(\s*['"]([\w.]+)['"]\s*\)""")
# Any word a deserialising call needs: a one-liner without one is not scanned call by call.
_LOAD_WORDS = lazy(r"load|Unpickler|read_pickle|shelve")
# A call: its dotted qualifier (`torch.`, `tf.keras.models.`) and its name.
_CALL = lazy(r"((?:\b\w+\s*\.\s*)*)\b(\w+)\s*\(")
_WEIGHTS_ONLY = lazy(r"\bweights_only\s*=\s*(?:True|1)\b")
_ALLOW_PICKLE = lazy(r"\ballow_pickle\s*=\s*(?:True|1)\b")
_UNSAFE_MODE = lazy(r"\bsafe_mode\s*=\s*(?:False|0)\b")
_REMOTE_CODE = lazy(r"""\btrust_remote_code['"]?\s*[:=]\s*(?:True|1)\b""")
_HUB_LOAD = lazy(r"\bhub\s*\.\s*load\s*\(")
_LOCAL_SOURCE = lazy(r"""\bsource\s*=\s*['"]local['"]""")
_STRING = lazy(r"""'([^'\\]*)'|"([^"\\]*)\"""")
# A Hub or GitHub repository id: `owner/name`, no folder before it.
_REPO_ID = lazy(r"[A-Za-z0-9][\w.-]*/[\w.-]+")
# A source fetched at run time by its URL (`pickle.loads(urlopen('https://...').read())`,
# `torch.load(BytesIO(requests.get(URL).content))`): never a file on the host (rev20b).
_FETCHED = lazy(r"(?i)[a-z][\w+.-]*://")
# The ML libraries whose named calls below are read as theirs.
_ML_LIBRARY = lazy(r"\b(?:mlflow|huggingface_hub|transformers|datasets|wandb|MlflowClient)\b")
_TOKEN_READ = lazy(r"\bget_token\s*\(|\bHfFolder\b")
_HUB_UPLOAD = lazy(
    r"\b(?:upload_folder|upload_file|upload_large_folder|create_commit|push_to_hub)\s*\("
)
# W&B's public API deletes a run or an artifact with the object's own `.delete()`.
_REGISTRY_DESTROY = lazy(
    r"\b(?:delete_repo|delete_registered_model|delete_experiment)\s*\(|\.\s*delete\s*\("
)
_MADE_PUBLIC = lazy(
    r"\b(?:update_repo_settings|update_repo_visibility)\s*\([^)]*\bprivate\s*=\s*(?:False|0)\b"
)
_REGISTRY_CHANGE = lazy(
    r"\b(?:set_registered_model_alias|set_\w*tags?|transition_model_version_stage|"
    r"register_model|(?:create|delete|update|rename|restore)_\w+|log_\w+|"
    r"snapshot_download|hf_hub_download|load_dataset|from_pretrained|pipeline|"
    r"load_model|login|logout)\s*\("
)


def judge_python_models(an: Analysis, cmd: Cmd, text: str, span: tuple[int, int]) -> None:
    """Judge what a Python one-liner `text` loads and what ML registry calls it makes."""
    loaded = _deserialised_sources(text)
    if loaded is not None:
        _code_source(an, cmd, loaded, span, "unpickles", "the code a pickle holds runs", hub=False)
    remote = _remote_code_sources(text)
    if remote is not None:
        why = "its Python files run"
        _code_source(an, cmd, remote, span, "runs the code shipped with", why, hub=True)
    if _ML_LIBRARY.search(text):
        _registry_calls(an, text, span)


def _call_arguments(text: str, start: int) -> str:
    """The text between the parenthesis opening at `start` and the one that closes it."""
    return text[start + 1 : closing(text, start + 1)]


def _strings(text: str) -> list[str]:
    """The string literals written in `text` that may name a file, a folder or a
    repository (`'rb'`, `'cpu'` or `'auto'` name none)."""
    found = (m.group(1) if m.group(1) is not None else m.group(2) for m in _STRING.finditer(text))
    return [s for s in found if "/" in s or "." in s or s.startswith("~")]


def _deserialised_sources(text: str) -> list[str] | None:
    """The sources the one-liner unpickles (string literals of the calls; an empty list
    when a call names none, such as `sys.argv[1]`), or None when it unpickles nothing."""
    if not _LOAD_WORDS.search(text):
        return None
    text = _DUNDER.sub(r"\1", text)
    aliases = {m.group(2): m.group(1) for m in _ALIAS.finditer(text)}
    imported = {m.group(1) for m in _FROM_IMPORT.finditer(text)}
    sources: list[str] | None = None
    for m in _CALL.finditer(text):
        qualifier = [aliases.get(q, q) for q in re.split(r"\s*\.\s*", m.group(1)) if q]
        args = _call_arguments(text, m.end() - 1)
        if _unpickles(qualifier, m.group(2), args, imported):
            sources = (sources or []) + _strings(args)
    return sources


def _unpickles(qualifier: list[str], name: str, args: str, imported: set[str]) -> bool:
    """Does the call `qualifier.name(args)` run the code a pickle holds?"""
    owner = qualifier[-1].split(".")[-1] if qualifier else ""
    if not qualifier:  # `from pickle import load; load(f)`
        return name in ("load", "loads", "Unpickler") and bool(imported & _PICKLERS)
    if owner in _PICKLERS:
        return name in ("load", "loads", "Unpickler")
    if name == "read_pickle" or (owner, name) == ("shelve", "open"):
        return True
    if name == "load" and owner == "torch":
        return _WEIGHTS_ONLY.search(args) is None
    if name == "load" and owner in ("numpy", "np"):
        return _ALLOW_PICKLE.search(args) is not None
    if name == "load_model" and ("mlflow" in qualifier or "pyfunc" in qualifier):
        return True
    return name == "load_model" and _UNSAFE_MODE.search(args) is not None


def unpickle_files(an: Analysis, cmd: Cmd) -> None:
    """`python -m pickle FILE...`: the module unpickles each file to print it."""
    files = [a.text for a in cmd.positional("WXO") if a.text not in ("-m", "pickle", "shelve")]
    why = "the code a pickle holds runs"
    _code_source(an, cmd, files, cmd.span, "unpickles", why, hub=False)


def _remote_code_sources(text: str) -> list[str] | None:
    """The repositories or folders whose code the one-liner runs (`trust_remote_code`,
    `torch.hub.load`), or None when it runs none."""
    sources: list[str] | None = None
    if _REMOTE_CODE.search(text):
        sources = [s for s in _strings(text) if "/" in s]
    for m in _HUB_LOAD.finditer(text):
        args = _call_arguments(text, m.end() - 1)
        found = _strings(args)[:1]
        if _LOCAL_SOURCE.search(args):
            found = [f"./{s}" if not s.startswith(("/", ".", "~")) else s for s in found]
        sources = (sources or []) + found
    return sources


def _code_source(
    an: Analysis,
    cmd: Cmd,
    sources: list[str],
    span: tuple[int, int],
    verb: str,
    why: str,
    *,
    hub: bool,
) -> None:
    """One finding for code a one-liner loads: typed when a source is fetched from a hub
    (`hub`: an `owner/name` id names a repository, as transformers and torch.hub read
    it; a deserialiser reads `checkpoints/best.pt` as a relative path) or by a URL, written or
    downloaded earlier on the line, or kept in a temp or downloads folder; otherwise a
    plain yes (a file already on the host)."""
    named = sources or [a.text for a in cmd.args if not a.text.startswith("-")][1:]
    for source in named:
        if (hub and _REPO_ID.fullmatch(source)) or _FETCHED.match(source):
            an.add(
                Hit(
                    "exec.hub_code",
                    "high",
                    f"python {verb} {source!r}, fetched from a hub or the network: {why}, "
                    "code nobody has reviewed",
                    span,
                    "unknown",
                )
            )
            return
        if an.unreviewed_program(cmd, source):
            return
    shown = ", ".join(repr(s) for s in named) or "a file named at run time"
    an.add(Hit("exec.model_code", "medium", f"python {verb} {shown}: {why}", span, "unknown"))


def _registry_calls(an: Analysis, text: str, span: tuple[int, int]) -> None:
    """MLflow, huggingface_hub and W&B calls named in the one-liner: the worst decides."""
    if _TOKEN_READ.search(text):
        an.add(Hit("secret.hub_token", "high", "python reads the stored Hub token", span))
    elif _HUB_UPLOAD.search(text):
        an.add(
            Hit(
                "net.hub_upload",
                "high",
                "python uploads files to the Hugging Face Hub (a repository it creates is "
                "public unless told otherwise): the data leaves the estate",
                span,
                "unknown",
            )
        )
    elif _MADE_PUBLIC.search(text):
        an.add(Hit("net.hub_public", "high", "python makes a Hub repository public", span))
    elif _REGISTRY_DESTROY.search(text):
        an.add(
            Hit(
                "data.registry_delete",
                "high",
                "python deletes a registered model, an experiment, a Hub repository, or a W&B "
                "run or artifact, with what it holds",
                span,
                "unknown",
            )
        )
    elif _REGISTRY_CHANGE.search(text) and not _local_read(text):
        an.add(
            Hit(
                "data.registry_change",
                "medium",
                "python changes a model registry or tracking server, or downloads a model "
                "or a data set",
                span,
            )
        )


def _local_read(text: str) -> bool:
    """A config, tokenizer or model read from a folder on the host and nothing else:
    `from_pretrained('/models/x')` downloads nothing."""
    calls = list(re.finditer(r"\b(\w+)\s*\(\s*(?:'([^']*)'|\"([^\"]*)\")", text))
    changes = [m for m in calls if _REGISTRY_CHANGE.match(text, m.start())]
    return bool(changes) and all(
        m.group(1) in ("from_pretrained", "load_model")
        and (m.group(2) or m.group(3) or "").startswith(("/", "./", "~"))
        for m in changes
    )
