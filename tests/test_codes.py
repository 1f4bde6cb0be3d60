"""Code tables (remoteedu_desktop.codes)."""

from __future__ import annotations

import pytest

from remoteedu_desktop import codes
from remoteedu_desktop.errors import ValidationError

ALL_TABLES: dict[str, dict[str, str]] = {
    name: value for name, value in vars(codes).items()
    if name.isupper() and isinstance(value, dict) and name != "SOURCE_BY_ROLE"
}


def test_tables_found() -> None:
    assert {"GENDER", "ETHNICITY", "POLITICAL_STATUS", "EDUCATION", "ROLE", "SLOT", "TENURE", "UNIT_KIND",
            "SOURCE_CATEGORY", "TRAINING_TOPIC", "ORGANIZER_LEVEL", "TRAINING_KIND", "TRAINING_MODE",
            "CERTIFICATE_KIND", "CERTIFICATE_STATUS", "ACTIVITY_CHANNEL", "GRADE_STANDARD",
            "GRADE_COMPETENT", "AWARD_KIND", "EVALUATION_TARGET", "FAULT_STATUS"} <= set(ALL_TABLES)


@pytest.mark.parametrize("name", sorted(set(ALL_TABLES) - {"SOURCE_CATEGORY"}))
def test_labels_unique_and_nonempty(name: str) -> None:
    table = ALL_TABLES[name]
    assert table
    assert all(code and lbl for code, lbl in table.items())
    assert len(set(table.values())) == len(table)


def test_ethnicity_56_groups_plus_two() -> None:
    eth = codes.ETHNICITY
    assert len(eth) == 58
    assert list(eth)[:56] == [f"{n:02d}" for n in range(1, 57)]
    assert list(eth)[56:] == ["97", "98"]
    assert all(eth[f"{n:02d}"].endswith("族") for n in range(1, 57))
    assert [eth[c] for c in ("01", "02", "03", "04", "05", "06", "07", "08", "09", "10")] == [
        "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族"]
    assert eth["56"] == "基诺族"
    assert eth["97"] == "其他"
    assert eth["98"] == "外国血统中国籍人士"


def test_national_standard_samples() -> None:
    assert codes.GENDER == {"1": "男", "2": "女"}
    assert len(codes.POLITICAL_STATUS) == 13
    assert codes.POLITICAL_STATUS["01"] == "中共党员"
    assert codes.POLITICAL_STATUS["13"] == "群众"
    assert list(codes.EDUCATION) == ["11", "14", "21", "31", "41", "44", "47", "61", "71", "81", "90"]


def test_role_sets() -> None:
    assert codes.MANAGER_ROLES.issubset(codes.ROLE)
    assert codes.TUTOR_ROLES.issubset(codes.ROLE)
    assert not codes.MANAGER_ROLES & codes.TUTOR_ROLES
    assert set(codes.ROLE) - codes.MANAGER_ROLES - codes.TUTOR_ROLES == {"technician"}


def test_site_kinds() -> None:
    assert sorted(codes.SITE_KINDS) == ["enterprise", "township_station", "village"]
    assert codes.SITE_KINDS.issubset(codes.UNIT_KIND)


def test_source_by_role_covers_roles_and_codes() -> None:
    assert set(codes.SOURCE_BY_ROLE) == set(codes.ROLE)
    used: set[str] = set()
    for role, sources in codes.SOURCE_BY_ROLE.items():
        assert sources, role
        assert len(set(sources)) == len(sources), role
        for code in sources:
            assert code in codes.SOURCE_CATEGORY, (role, code)
            assert code.isascii() and code.isupper()
        labels = [codes.SOURCE_CATEGORY[c] for c in sources]
        assert len(set(labels)) == len(labels), role
        used.update(sources)
    assert used == set(codes.SOURCE_CATEGORY)


def test_source_samples() -> None:
    village = [codes.SOURCE_CATEGORY[c] for c in codes.SOURCE_BY_ROLE["village_manager"]]
    assert village == ["村“两委”班子成员", "大学生村官", "团员青年", "其他"]
    technician = [codes.SOURCE_CATEGORY[c] for c in codes.SOURCE_BY_ROLE["technician"]]
    assert technician[0] == "电信公司"


def test_training_topics() -> None:
    assert list(codes.TRAINING_TOPIC) == ["1", "2", "3", "4", "5", "6", "7"]


def test_topics_mask_round_trip() -> None:
    topics = list(codes.TRAINING_TOPIC)
    for mask in range(1 << len(topics)):
        chosen = codes.mask_to_topics(mask)
        assert codes.topics_to_mask(chosen) == mask
    assert codes.topics_to_mask(["1"]) == 1
    assert codes.topics_to_mask(["7", "1", "1"]) == 0b1000001
    assert codes.topics_to_mask([]) == 0
    assert codes.mask_to_topics(0b1000101) == ["1", "3", "7"]


def test_topics_mask_refuses_bad_values() -> None:
    with pytest.raises(ValidationError) as exc:
        codes.topics_to_mask(["8"])
    assert "培训内容" in str(exc.value)
    with pytest.raises(ValidationError):
        codes.mask_to_topics(1 << 7)
    with pytest.raises(ValidationError):
        codes.mask_to_topics(-1)


def test_grade_scales_share_codes() -> None:
    assert list(codes.GRADE_STANDARD) == ["excellent", "pass", "basic", "fail"]
    assert list(codes.GRADE_COMPETENT) == list(codes.GRADE_STANDARD)
    assert list(codes.GRADE_COMPETENT.values()) == ["优秀", "称职", "基本称职", "不称职"]


def test_label() -> None:
    assert codes.label(codes.GENDER, "2") == "女"
    assert codes.label(codes.GENDER, None) == ""
    assert codes.label(codes.GENDER, "") == ""
    assert codes.label(codes.GENDER, "9") == "9"


def test_require_code() -> None:
    assert codes.require_code(codes.ETHNICITY, "01", field="民族") == "01"
    assert codes.require_code(codes.ETHNICITY, " 03 ", field="民族") == "03"
    with pytest.raises(ValidationError) as exc:
        codes.require_code(codes.ETHNICITY, "99", field="民族")
    assert exc.value.field == "民族"
    assert exc.value.message == "“99”不是有效的民族代码"
    assert "【民族】" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        codes.require_code(codes.ROLE, None, field="岗位")
    assert exc.value.message == "不能为空"
    assert "岗位" in str(exc.value)
