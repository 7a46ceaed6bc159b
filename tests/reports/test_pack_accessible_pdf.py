"""The board pack PDF is an accessible document: tagged (PDF/UA-1), with its language, title and structure."""

import io

from django.core.management import call_command
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject


def _structure_types(node, found, alt_texts=None):
    """Every structure type (/H1, /Table, /TH ...) under a node of the structure tree; figures' /Alt in alt_texts."""
    node = node.get_object()
    if isinstance(node, ArrayObject):
        for child in node:
            _structure_types(child, found, alt_texts)
    elif isinstance(node, DictionaryObject):
        if "/S" in node:
            found.add(str(node["/S"]))
            if node["/S"] == "/Figure" and alt_texts is not None:
                alt_texts.append(str(node.get("/Alt")))
        if "/K" in node:
            _structure_types(node["/K"], found, alt_texts)
    return found


def test_it_is_tagged_with_language_title_headings_and_tables(small_plan, tmp_path):
    plan, _ = small_plan
    output = tmp_path / "pack.pdf"
    call_command("board_pack", plan.slug, "-o", str(output), stdout=io.StringIO())

    reader = PdfReader(io.BytesIO(output.read_bytes()))
    catalog = reader.trailer["/Root"]

    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "en-GB"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])  # readers announce the title, not the file name
    assert reader.metadata.title.startswith("Children's Services Improvement Plan: board pack for ")
    assert "pdfuaid" in reader.xmp_metadata.stream.get_data().decode()  # it declares PDF/UA conformance
    alt_texts = []
    types = _structure_types(catalog["/StructTreeRoot"], set(), alt_texts)
    assert {"/H1", "/H2", "/H3"} <= types
    assert {"/Table", "/TR", "/TH", "/TD"} <= types
    assert "/Figure" in types  # the RAG chart
    # A chart is read out by what it shows (its label), not by the name of the library that drew it.
    assert any(text.startswith("RAG status of actions by area") for text in alt_texts)
    assert "Pygal" not in alt_texts
    assert {"/L", "/LI"} <= types
