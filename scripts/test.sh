#!/usr/bin/env bash
# Install everything, lint, and run the whole test suite offscreen.
# 安装所需的一切，做代码检查，并在无界面模式下运行全部测试。
#
# Usage: bash scripts/test.sh [extra pytest arguments, e.g. -k certificate -x]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install.sh --with-postgres

# Issue 10: the data, service and sync tests run on SQLite and on a PostgreSQL server started on loopback.
# REMOTEEDU_TEST_PG=skip runs them on SQLite only (a machine without PostgreSQL); a given
# REMOTEEDU_TEST_PG_URL is used as it is.
if [[ "${REMOTEEDU_TEST_PG:-}" == "skip" ]]; then
    printf '\n==> PostgreSQL skipped (REMOTEEDU_TEST_PG=skip) / 跳过 PostgreSQL 测试\n'
    unset REMOTEEDU_TEST_PG_URL
elif [[ -z "${REMOTEEDU_TEST_PG_URL:-}" ]]; then
    printf '\n==> PostgreSQL test server on loopback / 启动测试用 PostgreSQL\n'
    REMOTEEDU_TEST_PG_URL="$(bash scripts/postgres.sh start)"
    export REMOTEEDU_TEST_PG_URL
    printf '    %s\n' "$REMOTEEDU_TEST_PG_URL"
fi

printf '\n==> Lint (ruff) / 代码检查\n'
.venv/bin/ruff check remoteedu_desktop tests bench installer scripts

printf '\n==> Tests (pytest on every core, offscreen Qt) / 运行测试\n'
rc=0
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q -n auto --dist loadscope "$@" || rc=$?

if [[ $rc -eq 5 ]]; then
    printf '\nERROR / 错误: pytest collected no tests (exit code 5); that counts as a failure.\n' >&2
    printf '              没有收集到任何测试，按失败处理。\n' >&2
    exit 1
fi
exit "$rc"
