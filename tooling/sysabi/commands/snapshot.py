"""``sysabi snapshot sysfs``: record a sysfs's layout (no contents) for ``coverage --root``."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="snapshot_source", metavar="SOURCE", required=True)
    sysfs = actions.add_parser(
        "sysfs",
        help="snapshot a sysfs",
        description="Record names, types, modes and link targets under ROOT, never reading "
        "an attribute (reads can have side effects), to a mirror folder or a tarball.",
    )
    sysfs.add_argument("--root", default="/sys", help="the sysfs to record (default /sys)")
    sysfs.add_argument(
        "--out", required=True, metavar="DIR|FILE.tar.gz", help="new folder, or .tar/.tar.gz"
    )
    sysfs.add_argument("--mount", default=None, help="the path ROOT stands for (default /sys)")


def run(args: argparse.Namespace) -> int:
    import os

    from sysabi.coverage.snapshot import read_layout, write_snapshot

    live = sys.stderr.isatty()
    layout = read_layout(args.root, progress=_progress if live else None)
    if live:
        print("\r\033[2K", end="", file=sys.stderr, flush=True)
    mount = args.mount or "/sys"
    write_snapshot(layout, args.out, mount, os.path.abspath(args.root))
    counts = ", ".join(f"{layout.count(kind)} {kind}s" for kind in ("dir", "file", "link"))
    print(f"sysabi snapshot: {args.out}: {counts}")
    for rel in layout.unreadable:
        print(f"sysabi snapshot: warning: {args.root}/{rel}: folder not readable", file=sys.stderr)
    return 0


def _progress(count: int, path: str) -> None:
    print(f"\r\033[2Krecorded {count}: {path[:100]!r}", end="", file=sys.stderr, flush=True)
