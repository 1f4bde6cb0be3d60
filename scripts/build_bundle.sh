#!/usr/bin/env bash
# Build the one-folder program (installer/remoteedu.spec), run its self-test offscreen and print its
# size; fails when the self-test fails or the program is over the size goal (issue 9 items 1 and 6).
# 打包单目录程序，在无界面模式下运行自检，并打印程序大小；自检失败或超过大小目标时失败。
#
# Usage: bash scripts/build_bundle.sh
# Environment: BUNDLE_GOAL_MB (default 160), BUNDLE_CLEAN=1 to rebuild from scratch (pyinstaller --clean).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

GOAL_MB="${BUNDLE_GOAL_MB:-160}"
# Measured with PySide6 6.11.3 on Python 3.11 (a PyInstaller older than its hooks misses Qt plugins).
PYINSTALLER_VERSION="6.22.3"
DIST="dist/RemoteEdu"

step() { printf '\n==> %s\n' "$*"; }
die() { printf '\nERROR / 错误: %s\n' "$*" >&2; exit 1; }

bash scripts/install.sh --with-build  # PyInstaller, and on Debian/Ubuntu icu-devtools, gcc, binutils

step "PyInstaller"
if ! .venv/bin/python -c "import PyInstaller" >/dev/null 2>&1; then
    printf '    pip install pyinstaller==%s\n' "$PYINSTALLER_VERSION"
    .venv/bin/python -m pip install -qq --disable-pip-version-check "pyinstaller==$PYINSTALLER_VERSION"
fi
printf '    PyInstaller %s\n' "$(.venv/bin/python -c 'import PyInstaller; print(PyInstaller.__version__)')"

if [[ "$(uname -s)" == "Linux" ]]; then
    for tool in icupkg cc nm objdump strip; do
        command -v "$tool" >/dev/null 2>&1 && continue
        printf '    WARNING: %s not found: ICU data stays full size (+22 MB); apt-get install icu-devtools gcc binutils\n' "$tool"
        printf '    警告：找不到 %s，ICU 数据无法精简（多 22 MB）\n' "$tool"
    done
fi

step "Building / 打包 ($DIST)"
started=$SECONDS
clean=()
[[ "${BUNDLE_CLEAN:-0}" == "1" ]] && clean=(--clean)
.venv/bin/pyinstaller --noconfirm --log-level WARN "${clean[@]}" installer/remoteedu.spec
printf '    built in %d s / 用时 %d 秒\n' $((SECONDS - started)) $((SECONDS - started))

EXE="$DIST/RemoteEdu"
[[ -f "$EXE.exe" ]] && EXE="$EXE.exe"
[[ -x "$EXE" ]] || die "$EXE was not built / 没有生成 $EXE"

step "Self-test / 自检 ($EXE --self-test)"
rc=0
QT_QPA_PLATFORM=offscreen timeout 600 "$EXE" --self-test || rc=$?
[[ $rc -eq 0 ]] || die "the bundle's self-test failed (exit code $rc) / 打包后的程序自检失败（退出码 $rc）"

step "Size / 大小"
kib="$(du -sk "$DIST" | cut -f1)"
mib="$(awk -v k="$kib" 'BEGIN { printf "%.1f", k / 1024 }')"
printf '    %s\n' "$(du -sh "$DIST")"
printf '    Bundle size / 程序大小: %s MB (goal / 目标: under %s MB)\n' "$mib" "$GOAL_MB"
if awk -v m="$mib" -v g="$GOAL_MB" 'BEGIN { exit !(m > g) }'; then
    die "the bundle is $mib MB, over the goal of $GOAL_MB MB / 程序 $mib MB，超过 $GOAL_MB MB 的目标"
fi
printf '    OK / 通过\n'
