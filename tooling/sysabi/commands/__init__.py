"""One module per ``sysabi`` subcommand.

Each module defines ``add_arguments(parser)`` and ``run(args) -> int``; its
one-line help is in :data:`sysabi.cli.COMMANDS`, and only the module of the
command that runs is imported. Heavy libraries (docutils, Jinja2, Sphinx,
YAML) are imported inside ``run``, so that ``sysabi parse`` never pays for
what ``sysabi docs`` needs.
"""
