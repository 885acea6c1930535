"""The ``abi`` domain: one object per ABI entry, every What a target.

Shaped like Sphinx's own ``rst`` domain. The domain owns its data (``objects``: What
-> (docname, node id, entry location)); ``note_what`` warns on duplicates with the
ABI file's location, ``clear_doc`` and ``merge_domaindata`` keep incremental and
parallel builds right, and ``resolve_xref`` accepts a What as written or any concrete
path one of them documents (the answer of :class:`sysabi.paths.resolver.Resolver`, as
``sysabi show`` gives it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Set
from typing import Any, ClassVar

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.builders import Builder
from sphinx.domains import Domain, Index, IndexEntry, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from sysabi.compat import current_docname, sphinx_app
from sysabi.paths.resolver import Resolver
from sysabi.render.description import abi_path_ref
from sysabi.render.frame import abi_entry, as_desc

logger = logging.getLogger(__name__)

#: What -> (docname, node id, "abi/file:line" of the entry)
Objects = dict[str, tuple[str, str, str]]


class ABIIndex(Index):
    """Every What, grouped by its first two path components (``/sys/bus``)."""

    name = "index"
    localname = "ABI Index"
    shortname = "ABI"

    def generate(
        self, docnames: Iterable[str] | None = None
    ) -> tuple[list[tuple[str, list[IndexEntry]]], bool]:
        wanted = set(docnames) if docnames is not None else None
        groups: dict[str, list[IndexEntry]] = {}
        domain = self.domain
        assert isinstance(domain, ABIDomain)
        for what, (docname, node_id, location) in sorted(domain.objects.items()):
            if wanted is not None and docname not in wanted:
                continue
            entry = IndexEntry(what, 0, docname, node_id, "", "", location)
            groups.setdefault(path_prefix(what), []).append(entry)
        return sorted(groups.items()), True


def path_prefix(what: str) -> str:
    """The index group of a What: ``/sys/bus`` for ``/sys/bus/usb/...``."""
    if not what.startswith("/"):
        return "(other)"
    parts = what.split("/")
    return "/".join(parts[:3]) if len(parts) > 3 else "/".join(parts[:2])


class ABIDomain(Domain):
    """ABI entries: ``:abi:ref:`` finds them, the index lists them."""

    name = "abi"
    label = "Linux ABI"
    object_types: ClassVar[dict[str, ObjType]] = {"entry": ObjType("entry", "ref")}
    roles: ClassVar[dict[str, Any]] = {"ref": XRefRole(warn_dangling=True)}
    indices: ClassVar[list[type[Index]]] = [ABIIndex]
    initial_data: ClassVar[dict[str, Any]] = {"objects": {}, "documents": {}, "pages": {}}
    dangling_warnings: ClassVar[dict[str, str]] = {"ref": "no ABI entry documents %(target)s"}
    data_version = 4  # 4: folder entries' descriptions ("folders")

    _resolver: Resolver[str] | None = None

    @property
    def objects(self) -> Objects:
        objects: Objects = self.data.setdefault("objects", {})
        return objects

    @property
    def documents(self) -> dict[str, list[str]]:
        """Docname -> the Whats it registered: clearing a document must not walk every
        What of the site (a site with a page per ABI file clears hundreds)."""
        documents: dict[str, list[str]] = self.data.setdefault("documents", {})
        return documents

    @property
    def pages(self) -> dict[str, list[str]]:
        """Docname -> the pages it writes besides its own (see :mod:`sysabi.sphinxext.site`):
        a page is no Sphinx document, so the document that reads it answers for it."""
        pages: dict[str, list[str]] = self.data.setdefault("pages", {})
        return pages

    def note_what(self, what: str, node_id: str, location: str, page: str | None = None) -> None:
        """Record a What of the current document, shown on ``page`` (by default that
        document); warn (at ``location``) if already known."""
        known = self.objects.get(what)
        if known is not None:
            self._warn_duplicate(what, known, location)
            return
        docname = current_docname(self.env)
        self.objects[what] = (page or docname, node_id, location)
        self.documents.setdefault(docname, []).append(what)
        self._resolver = None

    @property
    def folders(self) -> dict[str, str]:
        """Folder What -> its entry's description: the site's path search answers for a
        file a folder entry names (:mod:`sysabi.paths.folders`)."""
        folders: dict[str, str] = self.data.setdefault("folders", {})
        return folders

    def note_folder(self, what: str, description: str) -> None:
        """Record the description of a What naming a folder (noted with note_what; of
        a duplicate What, the first description is kept, as its object is)."""
        self.folders.setdefault(what, description)

    def note_page(self, page: str) -> None:
        """Record that the current document writes ``page``."""
        self.pages.setdefault(current_docname(self.env), []).append(page)

    def clear_doc(self, docname: str) -> None:
        for what in self.documents.pop(docname, []):
            self.objects.pop(what, None)
            self.folders.pop(what, None)
        self.pages.pop(docname, None)
        self._resolver = None

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        # On a duplicate the document that sorts first keeps the What, as in a serial
        # build (which reads documents in sorted order), whatever order workers end in.
        owners = {what: doc for doc in self.documents for what in self.documents[doc]}
        for doc in sorted(docnames):
            for what in otherdata["documents"].get(doc, []):
                self._merge_what(what, doc, otherdata["objects"][what], owners)
                taken = self.objects.get(what) == otherdata["objects"][what]
                if taken and what in otherdata.get("folders", {}):
                    self.folders[what] = otherdata["folders"][what]
            if doc in otherdata.get("pages", {}):
                self.pages[doc] = list(otherdata["pages"][doc])
        self._resolver = None

    def _merge_what(
        self, what: str, doc: str, item: tuple[str, str, str], owners: dict[str, str]
    ) -> None:
        known, owner = self.objects.get(what), owners.get(what)
        if known is not None and owner is not None and owner != doc:
            if owner < doc:
                self._warn_duplicate(what, known, item[2])
                return
            self._warn_duplicate(what, item, known[2])
            self.documents[owner].remove(what)
        self.objects[what] = item
        self.documents.setdefault(doc, []).append(what)
        owners[what] = doc

    def _warn_duplicate(self, what: str, kept: tuple[str, str, str], location: str) -> None:
        logger.warning(
            "duplicate ABI entry for %s, also documented at %s (in %s)",
            what,
            kept[2],
            kept[0],
            location=location,
            type="abi",
            subtype="duplicate",
        )

    def find(self, target: str) -> tuple[str, str] | None:
        """(docname, node id) of the entry documenting ``target``, a What or a concrete path."""
        known = self.objects.get(target) or self.objects.get(target.rstrip("/"))
        if known is None:
            best = self.resolver().resolve(target, nearest=False).best
            known = self.objects.get(best[0].payload) if best else None
        return None if known is None else (known[0], known[1])

    def resolver(self) -> Resolver[str]:
        """The resolver of every What known; of equally specific Whats the one that
        sorts first answers."""
        # Built on first use after any change; sorted so every process resolves alike.
        if self._resolver is None:
            self._resolver = Resolver((what, what) for what in sorted(self.objects))
        return self._resolver

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        if typ == "page":  # a link to a page written by a document (see note_page)
            written = any(target in pages for pages in self.pages.values())
            return make_refnode(builder, fromdocname, target, "", contnode) if written else None
        found = self.find(target)
        if found is None:
            return None
        return make_refnode(builder, fromdocname, found[0], found[1], contnode, target)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        found = self.resolve_xref(env, fromdocname, builder, "ref", target, node, contnode)
        return [] if found is None else [("abi:ref", found)]

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for what, (docname, node_id, _) in self.objects.items():
            yield what, what, "entry", docname, node_id, 1


class LinkPathMentions(SphinxPostTransform):
    """Turn each path mentioned in a description into a link to its entry, if documented.

    Runs at write time, so mentions link across pages; an undocumented path, or the
    entry's own path, is left as text (never a warning: mentions are not references).
    """

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        domain = self.env.domains["abi"]
        assert isinstance(domain, ABIDomain)
        docname = current_docname(self.env)
        for node in list(self.document.findall(abi_path_ref)):
            found = domain.find(node["path"])
            children = [child.deepcopy() for child in node.children]
            if found is None or found[1] in node["entry_id"].split():
                node.replace_self(children)
                continue
            inner = nodes.inline("", "", *children)
            builder = sphinx_app(self.env).builder
            ref = make_refnode(builder, docname, found[0], found[1], inner, node["path"])
            ref["classes"].append("sysabi-path")
            node.replace_self(ref)


class ExpandFrames(SphinxPostTransform):
    """Entries as Sphinx's standard object descriptions for every builder but HTML.

    See :class:`~sysabi.render.frame.abi_entry`.
    """

    default_priority = 6

    def run(self, **kwargs: Any) -> None:
        if sphinx_app(self.env).builder.format == "html":
            return
        for node in list(self.document.findall(abi_entry)):
            node.replace_self(as_desc(node))
