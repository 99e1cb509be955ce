"""The seven interconnected principles for spread and adoption: a lens that
contributions (and later resources and award entries) are tagged with.

The principles ship as data (migration 0002, from NHS England's and NHS
Horizons' published pages on the guide "Leading the Spread and Adoption of
Innovation and Improvement", see defaults.py) and organisers may edit their
wording; the slug stays, so links and tags survive a renaming.
"""

from django.db import models
from django.urls import reverse

from convene.core import stamps


class Principle(models.Model):
    number = models.PositiveSmallIntegerField(unique=True, help_text="Its place in the guide.")
    slug = models.SlugField(max_length=60, unique=True, editable=False)
    name = models.CharField(max_length=80)
    heading = models.CharField(
        "heading in the guide",
        max_length=200,
        blank=True,
        help_text="As the source words it. Leave empty when not known.",
    )
    summary = models.CharField("one-line summary", max_length=400)
    sources = models.TextField(help_text="Web addresses of the sources, one a line.")
    is_confirmed = models.BooleanField(
        "name confirmed by a source",
        default=True,
        help_text="While off, pages say that the name is not confirmed yet.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        # Pages that name principles are cached whole (core.stamps): they change too.
        stamps.bump(stamps.SITE, "principles")

    def get_absolute_url(self) -> str:
        return reverse("spread:principle", kwargs={"principle": self.slug})

    @property
    def source_list(self) -> list[str]:
        return [line.strip() for line in self.sources.splitlines() if line.strip()]
