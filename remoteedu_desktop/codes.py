"""Code tables: stable codes stored in the database, Simplified Chinese labels shown to the clerk.

Plain Python (no Qt, no SQLAlchemy). Every table is an ordered ``dict`` code → label; the order is the
order shown in drop-down lists. Codes never change once data exists; labels may be reworded.

National standards used: GB/T 2261.1 (gender), GB/T 3304 (ethnic groups), GB/T 4762 (political status),
GB/T 4658-2006 (education). The other tables follow the rules R1–R14 of DOMAIN.md.
"""

from __future__ import annotations

from collections.abc import Iterable

from remoteedu_desktop.errors import ValidationError

# --- national standards ----------------------------------------------------------------------------

#: GB/T 2261.1 人的性别代码.
GENDER: dict[str, str] = {
    "1": "男",
    "2": "女",
}

#: GB/T 3304 中国各民族名称的罗马字母拼写法和代码 (56 groups in official order, plus 97 and 98).
ETHNICITY: dict[str, str] = {
    "01": "汉族",
    "02": "蒙古族",
    "03": "回族",
    "04": "藏族",
    "05": "维吾尔族",
    "06": "苗族",
    "07": "彝族",
    "08": "壮族",
    "09": "布依族",
    "10": "朝鲜族",
    "11": "满族",
    "12": "侗族",
    "13": "瑶族",
    "14": "白族",
    "15": "土家族",
    "16": "哈尼族",
    "17": "哈萨克族",
    "18": "傣族",
    "19": "黎族",
    "20": "傈僳族",
    "21": "佤族",
    "22": "畲族",
    "23": "高山族",
    "24": "拉祜族",
    "25": "水族",
    "26": "东乡族",
    "27": "纳西族",
    "28": "景颇族",
    "29": "柯尔克孜族",
    "30": "土族",
    "31": "达斡尔族",
    "32": "仫佬族",
    "33": "羌族",
    "34": "布朗族",
    "35": "撒拉族",
    "36": "毛南族",
    "37": "仡佬族",
    "38": "锡伯族",
    "39": "阿昌族",
    "40": "普米族",
    "41": "塔吉克族",
    "42": "怒族",
    "43": "乌孜别克族",
    "44": "俄罗斯族",
    "45": "鄂温克族",
    "46": "德昂族",
    "47": "保安族",
    "48": "裕固族",
    "49": "京族",
    "50": "塔塔尔族",
    "51": "独龙族",
    "52": "鄂伦春族",
    "53": "赫哲族",
    "54": "门巴族",
    "55": "珞巴族",
    "56": "基诺族",
    "97": "其他",
    "98": "外国血统中国籍人士",
}

#: GB/T 4762 政治面貌代码.
POLITICAL_STATUS: dict[str, str] = {
    "01": "中共党员",
    "02": "中共预备党员",
    "03": "共青团员",
    "04": "民革会员",
    "05": "民盟盟员",
    "06": "民建会员",
    "07": "民进会员",
    "08": "农工党党员",
    "09": "致公党党员",
    "10": "九三学社社员",
    "11": "台盟盟员",
    "12": "无党派民主人士",
    "13": "群众",
}

#: GB/T 4658-2006 学历代码, the commonly used "毕业" codes.
EDUCATION: dict[str, str] = {
    "11": "博士研究生毕业",
    "14": "硕士研究生毕业",
    "21": "大学本科毕业",
    "31": "大学专科毕业",
    "41": "中等专科毕业",
    "44": "职业高中毕业",
    "47": "技工学校毕业",
    "61": "普通高中毕业",
    "71": "初中毕业",
    "81": "小学毕业",
    "90": "其他",
}

# --- posts (R2–R5, R12) ----------------------------------------------------------------------------

#: Post roles.
ROLE: dict[str, str] = {
    "township_manager": "乡镇站点管理员",  # R2
    "village_manager": "村站点管理员",  # R3
    "enterprise_manager": "非公企业站点管理员",  # R3
    "county_tutor": "县级教学辅导员",  # R4
    "township_tutor": "乡镇教学辅导员",  # R4
    "technician": "技术服务员",  # R5
}

#: Roles that manage a site and work with an on-duty certificate (R2, R3, R11).
MANAGER_ROLES: frozenset[str] = frozenset({"township_manager", "village_manager", "enterprise_manager"})
#: Tutor roles, county and township teams (R4).
TUTOR_ROLES: frozenset[str] = frozenset({"county_tutor", "township_tutor"})

#: AB岗 system of a village site (R3).
SLOT: dict[str, str] = {
    "A": "A岗",
    "B": "B岗",
}

#: How a post is held (R2, R4).
TENURE: dict[str, str] = {
    "full_time": "专职",
    "part_time": "兼职",
}

# --- units (R1) ------------------------------------------------------------------------------------

UNIT_KIND: dict[str, str] = {
    "county": "县",
    "township": "乡镇",
    "village": "行政村站点",
    "enterprise": "非公企业站点",
    "township_station": "乡镇站点",
}

#: The unit kinds that are terminal receiving sites (R1).
SITE_KINDS: frozenset[str] = frozenset({"village", "enterprise", "township_station"})

# --- where staff come from (R2–R5) -----------------------------------------------------------------

SOURCE_CATEGORY: dict[str, str] = {
    # R2 township managers
    "TWN_PARTY": "乡镇党委工作人员",
    "TWN_UNIT": "相关单位正式职工",
    # R3 village site managers
    "VIL_COMMITTEE": "村“两委”班子成员",
    "VIL_GRADUATE": "大学生村官",
    "VIL_YOUTH": "团员青年",
    "VIL_OTHER": "其他",
    # R3 enterprise site managers
    "ENT_PARTY": "党务工作者",
    "ENT_YOUTH": "团员青年",
    "ENT_OTHER": "其他",
    # R4 tutors
    "TUT_PARTY_SCHOOL": "党校教研人员",
    "TUT_LEGAL": "普法工作人员",
    "TUT_AGRICULTURE": "农业技术人员",
    "TUT_TEACHER": "中小学教师",
    "TUT_WEALTH_LEADER": "科技致富能手",
    "TUT_FAMILY_PLANNING": "计生服务人员",
    "TUT_HEALTH": "卫生防疫人员",
    "TUT_TV_UNIVERSITY": "电大教师",
    "TUT_OTHER": "其他",
    # R5 technicians
    "TEC_TELECOM": "电信公司",
    "TEC_EDUCATION": "教育部门",
    "TEC_RADIO_TV": "广电部门",
    "TEC_SCI_TECH": "科技部门",
    "TEC_SUPPLIER": "设备供应商服务人员",
    "TEC_OTHER": "其他",
}

_TUTOR_SOURCES: tuple[str, ...] = (
    "TUT_PARTY_SCHOOL", "TUT_LEGAL", "TUT_AGRICULTURE", "TUT_TEACHER", "TUT_WEALTH_LEADER",
    "TUT_FAMILY_PLANNING", "TUT_HEALTH", "TUT_TV_UNIVERSITY", "TUT_OTHER",
)

#: The source categories offered for each role, in display order. Labels such as "其他" repeat
#: across roles, so show a source label together with its role.
SOURCE_BY_ROLE: dict[str, tuple[str, ...]] = {
    "township_manager": ("TWN_PARTY", "TWN_UNIT"),
    "village_manager": ("VIL_COMMITTEE", "VIL_GRADUATE", "VIL_YOUTH", "VIL_OTHER"),
    "enterprise_manager": ("ENT_PARTY", "ENT_YOUTH", "ENT_OTHER"),
    "county_tutor": _TUTOR_SOURCES,
    "township_tutor": _TUTOR_SOURCES,
    "technician": ("TEC_TELECOM", "TEC_EDUCATION", "TEC_RADIO_TV", "TEC_SCI_TECH", "TEC_SUPPLIER",
                   "TEC_OTHER"),
}

# --- training (R6–R8) ------------------------------------------------------------------------------

#: The seven training topics of R7; topic n is bit n-1 of a topics mask.
TRAINING_TOPIC: dict[str, str] = {
    "1": "远程教育指导意见",
    "2": "平台知识",
    "3": "系统安全",
    "4": "教学资源整合开发",
    "5": "站点设备操作维护",
    "6": "教学活动组织管理",
    "7": "教学效果评估考核",
}

#: Who organized a training (R6).
ORGANIZER_LEVEL: dict[str, str] = {
    "county": "县远程办",
    "township": "乡镇",
    "department": "部门（党校、农业、司法等）",
    "telecom": "电信公司",
}

TRAINING_KIND: dict[str, str] = {
    "pre_job": "岗前培训",
    "regular": "经常性培训",
}

TRAINING_MODE: dict[str, str] = {
    "lecture": "集中授课",
    "self_study": "分散自学",
    "mixed": "集中与自学结合",
}

# --- certificates (R11) ----------------------------------------------------------------------------

CERTIFICATE_KIND: dict[str, str] = {
    "on_duty": "上岗证书",
    "appointment": "聘任证书",
}

CERTIFICATE_STATUS: dict[str, str] = {
    "valid": "有效",
    "revoked": "已吊销",
    "expired": "已过期",
    "replaced": "已换发",
}

# --- service channels (R13) ------------------------------------------------------------------------

ACTIVITY_CHANNEL: dict[str, str] = {
    "expert_lecture": "专家讲座",
    "online_qa": "网上答疑",
    "sci_tech_to_country": "科技下乡",
    "policy_to_village": "送政策到村",
    "tech_to_household": "送技术入户",
    "classroom_base": "课堂+基地",
    "base_farmer": "基地+农户",
    "association_farmer": "协会+农户",
    "playback": "课件播放",
    "group_study": "集中学习",
    "other": "其他",
}

# --- evaluation and awards (R14) -------------------------------------------------------------------

#: Four-level grade, "合格" wording (training assessment, site evaluation).
GRADE_STANDARD: dict[str, str] = {
    "excellent": "优秀",
    "pass": "合格",
    "basic": "基本合格",
    "fail": "不合格",
}

#: The same four levels in "称职" wording (yearly evaluation of a person). The codes are those of
#: GRADE_STANDARD, so a stored grade means the same level whichever wording is printed.
GRADE_COMPETENT: dict[str, str] = {
    "excellent": "优秀",
    "pass": "称职",
    "basic": "基本称职",
    "fail": "不称职",
}

AWARD_KIND: dict[str, str] = {
    "model_site": "远程教育示范站点",
    "excellent_manager": "优秀站点管理员",
    "excellent_tutor": "优秀教学辅导员",
    "excellent_technician": "优秀技术服务员",
}

EVALUATION_TARGET: dict[str, str] = {
    "site_manager": "站点管理员",
    "township_manager": "乡镇站点管理员",
    "tutor": "教学辅导员",
    "technician": "技术服务员",
    "site": "站点",
}

# --- equipment faults (R9) -------------------------------------------------------------------------

FAULT_STATUS: dict[str, str] = {
    "open": "待处理",
    "assigned": "已派单",
    "resolved": "已解决",
    "closed": "已关闭",
}


# --- helpers ---------------------------------------------------------------------------------------

def label(table: dict[str, str], code: str | None) -> str:
    """The label of ``code``: "" for no code, the code itself when it is not in the table
    (so a value from a newer version or a bad import still shows up instead of vanishing)."""
    if code is None or code == "":
        return ""
    return table.get(code, code)


def require_code(table: dict[str, str], code: str | None, *, field: str) -> str:
    """Return ``code`` (surrounding spaces removed) if the table has it, else raise ValidationError."""
    text = "" if code is None else str(code).strip()
    if not text:
        raise ValidationError("不能为空", field=field)
    if text not in table:
        raise ValidationError(f"“{text}”不是有效的{field}代码", field=field)
    return text


def topics_to_mask(codes: Iterable[str]) -> int:
    """Training topics (R7) as a bit mask: topic "n" is bit n-1. Unknown topics are refused."""
    mask = 0
    for code in codes:
        topic = require_code(TRAINING_TOPIC, code, field="培训内容")
        mask |= 1 << (int(topic) - 1)
    return mask


def mask_to_topics(mask: int) -> list[str]:
    """The topic codes set in ``mask``, in topic order; a mask with bits beyond topic 7 is refused."""
    full = (1 << len(TRAINING_TOPIC)) - 1
    if mask < 0 or mask & ~full:
        raise ValidationError(f"培训内容代码组合 {mask} 无效", field="培训内容", rule="R7")
    return [code for code in TRAINING_TOPIC if mask & (1 << (int(code) - 1))]
