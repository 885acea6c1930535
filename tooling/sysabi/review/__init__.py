"""Review a patch series against a base tree, in memory (``sysabi check-patch``).

The pieces, each usable alone:

* :mod:`sysabi.review.series` splits mails, mboxes and bare diffs into patches;
* :mod:`sysabi.review.diff` parses one patch's git-style unified diff;
* :mod:`sysabi.review.apply` applies a series to a base tree without writing anything;
* :mod:`sysabi.review.c_interfaces` finds module parameters and sysfs attributes the
  series adds to C sources.

Nothing here imports the rest of sysabi except :mod:`sysabi.errors`.
"""
