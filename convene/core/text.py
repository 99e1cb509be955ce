"""Markdown rendering with a strict allow-list (nh3), so user text is inert."""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML; scripts, styles, event handlers and unsafe URLs removed.

    Raw HTML in the source is escaped by the sanitiser rather than trusted.
    Links get rel="noopener noreferrer nofollow" (nh3's link_rel).
    """
    html = markdown.markdown(text or "", extensions=["sane_lists", "tables"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above
