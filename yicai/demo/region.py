"""The demo district: 宝山区 (310113) as the sources describe it, with synthetic institutions.

Everything here is plain data. Names carry （演示） or （合作） so nobody mistakes them for the
real hospitals they are modelled on. A department's profile says which kinds of staff work
there (see PROFILES); `share` is an institution's part of the managed headcount.
"""

from dataclasses import dataclass, field
from typing import TypedDict

COMMISSION_REGION = "310113"


@dataclass(frozen=True)
class Dept:
    name: str
    weight: float
    profile: str = "clinical"
    parent: str | None = None
    clinical: bool = True
    pg: str = "内科学"  # postgraduate major of its doctors
    ug: str = "临床医学"  # bachelor major of its doctors
    scope: str = "内科专业"  # practice scope on its doctors' licences
    shortage: bool = False  # a 紧缺 specialty


class Traits(TypedDict, total=False):
    """Dept fields shared by many departments, spread into Dept(...) as keyword arguments."""

    profile: str
    clinical: bool
    pg: str
    ug: str
    scope: str
    shortage: bool


@dataclass(frozen=True)
class Unit:
    key: str
    name: str
    short_name: str
    kind: str
    grade: str
    region: str
    departments: tuple[Dept, ...]
    relation: str = "managed"
    affiliation: str = ""
    share: float = 0.0
    experts: tuple[int, int] = (0, 0)  # partner hospitals: range of external experts
    expert_areas: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Designation:
    unit: str
    department: str
    name: str
    kind: str
    level: str
    year_from: int
    year_to: int | None


# Personnel-category code (卫生人力基本信息调查表) weights for each department profile.
PROFILES: dict[str, dict[str, float]] = {
    "clinical": {"11": 40, "12": 1, "13": 1, "21": 58},
    "obstetric": {"11": 34, "21": 46, "22": 20},
    "dental": {"11": 55, "21": 45},
    "tcm": {"11": 45, "21": 55},
    "mental": {"11": 33, "21": 60, "69": 7},
    "imaging": {"11": 40, "42": 50, "21": 10},
    "lab": {"41": 90, "11": 10},
    "pathology": {"11": 50, "41": 50},
    "pharmacy": {"31": 85, "32": 15},
    "tcm_pharmacy": {"31": 45, "32": 55},
    "rehab": {"43": 60, "11": 25, "21": 15},
    "admin": {"80": 85, "70": 15},
    "nursing_admin": {"21": 70, "80": 30},
    "logistics": {"90": 80, "80": 20},
    "gp": {"11": 55, "12": 10, "21": 35},
    "township_gp": {"11": 38, "12": 15, "60": 17, "21": 30},
    "public_health": {"11": 50, "21": 35, "69": 15},
    "medtech": {"41": 45, "42": 40, "11": 15},
    "expert": {"11": 100},
    "expert_nursing": {"21": 100},
}
# Practice category (Licence.PracticeCategory) of doctors by department profile.
DOCTOR_LICENCE = {"dental": "2", "tcm": "4", "public_health": "3"}

SURG: Traits = {"pg": "外科学", "scope": "外科专业"}
TCM: Traits = {"profile": "tcm", "pg": "中医内科学", "ug": "中医学", "scope": "中医专业"}
INTEGRATED: Traits = {
    "profile": "tcm",
    "pg": "中西医结合临床",
    "ug": "中西医临床医学",
    "scope": "中西医结合专业",
}
IMAGING: Traits = {
    "profile": "imaging",
    "clinical": False,
    "pg": "影像医学与核医学",
    "ug": "医学影像学",
    "scope": "医学影像和放射治疗专业",
}
LAB: Traits = {
    "profile": "lab",
    "clinical": False,
    "pg": "临床检验诊断学",
    "scope": "医学检验、病理专业",
}
PATHOLOGY: Traits = {
    "profile": "pathology",
    "clinical": False,
    "pg": "病理学与病理生理学",
    "scope": "医学检验、病理专业",
    "shortage": True,
}
PHARMACY: Traits = {"profile": "pharmacy", "clinical": False}
ADMIN: Traits = {"profile": "admin", "clinical": False}
NURSING: Traits = {"profile": "nursing_admin", "clinical": False}
LOGISTICS: Traits = {"profile": "logistics", "clinical": False}
PAEDIATRICS: Traits = {"pg": "儿科学", "scope": "儿科专业", "shortage": True}
ANAESTHESIA: Traits = {"pg": "麻醉学", "ug": "麻醉学", "scope": "外科专业", "shortage": True}
EMERGENCY: Traits = {"pg": "急诊医学", "scope": "急救医学专业", "shortage": True}
CRITICAL: Traits = {"pg": "重症医学", "scope": "重症医学专业", "shortage": True}
OBSTETRIC: Traits = {"profile": "obstetric", "pg": "妇产科学", "scope": "妇产科专业"}
REHAB: Traits = {"profile": "rehab", "pg": "康复医学与理疗学", "scope": "康复医学专业"}
MENTAL: Traits = {
    "profile": "mental",
    "pg": "精神病与精神卫生学",
    "ug": "精神医学",
    "scope": "精神卫生专业",
    "shortage": True,
}
GP: Traits = {"profile": "gp", "pg": "全科医学", "scope": "全科医学专业", "shortage": True}
PUBLIC_HEALTH: Traits = {
    "profile": "public_health",
    "pg": "流行病与卫生统计学",
    "ug": "预防医学",
    "scope": "公共卫生类别专业",
}
DENTAL: Traits = {"profile": "dental", "pg": "口腔临床医学", "ug": "口腔医学", "scope": "口腔专业"}

CENTRAL_DEPARTMENTS = (
    Dept("心血管内科", 5),
    Dept("心内一病区", 2, parent="心血管内科"),
    Dept("心导管室", 1, parent="心血管内科"),
    Dept("呼吸与危重症医学科", 4),
    Dept("消化内科", 4),
    Dept("神经内科", 4, pg="神经病学"),
    Dept("内分泌科", 2),
    Dept("肾内科", 2),
    Dept("普外科", 3, **SURG),
    Dept("胃肠外科", 2, parent="普外科", **SURG),
    Dept("肝胆外科", 2, parent="普外科", **SURG),
    Dept("骨科", 5, **SURG),
    Dept("神经外科", 3, **SURG),
    Dept("泌尿外科", 3, **SURG),
    Dept("妇产科", 5, **OBSTETRIC),
    Dept("儿科", 3, **PAEDIATRICS),
    Dept("急诊医学科", 5, **EMERGENCY),
    Dept("重症医学科", 3, **CRITICAL),
    Dept("麻醉科", 4, **ANAESTHESIA),
    Dept("眼科", 2, pg="眼科学", scope="眼耳鼻咽喉科专业"),
    Dept("耳鼻咽喉头颈外科", 2, pg="耳鼻咽喉科学", scope="眼耳鼻咽喉科专业"),
    Dept("口腔科", 2, **DENTAL),
    Dept("皮肤科", 1, pg="皮肤病与性病学", scope="皮肤病与性病专业"),
    Dept("康复医学科", 2, **REHAB),
    Dept("中医科", 1, **TCM),
    Dept("医学影像科", 5, **IMAGING),
    Dept("检验科", 3, **LAB),
    Dept("病理科", 1.5, **PATHOLOGY),
    Dept("药剂科", 3, **PHARMACY),
    Dept("院办公室", 1, **ADMIN),
    Dept("医务部", 1, **ADMIN),
    Dept("人事科教部", 1, **ADMIN),
    Dept("护理部", 0.5, **NURSING),
    Dept("后勤保障部", 2, **LOGISTICS),
)

TCM_DEPARTMENTS = (
    Dept("脾胃病科", 3, **TCM),
    Dept("内镜中心", 1, parent="脾胃病科", **TCM),
    Dept("心血管内科", 4, **INTEGRATED),
    Dept("血液科", 3, **INTEGRATED),
    Dept("肺病科", 2, **TCM),
    Dept("脑病科", 3, **TCM),
    Dept("肾病科", 2, **TCM),
    Dept("内分泌科", 2, **INTEGRATED),
    Dept("针灸推拿科", 3, profile="tcm", pg="针灸推拿学", ug="针灸推拿学", scope="中医专业"),
    Dept("中医骨伤科", 3, profile="tcm", pg="中医骨伤科学", ug="中医学", scope="中医专业"),
    Dept("外科", 4, **SURG),
    Dept("肛肠科", 2, profile="tcm", pg="中医外科学", ug="中医学", scope="中医专业"),
    Dept("妇科", 2, profile="tcm", pg="中医妇科学", ug="中医学", scope="中医专业"),
    Dept("儿科", 2, profile="tcm", pg="中医儿科学", ug="中医学", scope="中医专业", shortage=True),
    Dept("急诊科", 3, **EMERGENCY),
    Dept("重症医学科", 2, **CRITICAL),
    Dept("麻醉科", 2, **ANAESTHESIA),
    Dept("康复科", 2, **REHAB),
    Dept("治未病科", 1, **TCM),
    Dept("皮肤科", 1, profile="tcm", pg="中医外科学", ug="中医学", scope="中医专业"),
    Dept("医学影像科", 3, **IMAGING),
    Dept("检验科", 2, **LAB),
    Dept("病理科", 1, **PATHOLOGY),
    Dept("药剂科", 3, profile="tcm_pharmacy", clinical=False),
    Dept("院办公室", 1, **ADMIN),
    Dept("医务部", 1, **ADMIN),
    Dept("护理部", 0.5, **NURSING),
    Dept("后勤保障部", 1.5, **LOGISTICS),
)

MATERNITY_DEPARTMENTS = (
    Dept("产科", 5, **OBSTETRIC),
    Dept("产房", 1, parent="产科", **OBSTETRIC),
    Dept("妇科", 3, **OBSTETRIC),
    Dept("儿科", 3, **PAEDIATRICS),
    Dept("新生儿科", 2, **PAEDIATRICS),
    Dept("儿童保健科", 2, pg="儿科学", scope="儿科专业"),
    Dept("妇女保健科", 1.5, **OBSTETRIC),
    Dept("生殖医学科", 1, **OBSTETRIC),
    Dept("麻醉科", 1.5, **ANAESTHESIA),
    Dept("超声科", 2, **IMAGING),
    Dept("检验科", 1.5, **LAB),
    Dept("药剂科", 1, **PHARMACY),
    Dept("院办公室", 1, **ADMIN),
    Dept("护理部", 0.5, **NURSING),
)

MENTAL_DEPARTMENTS = (
    Dept("普通精神科", 5, **MENTAL),
    Dept("老年精神科", 3, **MENTAL),
    Dept("儿童青少年心理科", 2, **MENTAL),
    Dept("临床心理科", 1.5, **MENTAL),
    Dept("精神康复科", 2, **MENTAL),
    Dept("物质依赖科", 1, **MENTAL),
    Dept("社区精神卫生科", 1.5, **PUBLIC_HEALTH),
    Dept("检验科", 1, **LAB),
    Dept("药剂科", 1, **PHARMACY),
    Dept("院办公室", 1, **ADMIN),
    Dept("护理部", 0.5, **NURSING),
    Dept("后勤保障部", 1, **LOGISTICS),
)

COMMUNITY_DEPARTMENTS = (
    Dept("全科医学科", 6, **GP),
    Dept("家庭病床科", 1, parent="全科医学科", **GP),
    Dept("中医科", 1.5, **TCM),
    Dept("预防保健科", 2, **PUBLIC_HEALTH),
    Dept("康复科", 1, **REHAB),
    Dept("口腔科", 0.7, **DENTAL),
    Dept(
        "医技科",
        1.5,
        profile="medtech",
        clinical=False,
        pg="影像医学与核医学",
        scope="医学影像和放射治疗专业",
    ),
    Dept("药剂科", 1, **PHARMACY),
    Dept("综合办公室", 1, **ADMIN),
)

TOWNSHIP_DEPARTMENTS = (
    Dept(
        "全科医学科", 5, profile="township_gp", pg="全科医学", scope="全科医学专业", shortage=True
    ),
    Dept("中医科", 1.5, **TCM),
    Dept("公共卫生科", 2, **PUBLIC_HEALTH),
    Dept(
        "医技科",
        1,
        profile="medtech",
        clinical=False,
        pg="影像医学与核医学",
        scope="医学影像和放射治疗专业",
    ),
    Dept("药剂科", 0.8, **PHARMACY),
    Dept("综合办公室", 0.8, **ADMIN),
)


def _partner_departments(*names: str) -> tuple[Dept, ...]:
    depts = [
        Dept(name, 1, profile="expert", pg=pg, scope=scope)
        for name, pg, scope in (
            ("心血管内科", "内科学", "内科专业"),
            ("消化内科", "内科学", "内科专业"),
            ("呼吸与危重症医学科", "内科学", "内科专业"),
            ("神经内科", "神经病学", "内科专业"),
            ("普外科", "外科学", "外科专业"),
            ("骨科", "外科学", "外科专业"),
            ("儿科", "儿科学", "儿科专业"),
            ("妇产科", "妇产科学", "妇产科专业"),
            ("重症医学科", "重症医学", "重症医学专业"),
            ("病理科", "病理学与病理生理学", "医学检验、病理专业"),
        )
        if name in names
    ]
    depts[0] = Dept(depts[0].name, 2.5, profile="expert", pg=depts[0].pg, scope=depts[0].scope)
    return (*depts, Dept("护理部", 0.4, profile="expert_nursing", clinical=False))


MANAGED: tuple[Unit, ...] = (
    Unit(
        "central",
        "宝山区中心医院（演示）",
        "区中心医院",
        "general",
        "3",
        "310113",
        CENTRAL_DEPARTMENTS,
        share=35,
    ),
    Unit(
        "integrated",
        "宝山区中西医结合医院（演示）",
        "区中西医结合医院",
        "tcm",
        "3",
        "310113",
        TCM_DEPARTMENTS,
        share=18,
    ),
    Unit(
        "maternity",
        "宝山区妇幼保健院（演示）",
        "区妇幼保健院",
        "specialist",
        "2",
        "310113",
        MATERNITY_DEPARTMENTS,
        share=8,
    ),
    Unit(
        "mental",
        "宝山区精神卫生中心（演示）",
        "区精神卫生中心",
        "specialist",
        "2",
        "310113",
        MENTAL_DEPARTMENTS,
        share=6,
    ),
    *(
        Unit(
            f"community_{key}",
            f"宝山区{town}社区卫生服务中心（演示）",
            f"{town}社区",
            "community",
            "1",
            "310113",
            COMMUNITY_DEPARTMENTS,
            share=share,
        )
        for key, town, share in (
            ("wusong", "吴淞", 3.6),
            ("zhangmiao", "张庙", 3.4),
            ("youyi", "友谊", 3.2),
            ("dachang", "大场", 3.8),
            ("miaohang", "庙行", 2.8),
            ("yanghang", "杨行", 3.2),
            ("yuepu", "月浦", 3.0),
        )
    ),
    *(
        Unit(
            f"township_{key}",
            f"宝山区{town}镇卫生院（演示）",
            f"{town}镇卫生院",
            "township",
            "1",
            "310113",
            TOWNSHIP_DEPARTMENTS,
            share=share,
        )
        for key, town, share in (
            ("luojing", "罗泾", 2.6),
            ("luodian", "罗店", 2.4),
            ("gucun", "顾村", 2.2),
        )
    ),
)

PARTNERS: tuple[Unit, ...] = (
    Unit(
        "zhongshan",
        "复旦大学附属中山医院（合作）",
        "中山医院",
        "general",
        "3",
        "310104",
        _partner_departments(
            "心血管内科", "消化内科", "呼吸与危重症医学科", "普外科", "重症医学科", "病理科"
        ),
        relation="partner",
        affiliation="复旦大学",
        experts=(18, 25),
        expert_areas=("310104", "310104", "310109", "310115", "320102", "330102"),
    ),
    Unit(
        "yangpu",
        "同济大学附属杨浦医院（合作）",
        "同济杨浦医院",
        "general",
        "3",
        "310110",
        _partner_departments("骨科", "神经内科", "心血管内科", "儿科", "妇产科"),
        relation="partner",
        affiliation="同济大学",
        experts=(15, 20),
        expert_areas=("310110", "310110", "310109", "310113", "341302", "320583"),
    ),
    Unit(
        "pumch",
        "北京协和医院（合作）",
        "协和医院",
        "general",
        "3",
        "110101",
        _partner_departments("心血管内科", "神经内科", "消化内科", "妇产科", "病理科"),
        relation="partner",
        affiliation="中国医学科学院北京协和医学院",
        experts=(15, 22),
        expert_areas=("110101", "110102", "110105", "110108", "130102", "370102"),
    ),
    Unit(
        "pku1",
        "北京大学第一医院（合作）",
        "北大医院",
        "general",
        "3",
        "110102",
        _partner_departments("心血管内科", "儿科", "普外科", "神经内科"),
        relation="partner",
        affiliation="北京大学",
        experts=(15, 20),
        expert_areas=("110102", "110108", "110105", "230102", "150102", "410102"),
    ),
)

CENTRAL = MANAGED[0]
TRAINEE_DEPARTMENT = "心血管内科"

DESIGNATIONS: tuple[Designation, ...] = (
    Designation(
        "central",
        "心血管内科",
        "心血管内科（泛血管疾病诊治中心）",
        "top_priority",
        "district",
        2021,
        2025,
    ),
    Designation(
        "integrated",
        "血液科",
        "中西医结合多学科贫血防治中心",
        "top_priority",
        "district",
        2022,
        2026,
    ),
    Designation("central", "急诊医学科", "急诊医学科", "key_specialty", "provincial", 2022, 2026),
    Designation("central", "消化内科", "消化内科", "key_specialty", "district", 2021, 2025),
    Designation("central", "骨科", "骨科", "key_specialty", "district", 2023, 2027),
    Designation(
        "integrated", "针灸推拿科", "针灸推拿科", "key_specialty", "provincial", 2020, 2024
    ),
    Designation("maternity", "产科", "产科", "key_specialty", "district", 2023, 2027),
    Designation("mental", "老年精神科", "老年精神科", "key_specialty", "district", 2022, 2026),
    Designation("central", "病理科", "病理科", "weak", "district", 2024, 2026),
    Designation("central", "儿科", "儿科", "weak", "district", 2024, 2026),
)

# Where staff of the managed institutions come from (resident identity area codes, weights).
STAFF_AREAS: tuple[tuple[str, float], ...] = (
    ("310113", 30),
    ("310109", 4),
    ("310110", 4),
    ("310112", 3),
    ("310114", 4),
    ("310115", 4),
    ("310104", 2),
    ("310230", 3),
    ("310151", 1),
    ("320102", 2),
    ("320106", 1),
    ("320583", 3),
    ("320282", 2),
    ("321002", 2),
    ("330102", 2),
    ("330382", 3),
    ("341324", 4),
    ("341302", 3),
    ("341322", 2),
    ("340104", 2),
    ("341203", 1),
    ("350582", 2),
    ("350605", 1),
    ("350625", 1),
    ("350103", 1),
    ("360102", 3),
    ("370102", 3),
    ("410102", 3),
    ("420102", 2),
    ("430102", 1),
    ("510107", 1),
    ("130102", 0.5),
    ("230102", 0.5),
    ("150102", 0.5),
)
