"""The person list as spreadsheet rows: same scope as the page, identifiers masked."""

from django.utils.translation import gettext_lazy as _

PERSON_HEADERS = [
    _("姓名"),
    _("性别"),
    _("出生日期"),
    _("身份证号码"),
    _("手机号码"),
    _("人员类别"),
    _("所在机构"),
    _("所在科室"),
    _("职务/岗位"),
    _("现职称"),
    _("最高学历"),
]


def person_rows(people):
    for person in people.iterator(chunk_size=2000):
        yield [
            person.name,
            person.sex.name,
            person.birth_date,
            person.id_number_masked,
            person.phone_masked,
            person.get_category_display(),
            person.institution.name if person.institution else "",
            person.department.name if person.department else "",
            person.position,
            person.current_title.name if person.current_title else "",
            person.highest_education.name if person.highest_education else "",
        ]
