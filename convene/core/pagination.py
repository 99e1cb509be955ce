"""Previous / next links for NHS.UK pagination (templates/includes/pagination.html)."""

from dataclasses import dataclass

from django.core.paginator import Page


@dataclass(frozen=True)
class PageLink:
    href: str
    title: str
    title_hidden: str = ""  # read after the title by screen readers only
    detail: str = ""  # shown under the title


@dataclass(frozen=True)
class PageLinks:
    previous: PageLink | None = None
    next: PageLink | None = None

    @property
    def sides(self) -> list[tuple[PageLink, str]]:
        return [
            (link, side)
            for link, side in ((self.previous, "previous"), (self.next, "next"))
            if link is not None
        ]


def page_links(page: Page, *, query: str = "", param: str = "page") -> PageLinks:
    """Links to the pages either side of a Django page; `query` keeps other filters."""
    prefix = f"?{query}&{param}=" if query else f"?{param}="
    total = page.paginator.num_pages

    def link(number: int, title: str) -> PageLink:
        return PageLink(f"{prefix}{number}", title, "page", f"Page {number} of {total}")

    return PageLinks(
        previous=link(page.previous_page_number(), "Previous") if page.has_previous() else None,
        next=link(page.next_page_number(), "Next") if page.has_next() else None,
    )
