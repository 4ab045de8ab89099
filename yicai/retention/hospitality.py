"""What a visiting expert sees of their stay on the page their visit's one-time link opens
(registered with training's panels: training does not import retention)."""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from yicai.retention.queries.hospitality import stay_of
from yicai.training.models import Visit
from yicai.training.panels import register


def _stay(visit: Visit) -> SafeString | str:
    bookings, receptions = stay_of(visit)
    if not bookings and not receptions:
        return ""
    html = render_to_string(
        "retention/stay_panel.html", {"bookings": bookings, "receptions": receptions}
    )
    return mark_safe(html)


def register_panels() -> None:
    register("visit")("stay")(_stay)
