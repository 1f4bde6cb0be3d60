#!/usr/bin/env bash
# Install everything, create a demo database (once) and start the program on it.
# 安装所需的一切，（首次）生成演示数据库，并用它启动程序。
#
# Usage: bash scripts/demo.sh [extra arguments for remoteedu-desktop]
# The demo data lives in $REMOTEEDU_HOME, default ~/.local/share/RemoteEdu-demo,
# so it never touches a real office database.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install.sh

DEMO_HOME="${REMOTEEDU_HOME:-${HOME:?}/.local/share/RemoteEdu-demo}"

printf '\n==> Preparing the demo database / 准备演示数据库\n'
printf '    %s\n' "$DEMO_HOME"
.venv/bin/remoteedu --home "$DEMO_HOME" demo --if-missing

if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" && -z "${QT_QPA_PLATFORM:-}" ]]; then
    printf '    WARNING: no graphical display found (DISPLAY is not set); the window may fail to open.\n' >&2
    printf '    警告：未检测到图形显示（DISPLAY 未设置），程序窗口可能无法打开。\n' >&2
fi

printf '\n==> Starting RemoteEdu Desktop / 启动远程教育骨干队伍管理\n'
exec .venv/bin/remoteedu-desktop --home "$DEMO_HOME" "$@"
