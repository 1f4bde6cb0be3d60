"""A realistic demo county, built on an empty database for trying the program out.

``demo_steps`` is a generator for a progress bar: it yields ``(done, total,
Chinese step text)`` before each step and returns a :class:`DemoSummary`
(``StopIteration.value``); ``generate_demo`` runs it to the end. The caller
owns the transaction (closing the generator half-way and rolling back leaves
nothing behind).

Units, people and posts go through the services, so their rules hold (R1–R3,
R10, R12); training, certificates, activities, equipment, faults, the yearly
evaluation and the award campaign are written with the ORM models directly
(their services come later). The result has no rule warnings on ``today``.

Deterministic: every random choice comes from one ``random.Random(seed)`` and
everything is iterated in creation order, so the same seed gives the same
business content (UUIDs and timestamps differ).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import (
    Activity,
    ActivityTutor,
    AppSetting,
    Attendance,
    Award,
    AwardCampaign,
    Certificate,
    Enrolment,
    Equipment,
    Evaluation,
    EvaluationRound,
    EvaluationScore,
    FaultTicket,
    Nomination,
    OrgUnit,
    Person,
    Post,
    PostServedSite,
    Rubric,
    RubricItem,
    TrainingPlan,
    TrainingSession,
    new_uuid,
)
from ..errors import ValidationError
from . import certificate_issue, certificate_numbers, certificate_settings, office_keys, offices, posts, units
from .id_number import check_digit
from .people import PersonInput, add_person
from .progress import run_to_end

Progress = tuple[int, int, str]

DEFAULT_TODAY = dt.date(2026, 11, 1)
#: Certificates of the last weeks are left unissued: the demo shows people eligible now (R11).
PENDING_DAYS = 70
COUNTY_CODE = "360499"  # fictional county in a real province/prefecture prefix (36 江西, 3604 九江)
COUNTY_NAME = "青山县"
COUNTY_SHORT = "青山"
TELECOM = f"中国电信{COUNTY_SHORT}分公司"
MAX_TOWNSHIPS = 500  # township codes 360499100 … 360499599
MAX_SITES = 500  # village codes <township>200 … <township>699
COUNTY_TUTORS = 8
HISTORY_SHARE = 0.10  # village sites with an earlier holder (R12)


@dataclass(frozen=True)
class DemoSummary:
    """What the demo wrote (rows in the database after the run)."""

    townships: int
    sites: int
    people: int
    posts: int
    plans: int
    sessions: int
    attendance: int
    certificates: int
    evaluations: int
    activities: int
    faults: int

    def __str__(self) -> str:
        return (f"乡镇 {self.townships} 个，站点 {self.sites} 个，人员 {self.people} 人，岗位记录 {self.posts} 条，"
                f"培训计划 {self.plans} 个（{self.sessions} 次课，考勤 {self.attendance} 条），"
                f"证书 {self.certificates} 本，考评 {self.evaluations} 人，站点活动 {self.activities} 次，"
                f"故障报修 {self.faults} 单")


# --- name and data pools ------------------------------------------------------------------------

TOWNSHIP_NAMES: tuple[str, ...] = (
    "龙潭镇", "石门乡", "城关街道办事处", "白沙镇", "梅岭乡", "青溪镇", "桃源乡", "双河镇", "大塘镇", "黄岗乡",
    "杨柳镇", "长乐乡", "高桥镇", "新田乡", "东港镇", "西坪乡", "南岭镇", "北山乡", "金竹乡", "马蹄镇",
    "凤凰镇", "太平乡", "永兴镇", "清水乡", "古城镇", "云山乡", "芦溪镇", "柏树乡", "三江镇", "滨江街道办事处",
)
_PLACE_FIRST = "金银石黄青白红东西南北上下大小新高长安永富花桃柳松竹枫樟"
_PLACE_SECOND = "山溪河湖桥坪坝岭塘源口湾洲田林庄岗埠畈垄"
_TOWNSHIP_SUFFIXES = ("街道办事处", "镇", "乡")

VILLAGE_ROOTS: tuple[str, ...] = (
    "下湾", "上坪", "石桥", "枫树", "新塘", "东山", "西岭", "南坑", "北港", "桃源", "柳溪", "竹林", "杨梅",
    "龙口", "凤岗", "高田", "大坪", "小港", "长岭", "黄泥", "白水", "青石", "红星", "光明", "胜利", "团结",
    "和平", "新华", "联合", "前进", "丰收", "金星", "群英", "永安", "太平", "双溪", "三星", "五里", "七里",
    "九龙", "十里", "田心", "塘下", "洲上", "坪上", "岭下", "河口", "水口", "坑口", "桥头", "山背", "排上",
    "官庄", "茶园", "樟树", "松山", "荷塘", "麻田", "泉塘", "瓦窑",
)
VILLAGE_FAMILIES = "杨王李张刘陈黄周吴徐胡朱高何罗彭熊邹涂万袁程"
_VILLAGE_GEO = "湾坪坑桥塘岭山畈垄冲庄屋港洲源口田岗埠坳"

ENTERPRISE_TRADES = ("茶业", "竹业", "生态农业", "食品", "油脂", "米业", "果业", "纺织")

# Surnames with rough frequency weights; two compound surnames exercise longer names.
_SURNAMES: tuple[tuple[str, int], ...] = tuple(
    [(s, 6) for s in "王李张刘陈杨黄赵吴周"]
    + [(s, 3) for s in "徐孙马朱胡郭何高林罗郑梁谢宋唐许熊邹涂万"]
    + [(s, 1) for s in "韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢聂钟龚汪"]
    + [("欧阳", 1), ("司马", 1)]
)
_MALE_CHARS = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆旭宁龙林建国志文海峰东亮成新春德荣金根福生发"
_FEMALE_CHARS = "芳娜秀英敏静丽艳娟霞燕玲桂红梅琳萍雪琴慧莉婷倩颖洁兰凤晶欢佳月香云玉春"
# Rare characters (font and printing work): every N-th person of a gender gets the next one.
_RARE = {"1": "喆堃昇燚", "2": "玥珺婧"}
_RARE_EVERY = 11

NEIGHBOUR_REGIONS = ("360424", "360425", "360423", "360481")  # 修水、永修、武宁、瑞昌
_PHONE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
                   "155", "156", "157", "158", "159", "180", "181", "182", "183", "186", "187", "188", "189")
_MINORITIES = ("22", "03", "15", "06", "11", "08")  # 畲、回、土家、苗、满、壮

END_REASONS = ("外出务工", "换届调整", "工作调动", "身体原因辞职", "考取公务员")
_LEAVES_TEAM = frozenset({"外出务工", "身体原因辞职", "考取公务员"})
SUCCESSOR_REASONS = ("换届选举后接任", "接替原管理员", "村“两委”调整后接任")

_CHANNEL_TITLES: dict[str, tuple[str, ...]] = {
    "expert_lecture": ("水稻高产栽培技术讲座", "生猪养殖疫病防控讲座", "农村电商实务讲座"),
    "online_qa": ("柑橘病虫害网上答疑", "农村医保政策网上答疑", "茶叶加工技术网上答疑"),
    "sci_tech_to_country": ("科技下乡：油茶低改技术", "科技下乡：测土配方施肥"),
    "policy_to_village": ("送政策到村：乡村振兴惠农政策解读", "送政策到村：土地承包经营权确权"),
    "tech_to_household": ("送技术入户：蔬菜大棚管理", "送技术入户：家禽饲养"),
    "classroom_base": ("课堂+基地：食用菌种植现场教学", "课堂+基地：稻虾共作"),
    "base_farmer": ("基地+农户：中药材种植示范", "基地+农户：黄桃种植"),
    "association_farmer": ("协会+农户：养蜂技术交流", "协会+农户：茶叶合作社经营"),
    "playback": ("党员教育课件播放：党章学习", "课件播放：农村实用技术", "课件播放：法治宣传教育"),
    "group_study": ("党员集中学习：党的创新理论", "主题党日集中学习"),
    "other": ("农民夜校", "致富带头人经验交流"),
}
_RECEIVERS = ("同洲 CDVB3188C", "九州 DVS-398E", "创维 C6000")
_COMPUTERS = ("联想 启天M4600", "清华同方 超翔TL630", "长城 世恒TD120")
_FAULTS = {
    "卫星接收机": ("卫星接收机无信号，节目无法接收", "接收机频繁死机重启", "高频头受潮，信号弱"),
    "电脑": ("电脑无法开机", "电脑中毒，课件无法播放", "硬盘故障，资料无法读取", "网络连接中断"),
}


# --- in-memory records (the demo reads nothing back from the database) ----------------------------

@dataclass
class _Unit:
    id: str
    kind: str
    name: str
    code: str | None
    township: _Township | None = None


@dataclass
class _Township:
    unit: _Unit
    root: str
    station: _Unit | None = None
    villages: list[_Unit] = field(default_factory=list)
    enterprise: _Unit | None = None

    @property
    def sites(self) -> list[_Unit]:
        out = [self.station] if self.station else []
        out += self.villages
        if self.enterprise:
            out.append(self.enterprise)
        return out


@dataclass
class _Person:
    id: str
    name: str
    gender: str
    birth: dt.date
    employer: str | None
    job_title: str | None


@dataclass
class _Held:
    """One post as the demo created it."""

    id: str
    person: _Person
    unit: _Unit
    role: str
    slot: str | None
    tenure: str
    start: dt.date
    end: dt.date | None = None

    def serves_through(self, start: dt.date, end: dt.date) -> bool:
        return self.start <= start and (self.end is None or self.end > end)


@dataclass
class _Plan:
    id: str
    title: str
    kind: str
    target_role: str
    end: dt.date


@dataclass
class _Passed:
    plan: _Plan
    enrolment_id: str
    score: float


@dataclass
class _History:
    slot: str
    changes: list[dt.date]  # change dates, oldest first


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class _Builder:
    def __init__(self, session: Session, *, townships: int, sites: int, seed: int, today: dt.date) -> None:
        self.s = session
        self.rng = random.Random(seed)
        self.seed = seed
        self.today = today
        self.n_sites = sites
        self.county: _Unit | None = None
        self.townships: list[_Township] = []
        self.held: list[_Held] = []
        self.used_ids: set[str] = set()
        self.used_names: set[str] = set()
        self.gender_counts = {"1": 0, "2": 0}
        self.rare_left = {g: list(chars) for g, chars in _RARE.items()}
        self.history: dict[str, _History] = {}  # village unit id → planned change
        self.transfer: tuple[_Unit, _Unit] | None = None  # (from village, to village)
        self.passed: dict[str, list[_Passed]] = {}  # person id → passed pre-job trainings
        self.staged: list[list[object]] = []
        self.township_names = self._township_names(townships)

    # --- small helpers -------------------------------------------------------------------------

    def ago(self, low: int, high: int) -> dt.date:
        """A day between *high* and *low* days before today."""
        return self.today - dt.timedelta(days=self.rng.randint(low, high))

    def stage(self, level: int, *rows: object) -> None:
        """Queue rows written directly with the models; level n may refer to rows of levels below n."""
        while len(self.staged) <= level:
            self.staged.append([])
        self.staged[level].extend(rows)

    def flush_staged(self) -> None:
        """One flush per level: the models have foreign keys but no relationships, so the unit of
        work would not order the inserts by itself."""
        for rows in self.staged:
            if rows:
                self.s.add_all(rows)
                self.s.flush()
        self.staged = []

    def county_unit(self) -> _Unit:
        assert self.county is not None
        return self.county

    def _township_names(self, count: int) -> list[str]:
        names = list(TOWNSHIP_NAMES[:count])
        if count > len(names):
            roots = [a + b for a in _PLACE_FIRST for b in _PLACE_SECOND]
            self.rng.shuffle(roots)
            for root in roots:
                if len(names) == count:
                    break
                name = root + self.rng.choice(("镇", "乡"))
                if name not in names:
                    names.append(name)
        return names

    def _village_names(self, count: int) -> list[str]:
        preferred = list(VILLAGE_ROOTS) + [f + "家" for f in VILLAGE_FAMILIES]
        self.rng.shuffle(preferred)
        names = preferred[:count]
        if count > len(names):
            extra = [f + g for f in VILLAGE_FAMILIES for g in _VILLAGE_GEO]
            self.rng.shuffle(extra)
            names += [n for n in extra if n not in names][:count - len(names)]
        return [n + "村" for n in names]

    def _name(self, gender: str, *, archive: bool = True) -> str:
        """A realistic name; people in the archive now and then get one of the rare characters."""
        rng = self.rng
        surnames = [s for s, _ in _SURNAMES]
        weights = [w for _, w in _SURNAMES]
        pool = _MALE_CHARS if gender == "1" else _FEMALE_CHARS
        rare = None
        if archive:
            self.gender_counts[gender] += 1
            if self.gender_counts[gender] % _RARE_EVERY == 3 and self.rare_left[gender]:
                rare = self.rare_left[gender].pop(0)
        name = ""
        for _ in range(20):
            surname = rng.choices(surnames, weights)[0]
            if rare is not None:
                given = rare if rng.random() < 0.4 else rng.choice(pool) + rare
            elif rng.random() < 0.3 or len(surname) == 2:
                given = rng.choice(pool)
            else:
                given = rng.choice(pool) + rng.choice(pool)
            name = surname + given
            if name not in self.used_names:
                break
        self.used_names.add(name)
        return name

    def _id_number(self, gender: str, birth: dt.date) -> str:
        rng = self.rng
        while True:
            region = COUNTY_CODE if rng.random() < 0.85 else rng.choice(NEIGHBOUR_REGIONS)
            last = rng.choice("13579" if gender == "1" else "02468")  # 17th digit: odd men, even women
            first17 = f"{region}{birth:%Y%m%d}{rng.randrange(100):02d}{last}"
            number = first17 + check_digit(first17)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def person(self, role: str, *, start: dt.date, source: str, employer: str, job_title: str,
               male_share: float = 0.6, young: bool = False) -> _Person:
        """A new person in the archive (R10), old enough to have started on *start*."""
        rng = self.rng
        gender = "1" if rng.random() < male_share else "2"
        min_age = 20 if role in ("village_manager", "enterprise_manager") else 25
        latest = min(2000, start.year - min_age, self.today.year - min_age)
        earliest = max(1965, latest - 10) if young else 1965
        earliest = min(earliest, latest)
        first = dt.date(earliest, 1, 1)
        birth = first + dt.timedelta(days=rng.randrange((dt.date(latest, 12, 31) - first).days + 1))
        name = self._name(gender)
        if young:
            political = rng.choices(("03", "01", "02"), (5, 4, 1))[0]
        elif role in codes.TUTOR_ROLES or role == "technician":
            political = rng.choices(("01", "13", "03", "02"), (6, 3, 1, 1))[0]
        else:
            political = rng.choices(("01", "02", "13", "03"), (8, 1, 1, 1))[0]
        if political == "03" and self.today.year - birth.year > 28:
            political = "13"  # League membership ends at 28
        education = {
            "village_manager": ("61", "71", "31", "44", "21"),
            "enterprise_manager": ("31", "21", "61"),
            "township_manager": ("21", "31", "14"),
            "county_tutor": ("21", "14", "31"),
            "township_tutor": ("31", "21", "41"),
            "technician": ("31", "21", "41", "47"),
        }[role]
        data = PersonInput(
            name=name,
            id_number=self._id_number(gender, birth),
            gender=gender,
            birth_date=birth,
            ethnicity="01" if rng.random() < 0.92 else rng.choice(_MINORITIES),
            political_status=political,
            education="21" if source == "VIL_GRADUATE" else rng.choice(education),
            phone=rng.choice(_PHONE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}",
            employer=employer,
            job_title=job_title,
            source_category=source,
        )
        info = add_person(self.s, data, today=self.today)
        person = _Person(info.id, name, gender, birth, employer, job_title)
        return person

    def assign(self, person: _Person, unit: _Unit, role: str, *, start: dt.date, slot: str | None = None,
               tenure: str = "part_time", reason: str | None = None) -> _Held:
        info = posts.assign_post(self.s, person_id=person.id, unit_id=unit.id, role=role, slot=slot,
                                 tenure=tenure, start_date=start, reason=reason, today=self.today)
        held = _Held(info.id, person, unit, role, slot, tenure, start)
        self.held.append(held)
        return held

    def end(self, held: _Held, on: dt.date, reason: str) -> None:
        posts.end_post(self.s, held.id, end_date=on, reason=reason, today=self.today)
        held.end = on
        if reason in _LEAVES_TEAM:
            row = self.s.get(Person, held.person.id)
            assert row is not None
            row.left_on, row.left_reason = on, reason

    def open_held(self, role: str | None = None) -> list[_Held]:
        return [h for h in self.held if h.end is None and (role is None or h.role == role)]

    # --- steps ---------------------------------------------------------------------------------

    def steps(self) -> list[tuple[str, Callable[[], None]]]:
        out: list[tuple[str, Callable[[], None]]] = [(f"设置县远程办：{COUNTY_NAME}", self.step_office)]
        for i, name in enumerate(self.township_names):
            out.append((f"建立乡镇和站点：{name}", lambda i=i, name=name: self.step_units(i, name)))
        out.append(("安排岗位变动历史", self.step_plan_history))
        out.append(("登记县级教学辅导员", self.step_county_people))
        for i, name in enumerate(self.township_names):
            out.append((f"登记人员和岗位：{name}", lambda i=i: self.step_township_people(i)))
        out.append(("培训计划、课次、考勤和考核", self.step_training))
        out.append(("颁发上岗证书和聘任证书", self.step_certificates))
        out.append(("站点活动、设备和故障报修", self.step_sites))
        out.append(("上年度考评和优秀站点管理员评比", self.step_evaluation))
        return out

    def step_office(self) -> None:
        info = offices.init_office(self.s, level="county", code=COUNTY_CODE, name=COUNTY_NAME)
        assert info.unit_id is not None
        self.county = _Unit(info.unit_id, "county", COUNTY_NAME, COUNTY_CODE)

    def _unit(self, kind: str, name: str, parent: _Unit, code: str | None, sort: int,
              township: _Township | None, address: str | None = None) -> _Unit:
        info = units.add_unit(self.s, kind=kind, name=name, parent_id=parent.id, code=code, sort_order=sort,
                              address=address)
        return _Unit(info.id, kind, name, code, township)

    def step_units(self, index: int, name: str) -> None:
        """R1: a township (9-digit code), its station, its villages (12 digits) and maybe an enterprise."""
        code = f"{COUNTY_CODE}{100 + index:03d}"
        root = next((name.removesuffix(s) for s in _TOWNSHIP_SUFFIXES if name.endswith(s)), name)
        tw_unit = self._unit("township", name, self.county_unit(), code, index, None,
                             address=f"{COUNTY_NAME}{name}")
        tw = _Township(tw_unit, root)
        tw_unit.township = tw
        tw.station = self._unit("township_station", f"{name}远程教育站点", tw_unit, None, 0, tw,
                                address=f"{COUNTY_NAME}{name}便民服务中心")
        for j, village in enumerate(self._village_names(self.n_sites)):
            tw.villages.append(self._unit("village", village, tw_unit, f"{code}{200 + j:03d}", j + 1, tw,
                                          address=f"{COUNTY_NAME}{name}{village}村委会"))
        if index % 2 == 0:
            trade = self.rng.choice(ENTERPRISE_TRADES)
            tw.enterprise = self._unit("enterprise", f"{root}{trade}有限公司站点", tw_unit, None,
                                       self.n_sites + 1, tw, address=f"{COUNTY_NAME}{name}工业园")
        self.townships.append(tw)

    def step_plan_history(self) -> None:
        """R12: ~10% of village sites had an earlier holder; never more than one change in 12 months."""
        villages = [v for tw in self.townships for v in tw.villages]
        first = self.townships[0].villages
        if len(first) >= 2:
            # The source village comes first in the list, so its post B exists when the target is built.
            a, b = sorted(self.rng.sample(range(len(first)), 2))
            self.transfer = (first[a], first[b])
        taken = {v.id for v in self.transfer} if self.transfer else set()
        free = [v for v in villages if v.id not in taken]
        count = min(len(free), round(len(villages) * HISTORY_SHARE) - (1 if self.transfer else 0))
        for village in self.rng.sample(free, max(count, 0)):
            last = self.ago(30, 700)
            changes = [last]
            if self.rng.random() < 0.3:
                changes.insert(0, self.ago(1100, 1900))  # an older change, well outside the 12 months
            self.history[village.id] = _History(self.rng.choice("AB"), changes)

    def step_county_people(self) -> None:
        """R4: the county tutor team, mostly part-time, from Party school, agriculture, law, schools…"""
        county = self.county_unit()
        sources = ["TUT_PARTY_SCHOOL", "TUT_PARTY_SCHOOL", "TUT_AGRICULTURE", "TUT_LEGAL", "TUT_TEACHER",
                   "TUT_HEALTH", "TUT_TV_UNIVERSITY", "TUT_FAMILY_PLANNING", "TUT_WEALTH_LEADER"]
        employers = {
            "TUT_PARTY_SCHOOL": (f"中共{COUNTY_NAME}委党校", ("讲师", "副教授", "教研室主任")),
            "TUT_AGRICULTURE": (f"{COUNTY_NAME}农业农村局", ("农艺师", "高级农艺师", "畜牧师")),
            "TUT_LEGAL": (f"{COUNTY_NAME}司法局", ("普法股股长", "普法干事")),
            "TUT_TEACHER": (f"{COUNTY_NAME}第一中学", ("信息技术教师", "高级教师")),
            "TUT_HEALTH": (f"{COUNTY_NAME}疾病预防控制中心", ("主管医师", "公共卫生医师")),
            "TUT_TV_UNIVERSITY": (f"{COUNTY_NAME}广播电视大学", ("讲师",)),
            "TUT_FAMILY_PLANNING": (f"{COUNTY_NAME}卫生健康委员会", ("计生服务站站长",)),
            "TUT_WEALTH_LEADER": (f"{COUNTY_NAME}绿源种养专业合作社", ("理事长",)),
        }
        chosen = sources[:COUNTY_TUTORS]
        self.rng.shuffle(chosen)
        for source in chosen:
            employer, titles = employers[source]
            start = self.ago(3 * 365, 8 * 365)
            person = self.person("county_tutor", start=start, source=source, employer=employer,
                                 job_title=self.rng.choice(titles), male_share=0.55)
            tenure = "full_time" if source == "TUT_PARTY_SCHOOL" and self.rng.random() < 0.5 else "part_time"
            self.assign(person, county, "county_tutor", start=start, tenure=tenure)

    def step_township_people(self, index: int) -> None:
        tw = self.townships[index]
        self._township_managers(tw)
        for village in tw.villages:
            self._village_managers(tw, village)
        if tw.enterprise is not None:
            self._enterprise_manager(tw, tw.enterprise)
        self._township_tutors(tw)
        self._technicians(tw)

    def _township_managers(self, tw: _Township) -> None:
        """R2: 2–3 managers from the township Party committee and related units, one full-time."""
        rng = self.rng
        for k in range(rng.randint(2, 3)):
            start = self.ago(2 * 365, 9 * 365)
            if k == 0 or rng.random() < 0.6:
                source, employer = "TWN_PARTY", f"{tw.unit.name}党政办"
                title = rng.choice(("组织委员", "组织干事", "宣传干事", "党政办主任"))
            else:
                source = "TWN_UNIT"
                employer = rng.choice((f"{tw.unit.name}综合文化站", f"{tw.unit.name}农业综合服务中心"))
                title = rng.choice(("站长", "副站长", "工作人员"))
            person = self.person("township_manager", start=start, source=source, employer=employer,
                                 job_title=title)
            self.assign(person, tw.unit, "township_manager", start=start,
                        tenure="full_time" if k == 0 else "part_time")

    def _village_person(self, tw: _Township, village: _Unit, slot: str, start: dt.date) -> _Person:
        """R3: mainly village committee members, college-graduate officials and young people."""
        rng = self.rng
        if slot == "A":
            source = rng.choices(("VIL_COMMITTEE", "VIL_GRADUATE", "VIL_YOUTH"), (7, 2, 1))[0]
        else:
            source = rng.choices(("VIL_COMMITTEE", "VIL_GRADUATE", "VIL_YOUTH", "VIL_OTHER"), (4, 2, 3, 1))[0]
        titles = {
            "VIL_COMMITTEE": ("村党支部书记", "村委会主任", "村委会副主任", "村委委员", "村会计", "村妇女主任", "村文书"),
            "VIL_GRADUATE": ("大学生村官（村主任助理）", "大学生村官（村支书助理）"),
            "VIL_YOUTH": ("团支部书记", "村民"),
            "VIL_OTHER": ("村民", "返乡创业青年"),
        }[source]
        young = source in ("VIL_GRADUATE", "VIL_YOUTH")
        return self.person("village_manager", start=start, source=source, employer=f"{village.name}村民委员会",
                           job_title=rng.choice(titles), male_share=0.5 if young else 0.7, young=young)

    def _village_tenure(self, slot: str) -> str:
        return "full_time" if slot == "A" and self.rng.random() < 0.25 else "part_time"

    def _village_managers(self, tw: _Township, village: _Unit) -> None:
        """R3: post A and post B; planned history (R12) and the one transfer go through the services."""
        rng = self.rng
        plan = self.history.get(village.id)
        transfer_target = self.transfer is not None and village.id == self.transfer[1].id
        for slot in ("A", "B"):
            if transfer_target and slot == "A":
                self._transfer_into(tw, village)
                continue
            if plan is not None and plan.slot == slot:
                first_start = self.ago(max(2600, (self.today - plan.changes[0]).days + 400), 3800)
                holder = self._village_person(tw, village, slot, first_start)
                held = self.assign(holder, village, "village_manager", slot=slot, start=first_start,
                                   tenure=self._village_tenure(slot))
                for change in plan.changes:
                    self.end(held, change, rng.choice(END_REASONS))
                    holder = self._village_person(tw, village, slot, change)
                    held = self.assign(holder, village, "village_manager", slot=slot, start=change,
                                       tenure=self._village_tenure(slot), reason=rng.choice(SUCCESSOR_REASONS))
                continue
            start = self.ago(3 * 365, 9 * 365)
            self.assign(self._village_person(tw, village, slot, start), village, "village_manager", slot=slot,
                        start=start, tenure=self._village_tenure(slot))

    def _transfer_into(self, tw: _Township, target: _Unit) -> None:
        """R12 through ``transfer_post``: post A of *target* is vacated, post B of the source village
        moves there, and the source village elects a new post B. One change at each site."""
        assert self.transfer is not None
        source = self.transfer[0]
        on = self.ago(60, 300)
        start = self.ago(max(3 * 365, (self.today - on).days + 365), 8 * 365)
        former = self.assign(self._village_person(tw, target, "A", start), target, "village_manager", slot="A",
                             start=start, tenure="part_time")
        self.end(former, on, "外出务工")
        mover = next(h for h in self.open_held("village_manager") if h.unit.id == source.id and h.slot == "B")
        reason = f"{target.name}A岗空缺，由{source.name}B岗调任"
        info = posts.transfer_post(self.s, mover.id, to_unit_id=target.id, to_slot="A", on=on, reason=reason,
                                   today=self.today)
        mover.end = on
        self.held.append(_Held(info.id, mover.person, target, "village_manager", "A", info.tenure, on))
        newcomer = self._village_person(tw, source, "B", on)
        self.assign(newcomer, source, "village_manager", slot="B", start=on, tenure="part_time",
                    reason="原B岗调任邻村A岗，补选B岗")

    def _enterprise_manager(self, tw: _Township, site: _Unit) -> None:
        """R3: enterprise sites are run by Party-affairs workers and young people."""
        rng = self.rng
        start = self.ago(2 * 365, 6 * 365)
        source = rng.choices(("ENT_PARTY", "ENT_YOUTH"), (3, 1))[0]
        title = rng.choice(("党支部书记", "党务干事")) if source == "ENT_PARTY" else "团支部书记"
        person = self.person("enterprise_manager", start=start, source=source,
                             employer=site.name.removesuffix("站点"), job_title=title,
                             young=source == "ENT_YOUTH")
        self.assign(person, site, "enterprise_manager", start=start)

    def _township_tutors(self, tw: _Township) -> None:
        """R4: 1–3 township tutors, mostly part-time; they serve the township's village sites."""
        rng = self.rng
        choices = {
            "TUT_AGRICULTURE": (f"{tw.unit.name}农业综合服务中心", ("农技员", "农艺师")),
            "TUT_TEACHER": (f"{tw.unit.name}中心小学", ("教师", "教导主任")),
            "TUT_HEALTH": (f"{tw.unit.name}卫生院", ("医师", "防保员")),
            "TUT_LEGAL": (f"{tw.unit.name}司法所", ("司法助理员",)),
            "TUT_FAMILY_PLANNING": (f"{tw.unit.name}计生服务站", ("计生专干",)),
            "TUT_WEALTH_LEADER": (f"{tw.root}果蔬种植专业合作社", ("理事长", "种植大户")),
        }
        for source in rng.sample(sorted(choices), rng.randint(1, 3)):
            employer, titles = choices[source]
            start = self.ago(365, 6 * 365)
            person = self.person("township_tutor", start=start, source=source, employer=employer,
                                 job_title=rng.choice(titles), male_share=0.5)
            held = self.assign(person, tw.unit, "township_tutor", start=start,
                               tenure="full_time" if rng.random() < 0.15 else "part_time")
            self.s.add_all(PostServedSite(id=new_uuid(), post_id=held.id, site_id=v.id) for v in tw.villages)

    def _technicians(self, tw: _Township) -> None:
        """R5: technicians mainly from the telecom company; they serve every site of the township."""
        rng = self.rng
        count = 2 if rng.random() < 0.25 else 1
        for k in range(count):
            start = self.ago(2 * 365, 6 * 365)
            if k == 0:
                source, employer = "TEC_TELECOM", TELECOM
                title = rng.choice(("装维工程师", "网络维护工程师", "客户经理"))
            else:
                source, employer = rng.choice((("TEC_RADIO_TV", f"{COUNTY_NAME}广电网络公司"),
                                               ("TEC_SUPPLIER", "江西远教设备服务有限公司")))
                title = "技术员"
            person = self.person("technician", start=start, source=source, employer=employer, job_title=title,
                                 male_share=0.85)
            held = self.assign(person, tw.unit, "technician", start=start)
            self.s.add_all(PostServedSite(id=new_uuid(), post_id=held.id, site_id=site.id) for site in tw.sites)
        self.s.flush()

    # --- training (R6–R8) ----------------------------------------------------------------------

    def step_training(self) -> None:
        """Two years of tiered training: the county trains township (and enterprise) managers, each
        township its village managers, departments the tutors, the telecom company the technicians."""
        county = self.county_unit()
        enterprises = [tw.enterprise for tw in self.townships if tw.enterprise is not None]
        for base in (self.ago(420, 520), self.ago(60, 240)):
            year = base.year
            self._plan(f"{year}年{COUNTY_NAME}乡镇站点管理员岗前培训班", start=base, organizer_level="county",
                       organizer_unit=county, department=None, target_role="township_manager",
                       target_level="township", kind="pre_job", mode="lecture", topics=("1", "2", "3", "5", "6"),
                       places=(f"{COUNTY_NAME}委党校报告厅", f"{COUNTY_NAME}远程办多媒体教室"),
                       trainee_units=None)
            if enterprises:
                self._plan(f"{year}年{COUNTY_NAME}非公企业站点管理员岗前培训班", start=base + dt.timedelta(days=7),
                           organizer_level="county", organizer_unit=county, department=None,
                           target_role="enterprise_manager", target_level="village", kind="pre_job",
                           mode="lecture", topics=("1", "2", "5", "6"), places=(f"{COUNTY_NAME}远程办多媒体教室",),
                           trainee_units=None)
            for tw in self.townships:
                self._plan(f"{year}年{tw.unit.name}村级站点管理员岗前培训", start=base + dt.timedelta(
                           days=self.rng.randint(10, 30)), organizer_level="township", organizer_unit=tw.unit,
                           department=None, target_role="village_manager", target_level="village",
                           kind="pre_job", mode="mixed", topics=("1", "2", "5", "6"),
                           places=(f"{tw.unit.name}党员活动室", f"{tw.unit.name}远程教育站点"),
                           trainee_units={v.id for v in tw.villages})
            self._plan(f"{year}年{COUNTY_NAME}县级教学辅导员业务培训班", start=base + dt.timedelta(days=35),
                       organizer_level="department", organizer_unit=None, department=f"中共{COUNTY_NAME}委党校",
                       target_role="county_tutor", target_level="county", kind="regular", mode="mixed",
                       topics=("1", "4", "6", "7"), places=(f"{COUNTY_NAME}委党校第一教室",), trainee_units=None)
            self._plan(f"{year}年{COUNTY_NAME}乡镇教学辅导员农业实用技术培训", start=base + dt.timedelta(days=40),
                       organizer_level="department", organizer_unit=None, department=f"{COUNTY_NAME}农业农村局",
                       target_role="township_tutor", target_level="township", kind="regular", mode="lecture",
                       topics=("4", "6", "7"), places=(f"{COUNTY_NAME}农业农村局会议室", "县农业科技示范园"),
                       trainee_units=None)
            self._plan(f"{year}年{COUNTY_NAME}远程教育技术服务员技能培训", start=base + dt.timedelta(days=45),
                       organizer_level="telecom", organizer_unit=None, department=TELECOM,
                       target_role="technician", target_level="township", kind="regular", mode="lecture",
                       topics=("2", "3", "5"), places=(f"{TELECOM}培训室",), trainee_units=None)
        self.flush_staged()

    def _plan(self, title: str, *, start: dt.date, organizer_level: str, organizer_unit: _Unit | None,
              department: str | None, target_role: str, target_level: str, kind: str, mode: str,
              topics: Sequence[str], places: Sequence[str], trainee_units: set[str] | None) -> None:
        rng = self.rng
        tutors = self.open_held("county_tutor")
        days = [start]
        for _ in range(rng.randint(2, 4) - 1):
            days.append(days[-1] + dt.timedelta(days=rng.randint(1, 3)))
        plan = TrainingPlan(
            id=new_uuid(), title=title, year=start.year, organizer_level=organizer_level,
            organizer_unit_id=organizer_unit.id if organizer_unit else None, organizer_department=department,
            target_role=target_role, target_level=target_level, topics=codes.topics_to_mask(topics), kind=kind,
            mode=mode, pass_mark=60.0, start_date=days[0], end_date=days[-1],
        )
        sessions: list[tuple[str, float]] = []
        for day in days:
            hours = rng.choice((2.0, 2.5, 3.0, 3.5, 4.0))
            begin = rng.choice((dt.time(8, 30), dt.time(9, 0), dt.time(14, 0), dt.time(14, 30)))
            finish = (dt.datetime.combine(day, begin) + dt.timedelta(hours=hours)).time()
            instructor_id, instructor_name, note = None, None, None
            use_tutor = bool(tutors) and organizer_level in ("county", "township") and rng.random() < 0.7
            if use_tutor:
                instructor_id = rng.choice(tutors).person.id
            else:
                instructor_name = self._name("1" if rng.random() < 0.6 else "2", archive=False)
                note = {"telecom": f"{TELECOM}工程师", "department": f"{department}特聘教师"}.get(
                    organizer_level, "市远程办特邀专家")
            row = TrainingSession(id=new_uuid(), plan_id=plan.id, date=day, start_time=begin, end_time=finish,
                                  place=rng.choice(places), hours=hours, instructor_person_id=instructor_id,
                                  instructor_name=instructor_name, notes=note)
            self.stage(1, row)
            sessions.append((row.id, hours))
        plan.planned_hours = sum(h for _, h in sessions)
        self.stage(0, plan)
        record = _Plan(plan.id, title, kind, target_role, days[-1])

        trainees: list[_Person] = []
        seen: set[str] = set()
        for held in self.held:
            if held.role != target_role or held.person.id in seen:
                continue
            if trainee_units is not None and held.unit.id not in trainee_units:
                continue
            if held.serves_through(days[0], days[-1]):
                seen.add(held.person.id)
                trainees.append(held.person)
        for person in trainees:
            present = [rng.random() < 0.92 for _ in sessions]
            if rng.random() < 0.07 or sum(present) * 2 < len(present):
                score = float(rng.randint(38, 59))
            else:
                score = float(min(100, max(60, round(rng.gauss(83, 8)))))
            passed = score >= plan.pass_mark
            enrolment = Enrolment(id=new_uuid(), plan_id=plan.id, person_id=person.id,
                                  self_study_hours=float(rng.choice((4, 6, 8))) if mode != "lecture" else 0.0,
                                  score=score, passed=passed, assessed_on=days[-1],
                                  notes=None if passed else "未通过考核，需参加补训")
            self.stage(1, enrolment)
            for (session_id, hours), here in zip(sessions, present, strict=True):
                self.stage(2, Attendance(id=new_uuid(), session_id=session_id, person_id=person.id, present=here,
                                      hours=hours if here else 0.0, note=None if here else "请假"))
            if passed and kind == "pre_job":
                self.passed.setdefault(person.id, []).append(_Passed(record, enrolment.id, score))

    # --- certificates (R11) --------------------------------------------------------------------

    def step_certificates(self) -> None:
        """On-duty certificates for managers who passed a pre-job training; 3-year appointment
        certificates for tutors and technicians — except those trained or appointed in the last
        PENDING_DAYS, who are left eligible so that the clerk can try issuing; and some appointment
        terms have run out (expired, due for renewal). Numbered per kind and year in issue order, and frozen
        like real issues (snapshot, signed code, PDF hash), so they reprint and verify.

        The demo office's signing key comes from the seed (the same seed gives the same codes): a
        demo database is for trying the program, never for real certificates."""
        rng = self.rng
        if self.s.get(AppSetting, office_keys.SETTING_KEY) is None:
            demo_key = hashlib.sha256(f"remoteedu-demo-signing-key-{self.seed}".encode()).hexdigest()
            self.s.add(AppSetting(key=office_keys.SETTING_KEY, value_json=json.dumps({"private": demo_key})))
        certificate_settings.set_issuer_name(self.s, f"{COUNTY_NAME}远程办")
        issued_by = f"{COUNTY_NAME}远程办"
        pending: list[tuple[dt.date, Certificate]] = []
        latest = self.today - dt.timedelta(days=1)
        lapsed = self.today - dt.timedelta(days=3 * 365 + 30)
        for k, held in enumerate(self.held):
            if held.end is not None:
                continue
            person = held.person
            if held.role in codes.MANAGER_ROLES:
                done = [p for p in self.passed.get(person.id, []) if p.plan.target_role == held.role]
                if not done:
                    continue  # not trained yet: no certificate (R11)
                first = done[0]
                if (self.today - first.plan.end).days < PENDING_DAYS:
                    continue  # trained lately: left for the clerk to issue ("issue to all eligible")
                issue = min(first.plan.end + dt.timedelta(days=rng.randint(5, 20)), latest)
                cert = Certificate(id=new_uuid(), kind="on_duty", person_id=person.id, post_id=held.id,
                                   enrolment_id=first.enrolment_id, issue_date=issue, status="valid",
                                   issued_by=issued_by)
                pending.append((issue, cert))
            else:
                if (self.today - held.start).days < PENDING_DAYS:
                    continue  # appointed lately: the appointment certificate is still to be issued
                term_start = max(held.start, self.ago(30, 900))
                if held.start <= lapsed and k % 5 == 0:  # the 3-year term ran out: due for renewal
                    term_start = lapsed - dt.timedelta(days=k % 90)
                cert = Certificate(id=new_uuid(), kind="appointment", person_id=person.id, post_id=held.id,
                                   issue_date=term_start, term_start=term_start,
                                   valid_until=certificate_issue.term_end(term_start, 3), status="valid",
                                   issued_by=issued_by)
                pending.append((term_start, cert))
        pending.sort(key=lambda item: item[0])  # stable: equal dates keep creation order
        source = certificate_issue.ValueSource(self.s, [c.person_id for _, c in pending],
                                               [c.post_id for _, c in pending], [c.enrolment_id for _, c in pending])
        freezer = certificate_issue.Freezer(self.s)
        for issue, cert in pending:
            cert.number = certificate_numbers.next_number(self.s, cert.kind, issue.year, county=COUNTY_CODE)
            values = source.values(person_id=cert.person_id, post_id=cert.post_id, enrolment_id=cert.enrolment_id,
                                   kind=cert.kind, issue_date=issue, term_start=cert.term_start,
                                   valid_until=cert.valid_until)
            freezer.freeze(cert, values, photo=None)  # the demo people have no photos
            self.stage(0, cert)  # added after numbering: each next_number flush only touches its serial
        self.flush_staged()

    # --- sites: activities (R13), equipment and faults (R9) ------------------------------------

    def step_sites(self) -> None:
        rng = self.rng
        county_tutors = self.open_held("county_tutor")
        township_tutors = self.open_held("township_tutor")
        technicians = self.open_held("technician")
        managers = {(h.unit.id, h.slot): h.person.name for h in self.open_held() if h.role in codes.MANAGER_ROLES}
        channels = list(codes.ACTIVITY_CHANNEL)
        for t_index, tw in enumerate(self.townships):
            local_tutors = [h for h in township_tutors if h.unit.id == tw.unit.id] or county_tutors
            equipment: list[tuple[_Unit, str, str]] = []
            for site in tw.sites:
                for _ in range(rng.randint(2, 4)):
                    channel = rng.choice(channels)
                    activity = Activity(
                        id=new_uuid(), site_id=site.id, date=self.ago(1, 180), channel=channel,
                        title=rng.choice(_CHANNEL_TITLES[channel]),
                        participants=rng.randint(20, 80) if site.kind == "township_station" else rng.randint(8, 45),
                        hours=rng.choice((1.0, 1.5, 2.0, 2.5, 3.0)))
                    self.stage(0, activity)
                    tutor = rng.choice(county_tutors if rng.random() < 0.25 and county_tutors else local_tutors)
                    self.stage(1, ActivityTutor(id=new_uuid(), activity_id=activity.id, person_id=tutor.person.id))
                installed = self.ago(4 * 365, 10 * 365)
                for kind, models in (("卫星接收机", _RECEIVERS), ("电脑", _COMPUTERS)):
                    item = Equipment(id=new_uuid(), site_id=site.id, kind=kind, model=rng.choice(models),
                                     serial_no=f"{'SR' if kind == '卫星接收机' else 'PC'}{rng.randrange(10 ** 8):08d}",
                                     supplier="江西远教设备服务有限公司", installed_on=installed, in_service=True)
                    self.stage(0, item)
                    equipment.append((site, kind, item.id))
            local_techs = [h for h in technicians if h.unit.id == tw.unit.id]
            for j in range(2):
                site, kind, equipment_id = rng.choice(equipment)
                recent = j == 1
                reported = dt.datetime.combine(self.ago(3, 20) if recent else self.ago(25, 150),
                                               dt.time(rng.randint(8, 17), rng.choice((0, 15, 30, 45))))
                status = ("open", "assigned", "resolved")[t_index % 3] if recent else rng.choice(("resolved", "closed"))
                tech = rng.choice(local_techs) if local_techs and status != "open" else None
                # Reported at least 3 days ago: assignment and repair still fall before today.
                assigned = reported + dt.timedelta(hours=rng.randint(1, 8)) if tech else None
                resolved = None
                if status in ("resolved", "closed") and assigned is not None:
                    resolved = assigned + dt.timedelta(hours=rng.randint(4, 48))
                self.stage(1, FaultTicket(
                    id=new_uuid(), site_id=site.id, equipment_id=equipment_id, reported_at=reported,
                    reported_by=managers.get((site.id, "A")) or managers.get((site.id, None)),
                    description=rng.choice(_FAULTS[kind]), technician_id=tech.person.id if tech else None,
                    assigned_at=assigned, resolved_at=resolved,
                    resolution=rng.choice(("更换高频头，信号恢复", "重装系统并杀毒", "更换电源，已恢复", "调整天线角度"))
                    if resolved else None, status=status))
        self.flush_staged()

    # --- last year's evaluation and award (R14) ------------------------------------------------

    def step_evaluation(self) -> None:
        rng = self.rng
        year = self.today.year - 1
        year_end = dt.date(year, 12, 31)
        decided = min(dt.date(year + 1, 1, 20), self.today)
        rnd = EvaluationRound(id=new_uuid(), year=year, name=f"{year}年度村级站点管理员考评",
                              grade_scale="competent", top_quota_pct=20.0, status="closed")
        thresholds = json.loads(rnd.thresholds_json or '{"excellent": 90, "pass": 75, "basic": 60}')
        rubric = Rubric(id=new_uuid(), round_id=rnd.id, target="site_manager",
                        name=f"{year}年度村级站点管理员考评细则", version=1)
        items = [
            ("A1", "组织开展远程教育学习活动", 30.0, "activity_count"),
            ("A2", "站点设备管理与安全运行", 20.0, "fault_response"),
            ("A3", "参加培训和考核", 20.0, "training_hours"),
            ("A4", "学用台账和资料管理", 15.0, None),
            ("A5", "党员群众满意度", 15.0, None),
        ]
        item_rows = [RubricItem(id=new_uuid(), rubric_id=rubric.id, code=code, title=title, kind="score",
                                max_points=points, weight_pct=points, indicator=indicator, sort_order=k)
                     for k, (code, title, points, indicator) in enumerate(items)]
        self.stage(0, rnd)
        self.stage(1, rubric)
        self.stage(2, *item_rows)

        evaluated: list[tuple[_Held, Evaluation]] = []
        seen: set[str] = set()
        for held in self.held:
            if held.role != "village_manager" or held.person.id in seen or not held.serves_through(year_end, year_end):
                continue
            seen.add(held.person.id)
            quality = min(1.0, max(0.45, rng.gauss(0.81, 0.08)))
            total = 0.0
            evaluation = Evaluation(id=new_uuid(), round_id=rnd.id, rubric_id=rubric.id, person_id=held.person.id,
                                    unit_id=held.unit.id)
            for item in item_rows:
                share = min(1.0, max(0.3, quality + rng.gauss(0, 0.05)))
                points = round(item.max_points * share, 1)
                total += points / item.max_points * item.weight_pct
                self.stage(3, EvaluationScore(id=new_uuid(), evaluation_id=evaluation.id, item_id=item.id,
                                           points=points, automatic=item.indicator is not None))
            evaluation.total = round(total, 1)
            evaluation.grade = next((g for g in ("excellent", "pass", "basic") if evaluation.total >= thresholds[g]),
                                    "fail")
            evaluation.unfit = evaluation.grade == "fail"  # R14: flagged for adjustment
            evaluation.opinion = codes.GRADE_COMPETENT[evaluation.grade]
            evaluated.append((held, evaluation))

        def ranks(group: list[tuple[_Held, Evaluation]]) -> list[tuple[Evaluation, int]]:
            ordered = sorted(group, key=lambda pair: -(pair[1].total or 0.0))  # stable on ties
            out: list[tuple[Evaluation, int]] = []
            for k, (_, ev) in enumerate(ordered):
                rank = out[-1][1] if out and out[-1][0].total == ev.total else k + 1
                out.append((ev, rank))
            return out

        for tw in self.townships:
            for ev, rank in ranks([p for p in evaluated if p[0].unit.township is tw]):
                ev.rank_township = rank
        for ev, rank in ranks(evaluated):
            ev.rank_county = rank
        self.stage(2, *(ev for _, ev in evaluated))

        campaign = AwardCampaign(id=new_uuid(), year=year, kind="excellent_manager",
                                 name=f"{year}年度{codes.AWARD_KIND['excellent_manager']}评选", quota=3,
                                 status="closed")
        self.stage(0, campaign)
        best = sorted(evaluated, key=lambda pair: pair[1].rank_county or 0)[:3]
        for k, (held, ev) in enumerate(best):
            self.stage(1, Nomination(id=new_uuid(), campaign_id=campaign.id, person_id=held.person.id, source="ranking",
                                  eligibility_note=f"年度考评 {ev.total} 分，全县第 {ev.rank_county} 名",
                                  status="approved", decided_on=decided))
            self.stage(1, Award(id=new_uuid(), campaign_id=campaign.id, person_id=held.person.id,
                             title=f"{year}年度{codes.AWARD_KIND['excellent_manager']}", awarded_on=decided,
                             document_no=f"{COUNTY_SHORT}远教字〔{decided.year}〕{k + 1}号"))
        self.flush_staged()

    def summary(self) -> DemoSummary:
        def count(model: type, *where: object) -> int:
            return self.s.scalar(select(func.count()).select_from(model).where(
                model.deleted.is_(False), *where)) or 0  # type: ignore[attr-defined]

        return DemoSummary(
            townships=count(OrgUnit, OrgUnit.kind == "township"),
            sites=count(OrgUnit, OrgUnit.kind.in_(sorted(codes.SITE_KINDS))),
            people=count(Person),
            posts=count(Post),
            plans=count(TrainingPlan),
            sessions=count(TrainingSession),
            attendance=count(Attendance),
            certificates=count(Certificate),
            evaluations=count(Evaluation),
            activities=count(Activity),
            faults=count(FaultTicket),
        )


def _check_empty(session: Session) -> None:
    office = offices.office_info(session)
    if office.initialized:
        raise ValidationError(f"本机已设置为{office.name}（{office.code}），演示数据只能写入空数据库", field="数据库")
    if session.scalar(select(func.count()).select_from(OrgUnit)) or \
            session.scalar(select(func.count()).select_from(Person)):
        raise ValidationError("数据库中已有单位或人员，演示数据只能写入空数据库", field="数据库")


def demo_steps(session: Session, *, townships: int = 6, sites: int = 10, seed: int = 1,
               today: dt.date = DEFAULT_TODAY) -> Generator[Progress, None, DemoSummary]:
    """Build the demo county step by step: yields ``(done, total, text)``, returns the summary.

    The size and the database are checked at once (before the first ``next``); a non-empty
    database is refused with :class:`ValidationError`.
    """
    for value, name, limit in ((townships, "乡镇数", MAX_TOWNSHIPS), (sites, "每乡镇村站点数", MAX_SITES)):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
            raise ValidationError(f"应在 1 到 {limit} 之间，实际为 {value}", field=name)
    _check_empty(session)
    return _run(_Builder(session, townships=townships, sites=sites, seed=seed, today=today))


def _run(builder: _Builder) -> Generator[Progress, None, DemoSummary]:
    steps = builder.steps()
    total = len(steps)
    for done, (text, work) in enumerate(steps):
        yield done, total, text
        work()
    yield total, total, "演示数据已生成"
    return builder.summary()


def generate_demo(session: Session, *, townships: int = 6, sites: int = 10, seed: int = 1,
                  today: dt.date = DEFAULT_TODAY) -> DemoSummary:
    """Build the whole demo county at once (see :func:`demo_steps`)."""
    steps = demo_steps(session, townships=townships, sites=sites, seed=seed, today=today)
    return run_to_end(steps)
