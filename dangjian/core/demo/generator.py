"""The demo deployment: a fictional county, city or province, written through the actions.

Deterministic: every random choice comes from `random.Random` seeded by (seed, place code), and
every date is computed from a fixed anchor day, so one seed always yields the same tree, people,
posts and events. Nothing here writes a row itself: units, people, party orgs, posts, liaisons,
exchanges, closures, users and roles all go through their `actions.py`, so every row is audited.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from dangjian.core.dates import add_months
from dangjian.orgs import actions as orgs
from dangjian.orgs.models import PartyOrg, Unit
from dangjian.people import actions as people_actions
from dangjian.people.models import Person

from . import hooks, names
from .people import PeopleFactory

ANCHOR = dt.date(2026, 11, 1)  # "now" of the demo: terms, liaisons and exchanges end near it
ROADS = (
    "人民",
    "解放",
    "建设",
    "文化",
    "育才",
    "学府",
    "新华",
    "朝阳",
    "滨江",
    "光明",
    "和平",
    "团结",
)


@dataclass(frozen=True)
class Scale:
    cities: int  # 0: the root is a county bureau; else a city (1) or province (>1) tree
    counties: int  # per city
    districts: int  # per county
    staff_factor: float = 1.0
    max_schools: int | None = None  # per county; None = the full plan


SCALES: dict[str, Scale] = {
    "tiny": Scale(cities=0, counties=1, districts=2, staff_factor=0.12, max_schools=10),
    "county": Scale(cities=0, counties=1, districts=6, staff_factor=1.1),
    "city": Scale(cities=1, counties=8, districts=6, staff_factor=1.1),
    "province": Scale(cities=15, counties=8, districts=6, staff_factor=1.1),
}
ROOT_CODES = {"tiny": "QSX", "county": "QSX", "city": "QSS", "province": "LJS"}


@dataclass
class SchoolSpec:
    name: str
    kind: str
    staff: int
    is_private: bool = False
    village: bool = False  # a village school: candidate for closure or merger
    central: bool = False  # the town's central school: successor of its village schools
    fate: str = ""  # "", "closure" or "merger"


@dataclass
class Staffed:
    unit: Unit
    spec: SchoolSpec
    staff: list[Person] = field(default_factory=list)
    head: Person | None = None
    secretary: Person | None = None
    teachers: list[Person] = field(default_factory=list)  # plain teachers: may be exchanged


@dataclass
class Stats:
    units: int = 0
    people: int = 0
    party_orgs: int = 0
    posts: int = 0
    liaisons: int = 0
    exchanges: int = 0
    closed: int = 0
    merged: int = 0
    phases: dict[str, float] = field(default_factory=dict)

    def add_time(self, phase: str, seconds: float) -> None:
        self.phases[phase] = self.phases.get(phase, 0.0) + seconds


class Demo:
    def __init__(
        self,
        actor: Any,
        *,
        scale: str = "county",
        seed: int = 1,
        anchor: dt.date = ANCHOR,
        max_schools: int | None = None,
        log: Callable[[str], None] = lambda s: None,
    ) -> None:
        self.actor = actor
        self.scale_name = scale
        self.scale = SCALES[scale]
        self.seed = seed
        self.anchor = anchor
        self.max_schools = max_schools or self.scale.max_schools
        self.log = log
        self.factory = PeopleFactory()
        self.stats = Stats()
        self._doc_seq: dict[str, int] = {}

    # ---- helpers ---------------------------------------------------------------------------
    def rng(self, code: str) -> random.Random:
        return random.Random(f"{self.seed}:{code}")

    @contextmanager
    def _phase(self, phase: str) -> Iterator[None]:
        """A timed step in its own transaction.

        Steps are small (one school and its staff, one school's party organisations): every
        audited action updates the one audit head row, and on PostgreSQL a row updated
        thousands of times in one transaction gets slower with each update (dead row versions
        pile up until commit), so a city loaded in one transaction would take far longer.
        """
        started = time.perf_counter()
        try:
            with transaction.atomic():
                yield
        finally:
            self.stats.add_time(phase, time.perf_counter() - started)

    def _doc(self, short: str, kind: str, year: int) -> str:
        key = f"{short}{kind}{year}"
        self._doc_seq[key] = self._doc_seq.get(key, 0) + 1
        return f"{short}{kind}〔{year}〕{3 * self._doc_seq[key] + 5}号"

    def _unit(self, parent: Unit | None, **fields: Any) -> Unit:
        self.stats.units += 1
        return orgs.unit_create(actor=self.actor, parent=parent, **fields)

    def _person(
        self,
        rng: random.Random,
        unit: Unit,
        area: str,
        job_title: str,
        *,
        education: str,
        born: tuple[int, int] = (1965, 2000),
        female_share: float = 0.62,
        is_teacher: bool = True,
        key_share: float = 0.0,
    ) -> Person:
        fake = self.factory.make(
            rng, area, female_share=female_share, born=born, education=education
        )
        self.stats.people += 1
        return people_actions.person_create(
            actor=self.actor,
            unit=unit,
            name=fake.name,
            id_number=fake.id_number,
            phone=fake.phone,
            education=fake.education,
            job_title=job_title,
            is_teacher=is_teacher,
            is_key_teacher=is_teacher and rng.random() < key_share,
            today=self.anchor,
        )

    # ---- the tree --------------------------------------------------------------------------
    def run(self) -> Unit:
        """Load the whole tree; commits school by school (see `_phase`)."""
        if self.scale.cities == 0:
            county_name, code = names.COUNTIES[0]
            return self.county(None, county_name, code, area="330521", index=0)
        if self.scale.cities == 1:
            return self.city(None, 0, names.CITY[0], names.CITY[1])
        return self.province()

    def province(self) -> Unit:
        pname, pcode = names.PROVINCE
        root = self._unit(
            None,
            code=pcode,
            name=f"{pname}教育厅",
            kind=Unit.Kind.PROVINCE_BUREAU,
            address=f"{pname}省府路1号",
            established_on=dt.date(1950, 1, 1),
        )
        self.office_staff(
            root, pcode, "330000", (("厅长", 1), ("副厅长", 3), ("处长", 6), ("科员", 10))
        )
        rng = self.rng(pcode)
        stems = rng.sample(names.CITY_STEMS, self.scale.cities - 1)
        cities = [names.CITY[0], *[f"{s}市" for s in stems]]
        for i, city_name in enumerate(cities):
            self.city(root, i, city_name, f"{pcode}-{i + 1:02d}")
        return root

    def city(self, parent: Unit | None, index: int, city_name: str, code: str) -> Unit:
        bureau = self._unit(
            parent,
            code=code,
            name=f"{city_name}教育局",
            kind=Unit.Kind.CITY_BUREAU,
            address=f"{city_name}人民路{10 + index}号",
            established_on=dt.date(1952, 1, 1),
        )
        area_city = f"33{index + 1:02d}00"
        self.office_staff(
            bureau, code, area_city, (("局长", 1), ("副局长", 3), ("科长", 5), ("科员", 8))
        )
        rng = self.rng(code)
        if index == 0:
            counties = [(n, c) for n, c in names.COUNTIES[: self.scale.counties]]
        else:
            combos = [a + b for a in names.COUNTY_FIRST for b in names.COUNTY_SECOND]
            picked = rng.sample(combos, self.scale.counties)
            counties = [
                (f"{stem}{'区' if i == 1 else '县'}", f"C{index + 1:02d}{i + 1}")
                for i, stem in enumerate(picked)
            ]
        for i, (county_name, _short) in enumerate(counties):
            area = f"33{index + 1:02d}{21 + i:02d}"
            self.county(bureau, county_name, f"{code}-{i + 1:02d}", area=area, index=i)
        return bureau

    def office_staff(
        self, unit: Unit, code: str, area: str, titles: tuple[tuple[str, int], ...]
    ) -> list[Person]:
        rng = self.rng(f"{code}:office")
        return [
            self._person(
                rng,
                unit,
                area,
                title,
                education="office",
                born=(1966, 1995),
                female_share=0.45,
                is_teacher=False,
            )
            for title, count in titles
            for _ in range(count)
        ]

    # ---- one county ------------------------------------------------------------------------
    def county(
        self, parent: Unit | None, county_name: str, code: str, *, area: str, index: int
    ) -> Unit:
        started = time.perf_counter()
        rng = self.rng(code)
        short = county_name[0]  # 青山县 → 青教发〔2024〕12号
        bureau = self._unit(
            parent,
            code=code,
            name=f"{county_name}教育局",
            kind=Unit.Kind.BUREAU,
            address=f"{county_name}城关镇{rng.choice(ROADS)}路{rng.randint(1, 200)}号",
            phone=f"0{rng.randint(810, 899)}-{rng.randint(2_000_000, 8_999_999)}",
            established_on=dt.date(1956, 1, 1),
        )
        with self._phase("人员"):
            cadres = self.bureau_staff(rng, bureau, area)
        orgs.unit_update(actor=self.actor, unit=bureau, head=cadres.pop(0))
        towns = ["城关", *rng.sample(names.TOWNS, self.scale.districts - 1)]
        schools: list[Staffed] = []
        district_units: list[Unit] = []
        for d, town in enumerate(towns):
            dcode = f"{code}-{d + 1:02d}"
            with self._phase("单位"):
                district = self._unit(
                    bureau,
                    code=dcode,
                    name=f"{town}学区",
                    kind=Unit.Kind.DISTRICT_OFFICE,
                    address=f"{county_name}{town}镇{rng.choice(ROADS)}路{rng.randint(1, 99)}号",
                    established_on=dt.date(1985 + rng.randint(0, 20), 9, 1),
                )
            district_units.append(district)
            with self._phase("人员"):
                self.district_staff(rng, district, area)
            specs = self.school_plan(rng, county_name, town, d == 0)
            if self.max_schools is not None:
                # a small sample that still has a closure or merger in it
                per = max(2, self.max_schools // len(towns))
                fated = [s for s in specs if s.fate][:1]
                specs = [s for s in specs if not s.fate][: per - len(fated)] + fated
            for i, spec in enumerate(specs):
                with self._phase("单位"):
                    unit = self._unit(
                        district,
                        code=f"{dcode}-{i + 1:03d}",
                        name=spec.name,
                        kind=spec.kind,
                        is_private=spec.is_private,
                        address=f"{county_name}{town}镇{rng.choice(ROADS)}路{rng.randint(1, 99)}号",
                        phone=f"0{rng.randint(810, 899)}-{rng.randint(2_000_000, 8_999_999)}",
                        established_on=dt.date(rng.randint(1952, 2012), 9, 1),
                    )
                staffed = Staffed(unit, spec)
                with self._phase("人员"):
                    self.school_staff(rng, staffed, area)
                schools.append(staffed)
        with self._phase("校长与制度"):
            self.heads_and_system(rng, schools)
        with self._phase("党组织与职务"):
            self.party_orgs(rng, schools)
        with self._phase("挂联"):
            self.liaisons(rng, cadres, schools)
        with self._phase("撤并"):
            self.closures(rng, short, schools)
        with self._phase("交流轮岗"):
            self.exchanges(rng, short, schools)
        for hook in hooks.load():  # party members, dues, org life … (each area's demo.py)
            with self._phase(hook.label):
                hook.fn(self, bureau, schools)
        self.log(
            f"  {county_name}：{len(district_units)}个学区，{len(schools)}所学校和机构，"
            f"用时{time.perf_counter() - started:.1f}秒"
        )
        return bureau

    def bureau_staff(self, rng: random.Random, bureau: Unit, area: str) -> list[Person]:
        """Bureau staff: the director first, then the liaison cadres (deputies, chiefs, 督学)."""
        titles = (
            ("局长", 1, True),  # the head: popped off the cadre list by the caller
            ("副局长", 3, True),
            ("纪检组长", 1, True),
            ("组织科科长", 1, True),
            ("组织科科员", 2, False),
            ("办公室主任", 1, True),
            ("人事科科长", 1, True),
            ("基础教育科科长", 1, True),
            ("督学", 6, True),
            ("科员", 6, False),
        )
        cadres = []
        for title, count, cadre in titles:
            for _ in range(count):
                person = self._person(
                    rng,
                    bureau,
                    area,
                    title,
                    education="office",
                    born=(1966, 1992),
                    female_share=0.4,
                    is_teacher=False,
                )
                if cadre:
                    cadres.append(person)
        return cadres

    def district_staff(self, rng: random.Random, district: Unit, area: str) -> None:
        staff = [
            self._person(
                rng, district, area, title, education="office", born=(1966, 1990), is_teacher=False
            )
            for title in ("学区主任", "学区副主任", "党建专干", "教研员")
        ]
        orgs.unit_update(actor=self.actor, unit=district, head=staff[0])

    def school_plan(
        self, rng: random.Random, county_name: str, town: str, county_seat: bool
    ) -> list[SchoolSpec]:
        """About 25 schools and institutions per town; the county seat has the big schools."""
        r = rng.randint
        out: list[SchoolSpec] = []
        if county_seat:
            out += [
                SchoolSpec(f"{county_name}第一中学", Unit.Kind.SENIOR, r(120, 150)),
                SchoolSpec(f"{county_name}第二中学", Unit.Kind.COMPLETE, r(95, 120)),
                SchoolSpec(f"{county_name}实验中学", Unit.Kind.JUNIOR, r(70, 90)),
                SchoolSpec(f"{county_name}城关中学", Unit.Kind.JUNIOR, r(55, 70)),
                SchoolSpec(f"{county_name}职业高级中学", Unit.Kind.VOCATIONAL, r(60, 80)),
                SchoolSpec(f"{county_name}实验小学", Unit.Kind.PRIMARY, r(70, 90)),
                SchoolSpec("城关镇中心小学", Unit.Kind.PRIMARY, r(55, 70), central=True),
                SchoolSpec("城关镇第二小学", Unit.Kind.PRIMARY, r(45, 60)),
                SchoolSpec("城关镇第三小学", Unit.Kind.PRIMARY, r(40, 55)),
                SchoolSpec(f"{county_name}特殊教育学校", Unit.Kind.SPECIAL, r(18, 26)),
                SchoolSpec(f"{county_name}实验幼儿园", Unit.Kind.KINDERGARTEN, r(30, 40)),
                SchoolSpec("城关镇中心幼儿园", Unit.Kind.KINDERGARTEN, r(22, 30)),
            ]
            for label, kind in rng.sample(names.PRIVATE_SCHOOLS, 2):
                out.append(SchoolSpec(f"{county_name}{label}", kind, r(45, 70), is_private=True))
            for label in rng.sample(names.PRIVATE_KINDERGARTENS, 4):
                out.append(
                    SchoolSpec(f"{label}幼儿园", Unit.Kind.KINDERGARTEN, r(10, 18), is_private=True)
                )
            villages = 7
        else:
            middle = rng.random() < 0.35
            out += [
                SchoolSpec(f"{town}镇中心小学", Unit.Kind.PRIMARY, r(40, 55), central=True),
                SchoolSpec(
                    f"{town}镇九年一贯制学校" if middle else f"{town}镇中学",
                    Unit.Kind.NINE_YEAR if middle else Unit.Kind.JUNIOR,
                    r(45, 65),
                ),
                SchoolSpec(f"{town}镇第二小学", Unit.Kind.PRIMARY, r(22, 32)),
                SchoolSpec(f"{town}镇中心幼儿园", Unit.Kind.KINDERGARTEN, r(18, 26)),
            ]
            if rng.random() < 0.5:
                label = rng.choice(names.PRIVATE_KINDERGARTENS)
                out.append(
                    SchoolSpec(
                        f"{town}镇{label}幼儿园", Unit.Kind.KINDERGARTEN, r(8, 14), is_private=True
                    )
                )
            villages = 13
        for village in rng.sample(names.VILLAGES, villages):
            out.append(
                SchoolSpec(f"{town}镇{village}村小学", Unit.Kind.PRIMARY, r(7, 14), village=True)
            )
        for village in rng.sample(names.VILLAGES, 2 if county_seat else 3):
            out.append(
                SchoolSpec(
                    f"{town}镇{village}村幼儿园", Unit.Kind.KINDERGARTEN, r(5, 9), village=True
                )
            )
        for label in rng.sample(names.TRAINING, 2 if county_seat else 1):
            place = county_name if county_seat else f"{town}镇"
            out.append(
                SchoolSpec(
                    f"{place}{label}教育培训学校",
                    Unit.Kind.TRAINING_INSTITUTION,
                    r(4, 8),
                    is_private=True,
                )
            )
        label = rng.choice(names.CARE)
        out.append(
            SchoolSpec(
                f"{town}{label}托管中心", Unit.Kind.CARE_INSTITUTION, r(3, 5), is_private=True
            )
        )
        # some village schools and one institution per town are closed or merged later
        villages_idx = [i for i, s in enumerate(out) if s.village]
        for i in rng.sample(villages_idx, 2 if county_seat else 3):
            out[i].fate = "merger" if rng.random() < 0.35 else "closure"
        if rng.random() < 0.3:
            out[-1].fate = "closure"
        return out

    def school_staff(self, rng: random.Random, school: Staffed, area: str) -> None:
        spec, unit = school.spec, school.unit
        n = max(2, round(spec.staff * self.scale.staff_factor))
        kind = spec.kind
        if kind in (Unit.Kind.TRAINING_INSTITUTION, Unit.Kind.CARE_INSTITUTION):
            school.head = self._person(
                rng,
                unit,
                area,
                "负责人",
                education="secondary",
                born=(1970, 1995),
                is_teacher=False,
            )
            school.staff = [school.head]
            for _ in range(n - 1):
                school.staff.append(
                    self._person(rng, unit, area, "教师", education="primary", born=(1985, 2000))
                )
            return
        edu_of: dict[str, str] = {
            Unit.Kind.SENIOR: "senior",
            Unit.Kind.COMPLETE: "senior",
            Unit.Kind.VOCATIONAL: "secondary",
            Unit.Kind.JUNIOR: "secondary",
            Unit.Kind.NINE_YEAR: "secondary",
            Unit.Kind.KINDERGARTEN: "kindergarten",
        }
        edu = edu_of.get(kind, "primary")
        kg = kind == Unit.Kind.KINDERGARTEN
        female = 0.92 if kg else 0.62
        head_title = "园长" if kg else "校长"
        school.head = self._person(
            rng, unit, area, head_title, education=edu, born=(1965, 1980), female_share=female - 0.2
        )
        staff = [school.head]
        titles: list[tuple[str, bool]] = []  # (job title, is_teacher)
        if n >= 15:
            titles.append(("党支部书记" if n < 60 else "党委书记", False))
        deputies = 1 if n < 30 else (2 if n < 80 else 3)
        titles += [("副园长" if kg else "副校长", True)] * (deputies if n >= 8 else 0)
        if n >= 25:
            titles += [("保教主任" if kg else "教导主任", True), ("党务干事", True)]
            if not kg:
                titles += [("德育主任", True), ("总务主任", False)]
        support = max(0, round(n * (0.12 if kg else 0.06)))
        titles += [("保育员" if kg else "后勤", False)] * support
        remaining = n - 1 - len(titles)
        homeroom = remaining // 3 if not kg else 0
        titles += [("班主任", True)] * homeroom
        titles += [("教师", True)] * max(0, remaining - homeroom)
        for title, teacher in titles:
            person = self._person(
                rng,
                unit,
                area,
                title,
                education=edu if teacher else ("office" if "书记" in title else "support"),
                born=(1965, 1985) if "书记" in title or "副" in title else (1965, 2000),
                female_share=female,
                is_teacher=teacher,
                key_share=0.13,
            )
            staff.append(person)
            if title in ("教师", "班主任"):
                school.teachers.append(person)
            if "书记" in title:
                school.secretary = person
        school.staff = staff

    # ---- principals, 校长负责制, party organisations ------------------------------------------
    def heads_and_system(self, rng: random.Random, schools: list[Staffed]) -> None:
        for s in schools:
            changes: dict[str, Any] = {"head": s.head}
            public = s.unit.is_school and not s.spec.is_private and not s.spec.fate
            if public and rng.random() < 0.42:
                changes["principal_responsibility_system"] = True
                changes["principal_system_since"] = add_months(
                    dt.date(self.anchor.year - 4, 3, 1), rng.randint(0, 40)
                )
            orgs.unit_update(actor=self.actor, unit=s.unit, **changes)

    def party_orgs(self, rng: random.Random, schools: list[Staffed]) -> None:
        for s in schools:
            if not s.unit.is_school or s.spec.fate or s.head is None:
                continue
            self._party_org(rng, s)

    def _party_org(self, rng: random.Random, s: Staffed) -> None:
        n = len(s.staff)
        if n >= 90:
            kind, suffix, years = PartyOrg.Kind.COMMITTEE, "党委", 5
        elif n >= 45:
            kind, suffix, years = PartyOrg.Kind.GENERAL_BRANCH, "党总支", 3
        else:
            kind, suffix, years = PartyOrg.Kind.BRANCH, "党支部", 3
        # a term that started 1–40 months ago: some expire soon or have expired (换届提醒)
        months = rng.randint(1, 12 * years + 4)
        term = add_months(self.anchor, -months)
        top = self._org(
            s.unit,
            name=f"{s.unit.name}{suffix}",
            kind=kind,
            established_on=dt.date(rng.randint(1960, 2012), 7, 1),
            term_started_on=term,
            term_years=years,
        )
        dual = s.secretary is None or rng.random() < (0.45 if n < 30 else 0.15)
        secretary = s.head if dual or s.secretary is None else s.secretary
        if secretary is None:
            return
        others = [p for p in s.staff if p.pk not in {secretary.pk, getattr(s.head, "pk", None)}]
        rng.shuffle(others)
        if rng.random() < 0.3 and others:
            # the previous secretary, replaced at the start of this term
            prev = others.pop()
            self._post(top, prev, "secretary", add_months(term, -12 * years), term)
        self._post(top, secretary, "secretary", term)
        committee_titles = ["organization_member", "propaganda_member", "discipline_member"]
        if kind != PartyOrg.Kind.BRANCH:
            committee_titles.insert(0, "deputy_secretary")
        if n >= 15:
            for title in committee_titles:
                if others:
                    self._post(top, others.pop(), title, term)
        if kind == PartyOrg.Kind.BRANCH:
            if n >= 25:
                self._groups(rng, s, top, term, others, 2)
            return
        sections = 4 if kind == PartyOrg.Kind.COMMITTEE else 2 + (n >= 70)
        for label in names.BRANCH_SECTIONS[:sections]:
            branch = self._org(
                s.unit,
                name=f"{s.unit.name}{label}党支部",
                kind=PartyOrg.Kind.BRANCH,
                parent=top,
                established_on=top.established_on,
                term_started_on=term,
                term_years=3,
            )
            for title in ("secretary", "organization_member"):
                if others:
                    self._post(branch, others.pop(), title, term)
            if kind == PartyOrg.Kind.COMMITTEE and label != "离退休":
                self._groups(rng, s, branch, term, others, 2)

    def _groups(
        self,
        rng: random.Random,
        s: Staffed,
        branch: PartyOrg,
        term: dt.date,
        others: list[Person],
        count: int,
    ) -> None:
        for subject in rng.sample(names.SUBJECT_GROUPS, count):
            group = self._org(
                s.unit,
                name=f"{branch.name.removeprefix(s.unit.name)}{subject}党小组",
                kind=PartyOrg.Kind.GROUP,
                parent=branch,
                established_on=branch.established_on,
            )
            if others:
                self._post(group, others.pop(), "group_leader", term)

    def _org(self, unit: Unit, **fields: Any) -> PartyOrg:
        self.stats.party_orgs += 1
        return orgs.partyorg_create(actor=self.actor, unit=unit, **fields)

    def _post(
        self,
        org: PartyOrg,
        person: Person,
        title: str,
        started: dt.date,
        ended: dt.date | None = None,
    ) -> None:
        self.stats.posts += 1
        orgs.post_create(
            actor=self.actor,
            org=org,
            person=person,
            title=title,
            started_on=started,
            ended_on=ended,
        )

    # ---- 三挂一蹲点, closures, 区管校聘 ----------------------------------------------------------
    def liaisons(self, rng: random.Random, cadres: list[Person], schools: list[Staffed]) -> None:
        """Each cadre: three schools to liaise with and one to be stationed at, per round."""
        targets = [s.unit for s in schools if s.unit.is_school]
        staying = [s.unit for s in schools if s.unit.is_school and not s.spec.fate]
        current_start = dt.date(self.anchor.year - 1, 3, 1)
        previous_start = dt.date(self.anchor.year - 3, 3, 1)
        for start, pool, ended in (
            (previous_start, targets, current_start - dt.timedelta(days=1)),
            (current_start, staying, None),
        ):
            picks = rng.sample(pool, min(len(pool), 4 * len(cadres)))
            for i, unit in enumerate(picks):
                cadre = cadres[i // 4 % len(cadres)]
                stationed = i % 4 == 3
                self.stats.liaisons += 1
                orgs.liaison_create(
                    actor=self.actor,
                    cadre=cadre,
                    unit=unit,
                    started_on=start,
                    ended_on=ended,
                    kind="stationed" if stationed else "liaison",
                    note="蹲点" if stationed else "挂联",
                )

    def closures(self, rng: random.Random, short: str, schools: list[Staffed]) -> None:
        """撤并: village schools closed or merged into their town's central school."""
        central: Unit | None = None
        kindergarten: Unit | None = None
        for s in schools:
            if s.unit.kind == Unit.Kind.DISTRICT_OFFICE:
                continue
            parent = s.unit.parent_id
            if s.spec.central:
                central = s.unit
            if s.unit.kind == Unit.Kind.KINDERGARTEN and s.unit.name.endswith("镇中心幼儿园"):
                kindergarten = s.unit
            if not s.spec.fate:
                continue
            month = add_months(self.anchor, -rng.randint(2, 34))
            happened = month.replace(day=rng.randint(1, 28))
            doc = self._doc(short, "教发", happened.year)
            institution = not s.unit.is_school
            successor = None
            if not institution:
                same_town = kindergarten if s.unit.kind == Unit.Kind.KINDERGARTEN else central
                successor = (
                    same_town if same_town is not None and same_town.parent_id == parent else None
                )
            if successor is None:
                # staff of an institution that closes leave the system with it
                for person in s.staff:
                    people_actions.person_leave(actor=self.actor, person=person, status="left")
            if s.spec.fate == "merger" and successor is not None:
                self.stats.merged += 1
                orgs.unit_merge(
                    actor=self.actor,
                    unit=s.unit,
                    successor=successor,
                    happened_on=happened,
                    document_number=doc,
                    note=f"学校布局调整，并入{successor.name}",
                )
            else:
                self.stats.closed += 1
                orgs.unit_close(
                    actor=self.actor,
                    unit=s.unit,
                    successor=successor,
                    happened_on=happened,
                    document_number=doc,
                    note="停止办学，注销办学许可"
                    if institution
                    else "生源减少，撤销教学点，师生并入中心校",
                )
            s.teachers = []

    def exchanges(self, rng: random.Random, short: str, schools: list[Staffed]) -> None:
        """区管校聘: about 4% of the teachers change school each August, for three years."""
        open_schools = [s for s in schools if s.unit.is_school and not s.spec.fate and s.teachers]
        if len(open_schools) < 2:
            return
        pool = [(s, t) for s in open_schools for t in s.teachers]
        per_year = max(1, round(len(pool) * 0.04))
        kinds = ["exchange", "rotation", "support"]
        for back in (2, 1, 0):
            year = self.anchor.year - back
            doc = self._doc(short, "教人", year)
            for _ in range(per_year):
                if not pool:
                    return
                s, teacher = pool.pop(rng.randrange(len(pool)))
                target = rng.choice(open_schools)
                if target is s:
                    continue
                day = dt.date(year, 8, 20) + dt.timedelta(days=rng.randint(0, 14))
                self.stats.exchanges += 1
                orgs.exchange_create(
                    actor=self.actor,
                    person=teacher,
                    to_unit=target.unit,
                    kind=rng.choices(kinds, weights=[45, 45, 10])[0],
                    happened_on=day,
                    document_number=doc,
                )
