"""Expert visits with their counts."""

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.utils.translation import gettext as _

from yicai.training import queries
from yicai.training.exports.activity import VISIT_HEADERS, visit_rows
from yicai.training.forms.activity import VisitFilterForm
from yicai.training.views.listing import Export, list_page


@login_required
def visit_list(request):
    def extra(_listing, filters):
        return {
            "counts": queries.visit_counts(request.user, since=filters.get("since")),
            "today": timezone.localdate(),
        }

    export = Export(_("专家活动"), VISIT_HEADERS, visit_rows, _("导出专家活动"))
    form = VisitFilterForm(request.GET or None)
    return list_page(request, form, queries.visit_list, export, "training/visit_list.html", extra)
