"""Flexibly introduced teams (柔性引进团队, /api/v1/training/teams/)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema

from yicai.api.base import ModelOutput
from yicai.api.fields import Ref, pk_field
from yicai.api.records import RecordViewSet, cursor_pagination, record_permissions
from yicai.api.schema import INSTITUTION_PARAMETER, as_of_parameter
from yicai.training.api.common import LedGroupIn, LedGroupOut, expert_field
from yicai.training.forms.teams import TeamFilterForm
from yicai.training.models import FlexibleTeam, FlexibleTeamMember
from yicai.training.queries.secondments import host_choices
from yicai.training.queries.teams import team_list
from yicai.training.services.teams import TEAM_FIELDS, team_create

# The team as recorded: the service's fields, with the host institution it leaves apart.
TEAM_API_FIELDS = (
    "name",
    "lead",
    "source",
    "institution",
    *(name for name in TEAM_FIELDS if name not in ("name", "lead", "source")),
)


class TeamOut(LedGroupOut):
    source = Ref(read_only=True)  # type: ignore[assignment]  # not Field.source: DRF pops it

    class Meta:
        model = FlexibleTeam
        fields = ("id", *TEAM_API_FIELDS, "member_count")


class TeamMemberOut(ModelOutput):
    person = Ref(read_only=True)

    class Meta:
        model = FlexibleTeamMember
        fields = ("person", "role")


class TeamDetailOut(TeamOut):
    members = TeamMemberOut(many=True, read_only=True)

    class Meta(TeamOut.Meta):
        fields = (*TeamOut.Meta.fields, "members")


class TeamIn(LedGroupIn):
    members_label = _("团队成员")
    members_help = _("人员 id 列表，须是派出医院的人员。")

    class Meta:
        model = FlexibleTeam
        fields = (*TEAM_API_FIELDS, "members")

    def scope_fields(self, user):
        super().scope_fields(user)
        self.fields["lead"] = expert_field(user, _("所选团队负责人不存在或不在您的管辖范围内。"))
        self.fields["source"] = pk_field(
            host_choices(user).filter(relation="partner"), _("所选派出医院不是登记在册的合作医院。")
        )


@extend_schema(tags=["training"])
class TeamViewSet(RecordViewSet):
    """Flexibly introduced teams the user may see (their leads and members see theirs);
    introducing one needs training.edit on the host institution."""

    permissions = record_permissions("training", "create")
    pagination_class = cursor_pagination("name", "id")
    filter_form = TeamFilterForm
    list_parameters = [
        OpenApiParameter("q", str, description=_("团队名称、负责人或派出医院中的文字")),
        OpenApiParameter("current", str, enum=["yes"], description=_("只看合作中的团队")),
        as_of_parameter(_("current=yes 时：在该日合作中的团队，默认今天")),
        INSTITUTION_PARAMETER,
    ]
    output = TeamOut
    detail_output = TeamDetailOut
    create_input = TeamIn
    create_service = team_create

    def list_rows(self, **filters):
        return team_list(self.request.user, **filters)

    def detail_rows(self):
        return self.list_rows().prefetch_related("members__person")
