#!/bin/sh
# Install the system packages the test suite needs, when they are missing. `make test` runs this first.
#
# Each need is one line `need CHECK WHY PACKAGE...` in check_all below: CHECK is a shell command that succeeds
# when the need is met (a need is detected by what is usable, not by package names), WHY says in a few words
# what needs it, and the PACKAGEs are the Debian packages that meet it. To add a need, add a line there.
#
# - Nothing missing: prints nothing and exits 0, without calling apt-get.
# - Something missing, running as root and apt-get on PATH: says in one line what it installs and why, runs
#   `apt-get update -qq` and `apt-get install -y -qq --no-install-recommends PACKAGE...`, checks again, and
#   exits 0; exits 1 when the installation fails or a need is still not met after it.
# - Something missing otherwise (not root, or no apt-get): prints to stderr what is missing and the one
#   command that installs it, and exits 2.
#
# The uid comes from `id -u` and the tools from PATH (`command -v`), so a test runs this script with a PATH
# that holds its own `id`, `apt-get` and tools; there are no switches for testing.
set -eu

me="setup-system.sh"

need() {
    check="$1"
    why="$2"
    shift 2
    if eval "$check" >/dev/null 2>&1; then
        return 0
    fi
    missing_packages="${missing_packages:+$missing_packages }$*"
    missing_lines="$missing_lines
  - $*: $why (\`$check\` fails)"
    whys="${whys:+$whys; }$why"
}

check_all() {
    missing_packages=""
    missing_lines=""
    whys=""
    #    CHECK                               WHY                                                          PACKAGE...
    need 'command -v soffice'               'the real-client tests drive LibreOffice'                      libreoffice-writer-nogui libreoffice-calc-nogui
    need '/usr/bin/python3 -c "import uno"' 'the real-client tests reach LibreOffice through UNO in /usr/bin/python3' python3-uno
    need 'command -v pdftoppm'              'the gallery test turns LibreOffice PDFs into page images'     poppler-utils
    need 'command -v chromium'              'the browser tests fill the web form in Chromium'              chromium
    need 'command -v chromedriver'          'the browser tests drive Chromium through its WebDriver'        chromium-driver
}

check_all
if [ -z "$missing_packages" ]; then
    exit 0
fi

uid="$(id -u)"
if [ "$uid" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    if [ "$uid" != 0 ]; then
        reason="only root can install them"
        command="sudo apt-get install --no-install-recommends $missing_packages"
    else
        reason="there is no apt-get here; these are Debian's names"
        command="apt-get install --no-install-recommends $missing_packages"
    fi
    {
        echo "$me: the tests need system packages that are missing ($reason):$missing_lines"
        echo "Install them with:"
        echo "  $command"
    } >&2
    exit 2
fi

echo "$me: installing $missing_packages, because $whys"
if ! apt-get update -qq; then
    echo "$me: apt-get update failed" >&2
    exit 1
fi
# shellcheck disable=SC2086  # $missing_packages unquoted on purpose: one word per package
if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing_packages >/dev/null; then
    echo "$me: apt-get install $missing_packages failed" >&2
    exit 1
fi

check_all
if [ -n "$missing_packages" ]; then
    echo "$me: still missing after the installation:$missing_lines" >&2
    exit 1
fi
