"""``python -m testkit.beyond_pin PACKAGE COMMAND...``: run COMMAND only when the installed PACKAGE is a
release outside the range ``pyproject.toml`` pins it to.

``tox -e connexion-latest`` installs the newest Connexion release and runs ``tests/reference`` on it. While
that release is inside the pinned range, ``tox -e py`` (a fresh environment resolves the newest release the
pin allows) has already run the same tests on the same version: running them again tests nothing new, so
this says so and exits 0. Once a release above the range exists, COMMAND runs on it.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib.metadata import version

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from testkit.processes import REPO_ROOT


def pinned(package: str) -> Requirement:
    """The requirement ``pyproject.toml`` declares for ``package``."""
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    for line in project["dependencies"]:
        requirement = Requirement(line)
        if canonicalize_name(requirement.name) == canonicalize_name(package):
            return requirement
    raise SystemExit(f"pyproject.toml declares no dependency on {package}")


def main(argv: list[str], installed: str | None = None) -> int:
    """Run the command unless ``installed`` (default: the installed one) is inside the pin; its exit code."""
    if len(argv) < 2:
        raise SystemExit("usage: python -m testkit.beyond_pin PACKAGE COMMAND...")
    package, command = argv[0], argv[1:]
    installed = installed or version(package)
    requirement = pinned(package)
    if requirement.specifier.contains(installed, prereleases=True):
        print(
            f"{package} {installed}, the newest release, is inside the pinned range "
            f"{requirement.specifier}: `tox -e py` runs these tests on it; nothing above the range to try."
        )
        return 0
    print(f"{package} {installed} is outside the pinned range {requirement.specifier}: running {command[0]}")
    return subprocess.call(command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
