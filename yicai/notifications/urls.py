from django.urls import path

from yicai.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("<int:pk>/go/", views.notification_go, name="go"),
    path("<int:pk>/read/", views.notification_read, name="read"),
]
