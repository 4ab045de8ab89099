"""Expert studios with the year's figures."""

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.utils.translation import gettext as _

from yicai.training import queries
from yicai.training.exports.studios import STUDIO_HEADERS, studio_rows
from yicai.training.forms.studios import StudioFilterForm
from yicai.training.models import StudioTier
from yicai.training.views.listing import Export, list_page


@login_required
def studio_list(request):
    def extra(_listing, _filters):
        figures = queries.studio_figures(request.user, timezone.localdate().year)
        return {
            "figures": figures,
            "tier_counts": [(label, figures["by_tier"][t]) for t, label in StudioTier.choices],
            "money": {
                "due": f"{figures['subsidy_due']:,.0f}",
                "recorded": f"{figures['funding_recorded']:,.0f}",
            },
        }

    export = Export(_("名医工作室"), STUDIO_HEADERS, studio_rows, _("导出名医工作室"))
    form = StudioFilterForm(request.user, request.GET or None)
    return list_page(request, form, queries.studio_list, export, "training/studio_list.html", extra)
