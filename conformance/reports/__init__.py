"""Reports of a run: console (rich), JUnit XML, JSON, a self-contained HTML page and a Markdown summary.

Every file is written through `files.write_report`, which masks the run's tokens once more.
"""

from .html import write_html
from .json_report import to_dict, write_json
from .junit import write_junit
from .markdown import write_markdown, write_untestable

__all__ = ["to_dict", "write_html", "write_json", "write_junit", "write_markdown", "write_untestable"]
