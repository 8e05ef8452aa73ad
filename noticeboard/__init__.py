"""Notice Board: a static site generator for student-data-privacy contract notices."""

__version__ = "0.1.0"
