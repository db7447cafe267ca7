"""The broker: the state machine between agents, the policy, the operator and SSH.

No Textual here: the TUI, the Unix-socket bridge, `aiperm run` and tests all drive the
same `Broker`, so there is one path from a request to a command running on a host.

Building one::

    broker = Broker(config, PolicyEngine(config), SSHPool(config, prompts), recorder,
                    listener=my_listener)          # session_id defaults to recorder's

Driving it (every method is thread-safe; all but `preview` and `shutdown` return fast)::

    plan_id = broker.submit(plan, reply)   # protocol.Plan; reply(dict) gets the protocol
                                           # messages (decision/result/plan_result/error)
    broker.plans() / broker.plan(id)       # PlanView snapshots (ActionView per action)
    broker.open_plans()                    # only the unfinished ones (a review queue)
    broker.stats()                         # {"open", "refused", "kept"}: load figures
    broker.challenge(id, i)                # the typed code, for the operator's eyes only
    broker.approve(id, i, via="key a: approve")  # human approval at the action's level;
                                           # by/via say who and how (model.Origin)
    broker.approve(id, i, code="K7QX")     # typed level (WrongCode: stays pending)
    broker.approve(id, i, edited="...")    # edit: re-analysed; if the risk rose the
                                           # action stays pending at the new level
    broker.approve_plan(id)                # the plan's plan-level actions, at once
    broker.approve_plan(id, by="cli_flag", via="--yes")  # `aiperm run --yes`: nobody asked
    broker.approve_batch()                 # every pending none/plan action (key `A`)
    broker.deny(id, i=None, message=None)  # one action or the whole plan
    broker.remember(id, i, match="exact"|"prefix", pattern=None)  # rule + approval
    broker.preview(id, i)                  # blocking: read-only impact probes -> text
    broker.cancel(id) / broker.cancel(exec_id="x3")
    broker.decide(cmd, host)               # live re-analysis while editing
    broker.hosts()                         # {"default", "hosts": [{"name","state"}]}
    broker.wait(id, timeout) -> PlanView | None ; broker.shutdown()

Front ends learn what happened through a `BrokerListener` (callbacks from any thread:
plan_changed, exec_started, output, exec_ended, plan_finished, error). A front end asking
for something impossible gets `BrokerError` (or `WrongCode`) and nothing changes.

The rules it keeps:

* Policy first: every action is decided by the PolicyEngine when the plan arrives. A
  policy deny is recorded (`deny` by "policy") and sent with its suggestions. An allowed
  action whose confirm level is "none" is approved by rule without asking (recorded as
  `approval` by "rule" with the layer, e.g. "preset:ops_safe" or "rule:remembered:0").
  Everything else waits for a human: plan, action or typed level.
* All confirmations of a plan are collected before its first action runs.
* fail_fast (default): the first denial (policy or human) ends the plan before anything
  runs, and the first failing command stops it; the actions that will not run are
  reported as denied with a "skipped: ..." reason. best_effort: denied actions are left
  out and every approved one runs.
* One host runs one command at a time, in submission order; different hosts run in
  parallel (a worker thread per host).
* Plan status: "failed" (exit 6, or the error's own code such as 5 for a refused host
  key) if a command failed; else "denied" (1) if the policy denied an action; else
  "refused" (2) if the operator denied or cancelled one; else "ok" (0).
* Limits (config [limits], docs/responsiveness.md): at most max_open_requests
  unfinished requests, and a token bucket on the request rate; a request over either is
  refused whole with an `error` reply (code 5, `Overloaded`), nothing of it queued.
* Nothing runs unless a human approved it or a rule allowed it, and the log says which:
  every approval and deny event carries `by`, `origin` (human, rule, grant, batch,
  cli_flag, policy, system) and `via` (the key, "terminal", "--yes", the rule layer),
  and every decision reply tells the agent its `origin` (docs/log-format.md).
"""

from aiperm_tui.broker.core import Broker, Reply
from aiperm_tui.broker.model import (
    ActionView,
    BrokerError,
    BrokerListener,
    Origin,
    Overloaded,
    PlanView,
    WrongCode,
)

__all__ = [
    "ActionView",
    "Broker",
    "BrokerError",
    "BrokerListener",
    "Origin",
    "Overloaded",
    "PlanView",
    "Reply",
    "WrongCode",
]
