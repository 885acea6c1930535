"""``.abi-lint.yaml``: which rules run, how severe they are, and their options.

Example::

    select: [ABI]                     # code prefixes or rule names (default: all)
    ignore: [ABI75, missing-users]    # the longest matching prefix wins
    severity:
      ABI301: error                   # a code, a prefix or a rule name
    per-path-ignores:
      "removed/*": [ABI4]             # glob on the path below the tree root
    rules:
      date-version-mismatch:          # a rule name or code -> its options
        before_days: 730

The file is looked up beside the tree, then in each folder above it. A bad
file is one :class:`~sysabi.errors.ConfigError` naming its file, line and key.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sysabi import yamlfile
from sysabi.diagnostics import Code, Severity
from sysabi.errors import ConfigError

# Re-exported: where the file is looked for is kept apart, for the cached run's sake.
from sysabi.lint.config_search import CONFIG_NAME as CONFIG_NAME
from sysabi.lint.config_search import find_config as find_config

if TYPE_CHECKING:
    import yaml

    from sysabi.lint.rule import Rule

KEYS = ("select", "ignore", "severity", "per-path-ignores", "rules")
#: A rule name matches more precisely than any code prefix.
NAME_PRECISION = 1000


@dataclass(frozen=True)
class LintConfig:
    """A validated configuration; the default one selects every rule."""

    path: str | None = None
    select: tuple[str, ...] = ("ABI",)
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    #: (glob, selectors) pairs; a glob matches the path below the tree root.
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Rule code -> options given (defaults are filled in by :meth:`options_for`).
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def with_selection(
        self, select: Iterable[str] | None, ignore: Iterable[str] | None
    ) -> LintConfig:
        """Command-line ``--select``/``--ignore`` replace the file's lists."""
        return replace(
            self,
            select=self.select if select is None else tuple(select),
            ignore=self.ignore if ignore is None else tuple(ignore),
        )

    def enabled(self, code: str, name: str, opt_in: bool = False) -> bool:
        """Whether the code runs; an opt-in rule only when selected by its full code
        or its name, not by a prefix such as the default ``ABI``."""
        chosen = _precision(self.select, code, name)
        dropped = _precision(self.ignore, code, name)
        if opt_in and chosen < len(code):
            return False
        return chosen > dropped

    def severity_for(self, code: str, name: str, default: Severity) -> Severity:
        best, severity = 0, default
        for selector, level in self.severity.items():
            precision = _match(selector, code, name)
            if precision > best:
                best, severity = precision, level
        return severity

    def ignored_at(self, path: str, code: str, name: str) -> bool:
        return any(
            _precision(selectors, code, name) > 0
            for glob, selectors in self.per_path_ignores
            if fnmatch.fnmatchcase(path, glob)
        )

    def options_for(self, rule: Rule) -> dict[str, Any]:
        return {**rule.options, **self.options.get(rule.code, {})}


def _match(selector: str, code: str, name: str) -> int:
    if selector == name:
        return NAME_PRECISION
    return len(selector) if code.startswith(selector) else 0


def _precision(selectors: Iterable[str], code: str, name: str) -> int:
    return max((_match(item, code, name) for item in selectors), default=0)


def normalize_selector(text: str, names: Iterable[str], codes: Iterable[str]) -> str | None:
    """A rule name, or an upper-case prefix of a known code; None if it is neither."""
    text = text.strip()
    if text in names:
        return text
    code = text.upper()
    if code and any(known.startswith(code) for known in codes):
        return code
    return None


def parse_selectors(
    text: str, option: str, rules: Mapping[str, Rule], codes: Mapping[str, Code]
) -> tuple[str, ...]:
    """A comma-separated command-line list (``--select ABI3,line-length``)."""
    names = {rule.name for rule in rules.values()}
    known = set(codes) | set(rules)
    found = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        selector = normalize_selector(item, names, known)
        if selector is None:
            raise ConfigError(f"{option}: '{item}' is neither a rule name nor a code prefix")
        found.append(selector)
    return tuple(found)


def load_config(
    path: str | Path, rules: Mapping[str, Rule], codes: Mapping[str, Code]
) -> LintConfig:
    """Read and validate one configuration file."""
    text = yamlfile.read_text(path, "configuration")
    return parse_config(text, str(path), rules, codes)


def parse_config(
    text: str, path: str, rules: Mapping[str, Rule], codes: Mapping[str, Code]
) -> LintConfig:
    """Validate the configuration ``text`` read from ``path``: every value is
    checked here, and a bad one is a ConfigError at its line."""
    root = yamlfile.compose(text, path)
    if root is None:
        return LintConfig(path=path)
    return _Reader(path, rules, codes).read(root)


class _Reader:
    """Turns the YAML node tree into a LintConfig, keeping lines for errors."""

    def __init__(self, path: str, rules: Mapping[str, Rule], codes: Mapping[str, Code]) -> None:
        self.path = path
        self.rules = rules
        self.by_name = {rule.name: rule for rule in rules.values()}
        self.names = {rule.name for rule in rules.values()}
        self.codes = set(codes) | set(rules)

    def fail(self, node: yaml.Node, message: str) -> ConfigError:
        return ConfigError(message, self.path, node.start_mark.line + 1)

    def mapping(self, node: yaml.Node, key: str) -> list[tuple[yaml.Node, yaml.Node]]:
        import yaml

        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"'{key}' must be a mapping")
        pairs: list[tuple[yaml.Node, yaml.Node]] = node.value
        for key_node, _ in pairs:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, f"keys of '{key}' must be plain text")
        return pairs

    def read(self, root: yaml.Node) -> LintConfig:
        config = LintConfig(path=self.path)
        for key_node, value in self.mapping(root, "the configuration"):
            key = key_node.value
            if key == "select":
                config = replace(config, select=self.selectors(value, key))
            elif key == "ignore":
                config = replace(config, ignore=self.selectors(value, key))
            elif key == "severity":
                config = replace(config, severity=self.severities(value))
            elif key == "per-path-ignores":
                config = replace(config, per_path_ignores=self.path_ignores(value))
            elif key == "rules":
                config = replace(config, options=self.rule_options(value))
            else:
                raise self.fail(key_node, f"unknown key '{key}' (known: {', '.join(KEYS)})")
        return config

    def selectors(self, node: yaml.Node, key: str) -> tuple[str, ...]:
        import yaml

        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        found = []
        for item in items:
            if not isinstance(item, yaml.ScalarNode) or not item.value:
                raise self.fail(item, f"'{key}' takes codes, code prefixes or rule names")
            found.append(self.selector(item, key))
        return tuple(found)

    def selector(self, node: yaml.Node, key: str) -> str:
        text = str(node.value)
        selector = normalize_selector(text, self.names, self.codes)
        if selector is None:
            raise self.fail(node, f"'{key}': '{text}' is neither a rule name nor a code prefix")
        return selector

    def severities(self, node: yaml.Node) -> dict[str, Severity]:
        import yaml

        levels = {}
        for key_node, value in self.mapping(node, "severity"):
            selector = self.selector(key_node, "severity")
            if not isinstance(value, yaml.ScalarNode):
                raise self.fail(value, f"'severity' of {selector}: expected error, warning or info")
            try:
                levels[selector] = Severity.parse(str(value.value))
            except (ValueError, TypeError) as error:
                raise self.fail(value, f"'severity' of {selector}: {error}") from None
        return levels

    def path_ignores(self, node: yaml.Node) -> tuple[tuple[str, tuple[str, ...]], ...]:
        found = []
        for key_node, value in self.mapping(node, "per-path-ignores"):
            found.append((str(key_node.value), self.selectors(value, "per-path-ignores")))
        return tuple(found)

    def rule_options(self, node: yaml.Node) -> dict[str, dict[str, Any]]:
        options: dict[str, dict[str, Any]] = {}
        for key_node, value in self.mapping(node, "rules"):
            rule = self.rule(key_node)
            options[rule.code] = self.options(rule, value)
        return options

    def rule(self, node: yaml.Node) -> Rule:
        text = str(node.value)
        rule = self.by_name.get(text) or self.rules.get(text.upper())
        if rule is None:
            raise self.fail(node, f"'rules': no rule is called '{text}'")
        return rule

    def options(self, rule: Rule, node: yaml.Node) -> dict[str, Any]:
        given: dict[str, Any] = {}
        for key_node, value_node in self.mapping(node, f"rules: {rule.name}"):
            name = str(key_node.value)
            if name not in rule.options:
                known = ", ".join(sorted(rule.options)) or "none"
                raise self.fail(
                    key_node, f"rule {rule.name} has no option '{name}' (known: {known})"
                )
            given[name] = self.option(rule, name, value_node)
        return given

    def option(self, rule: Rule, name: str, node: yaml.Node) -> Any:
        value = yamlfile.construct(node, self.path)
        declared = rule.option_types.get(name)
        if declared is None:
            problem = option_type_problem(rule.options[name], value)
        else:
            try:
                return declared.read(value)
            except ValueError as error:
                problem = str(error)
        if problem:
            raise self.fail(node, f"option '{name}' of {rule.name}: {problem}")
        return value


def option_type_problem(default: Any, value: Any) -> str | None:
    """Why ``value`` cannot replace ``default`` (its type decides), or None.

    For options a rule has not declared a type for (test rules, say)."""
    if default is None:
        return None
    expected = type(default)
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int | float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        ok = ok and (isinstance(value, int) or expected is float)
    elif isinstance(default, list | tuple):
        return _sequence_problem(default, value)
    else:
        ok = isinstance(value, expected)
    return None if ok else f"expected {_type_name(default)}, got {_type_name(value)}"


def _sequence_problem(default: list[Any] | tuple[Any, ...], value: Any) -> str | None:
    if not isinstance(value, list):
        return f"expected a list, got {_type_name(value)}"
    if default:
        for item in value:
            problem = option_type_problem(default[0], item)
            if problem:
                return f"list item {yamlfile.shown(item)}: {problem}"
    return None


def _type_name(value: Any) -> str:
    names = {bool: "true/false", int: "an integer", float: "a number", str: "text"}
    names.update({list: "a list", tuple: "a list", dict: "a mapping", type(None): "nothing"})
    return names.get(type(value), type(value).__name__)
