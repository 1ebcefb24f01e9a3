"""The kit as a user gets it: a wheel of this checkout in a fresh venv, run from an empty folder.

Nothing of the checkout is importable there (no PYTHONPATH, another working directory), so each
command finds its spec, catalog and templates in the installed packages or not at all.
uv builds the wheel (with the setuptools backend pyproject.toml names, as pip would) and installs it
with its dependencies from the package index into a venv made by the standard library: the same wheel
and resolution a ``pip install`` gets, in seconds instead of the half-minute pip takes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
import venv
from pathlib import Path

import httpx
import pytest
from uv import find_uv_bin

from openapi.catalog import load_catalog
from testkit.events import bearer, event_body
from testkit.processes import REPO_ROOT, ServerProcess, free_port

# One xdist worker runs this module, so that the kit (the module's fixture) is made once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("installed")]

INSTALL_TIMEOUT = 600


def shipped_folders() -> list[str]:
    """Top-level folders the wheel is made of, as pyproject.toml's package discovery names them."""
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    return sorted({pattern.rstrip("*").split(".")[0] for pattern in patterns})


def outside_env() -> dict[str, str]:
    """This environment without what would make the checkout or a developer's settings leak in."""
    return {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "VIRTUAL_ENV") and not key.startswith("CONTRACT_")
    }


def run(argv: list[str | Path], cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    completed = subprocess.run(
        [str(part) for part in argv],
        cwd=cwd,
        env=outside_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert completed.returncode == 0, (
        f"{' '.join(map(str, argv))} exited {completed.returncode}:\n{completed.stdout[-3000:]}\n"
        f"{completed.stderr[-3000:]}"
    )
    return completed


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a fresh venv with the wheel of this checkout installed (no extras)."""
    root = tmp_path_factory.mktemp("kit")
    source = root / "source"  # a copy, so that building leaves no build/ or egg-info in the checkout
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO_ROOT / name, source / name)
    for folder in shipped_folders():
        shutil.copytree(REPO_ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    venv.create(root / "venv")
    bin_dir = root / "venv" / "bin"
    uv = find_uv_bin()
    run([uv, "build", "--quiet", "--wheel", "--out-dir", root / "wheels", source], root)
    (wheel,) = (root / "wheels").glob("*.whl")
    run(
        [uv, "pip", "install", "--quiet", "--python", bin_dir / "python", wheel],
        root,
        timeout=INSTALL_TIMEOUT,
    )
    return bin_dir


@pytest.fixture
def empty_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def test_the_spec_ships_once_in_the_openapi_package(kit: Path, empty_folder: Path) -> None:
    completed = run(
        [kit / "python", "-c", "import openapi, reference_impl.settings as s, openapi.document as d; "
         "print(openapi.SPEC_PATH); print(s.spec_path()); print(d.shipped().path)"],
        empty_folder,
    )  # fmt: skip
    paths = {Path(line) for line in completed.stdout.splitlines()}
    assert len(paths) == 1, completed.stdout
    (spec,) = paths
    assert spec.is_file() and spec.parent.name == "openapi" and "site-packages" in spec.parts
    site_packages = spec.parents[1]
    assert sorted(p.relative_to(site_packages).as_posix() for p in site_packages.rglob("*.yaml")
                  if "openapi" in p.name or p.name == "v2.yaml") == ["openapi/v2.yaml"]  # fmt: skip
    for package in ("openapi", "specgen", "publishing", "reference_impl", "conformance"):
        assert (site_packages / package / "py.typed").is_file(), package


def test_server_token_seed_and_suite_catalog_from_an_empty_folder(kit: Path, empty_folder: Path) -> None:
    database = f"sqlite:///{empty_folder / 'kit.sqlite3'}"
    token = run([kit / "python", "-m", "reference_impl", "token", "alice", "--database", database],
                empty_folder).stdout.strip().splitlines()[-1]  # fmt: skip
    seeded = run([kit / "sc-contract-server", "seed", "--users", "2", "--database", database], empty_folder)
    assert "created 2 users" in seeded.stdout
    port = free_port()
    argv = [str(kit / "python"), "-m", "reference_impl", "serve", "--port", str(port), "--database", database]
    with ServerProcess(argv, port, env=outside_env(), cwd=empty_folder, startup_timeout=60) as server:
        created = httpx.post(f"{server.base_url}/api/v2/event/", json=event_body(private=False),
                             headers=bearer(token), timeout=30)  # fmt: skip
        assert created.status_code == 201, f"{created.status_code} {created.text}\n{server.log_tail()}"
        assert httpx.get(f"{server.base_url}/api/v2/ui/", timeout=30).status_code == 200
    catalog = run([kit / "python", "-m", "conformance", "catalog"], empty_folder)
    assert [line.split("\t")[0] for line in catalog.stdout.splitlines()] == list(load_catalog().ids)
    assert run([kit / "sc-contract-suite", "run", "--help"], empty_folder).stdout.startswith("Usage:")


def test_publishing_publishes_the_packaged_spec_from_an_empty_folder(kit: Path, empty_folder: Path) -> None:
    docs = run([kit / "sc-publish", "docs", "--out", empty_folder / "site"], empty_folder)
    assert f"({len(load_catalog())} requirements, " in docs.stdout
    # the core's family rule, read from the wheel
    assert "for the families event, course, group)" in docs.stdout
    site = (empty_folder / "site" / "index.html").read_text(encoding="utf-8")
    assert "<code>INV-ALL-IDS[group]</code>" in site
    run([kit / "python", "-m", "publishing", "markdown", "--out", empty_folder / "pages"], empty_folder)
    assert any((empty_folder / "pages").rglob("*.md"))
    built = subprocess.run([kit / "sc-specgen", "build"], cwd=empty_folder, env=outside_env(),
                           capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert built.returncode == 2 and "docs/apireference/v2" in built.stderr  # says what is missing
