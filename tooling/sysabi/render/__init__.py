"""Rendering the model as docutils nodes: each entry's fixed frame and its description.

Used by :mod:`sysabi.sphinxext`; kept apart from it so that the node building can be
tested without a Sphinx build.
"""
