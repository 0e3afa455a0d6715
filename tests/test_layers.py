"""The package's layers point one way and its modules import no cycle (tools/check_layers.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_no_upward_imports_and_no_cycles() -> None:
    checked = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "check_layers.py")], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout
    assert "0 upward import(s)" in checked.stdout and "0 import cycle(s)" in checked.stdout
