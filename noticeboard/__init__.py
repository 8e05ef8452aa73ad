"""Notice Board: a static site generator for student-data-privacy contract notices."""

__version__ = "0.1.0"


def program() -> str:
    """How staff called the tool, as messages name it: ``noticeboard`` (installed) or ``python build.py``."""
    import sys
    from pathlib import Path

    return "noticeboard" if Path(sys.argv[0]).name == "noticeboard" else "python build.py"
