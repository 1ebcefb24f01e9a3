"""Reports of a run: console (rich), JUnit XML, JSON and a self-contained HTML page."""

from .html import write_html
from .json_report import to_dict, write_json
from .junit import write_junit

__all__ = ["to_dict", "write_html", "write_json", "write_junit"]
