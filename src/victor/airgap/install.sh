#!/bin/sh
# Install Victor from this air-gapped bundle on a machine with Python @PYTHON_VERSION@ and no network:
#     sh install.sh [VENV_DIR]      VENV_DIR defaults to $VICTOR_HOME/venv ($VICTOR_HOME: ~/.victor)
# It verifies every file against SHA256SUMS, makes VENV_DIR from the bundled wheels with --no-index,
# then runs `VENV_DIR/bin/victor airgap install BUNDLE`. If anything fails, a VENV_DIR it made is removed.
set -eu

BUNDLE=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
VENV_DIR=${1:-${VICTOR_HOME:-$HOME/.victor}/venv}
WANT=@PYTHON_VERSION@

fail() { echo "install.sh: error: $*" >&2; exit 1; }

PYTHON=${PYTHON:-$(command -v "python$WANT" || command -v python3 || true)}
[ -n "$PYTHON" ] || fail "no python3 on PATH; this bundle needs Python $WANT"
HAVE=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
[ "$HAVE" = "$WANT" ] || fail "$PYTHON is Python $HAVE, but the bundle's wheels are for Python $WANT (set PYTHON=/path/to/python$WANT)"
command -v sha256sum >/dev/null 2>&1 || fail "sha256sum (GNU coreutils) is needed to verify the bundle"

echo "verifying $BUNDLE against SHA256SUMS"
(cd "$BUNDLE" && sha256sum --check --quiet --strict SHA256SUMS) >&2 \
    || fail "the bundle is corrupt or incomplete (the bad file is named above); nothing was installed"

MADE_VENV=""
trap '[ -z "$MADE_VENV" ] || rm -rf "$VENV_DIR"' EXIT
[ -e "$VENV_DIR" ] || MADE_VENV=1
echo "creating $VENV_DIR from the bundled wheels"
"$PYTHON" -m venv --without-pip "$VENV_DIR"
for PIP_WHEEL in "$BUNDLE"/wheels/pip-*.whl; do :; done
"$VENV_DIR/bin/python" "$PIP_WHEEL/pip" install --isolated --no-index --find-links "$BUNDLE/wheels" \
    --quiet --disable-pip-version-check pip -r "$BUNDLE/requirements.txt"
"$VENV_DIR/bin/victor" airgap install "$BUNDLE"
MADE_VENV=""
echo "Victor is installed: $VENV_DIR/bin/victor (try: $VENV_DIR/bin/victor doctor --offline)"
