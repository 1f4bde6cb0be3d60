"""``remoteedu certificates eligible|issue|print|verify`` (cli_certificates.py) through the main CLI's
``main()``, on a small demo county whose certificates are frozen like real issues."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from remoteedu_desktop import cli, paths
from remoteedu_desktop.data.database import open_database
from remoteedu_desktop.data.models import Certificate, CertificatePrint
from remoteedu_desktop.services import certificate_register


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "demo", "--townships", "2", "--sites", "3", "--seed", "7")
    assert code == 0, err


def certificates() -> list[Certificate]:
    """The demo's certificates that are valid today (its lapsed appointment terms left out)."""
    db = open_database(paths.database_url())
    try:
        with db.session() as s:
            return [c for c in s.scalars(select(Certificate).order_by(Certificate.number))
                    if c.valid_until is None or c.valid_until >= dt.date.today()]
    finally:
        db.dispose()


def pdf_pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[1] for line in out.splitlines() if line.startswith("Pages:")))


def test_eligible_then_issue_all(demo: None, capsys: pytest.CaptureFixture[str]) -> None:
    # The demo has certified everyone who qualifies: revoking one on-duty certificate makes its holder
    # eligible again.
    revoked = next(c for c in certificates() if c.kind == "on_duty")
    db = open_database(paths.database_url())
    try:
        with db.session() as s:
            certificate_register.revoke(s, revoked.id, reason="证书信息有误", on=dt.date(2026, 11, 1))
    finally:
        db.dispose()
    code, out, err = run(capsys, "certificates", "eligible")
    assert code == 0, err
    lines = out.splitlines()
    total, can = map(int, re.fullmatch(r"共 (\d+) 人次，可发放 (\d+) 本。", lines[-1]).groups())  # type: ignore[union-attr]
    assert total == len(lines) - 1 and sum("  可发放" in line for line in lines) == can
    assert any("已持有有效" in line for line in lines)  # the demo's certificates count
    assert can >= 1 and lines[0].endswith("上岗证书  可发放")
    code, out, _ = run(capsys, "certificates", "eligible", "--kind", "appointment")
    assert code == 0 and "上岗证书" not in out
    before = len(certificates())
    code, out, err = run(capsys, "certificates", "issue", "--all-eligible", "--date", "2026-11-02")
    assert code == 0, err
    issued = out.splitlines()
    assert issued[-1] == f"已发放 {can} 本证书。"
    assert all(re.match(r"3604992026(SG|PR)\d{4}  ", line) for line in issued[:-1])
    assert len(certificates()) == before + can
    code, out, _ = run(capsys, "certificates", "eligible")
    assert out.splitlines()[-1].endswith("可发放 0 本。")
    code, out, _ = run(capsys, "certificates", "issue", "--all-eligible", "--kind", "on-duty")
    assert code == 0 and out.strip() == "目前没有符合条件的人员，未发放证书。"


def test_print_one_and_all(demo: None, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    certs = certificates()
    first = certs[0]
    one = tmp_path / "one.pdf"
    code, out, err = run(capsys, "certificates", "print", "--number", first.number, "--out", str(one))
    assert code == 0, err
    assert hashlib.sha256(one.read_bytes()).hexdigest() == first.pdf_sha256  # the frozen bytes
    text = subprocess.run(["pdftotext", str(one), "-"], capture_output=True, text=True, check=True).stdout
    assert json.loads(first.snapshot_json or "")["values"]["name"] in text.replace(" ", "")
    every = tmp_path / "all.pdf"
    code, out, err = run(capsys, "certificates", "print", "--all", "--out", str(every))
    assert code == 0, err
    assert pdf_pages(every) == len(certs) and f"（{len(certs)} 本证书）" in out
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left
    db = open_database(paths.database_url())
    try:
        with db.session() as s:
            logged = s.scalars(select(CertificatePrint)).all()
    finally:
        db.dispose()
    assert len(logged) == len(certs) + 1
    assert all(p.target.startswith("文件 ") and p.target.endswith(".pdf") for p in logged)
    code, _, err = run(capsys, "certificates", "print", "--number", "NOPE", "--out", str(one))
    assert code == 1 and "NOPE" in err
    code, _, err = run(capsys, "certificates", "print", "--all", "--out", str(tmp_path / "no" / "x.pdf"))
    assert code == 1 and "目录不存在" in err


def test_verify(demo: None, capsys: pytest.CaptureFixture[str]) -> None:
    cert = certificates()[0]
    values = json.loads(cert.snapshot_json or "")["values"]
    code, out, err = run(capsys, "certificates", "verify", values["code"])
    assert code == 0, err
    assert out.startswith("真实有效") and f"证书编号：{cert.number}" in out and f"姓名：{values['name']}" in out
    assert "当前状态：有效" in out
    tampered = values["code"][:-3] + ("A" if values["code"][-3] != "A" else "B") + values["code"][-2:]
    code, out, _ = run(capsys, "certificates", "verify", tampered)
    assert code == 1 and "签名不符" in out
    code, out, _ = run(capsys, "certificates", "verify", "hello")
    assert code == 1 and "无法识别" in out
    db = open_database(paths.database_url())
    try:
        with db.session() as s:
            certificate_register.revoke(s, cert.id, reason="冒名顶替", on=dt.date(2026, 11, 1))
    finally:
        db.dispose()
    code, out, _ = run(capsys, "certificates", "verify", values["code"])
    assert code == 1 and "当前状态：已吊销（冒名顶替）" in out
