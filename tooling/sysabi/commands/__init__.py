"""One module per ``sysabi`` subcommand.

Each module defines ``HELP`` (one line), ``add_arguments(parser)`` and
``run(args) -> int``. Importing a command module must stay cheap: heavy
libraries (docutils, Jinja2, Sphinx, YAML) are imported inside ``run``, so
that ``sysabi parse`` never pays for what ``sysabi docs`` needs.
"""
