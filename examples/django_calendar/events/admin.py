"""The admin pages: Django's own date widget (calendar pop-up) and <select>s."""

from django.contrib import admin

from events.models import Calendar, Event


@admin.register(Calendar)
class CalendarAdmin(admin.ModelAdmin):
    list_display = ("name",)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "calendar", "day", "slot")
    list_filter = ("calendar", "day", "slot")
    search_fields = ("title",)
