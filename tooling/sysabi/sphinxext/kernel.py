"""``extensions = ["sysabi.sphinxext.kernel"]``: sysabi plus the ``kernel-abi`` directive.

Replace ``kernel_abi`` by this name in the kernel's ``Documentation/conf.py`` and the
``Documentation/admin-guide/abi*.rst`` pages build with sysabi, in the kernel's current
form or in 6.12's (see :mod:`sysabi.sphinxext.kernel_compat`). It is a separate
extension so that a project loading both the kernel's ``kernel_abi`` and sysabi does
not get two ``kernel-abi`` directives.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from sysabi import __version__
from sysabi.sphinxext.kernel_compat import KernelABIDirective
from sysabi.sphinxext.kernel_mentions import LinkDocumentMentions, abi_document_mention


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sysabi.sphinxext")
    app.add_config_value("sysabi_kernel_srctree", None, "env", types=frozenset({str, type(None)}))
    app.add_directive("kernel-abi", KernelABIDirective)
    app.add_node(abi_document_mention)
    app.add_post_transform(LinkDocumentMentions)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
