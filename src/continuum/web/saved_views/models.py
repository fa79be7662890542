"""A saved view: one user's name for a page of tables with its filters and sort."""

from __future__ import annotations

from django.db import models

from continuum.web.accounts.models import User

NAME_MAX = 80
QUERY_MAX = 2000


class SavedView(models.Model):
    """A page (its path) and its query string, under a name its owner chose. Only its owner
    sees it; opening it is following the link, and the page checks access as always."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="saved_views")
    name = models.CharField(max_length=NAME_MAX)
    path = models.CharField(max_length=200)
    query = models.CharField(max_length=QUERY_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "saved view"
        constraints = [
            models.UniqueConstraint(fields=["user", "path", "name"], name="saved_view_unique_name")
        ]
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def link(self) -> str:
        """The page with the saved filters."""
        return f"{self.path}?{self.query}" if self.query else self.path
