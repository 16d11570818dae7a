"""``/login/`` (Django's own LoginView) and ``/done/`` (who is logged in)."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.html import escape


@login_required
def done(request: HttpRequest) -> HttpResponse:
    name = escape(request.user.get_username())
    return HttpResponse(
        "<!doctype html><html><head><title>done</title></head>"
        f'<body><p id="who">hello {name}</p></body></html>'
    )


urlpatterns = [
    path("login/", auth_views.LoginView.as_view()),
    path("done/", done),
]
