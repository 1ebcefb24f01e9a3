"""Print the benchmark results as a rich table and keep them as JSON."""

from __future__ import annotations

import json
import platform
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    import os

    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def render(rows: list[dict[str, Any]], info: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    table = Table(title="Benchmarks", show_lines=False)
    for column in ("benchmark", "value", "target", "details"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(row["name"], row["value"], row.get("target", ""), row.get("details", ""))
    console.print(table)
    console.print(
        f"machine: {info['nproc']} CPU(s), {info['cpu']}, Python {info['python']}, {info['system']}"
    )


def write_json(path: Path, rows: list[dict[str, Any]], info: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"machine": info, "results": rows}, indent=2) + "\n")
