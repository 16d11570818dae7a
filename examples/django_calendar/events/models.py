"""Calendars and their events: what the example's scenarios book."""

from django.db import models

SLOTS = [(t, t) for t in ("09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00")]


class Calendar(models.Model):
    name = models.CharField(max_length=80, unique=True)

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    calendar = models.ForeignKey(Calendar, on_delete=models.PROTECT, related_name="events")
    title = models.CharField(max_length=120)
    day = models.DateField()
    slot = models.CharField(max_length=5, choices=SLOTS)

    def __str__(self) -> str:
        return f"{self.title} on {self.day} at {self.slot}"
