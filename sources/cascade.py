"""trafilatura's text of a page, from a tree we parsed and own, without its defensive copies.

`bare_extraction(tree, options=EXTRACTION)` copies the whole tree it is given (the caller might
still need it), and its cascade (`trafilatura.core.trafilatura_sequence`) copies the raw tree
once more for its readability comparison, the raw tree's last use. Our tree is read by nobody
after the extraction, so both copies are waste: about 0.5 ms each on an average news page,
half of what fetching it on loopback costs.

`extract_text` is that call less the two copies. It mirrors the cascade for our settings only
(precision, comments off, not fast: stages 3 and 4 and the comment capture never run there) and
only for the trafilatura version it was written against; any other version or setting goes
through bare_extraction itself. tests/sources/test_cascade.py compares the text with
bare_extraction's on every page of ../shared/eval/extraction and on generated markup.
"""

from __future__ import annotations

import trafilatura
from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.core import _forum_thread_page, _prepare_tree
from trafilatura.external import compare_extraction
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.main_extractor import extract_content
from trafilatura.settings import Extractor
from trafilatura.xml import xmltotxt
from trafilatura.xpaths import (
    RAW_TREE_PRUNE_XPATH,
    REMOVE_COMMENTS_AND_LISTS_XPATH,
    REMOVE_COMMENTS_XPATH,
)

# trafilatura's settings: comments off, precision favoured (0.9742 F1 on the eval pages against
# 0.9661 for recall and 0.9657 for the defaults), plain text out. One object serves every call:
# trafilatura only reads it (its recall retry works on a copy).
EXTRACTION = Extractor(output_format="python", precision=True, comments=False)

# The trafilatura release whose cascade `_cascade` mirrors (pyproject pins it).
MIRRORED_VERSION = "2.3.1"


def _mirror_holds(options: Extractor) -> bool:
    return (
        trafilatura.__version__ == MIRRORED_VERSION
        and options.focus == "precision"
        and not options.comments
        and not options.fast
        and not options.lang
        and not options.max_tree_size
        and not options.dedup
    )


def extract_text(source: HtmlElement | str, options: Extractor = EXTRACTION) -> str:
    """`bare_extraction(source, options=options)`'s text ("" for no document). A tree is
    consumed: trafilatura prunes it in place."""
    # A fragment's tree is an element inside the document lxml made for it; trafilatura's copy
    # cuts it loose, and readability reads a loose element otherwise than one in a document.
    # Only a document's root element is the same with or without the copy.
    if isinstance(source, str) or source.getparent() is not None or not _mirror_holds(options):
        # No `url=`: trafilatura would write it into its WARNING logs ("discarding data: URL"),
        # and URLs users send never go to the logs.
        document = bare_extraction(source, options=options)
        return getattr(document, "text", None) or ""
    try:
        body, text = _cascade(source, options)
    except (TypeError, ValueError):  # what bare_extraction turns into "no document"
        return ""
    # bare_extraction's one check that applies with these settings (no tree-size cap, no
    # dedup, no language filter, no comments).
    if len(text) < options.min_output_size:
        return ""
    return str(xmltotxt(body, options.formatting))


def _cascade(tree: HtmlElement, options: Extractor) -> tuple[HtmlElement, str]:
    """trafilatura_sequence (2.3.1) with precision on and comments off, the raw tree handed to
    the readability comparison itself instead of a copy of it."""
    is_forum = _forum_thread_page(tree)
    tree = prune_unwanted_nodes(tree, RAW_TREE_PRUNE_XPATH)
    # Comments off with precision: trafilatura prunes comment sections and lists on any page.
    tree = prune_unwanted_nodes(tree, REMOVE_COMMENTS_AND_LISTS_XPATH)
    cleaned_tree, cleaned_tree_backup = _prepare_tree(tree, options, None)
    if not is_forum:
        cleaned_tree = prune_unwanted_nodes(cleaned_tree, REMOVE_COMMENTS_XPATH)
    body, text = extract_content(cleaned_tree, options)
    # The one change: `tree` rather than `copy(tree)`; precision skips the baseline rescue and
    # the recall escalation, the only later readers of the raw tree.
    body, text = compare_extraction(cleaned_tree_backup, tree, body, text, options)
    return body, text
