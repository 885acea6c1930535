"""Review a patch series against a base tree, in memory (``sysabi check-patch``).

The pieces, each usable alone:

* :mod:`sysabi.review.series` splits mails, mboxes and bare diffs into patches
  (with :mod:`sysabi.review.mail` for the mail bodies);
* :mod:`sysabi.review.diff` parses one patch's git-style unified diff, with
  :mod:`sysabi.review.paths` judging every name in it;
* :mod:`sysabi.review.base` reads the unpatched files from a folder, a dict or a git
  revision;
* :mod:`sysabi.review.apply` applies a series to a base without writing anything and
  tells which patch made each final line;
* :mod:`sysabi.review.c_interfaces` finds module parameters and sysfs attributes the
  series adds to C sources.

Typical use::

    series = load_series(["v2-0000-cover.patch", ...])      # or ["-"] for stdin
    applied = apply_series(series.patches, FolderBase(Path("linux")))
    for interface in find_added_interfaces(applied): ...

Nothing here imports the rest of sysabi except :mod:`sysabi.errors`; every error is a
:class:`sysabi.errors.SysabiError` (``SeriesError``, ``DiffError``, ``BaseTreeError``,
``PatchApplyError``) carrying the source file and line.
"""
