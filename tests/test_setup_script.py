"""scripts/setup-system.sh installs the system packages the tests need when they are missing.

Each test runs the real script with a PATH of only a temporary folder: stand-ins for the tools the script
checks for (``soffice``, ``pdftoppm``), an ``id`` that prints the uid to pretend, and an ``apt-get`` that
records its arguments instead of installing anything. The real apt-get is never called. The check for UNO
runs ``/usr/bin/python3`` itself, so what it finds is this machine's.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "setup-system.sh"
SOFFICE_PACKAGES = ["libreoffice-writer-nogui", "libreoffice-calc-nogui"]
BROWSER_PACKAGES = ["chromium", "chromium-driver"]

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or not Path("/bin/sh").exists(),
    reason="scripts/setup-system.sh is a POSIX shell script for Debian-like systems",
)


def _uno_in_system_python() -> bool:
    try:
        probe = subprocess.run(["/usr/bin/python3", "-c", "import uno"], capture_output=True, timeout=60, check=False)
    except OSError:
        return False
    return probe.returncode == 0


UNO = _uno_in_system_python()
needs_uno = pytest.mark.skipif(
    not UNO, reason="/usr/bin/python3 cannot import uno here, so the script always finds python3-uno missing"
)
UNO_PACKAGES = [] if UNO else ["python3-uno"]
"""What the script adds for the UNO check on this machine: nothing where python3-uno is installed."""


def _tool(folder: Path, name: str, body: str = "exit 0") -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def _browser(folder: Path) -> None:
    """Stand-ins for what chromium and chromium-driver put on PATH."""
    _tool(folder, "chromium")
    _tool(folder, "chromedriver")


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    return folder


@pytest.fixture
def apt_log(tmp_path: Path) -> Path:
    return tmp_path / "apt-get.log"


def _fake_apt_get(bin_dir: Path, log: Path, install: str = "", status: int = 0) -> None:
    """An apt-get that appends ``DEBIAN_FRONTEND=... ARGS`` to *log*; on ``install`` it runs *install* first."""
    _tool(
        bin_dir,
        "apt-get",
        f'echo "DEBIAN_FRONTEND=${{DEBIAN_FRONTEND:-}} $*" >> "{log}"\n'
        f'case " $* " in *" install "*) {install or ":"} ;; esac\n'
        f"exit {status}",
    )


def _run(bin_dir: Path, *, uid: int) -> subprocess.CompletedProcess[str]:
    _tool(bin_dir, "id", f'[ "$1" = -u ] && echo {uid}')
    return subprocess.run(
        [str(SCRIPT)],
        env={"PATH": str(bin_dir), "HOME": str(bin_dir.parent)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@needs_uno
@pytest.mark.parametrize("uid", [0, 1000])
def test_nothing_missing_exits_0_quietly_without_apt_get(bin_dir: Path, apt_log: Path, uid: int) -> None:
    _tool(bin_dir, "soffice")
    _tool(bin_dir, "pdftoppm")
    _browser(bin_dir)
    _fake_apt_get(bin_dir, apt_log)

    result = _run(bin_dir, uid=uid)

    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert not apt_log.exists(), "apt-get was called although nothing is missing"


def test_missing_soffice_without_root_exits_2_with_the_command(bin_dir: Path, apt_log: Path) -> None:
    _tool(bin_dir, "pdftoppm")
    _browser(bin_dir)
    _fake_apt_get(bin_dir, apt_log)

    result = _run(bin_dir, uid=1000)

    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    command = " ".join(["sudo apt-get install --no-install-recommends", *SOFFICE_PACKAGES, *UNO_PACKAGES])
    assert f"\n  {command}\n" in result.stderr
    assert "`command -v soffice` fails" in result.stderr
    assert not apt_log.exists(), "apt-get was called without root"


@needs_uno
def test_missing_soffice_as_root_installs_the_packages(bin_dir: Path, apt_log: Path) -> None:
    chmod = shutil.which("chmod")
    if chmod is None:
        pytest.skip("no chmod on PATH for the stand-in installation")
    _tool(bin_dir, "pdftoppm")
    _browser(bin_dir)
    # The stand-in installation puts an soffice on PATH, as the real packages would.
    soffice = bin_dir / "soffice"
    _fake_apt_get(bin_dir, apt_log, install=f"echo '#!/bin/sh' > '{soffice}' && '{chmod}' 755 '{soffice}'")

    result = _run(bin_dir, uid=0)

    assert apt_log.read_text(encoding="utf-8").splitlines() == [
        "DEBIAN_FRONTEND= update -qq",
        "DEBIAN_FRONTEND=noninteractive install -y -qq --no-install-recommends " + " ".join(SOFFICE_PACKAGES),
    ]
    assert result.returncode == 0, result.stderr
    packages = " ".join(SOFFICE_PACKAGES)
    assert result.stdout.splitlines() == [
        f"setup-system.sh: installing {packages}, because the real-client tests drive LibreOffice"
    ]


def test_everything_missing_as_root_installs_every_package(bin_dir: Path, apt_log: Path) -> None:
    _fake_apt_get(bin_dir, apt_log)

    result = _run(bin_dir, uid=0)

    packages = [*SOFFICE_PACKAGES, *UNO_PACKAGES, "poppler-utils", *BROWSER_PACKAGES]
    assert apt_log.read_text(encoding="utf-8").splitlines() == [
        "DEBIAN_FRONTEND= update -qq",
        "DEBIAN_FRONTEND=noninteractive install -y -qq --no-install-recommends " + " ".join(packages),
    ]
    # The stand-in installed nothing, and the script checks again after the installation.
    assert result.returncode == 1
    assert "still missing after the installation" in result.stderr


def test_a_failing_installation_exits_non_zero(bin_dir: Path, apt_log: Path) -> None:
    _tool(bin_dir, "pdftoppm")
    _browser(bin_dir)
    _fake_apt_get(bin_dir, apt_log, install="exit 100")

    result = _run(bin_dir, uid=0)

    assert result.returncode == 1
    assert "apt-get install " + " ".join([*SOFFICE_PACKAGES, *UNO_PACKAGES]) + " failed" in result.stderr


def test_root_without_apt_get_exits_2_with_the_command(bin_dir: Path) -> None:
    _tool(bin_dir, "soffice")

    result = _run(bin_dir, uid=0)

    assert result.returncode == 2
    command = " ".join(["apt-get install --no-install-recommends", *UNO_PACKAGES, "poppler-utils", *BROWSER_PACKAGES])
    assert f"\n  {command}\n" in result.stderr
    assert "sudo" not in result.stderr


@needs_uno
def test_missing_browser_as_root_installs_chromium_and_its_driver(bin_dir: Path, apt_log: Path) -> None:
    _tool(bin_dir, "soffice")
    _tool(bin_dir, "pdftoppm")
    _tool(bin_dir, "chromium")  # the browser is there, its WebDriver is not
    _fake_apt_get(bin_dir, apt_log)

    result = _run(bin_dir, uid=0)

    assert apt_log.read_text(encoding="utf-8").splitlines() == [
        "DEBIAN_FRONTEND= update -qq",
        "DEBIAN_FRONTEND=noninteractive install -y -qq --no-install-recommends chromium-driver",
    ]
    assert result.stdout.splitlines() == [
        "setup-system.sh: installing chromium-driver, because the browser tests drive Chromium through its WebDriver"
    ]
    # The stand-in installed nothing, and the script checks again after the installation.
    assert result.returncode == 1
    assert "`command -v chromedriver` fails" in result.stderr
