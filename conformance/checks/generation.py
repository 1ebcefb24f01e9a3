"""One run of Hypothesis at a time in a process, however many families are checked side by side.

Schemathesis draws parts of its cases from the global `random` module, which Hypothesis seeds for each
example: two runs at once would draw from one stream in an order the threads decide, and a seed would no
longer give the same requests. The shrink budget (shrinking.py) is a global of Hypothesis' engine too.
The checks without Hypothesis (all the others) run side by side freely.
"""

from __future__ import annotations

import threading

HYPOTHESIS_TURN = threading.Lock()
"""Held for the whole of a Schemathesis run (schemathesis_run.py) or a state machine run (model.py)."""
