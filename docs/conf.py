"""Sphinx settings of the documentation site: `make docs`, and tests/test_docs.py with warnings as errors."""
project = "Notice Board"
extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
myst_heading_anchors = 4  # links to a section (`commands.md#exit-status`) are checked, as GitHub spells them
html_theme = "alabaster"  # Sphinx's own: system fonts, no request to another host
html_theme_options = {"show_powered_by": False, "page_width": "1200px"}  # room for the diagrams and tables
html_show_sourcelink = False
html_copy_source = False
