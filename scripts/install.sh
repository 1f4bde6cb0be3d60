#!/usr/bin/env bash
# Install everything RemoteEdu Desktop needs on a Debian/Ubuntu machine:
# the Qt runtime libraries, poppler-utils (used by the tests), a .venv at the
# repository root and the project itself in editable mode.
#
# 安装 RemoteEdu Desktop 运行和测试所需的一切：系统库、.venv 虚拟环境和本项目。
#
# Safe to run again: it installs only what is missing and skips the pip step
# when pyproject.toml has not changed since the last successful run.
#
# Usage: bash scripts/install.sh [--with-build] [--with-postgres] [--force]
#   --with-build   also install the build extra (PyInstaller)
#   --with-postgres  also install the PostgreSQL server (the tests run the data, service and sync tests on it)
#   --force        re-run the pip step even if nothing seems to have changed
# Environment: PYTHON=/path/to/python3.11+ to choose the interpreter.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO_ROOT="$(pwd)"

WITH_BUILD=0
WITH_POSTGRES=0
FORCE=0
for arg in "$@"; do
    case "$arg" in
        --with-build) WITH_BUILD=1 ;;
        --with-postgres) WITH_POSTGRES=1 ;;
        --force) FORCE=1 ;;
        -h|--help)
            sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "install.sh: unknown argument: $arg (try --help)" >&2
            exit 2
            ;;
    esac
done

step() { printf '\n==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
die() { printf '\nERROR / 错误: %s\n' "$*" >&2; exit 1; }

# Qt offscreen + real X11 display, and poppler-utils (pdftoppm/pdffonts) for the tests.
SYSTEM_PACKAGES=(
    libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0 libxkbcommon0
    libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
    libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xkb1 libxcb-util1 libx11-xcb1
    poppler-utils
)

have() { command -v "$1" >/dev/null 2>&1; }

# Ubuntu 24.04 renamed some libraries with a "t64" suffix (libglib2.0-0t64); accept either name.
is_installed() {
    local pkg status
    for pkg in "$1" "$1t64"; do
        status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
        [[ "$status" == *"ok installed"* ]] && return 0
    done
    return 1
}

SUDO=()
APT_UPDATED=0

# Prints the command the user has to run when we cannot become root, then stops.
need_root() {
    if [[ $EUID -eq 0 ]]; then
        SUDO=()
    elif have sudo; then
        SUDO=(sudo env DEBIAN_FRONTEND=noninteractive)
        note "Using sudo for apt-get / 需要 sudo 权限来运行 apt-get"
    else
        {
            echo
            echo "ERROR / 错误: these system packages are missing and this script is not running as root"
            echo "              (and sudo is not installed). Run as root, then run this script again:"
            echo "              缺少以下系统软件包，请以 root 身份运行下面的命令，然后重新运行本脚本："
            echo
            echo "    apt-get update && apt-get install -y --no-install-recommends $*"
            echo
        } >&2
        exit 1
    fi
}

apt_update_once() {
    if [[ $APT_UPDATED -eq 0 ]]; then
        note "apt-get update ..."
        "${SUDO[@]}" apt-get -qq update
        APT_UPDATED=1
    fi
}

# The installable name for a package: itself, its t64 twin, or nothing if the
# distribution does not carry it (then we warn instead of failing the whole install).
candidate_name() {
    local pkg candidate
    for pkg in "$1" "$1t64"; do
        candidate="$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ {print $2; exit}')"
        if [[ -n "$candidate" && "$candidate" != "(none)" ]]; then
            echo "$pkg"
            return 0
        fi
    done
    return 1
}

# apt_install PKG... : installs those of PKG that are not installed yet.
apt_install() {
    local missing=() to_install=() pkg name
    for pkg in "$@"; do
        is_installed "$pkg" || missing+=("$pkg")
    done
    if [[ ${#missing[@]} -eq 0 ]]; then
        return 0
    fi
    note "Missing / 缺少: ${missing[*]}"
    need_root "${missing[@]}"
    export DEBIAN_FRONTEND=noninteractive
    apt_update_once
    for pkg in "${missing[@]}"; do
        if name="$(candidate_name "$pkg")"; then
            to_install+=("$name")
        else
            note "WARNING: package '$pkg' is not available on this system, skipped / 此系统没有软件包 '$pkg'，已跳过"
        fi
    done
    if [[ ${#to_install[@]} -gt 0 ]]; then
        note "apt-get install ${to_install[*]}"
        "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${to_install[@]}" >/dev/null
    fi
}

HAVE_APT=0
if have dpkg-query && have apt-get; then
    HAVE_APT=1
fi

# ---------------------------------------------------------------- system libraries
step "Installing system libraries / 安装系统库"
if [[ $HAVE_APT -eq 1 ]]; then
    apt_install "${SYSTEM_PACKAGES[@]}"
    if [[ $WITH_BUILD -eq 1 ]]; then
        # the bundle build slims Qt's ICU data with icupkg, a C compiler and binutils (installer/slim_icu.py)
        apt_install icu-devtools gcc binutils
    fi
    if [[ $WITH_POSTGRES -eq 1 ]]; then
        # a throwaway server on loopback for the tests (scripts/postgres.sh), from the distribution's packages
        apt_install postgresql
    fi
    note "System libraries OK / 系统库已就绪"
else
    note "WARNING: not a Debian/Ubuntu system (no apt-get); install the Qt runtime libraries"
    note "         (EGL, OpenGL, xcb, xkbcommon, fontconfig) and poppler-utils yourself."
    note "警告：不是 Debian/Ubuntu 系统，请自行安装 Qt 运行库和 poppler-utils。"
fi

# ---------------------------------------------------------------- python
step "Checking Python (3.11 or newer) / 检查 Python（需要 3.11 或更高版本）"
python_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1; }

PY=""
if [[ -n "${PYTHON:-}" ]]; then
    python_ok "$PYTHON" || die "PYTHON=$PYTHON is not Python 3.11 or newer / PYTHON 指定的解释器版本低于 3.11"
    PY="$PYTHON"
else
    for candidate in python3 python3.13 python3.12 python3.11; do
        if have "$candidate" && python_ok "$candidate"; then
            PY="$candidate"
            break
        fi
    done
fi
[[ -n "$PY" ]] || die "Python 3.11 or newer not found; install it (e.g. apt-get install python3) or set PYTHON=...
       未找到 Python 3.11 或更高版本，请先安装，或用 PYTHON=... 指定。"
PY_VERSION="$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
note "Using / 使用 $(command -v "$PY") (Python $PY_VERSION)"

# ---------------------------------------------------------------- virtual environment
step "Creating virtual environment .venv / 创建虚拟环境 .venv"
VENV="$REPO_ROOT/.venv"
VPY="$VENV/bin/python"

venv_ok() {
    [[ -x "$VPY" ]] && python_ok "$VPY" && "$VPY" -m pip --version >/dev/null 2>&1
}

if venv_ok; then
    note ".venv already exists / .venv 已存在"
else
    if [[ -e "$VENV" ]]; then
        note "Existing .venv is broken or too old, recreating / 现有 .venv 不可用，重新创建"
        rm -rf "$VENV"
    fi
    # Debian ships venv's ensurepip in a separate package (python3-venv / python3.X-venv).
    if ! "$PY" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        if [[ $HAVE_APT -eq 1 ]]; then
            note "python -m venv is unavailable, installing python3-venv / 安装 python3-venv"
            apt_install python3-venv "python${PY_VERSION}-venv"
        else
            die "'$PY -m venv' is unavailable; install the venv module for your Python / 请安装 Python 的 venv 模块"
        fi
    fi
    "$PY" -m venv "$VENV" || die "'$PY -m venv .venv' failed / 创建虚拟环境失败"
    FORCE=1
    note "Created / 已创建 $VENV"
fi

# ---------------------------------------------------------------- python packages
step "Installing Python packages / 安装 Python 依赖"
EXTRAS="test"
if [[ $WITH_BUILD -eq 1 ]]; then
    EXTRAS="test,build"
fi

# Skip pip when pyproject.toml and the extras are the same as at the last successful install.
# An install with the build extra also satisfies a later run without it.
STAMP="$VENV/.remoteedu-install-stamp"
stamp_base="$(sha256sum pyproject.toml | cut -d' ' -f1) python=$PY_VERSION"
stamp_now="$(cat "$STAMP" 2>/dev/null || true)"

if [[ $FORCE -eq 0 && -x "$VENV/bin/remoteedu" && -x "$VENV/bin/remoteedu-desktop" ]] \
   && [[ "$stamp_now" == "$stamp_base extras=$EXTRAS" || "$stamp_now" == "$stamp_base extras=test,build" ]]; then
    note "Up to date, skipped (use --force to reinstall) / 已是最新，跳过（--force 强制重装）"
else
    rm -f "$STAMP"
    note "Upgrading pip / 升级 pip"
    "$VPY" -m pip install -qq --disable-pip-version-check --upgrade pip
    note "pip install -e \".[$EXTRAS]\" (this can take a few minutes the first time / 首次安装可能需要几分钟)"
    "$VENV/bin/pip" install -qq --disable-pip-version-check -e ".[$EXTRAS]"
    echo "$stamp_base extras=$EXTRAS" >"$STAMP"
fi

step "Done / 完成"
note "Virtual environment / 虚拟环境: $VENV"
note "Start the program / 启动程序:   bash scripts/demo.sh"
note "Run the tests / 运行测试:       bash scripts/test.sh"
