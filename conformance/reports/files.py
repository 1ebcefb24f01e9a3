"""Where every report file is written: its whole text masked once more with the run's tokens.

The exchanges and messages are masked already (client.py, runner.py); this pass is the defence in depth
that holds for text no one thought of, such as a token a server echoed into a reading.
"""

from __future__ import annotations

from pathlib import Path

from ..runner import RunResult


def write_report(run: RunResult, path: Path, text: str) -> None:
    path.write_text(run.credentials.mask(text), encoding="utf-8")
