"""`tox -e connexion-latest` runs tests/reference only on a Connexion release above the pinned range."""

from __future__ import annotations

import sys

import pytest

from testkit.beyond_pin import main, pinned

EXIT_CODE = 7
COMMAND = [sys.executable, "-c", f"raise SystemExit({EXIT_CODE})"]


def test_the_pin_is_read_from_pyproject() -> None:
    assert pinned("connexion").specifier.contains("3.3.0")
    assert not pinned("connexion").specifier.contains("3.4.0")


def test_a_release_inside_the_range_runs_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["connexion", *COMMAND], installed="3.3.0") == 0
    assert "inside the pinned range" in capsys.readouterr().out


@pytest.mark.parametrize("release", ["3.4.0", "4.0.0", "3.4.0rc1"])
def test_a_release_above_the_range_runs_the_command(release: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["connexion", *COMMAND], installed=release) == EXIT_CODE
    assert "outside the pinned range" in capsys.readouterr().out


def test_an_undeclared_package_is_an_error() -> None:
    with pytest.raises(SystemExit, match="no dependency on left-pad"):
        main(["left-pad", *COMMAND], installed="1.0")
