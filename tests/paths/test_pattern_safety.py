"""What patterns come from trees written by thousands: their matchers must not blow up.

Each hostile case compiles and matches in a fresh interpreter with a timeout
enforced here (20 s for work that takes well under 0.5 s), so catastrophic
backtracking fails the test instead of hanging CI. ``test_patterns.py`` covers
the merged-wildcard cases; these are the shapes it does not.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from project import TOOLING
from sysabi.paths.index import PatternIndex
from sysabi.paths.patterns import compile_what

TIMEOUT = 20  # seconds, for work expected to take < 0.5 s

MATCH = """
import sys, time
from sysabi.paths.index import PatternIndex
from sysabi.paths.patterns import compile_what
what, path = sys.argv[1], sys.argv[2]
start = time.perf_counter()
pattern = compile_what(what)
if pattern is not None:
    pattern.matches(path)
    pattern.matches(path[:300])
index = PatternIndex()
index.add(what, 1)
index.match(path)
print(time.perf_counter() - start)
"""

LONG_PATH = "/sys/" + "a" * 50_000 + "!"
NAME_MAX_PATH = "/sys/" + "a" * 255 + "!"  # the longest name sysfs can have

HOSTILE = {
    "stars": ("/sys/" + "*" * 5000, LONG_PATH),
    "unclosed-angles": ("<" * 1000, LONG_PATH),
    "unclosed-angles-in-path": ("/sys/" + "<" * 1000, "/sys/" + "<" * 1000),
    "unclosed-braces": ("/sys/" + "{a," * 1000, LONG_PATH),
    "unclosed-squares": ("/sys/" + "[" * 1000, LONG_PATH),
    "nested-squares": ("/sys/" + "[a|" * 1000 + "]" * 1000, LONG_PATH),
    "nested-angles": ("/sys/" + "<a|" * 1000 + ">" * 1000, LONG_PATH),
    "closers-only": ("/sys/" + "]>}" * 2000, LONG_PATH),
    "placeholders": ("/sys/" + "XY" * 2000, "/sys/" + "1" * 50_000 + "!"),
    "hex-runs": ("/sys/" + "XX:" * 2000, "/sys/" + "1:" * 25_000 + "!"),
    "dots": ("/sys/" + "..." * 3000, LONG_PATH),
    "many-components": ("/sys" + "/<n>" * 3000, "/sys" + "/a" * 25_000 + "!"),
    "backslashes": ("/sys/" + "\\" * 5000 + "*", LONG_PATH),
    "stars-two-literals": ("/sys/*a*a*", LONG_PATH),
}

CATASTROPHIC = {
    # wildcards separated by literals in one component: O(len^k) on a failing name
    "star-literal-runs": ("/sys/" + "*a" * 2000, LONG_PATH),
    "angle-literal-runs-on-a-name-max-name": ("/sys/" + "<x>a" * 10, NAME_MAX_PATH),
}
#: These once never ended (the backtracking bug); fixed, they take well under a second,
#: and the bound is generous so that a loaded CI machine does not flake.
CATASTROPHIC_TIMEOUT = 30


def run_case(what: str, path: str, timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(MATCH), what, path],
        env={"PYTHONPATH": str(TOOLING), "PATH": os.environ.get("PATH", "")},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


ALL_CASES = """
import json, sys, time
from sysabi.paths.index import PatternIndex
from sysabi.paths.patterns import compile_what
for name, (what, path) in json.loads(sys.stdin.read()).items():
    print(name, end=" ", flush=True)  # on a timeout, the last name is the culprit
    start = time.perf_counter()
    pattern = compile_what(what)
    if pattern is not None:
        pattern.matches(path)
        pattern.matches(path[:300])
    index = PatternIndex()
    index.add(what, 1)
    index.match(path[:2000])  # longer names: see test_index_lookup_is_linear_in_the_name
    print(f"{time.perf_counter() - start:.3f}", flush=True)
"""


def test_hostile_patterns_compile_and_match_quickly() -> None:
    """All cases in one interpreter (starting one per case costs CI more than the cases)."""
    try:
        result = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(ALL_CASES)],
            input=json.dumps(HOSTILE),
            env={"PYTHONPATH": str(TOOLING), "PATH": os.environ.get("PATH", "")},
            capture_output=True,
            text=True,
            timeout=3 * TIMEOUT,  # 14 cases of < 0.2 s each
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        ran = error.stdout.decode() if isinstance(error.stdout, bytes) else error.stdout
        pytest.fail(f"hostile patterns did not finish; ran: {ran}")
    assert result.returncode == 0, result.stderr[-2000:]
    timings = dict(line.split() for line in result.stdout.splitlines())
    assert list(timings) == list(HOSTILE)
    assert all(float(seconds) < TIMEOUT for seconds in timings.values())


@pytest.mark.parametrize(("what", "path"), CATASTROPHIC.values(), ids=CATASTROPHIC.keys())
def test_wildcards_between_literals_stay_cheap(what: str, path: str) -> None:
    result = run_case(what, path, timeout=CATASTROPHIC_TIMEOUT)
    assert result.returncode == 0, result.stderr[-2000:]


def test_deeply_nested_braces_do_not_raise() -> None:
    pattern = compile_what("/sys/" + "{a," * 200 + "}" * 200)
    assert pattern is not None
    assert pattern.matches("/sys/a")


whats = st.one_of(
    st.text(max_size=80),
    st.text(st.sampled_from("/*<>{}[]|,.XYZNa0-\\: +"), max_size=80),
    st.text(st.sampled_from("/*<>{}[]|,.XYZNa0-\\: +"), max_size=40).map(lambda s: "/sys/" + s),
)


@settings(max_examples=200, deadline=None, database=None)
@given(whats, st.text(st.sampled_from("/a0X:.!"), max_size=40))
def test_compile_what_never_raises(what: str, path: str) -> None:
    pattern = compile_what(what)
    if pattern is None:
        return
    pattern.matches(path)  # the regex compiles and runs
    assert pattern.matches(pattern.text) in (True, False)
    index: PatternIndex[int] = PatternIndex()
    assert index.add(what, 1)
    index.match(path)


INDEX_LOOKUP = """
import sys
from sysabi.paths.index import PatternIndex
index = PatternIndex()
index.add("/sys/class/x/y", 1)
print(index.match("/sys/" + "a" * int(sys.argv[1])))
"""


def test_index_lookup_is_linear_in_the_name() -> None:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(INDEX_LOOKUP), "400000"],
        env={"PYTHONPATH": str(TOOLING), "PATH": os.environ.get("PATH", "")},
        capture_output=True,
        text=True,
        timeout=CATASTROPHIC_TIMEOUT,  # linear: ~0.1 s
        check=True,
    )
    assert result.stdout.strip() == "[]"
