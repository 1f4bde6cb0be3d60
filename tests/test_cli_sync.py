"""``remoteedu sync enroll|status`` (cli_sync.py) through the main CLI's ``main()``: a county and a township,
each in its own data directory, enrol each other as a clerk would (issue 6, items 1 and 10)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from remoteedu_desktop import cli, paths
from remoteedu_desktop.data.database import Database, open_database
from remoteedu_desktop.services import office_keys
from remoteedu_desktop.services import sync_enrolment as se

SHORT = r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}"


def run(capsys: pytest.CaptureFixture[str], home: Path, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["--home", str(home), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def database(home: Path) -> Database:
    return open_database(f"sqlite:///{home / paths.DB_FILENAME}")


@pytest.fixture
def homes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[tuple[Path, Path]]:
    county, township = tmp_path / "county", tmp_path / "township"
    code, _, err = run(capsys, county, "init", "--level", "county", "--code", "360499", "--name", "青山县")
    assert code == 0, err
    yield county, township


def fingerprint_line(out: str) -> str:
    found = re.findall(SHORT, out)
    assert found, out
    return found[0]


def test_enroll_install_accept_and_status(homes: tuple[Path, Path], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    county, township = homes
    file = tmp_path / "龙潭镇.json"
    code, out, err = run(capsys, county, "sync", "enroll", "--township", "360499100", "--name", "龙潭镇",
                         "--out", str(file))
    assert code == 0, err
    assert "已添加乡镇远程办：龙潭镇（360499100）" in out and str(file.resolve()) in out
    county_fp = fingerprint_line(out)
    db = database(county)
    try:
        with db.session() as s:
            assert office_keys.own_fingerprint(s).short == county_fp
    finally:
        db.dispose()
    code, out, _ = run(capsys, county, "sync", "enroll", "--township", "360499100", "--out", str(file))
    assert code == 0 and "乡镇远程办已添加过：龙潭镇（360499100）" in out

    # The township's PC starts with an empty data directory.
    code, out, err = run(capsys, township, "sync", "enroll", "--install", str(file))
    assert code == 0, err
    assert "本机已设置为乡镇远程办：龙潭镇（360499100）" in out
    assert "已安装青山县（360499）的登记文件" in out and fingerprint_line(out) == county_fp
    township_fp = re.search(rf"本机指纹.*?({SHORT})", out).group(1)  # type: ignore[union-attr]
    code, out, _ = run(capsys, township, "sync", "enroll", "--install", str(file))
    assert code == 0 and "此登记文件已安装过，未作改动" in out and "本机已设置" not in out
    code, out, _ = run(capsys, township, "sync", "status")
    assert code == 0
    assert "本机：龙潭镇（360499100，乡镇远程办）" in out and f"本机指纹：{township_fp}" in out
    row = next(line for line in out.splitlines() if "360499 " in line)
    assert "青山县" in row and "县" in row and "已确认" in row and county_fp in row

    # The township's keys reach the county with its first bundle (the import is a later step: here, directly).
    tdb = database(township)
    try:
        with tdb.session() as s:
            keys = office_keys.public_key_bytes(s), office_keys.exchange_public_bytes(s)
    finally:
        tdb.dispose()
    db = database(county)
    try:
        with db.session() as s:
            se.pending_peer_key(s, "360499100", *keys)
    finally:
        db.dispose()
    code, out, _ = run(capsys, county, "sync", "status")
    assert "收到密钥，待电话核对指纹" in out and township_fp not in out, "the clerk must type it, not copy it"
    wrong = township_fp[:-1] + ("0" if township_fp[-1] != "0" else "1")
    code, _, err = run(capsys, county, "sync", "enroll", "--accept", "360499100", "--fingerprint", wrong)
    assert code == 1 and "【指纹】与龙潭镇（360499100）发来的密钥不符" in err
    code, out, err = run(capsys, county, "sync", "enroll", "--accept", "360499100",
                         "--fingerprint", township_fp.lower().replace("-", " "))
    assert code == 0, err
    assert out.strip() == f"已确认龙潭镇（360499100）的密钥，指纹 {township_fp}。"
    code, out, _ = run(capsys, county, "sync", "status")
    assert code == 0 and "本机：青山县（360499，县远程办）" in out and "对方单位 1 个：" in out
    row = next(line for line in out.splitlines() if "360499100" in line)
    assert re.search(rf"龙潭镇\s+乡镇\s+已确认\s+{township_fp}\s+0\s+0$", row), row


def test_refusals_and_not_found(homes: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    county, township = homes
    file = tmp_path / "龙潭镇.json"
    code, _, err = run(capsys, township, "sync", "enroll", "--install", str(tmp_path / "none.json"))
    assert code == 2 and "找不到文件" in err
    code, _, err = run(capsys, county, "sync", "enroll", "--accept", "360499177", "--fingerprint", "0000")
    assert code == 2 and "本县未添加代码为 360499177 的乡镇远程办" in err
    code, _, err = run(capsys, county, "sync", "enroll", "--township", "360499100", "--name", "龙潭镇")
    assert code == 1 and "--out" in err
    code, _, err = run(capsys, county, "sync", "enroll", "--township", "360499100", "--name", "龙潭镇",
                       "--out", str(tmp_path / "missing" / "x.json"))
    assert code == 1 and "目录不存在" in err
    code, _, err = run(capsys, county, "sync", "enroll", "--township", "360498100", "--name", "外县镇",
                       "--out", str(file))
    assert code == 1 and "应以本县代码 360499 开头" in err and not file.exists()
    code, _, err = run(capsys, county, "sync", "enroll", "--township", "360499100", "--name", "龙潭镇",
                       "--out", str(file))
    assert code == 0, err
    code, _, err = run(capsys, county, "sync", "enroll", "--accept", "360499100", "--fingerprint", "0000")
    assert code == 1 and "尚未收到龙潭镇（360499100）的密钥" in err
    code, _, err = run(capsys, county, "sync", "enroll", "--install", str(file))
    assert code == 1 and "只能在乡镇安装" in err
    tampered = tmp_path / "改过.json"
    tampered.write_bytes(file.read_bytes().replace("龙潭镇".encode(), "龙谭镇".encode()))
    code, _, err = run(capsys, township, "sync", "enroll", "--install", str(tampered))
    assert code == 1 and "改过.json：【登记文件】签名不符" in err
    code, out, _ = run(capsys, township, "sync", "status")
    assert code == 0 and "本机尚未设置单位" in out and "尚无对方单位" in out, "the refused file left no trace"
    code, _, err = run(capsys, township, "sync", "enroll", "--township", "360499101", "--name", "石门乡",
                       "--out", str(file))
    assert code == 1 and "只有县远程办可以添加乡镇远程办" in err


def test_export_verify_import_round_trip(homes: tuple[Path, Path], tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """issue 6, item 10: export at the township, verify and import at the county, as a clerk would."""
    import datetime as dt

    from remoteedu_desktop.services import people
    from remoteedu_desktop.services.id_number import check_digit

    county, township = homes
    file, stick = tmp_path / "龙潭镇.json", tmp_path / "stick"
    stick.mkdir()
    assert run(capsys, county, "sync", "enroll", "--township", "360499100", "--name", "龙潭镇",
               "--out", str(file))[0] == 0
    code, out, _ = run(capsys, township, "sync", "enroll", "--install", str(file))
    township_fp = re.search(rf"本机指纹.*?({SHORT})", out).group(1)  # type: ignore[union-attr]
    tdb = database(township)
    try:
        with tdb.session() as s:
            first17 = "36049919800517011"
            people.add_person(s, people.PersonInput(name="张三", id_number=first17 + check_digit(first17)),
                              today=dt.date(2026, 6, 30))
    finally:
        tdb.dispose()

    code, _, err = run(capsys, township, "sync", "export", "--to", str(tmp_path / "no-stick"))
    assert code == 2 and "目录不存在" in err
    code, out, err = run(capsys, township, "sync", "export", "--to", str(stick))
    assert code == 0, err
    assert "第 1 号" in out and "人员：更改 1" in out and "可以拔出 U 盘" in out
    [bundle] = list(stick.iterdir())
    code, out, err = run(capsys, county, "sync", "verify", str(bundle))
    assert code == 0, err
    assert "结构和校验值正确" in out and "签名未核对" in out and "龙潭镇（360499100）" in out

    code, out, err = run(capsys, county, "sync", "import", str(bundle))
    assert code == 1 and "请电话核对指纹后确认" in err
    assert run(capsys, county, "sync", "enroll", "--accept", "360499100", "--fingerprint", township_fp)[0] == 0
    code, out, err = run(capsys, county, "sync", "verify", str(bundle))
    assert code == 0 and "签名正确" in out
    code, out, err = run(capsys, county, "sync", "import", str(stick), "--dry-run")
    assert code == 0, err
    assert "预览" in out and "人员：新增 1" in out and "数据库未作任何改动" in out
    code, out, err = run(capsys, county, "sync", "import", str(stick))
    assert code == 0, err
    assert "已导入" in out and "人员：新增 1" in out and "导入前备份" in out
    code, out, err = run(capsys, county, "sync", "import", str(bundle))
    assert code == 0 and "已导入过，未作改动" in out

    bad = tmp_path / "bad" / bundle.name
    bad.parent.mkdir()
    data = bytearray(bundle.read_bytes())
    data[-30] ^= 0xFF
    bad.write_bytes(bytes(data))
    code, _, err = run(capsys, county, "sync", "verify", str(bad))
    assert code == 1 and "错误" in err
    code, _, err = run(capsys, county, "sync", "import", str(bad))
    assert code == 1 and "拒收" in err and "已隔离保存" in err
    assert (county / "sync" / "quarantine" / bundle.name).is_file()
    code, _, err = run(capsys, county, "sync", "import", str(tmp_path / "none.zip"))
    assert code == 2 and "找不到" in err
    code, _, err = run(capsys, county, "sync", "verify", str(tmp_path / "none.zip"))
    assert code == 2 and "找不到" in err

    # issue 6, items 5 and 8: the county writes a down bundle per township; the township imports it
    down = tmp_path / "down"
    down.mkdir()
    code, _, err = run(capsys, county, "sync", "export", "--to", str(down), "--township", "360499999")
    assert code == 1 and "不是本县已登记的乡镇" in err
    code, out, err = run(capsys, county, "sync", "export", "--to", str(down))
    assert code == 0, err
    assert "已写入下发数据包（第 1 号）" in out and "可以拔出 U 盘" in out
    [down_bundle] = list(down.iterdir())
    assert down_bundle.name.startswith("CTY-360499-DOWN-360499100-000001-")
    code, _, err = run(capsys, county, "sync", "import", str(down_bundle))
    assert code == 1 and "不能在县里导入" in err
    code, out, err = run(capsys, township, "sync", "import", str(down))
    assert code == 0, err
    assert "已导入" in out and "青山县（360499）" in out
    code, out, err = run(capsys, township, "sync", "import", str(down_bundle))
    assert code == 0 and "已导入过，未作改动" in out
    code, out, err = run(capsys, township, "sync", "export", "--to", str(stick), "--township", "360499100")
    assert code == 1 and "只在县远程办使用" in err
