"""``sysabi COMMAND`` builds the parser of that command alone, and the top-level help
still lists every command."""

from __future__ import annotations

import argparse

import pytest

from cli_runner import run_sysabi
from sysabi import cli


def _commands(parser: argparse.ArgumentParser) -> set[str]:
    [subparsers] = [
        action for action in parser._actions if isinstance(action, argparse._SubParsersAction)
    ]
    return set(subparsers.choices)


def test_a_command_builds_its_own_parser_only(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []
    full_arguments = cli._full_arguments

    def counted(parser: argparse.ArgumentParser, command: str) -> None:
        built.append(command)
        full_arguments(parser, command)

    monkeypatch.setattr(cli, "_full_arguments", counted)
    parser = cli.build_parser(["--debug", "lint", "--format", "json", "abi"])
    assert built == ["lint"]
    assert _commands(parser) == {"lint"}
    assert parser.parse_args(["lint", "--format", "json", "abi"]).format == "json"
    built.clear()
    assert _commands(cli.build_parser(["-h", "lint"])) == set(cli.COMMANDS)
    assert _commands(cli.build_parser()) == set(cli.COMMANDS) == set(built)


@pytest.mark.parametrize("argv", [["--help"], ["-h", "lint"]])
def test_the_top_level_help_lists_every_command(argv: list[str]) -> None:
    done = run_sysabi(*argv)
    assert done.returncode == 0
    for name, help_text in cli.COMMANDS.items():
        assert name in done.stdout and help_text[:30] in " ".join(done.stdout.split())
