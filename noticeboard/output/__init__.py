"""``Site`` → files: templates and their labels, pages, feeds and open data, the search index, and
the atomic writing of the output folder. The table of every output is ``urls.OUTPUTS``."""
