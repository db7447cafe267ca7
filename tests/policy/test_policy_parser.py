"""The records tree-sitter's reading becomes (`shelltree.py`): words, spans, redirects,
here-documents, pipes, and the cases where the tree is not trusted."""

from __future__ import annotations

import threading

import pytest

from aiperm_tui.policy.parse import Parsed, parse


def argvs(parsed: Parsed) -> list[list[str]]:
    return [[w.text for w in s.words] for s in parsed.simples if s.words]


def test_spans_are_character_offsets_outside_ascii_too() -> None:
    cmd = "echo 'héllo wörld' 😀 && rm -rf /tmp/ü"
    parsed = parse(cmd)
    assert argvs(parsed) == [["echo", "héllo wörld", "😀"], ["rm", "-rf", "/tmp/ü"]]
    for simple in parsed.simples:
        for w in simple.words:
            assert cmd[w.start : w.end] == w.raw


@pytest.mark.parametrize("cmd", ["{\U000f2214", "echo {\U000f0000", "a{\U0010ffff}"])
def test_characters_that_crash_tree_sitter_never_reach_it(cmd: str) -> None:
    """tree-sitter-bash 0.25 segfaults on these; reaching this line is the test."""
    parse(cmd)


def test_a_non_ascii_here_document_delimiter_is_not_trusted() -> None:
    """`é` and `ü` are both `.` to tree-sitter: the body would end at the `ü` line. The
    tokenizer reads it as bash does: the body runs to the `é` line."""
    parsed = parse("cat <<é\nü\nrm -rf /\né\n")
    assert not parsed.complete and "delimiter" in parsed.problem
    assert parsed.simples[0].heredoc is not None
    assert parsed.simples[0].heredoc[0] == "ü\nrm -rf /\n"


def test_redirects_keep_their_operator_descriptor_and_target() -> None:
    simple = parse("ls 2>&1 >&- >| out &>> log < in").simples[0]
    assert [(r.op, r.fd, r.target.text if r.target else None) for r in simple.redirects] == [
        (">&", 2, "1"),
        (">&", None, "-"),
        (">|", None, "out"),
        ("&>>", None, "log"),
        ("<", None, "in"),
    ]
    assert [r.writes for r in simple.redirects] == [False, False, True, True, False]


def test_a_here_document_in_a_pipeline_feeds_the_next_command() -> None:
    parsed = parse("cat <<'E' | sh\nrm -rf /\nE\n")
    cat, sh = parsed.simples
    assert cat.heredoc is not None and cat.heredoc[0] == "rm -rf /\n"
    assert sh.upstream is cat
    assert [w.text for w in sh.words] == ["sh"]


def test_unquoted_here_document_bodies_are_code_quoted_ones_data() -> None:
    assert ["id"] in argvs(parse("cat <<E\n$(id)\nE\n"))
    assert ["id"] not in argvs(parse("cat <<'E'\n$(id)\nE\n"))


def test_pipes_and_process_substitution_know_their_upstream() -> None:
    parsed = parse("a | b |& c; d > >(e)")
    a, b, c, d, e = parsed.simples
    assert (b.upstream, c.upstream, d.upstream) == (a, b, None)
    assert e.upstream is d


def test_assignments_declarations_and_functions() -> None:
    parsed = parse('X=1 Y="a b" ls; export A=$(id) B; f() { rm x; }')
    ls = parsed.simples[0]
    assert [w.text for w in ls.assigns] == ["X=1", "Y=a b"] and ls.words[0].text == "ls"
    assert ["export", "A=$(id)", "B"] in argvs(parsed) and ["id"] in argvs(parsed)
    assert [w.text for w in parsed.functions] == ["f"] and ["rm", "x"] in argvs(parsed)


@pytest.mark.parametrize(
    "cmd, word",
    [
        ('$"tr" x', "tr"),
        ("a'b'\"c\"d", "abcd"),
        ("\\rm", "rm"),
        ("$'\\x41\\n'", "A\n"),
        ('"a\\$b\\\\c\\d"', "a$b\\c\\d"),
    ],
)
def test_quote_removal(cmd: str, word: str) -> None:
    assert argvs(parse(cmd))[0][0] == word


def test_single_means_one_simple_command_and_nothing_else() -> None:
    assert parse("ls -la > out # note").single
    assert not parse("ls; ls").single and not parse("ls &").single
    assert not parse("echo $(id)").single and not parse("{ ls; }").single


@pytest.mark.timeout(60)
def test_parsing_from_many_threads_gives_the_same_records() -> None:
    """The engine is shared by the broker's threads; each thread has its own
    tree-sitter parser (one is not safe to share)."""
    commands = [f"ls -la {i} | grep 'x{i}' && echo $(id {i})" for i in range(50)]
    expected = [argvs(parse(c)) for c in commands]
    wrong: list[str] = []

    def run() -> None:
        for _ in range(10):
            for c, e in zip(commands, expected, strict=True):
                if argvs(parse(c, second_opinion=False)) != e:
                    wrong.append(c)

    threads = [threading.Thread(target=run) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=50)
    assert not wrong and not any(t.is_alive() for t in threads)
