"""The columns of the staff roster (花名册): headers, their synonyms, and Chinese labels ↔ codes.

One place for what the template writes, what the importer recognizes and what the export writes, so
that a roster exported here, or filled in from the template, imports cleanly. Plain Python, no Qt,
no database.

Real rosters name columns in many ways (身份证号 / 公民身份号码 / 证件号码 …) and type code values as
labels, short forms or codes, with full-width characters and stray spaces ("汉" for 汉族, "党员" for
中共党员, "Ａ岗 "). :func:`header_key` and :func:`to_code` accept all of those; anything they cannot
place is refused with a Chinese message, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .. import codes
from ..errors import ValidationError


@dataclass(frozen=True)
class RosterColumn:
    """One roster column: the key used in code, the header written, the headers recognized."""

    key: str
    header: str
    synonyms: tuple[str, ...]
    hint: str  #: what the column takes (the template's instruction row)
    width: float  #: column width in Excel characters
    text: bool = False  #: stored as text ('@'), so Excel keeps every digit and leading zero


COLUMNS: tuple[RosterColumn, ...] = (
    RosterColumn("name", "姓名", ("名字", "人员姓名"), "必填", 10),
    RosterColumn("gender", "性别", ("性別",), "男/女；可不填（取自身份证号码）", 6),
    RosterColumn("id_number", "身份证号码",
                 ("身份证号", "身份证", "公民身份号码", "公民身份证号码", "居民身份证号码", "身份证件号码",
                  "证件号码", "证件号", "身份号码"),
                 "必填；18 位，末位可为 X；请以文本输入，勿改成数字格式", 22, text=True),
    RosterColumn("birth_date", "出生日期", ("出生年月", "出生年月日", "生日", "出生时间"),
                 "YYYY-MM-DD；可不填（取自身份证号码）", 12),
    RosterColumn("ethnicity", "民族", ("民族名称",), "下拉选择，如 汉族", 8),
    RosterColumn("political_status", "政治面貌", ("政治面目", "政治身份"), "下拉选择，如 中共党员", 12),
    RosterColumn("education", "学历", ("文化程度", "最高学历", "文化"), "下拉选择，如 大学专科毕业", 14),
    RosterColumn("phone", "联系电话",
                 ("手机", "电话", "联系方式", "手机号码", "手机号", "电话号码", "移动电话", "联系手机"),
                 "手机或固定电话", 14, text=True),
    RosterColumn("employer", "工作单位", ("现工作单位",), "如 龙潭镇石桥村村委会", 20),
    RosterColumn("job_title", "职务", ("现任职务", "现职务", "行政职务"), "如 村委委员", 12),
    RosterColumn("source_category", "人员来源", ("来源", "来源类别", "选拔来源"),
                 "下拉选择；“其他”“团员青年”须同时填职务类别", 16),
    RosterColumn("unit", "所在单位",
                 ("单位", "站点", "所在站点", "站点名称", "所在站点名称", "任职单位", "单位名称", "站点代码",
                  "单位代码", "所在村"),
                 "站点名称或统计代码；与职务类别同填时同时任职", 16),
    RosterColumn("role", "职务类别", ("岗位类别", "人员类型", "队伍类别", "类别"),
                 "下拉选择；与所在单位、任职日期同填", 16),
    RosterColumn("slot", "岗位", ("AB岗", "A/B岗", "A岗/B岗"), "村站点管理员必填 A岗 或 B岗", 8),
    RosterColumn("tenure", "专兼职", ("专职/兼职", "专/兼职", "是否专职"), "专职/兼职；不填为兼职", 8),
    RosterColumn("start_date", "任职日期", ("任职时间", "上岗日期", "上岗时间", "任职年月", "到岗时间"),
                 "YYYY-MM-DD；任职时必填", 12),
    RosterColumn("notes", "备注", ("说明",), "", 20),
)

COLUMN_BY_KEY: dict[str, RosterColumn] = {c.key: c for c in COLUMNS}
HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS)
#: The columns a sheet must have for its header to be recognized.
REQUIRED_KEYS: tuple[str, ...] = ("name", "id_number")
#: The columns that plan a post (R2–R5) when a row fills them.
POST_KEYS: tuple[str, ...] = ("unit", "role", "slot", "tenure", "start_date")

_QUOTES = str.maketrans("", "", "“”‘’\"'「」『』")
_PAREN_NOTE = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】")
_HEADER_NOISE = re.compile(r"[*★※:：]")


def normalize(value: object) -> str:
    """The comparison form of a cell: full-width → half-width (NFKC), no whitespace or quotes, case-folded."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return "".join(text.split()).translate(_QUOTES).casefold()


def _header_form(value: object) -> str:
    text = unicodedata.normalize("NFKC", str(value or ""))
    text = _HEADER_NOISE.sub("", _PAREN_NOTE.sub("", text))
    return normalize(text)


_HEADER_INDEX: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.header, *_column.synonyms):
        _HEADER_INDEX[_header_form(_name)] = _column.key


def header_key(value: object) -> str | None:
    """The column a header cell names ("公民身份号码（18位）" → "id_number"), or None."""
    form = _header_form(value)
    if not form:
        return None
    key = _HEADER_INDEX.get(form)
    if key is None and "(" in unicodedata.normalize("NFKC", str(value)):
        key = _HEADER_INDEX.get(normalize(value))  # "岗位(A/B)" itself, if ever listed
    return key


# --- code columns ------------------------------------------------------------------------------------

#: Which code table each code column uses.
CODE_TABLES: dict[str, dict[str, str]] = {
    "gender": codes.GENDER,
    "ethnicity": codes.ETHNICITY,
    "political_status": codes.POLITICAL_STATUS,
    "education": codes.EDUCATION,
    "source_category": codes.SOURCE_CATEGORY,
    "role": codes.ROLE,
    "slot": codes.SLOT,
    "tenure": codes.TENURE,
}

#: Short forms and common wordings seen in rosters, beyond each table's labels and codes.
_ALIASES: dict[str, dict[str, str]] = {
    "gender": {"男性": "1", "女性": "2"},
    "ethnicity": {},
    "political_status": {
        "党员": "01", "中国共产党党员": "01", "共产党员": "01", "中共正式党员": "01", "正式党员": "01",
        "预备党员": "02", "中国共产党预备党员": "02",
        "团员": "03", "共青团员": "03", "中国共产主义青年团团员": "03",
        "民革": "04", "民盟": "05", "民建": "06", "民进": "07", "农工党": "08", "致公党": "09",
        "九三学社": "10", "台盟": "11", "无党派": "12", "无党派人士": "12", "群众": "13",
    },
    "education": {
        "博士": "11", "博士研究生": "11", "研究生": "14", "硕士": "14", "硕士研究生": "14",
        "本科": "21", "大学本科": "21", "大学": "21", "大本": "21",
        "大专": "31", "专科": "31", "大学专科": "31",
        "中专": "41", "中等专科": "41", "职高": "44", "职业高中": "44", "技校": "47", "技工学校": "47",
        "高中": "61", "普通高中": "61", "初中": "71", "小学": "81",
    },
    "role": {
        "村级站点管理员": "village_manager", "行政村站点管理员": "village_manager",
        "村站点管理人员": "village_manager", "村管理员": "village_manager",
        "乡镇管理员": "township_manager", "乡镇站点管理人员": "township_manager",
        "企业站点管理员": "enterprise_manager", "非公企业管理员": "enterprise_manager",
        "县教学辅导员": "county_tutor", "县级辅导员": "county_tutor",
        "乡镇辅导员": "township_tutor", "乡镇级教学辅导员": "township_tutor",
        "技术员": "technician", "技术服务人员": "technician",
    },
    "slot": {"A": "A", "B": "B", "A岗位": "A", "B岗位": "B"},
    "tenure": {"专": "full_time", "兼": "part_time", "专职人员": "full_time", "兼职人员": "part_time"},
    "source_category": {
        "村两委成员": "VIL_COMMITTEE", "两委成员": "VIL_COMMITTEE", "村两委": "VIL_COMMITTEE",
        "村两委干部": "VIL_COMMITTEE", "大学生村干部": "VIL_GRADUATE", "村官": "VIL_GRADUATE",
        "党务工作人员": "ENT_PARTY", "党校教师": "TUT_PARTY_SCHOOL", "农技人员": "TUT_AGRICULTURE",
        "致富能手": "TUT_WEALTH_LEADER", "电信": "TEC_TELECOM", "广电": "TEC_RADIO_TV",
        "设备供应商": "TEC_SUPPLIER",
    },
}


def _build_index(key: str) -> dict[str, tuple[str, ...]]:
    table = CODE_TABLES[key]
    index: dict[str, list[str]] = {}

    def add(form: str, code: str) -> None:
        if form and code not in index.setdefault(form, []):
            index[form].append(code)

    for code, text in table.items():
        add(normalize(code), code)
        add(normalize(text), code)
        if key == "ethnicity" and text.endswith("族") and len(text) > 1:
            add(normalize(text[:-1]), code)  # 汉 → 汉族
        if key == "education" and text.endswith("毕业"):
            add(normalize(text[:-2]), code)  # 大学本科 → 大学本科毕业
    for alias, code in _ALIASES.get(key, {}).items():
        add(normalize(alias), code)
    return {form: tuple(found) for form, found in index.items()}


_CODE_INDEX: dict[str, dict[str, tuple[str, ...]]] = {key: _build_index(key) for key in CODE_TABLES}


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def to_code(key: str, value: object, *, role: str | None = None) -> str | None:
    """The code for a label, short form or code typed in a code column; None for an empty cell.

    ``role`` resolves source labels that several roles share ("其他", "团员青年"). Raises
    ValidationError (field = the column's header) for a value that matches nothing or is ambiguous.
    """
    column = COLUMN_BY_KEY[key]
    text = _cell_text(value)
    form = normalize(text)
    if not form:
        return None
    index = _CODE_INDEX[key]
    found = index.get(form)
    if found is None and form.isdigit() and len(form) == 1:
        found = index.get("0" + form)  # "1" for 01: Excel dropped the leading zero
    if not found:
        raise ValidationError(f"不是可识别的{column.header}，可填：{choice_hint(key)}", field=column.header)
    if key == "source_category" and len(found) > 1:
        allowed = codes.SOURCE_BY_ROLE.get(role or "", ())
        narrowed = tuple(c for c in found if c in allowed)
        if len(narrowed) == 1:
            return narrowed[0]
        if role is None:
            raise ValidationError(f"“{text}”可对应多种职务类别的人员来源，请同时填写职务类别",
                                  field=column.header)
        raise ValidationError(f"“{text}”不是{codes.label(codes.ROLE, role)}的人员来源", field=column.header)
    code = found[0]
    if key == "source_category" and role is not None and code not in codes.SOURCE_BY_ROLE.get(role, ()):
        raise ValidationError(f"“{text}”不是{codes.label(codes.ROLE, role)}的人员来源（规则 R2–R5）",
                              field=column.header)
    return code


def choices(key: str) -> list[str]:
    """The labels offered in the template's drop-down for a code column, unique, in table order."""
    seen: list[str] = []
    for text in CODE_TABLES[key].values():
        if text not in seen:
            seen.append(text)
    return seen


def choice_hint(key: str, limit: int = 8) -> str:
    labels = choices(key)
    more = "等" if len(labels) > limit else ""
    return "、".join(labels[:limit]) + more


def display(key: str, code: str | None) -> str:
    """The label written to a roster for a stored code ("" for none)."""
    return codes.label(CODE_TABLES[key], code)


__all__ = ["CODE_TABLES", "COLUMNS", "COLUMN_BY_KEY", "HEADERS", "POST_KEYS", "REQUIRED_KEYS", "RosterColumn",
           "choice_hint", "choices", "display", "header_key", "normalize", "to_code"]
