"""The hospitality pages' routes (spliced into retention's urls)."""

from django.urls import path

from yicai.retention.views import hospitality

urlpatterns = [
    path("lodges/", hospitality.lodge_list, name="lodges"),
    path("lodges/new/", hospitality.lodge_create, name="lodge_create"),
    path("lodges/<int:pk>/", hospitality.lodge_detail, name="lodge"),
    path("bookings/", hospitality.booking_list, name="bookings"),
    path("bookings/new/", hospitality.booking_create, name="booking_create"),
    path("bookings/<int:pk>/cancel/", hospitality.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/charge/", hospitality.booking_charge, name="booking_charge"),
    path("receptions/", hospitality.reception_list, name="receptions"),
    path("receptions/new/", hospitality.reception_create, name="reception_create"),
    path("receptions/<int:pk>/charge/", hospitality.reception_charge, name="reception_charge"),
]
