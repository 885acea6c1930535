"""The migration policy: which transitions are errors, warnings, notes or nothing.

The default is ``migrate/default-policy.yaml``, shipped in the package and
written from Documentation/ABI/README. A project's file (``--policy FILE``)
overlays it: each key it names replaces the default's, so a policy can
tighten (``stable-entry-changed: error``) or loosen (``stable-period-days:
365``, ``renamed-in-place: off``) one rule without restating the others.

A policy that cannot be used raises :class:`ConfigError` naming the file and
the line of the offending key.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sysabi import yamlfile
from sysabi.diagnostics import Severity
from sysabi.errors import ConfigError
from sysabi.migrate.transitions import CODES, COMPARED_FIELDS

if TYPE_CHECKING:
    import yaml

DEFAULT_NAME = "default-policy.yaml"
_BY_NAME = {code.name: code.code for code in CODES.values()}
_KEYS = ("stable-period-days", "stable-fields", "rules")


@dataclass(frozen=True)
class Policy:
    """Severities per code (None: off), the stable period and the frozen fields."""

    severities: dict[str, Severity | None] = field(default_factory=dict)
    stable_period_days: int = 730
    stable_fields: tuple[str, ...] = ("description", "kernelversion")
    #: Where the policy was read from, for messages.
    source: str = DEFAULT_NAME

    def severity(self, code: str) -> Severity | None:
        """The configured severity of ``code``; the catalogue's when not named."""
        if code in self.severities:
            return self.severities[code]
        return CODES[code].severity


def default_policy() -> Policy:
    """The policy shipped with sysabi."""
    text = resources.files("sysabi").joinpath("migrate", DEFAULT_NAME).read_text("utf-8")
    return parse_policy(text, DEFAULT_NAME, Policy())


def load_policy(path: str | Path | None = None) -> Policy:
    """The default policy, overlaid with the file at ``path`` when given."""
    policy = default_policy()
    if path is None:
        return policy
    return parse_policy(yamlfile.read_text(path, "policy"), str(path), policy)


def parse_policy(text: str, source: str, base: Policy) -> Policy:
    """``base`` with the keys of the YAML ``text`` applied."""
    root = yamlfile.compose(text, source)
    if root is None:
        return replace(base, source=source)
    policy = replace(base, severities=dict(base.severities), source=source)
    for key, value in _mapping(root, source, "the policy"):
        name = _scalar(key, source)
        if name == "stable-period-days":
            policy = replace(policy, stable_period_days=_days(value, source))
        elif name == "stable-fields":
            policy = replace(policy, stable_fields=_fields(value, source))
        elif name == "rules":
            policy.severities.update(_rules(value, source))
        else:
            raise ConfigError(
                f"unknown key {name!r} (known: {', '.join(_KEYS)})", source, _line(key)
            )
    return policy


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _mapping(node: yaml.Node, source: str, what: str) -> list[tuple[yaml.Node, yaml.Node]]:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        raise ConfigError(f"{what} must be a mapping of keys to values", source, _line(node))
    return list(node.value)


def _scalar(node: yaml.Node, source: str) -> str:
    import yaml

    if not isinstance(node, yaml.ScalarNode):
        raise ConfigError("expected a single value here", source, _line(node))
    return str(node.value)


def _days(node: yaml.Node, source: str) -> int:
    text = _scalar(node, source)
    if not text.isdigit():
        raise ConfigError(
            f"stable-period-days must be a whole number of days, not {text!r}", source, _line(node)
        )
    return int(text)


def _fields(node: yaml.Node, source: str) -> tuple[str, ...]:
    import yaml

    if not isinstance(node, yaml.SequenceNode):
        raise ConfigError("stable-fields must be a list of field names", source, _line(node))
    names: list[str] = []
    for item in node.value:
        name = _scalar(item, source).lower()
        if name not in COMPARED_FIELDS:
            known = ", ".join(COMPARED_FIELDS)
            raise ConfigError(f"unknown field {name!r} (known: {known})", source, _line(item))
        names.append(name)
    return tuple(names)


def _rules(node: yaml.Node, source: str) -> dict[str, Severity | None]:
    severities: dict[str, Severity | None] = {}
    for key, value in _mapping(node, source, "rules"):
        name = _scalar(key, source)
        code = name.upper() if name.upper() in CODES else _BY_NAME.get(name)
        if code is None:
            raise ConfigError(
                f"unknown rule {name!r} (a code ABI8xx or a name such as stable-removed)",
                source,
                _line(key),
            )
        severities[code] = _severity(value, source)
    return severities


def _severity(node: yaml.Node, source: str) -> Severity | None:
    text = _scalar(node, source).lower()
    # YAML 1.1 reads a bare `off` as false: accept both spellings.
    if text in ("off", "false", "no"):
        return None
    try:
        return Severity.parse(text)
    except ValueError as error:
        raise ConfigError(f"{error}, or off", source, _line(node)) from None
