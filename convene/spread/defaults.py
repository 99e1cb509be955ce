"""The seven interconnected principles for spread and adoption, as shipped.

Names, headings, one-line summaries (paraphrased) and sources come from NHS
England's published principles pages (england.nhs.uk/spread-and-adoption) and
NHS Horizons' blog series on "Leading the Spread and Adoption of
Innovation and Improvement: A Practical Guide". The sixth principle's name is
not confirmed by any source found: it carries the 2020 Horizons wording
("Innovation development") and is marked unconfirmed until an organiser
checks it.

`create_missing` adds any that are missing (by slug) and never overwrites an
organiser's edits. Migration 0002 runs it, and so does `post_migrate` (apps.py),
so a flushed database (tests, `manage.py flush`) gets them back as Django's
content types do.
"""

INTRO = "https://horizonsnhs.com/introduction-to-the-seven-interconnected-principles-for-spread-and-adoption/"
PRINCIPLES = [
    {
        "number": 1,
        "slug": "complexity",
        "name": "Complexity",
        "heading": (
            "Complexity – spread and adoption in health and care is often a complex activity"
        ),
        "summary": (
            "Health and care is a complex adaptive system: what worked in one place will not "
            "necessarily work in another, because needs and interdependencies differ and the "
            "system keeps evolving."
        ),
        "sources": "\n".join(
            [
                INTRO,
                "https://horizonsnhs.com/how-the-seven-spread-and-adoption-principles-work-in-"
                "practice-the-continuing-healthcare-improvement-collaborative-case-study/",
            ]
        ),
    },
    {
        "number": 2,
        "slug": "leadership",
        "name": "Leadership",
        "heading": "Leadership",
        "summary": (
            "An enabling style: leaders facilitate adaptation, emergence and change rather than "
            "direct it, and build the environment, relationships and learning system that "
            "spread needs."
        ),
        "sources": INTRO,
    },
    {
        "number": 3,
        "slug": "individual",
        "name": "The individual",
        "heading": "The Perspective of the Individual is Pivotal",
        "summary": (
            "See the change from the point of view of patients, carers and staff: motivation, "
            "engagement and psychological safety drive behaviour change, and resistance may "
            "signal that relevance is missing."
        ),
        "sources": (
            "https://horizonsnhs.com/the-perspective-of-the-individual-is-pivotal-one-of-the-"
            "seven-interconnected-principles/"
        ),
    },
    {
        "number": 4,
        "slug": "benefit",
        "name": "Benefit",
        "heading": "Focus on the benefit rather than the innovation",
        "summary": (
            "Focus on why, not what: create pull rather than push with a shared narrative of "
            "local meaning, address an agreed local priority, and recognise and reward adoption."
        ),
        "sources": "\n".join(
            [
                "https://www.england.nhs.uk/spread-and-adoption/seven-interconnected-principles/"
                "benefit/",
                "https://blog.horizonsnhs.com/post/102h97s/focus-on-the-benefit-rather-than-the-"
                "innovation-one-of-the-seven-interconnected",
            ]
        ),
    },
    {
        "number": 5,
        "slug": "networks",
        "name": "Networks",
        "heading": "Networks build communities, energising and connecting individuals",
        "summary": (
            "Spread is a social process, so more connectivity means more spread: use formal and "
            "informal networks and communities of practice, and find brokers, connectors and "
            "energisers."
        ),
        "sources": (
            "https://www.england.nhs.uk/spread-and-adoption/seven-interconnected-principles/"
            "networks/"
        ),
    },
    {
        "number": 6,
        "slug": "innovation-development",
        "name": "Innovation development",
        "heading": "",
        "summary": (
            "Not confirmed yet: Horizons' 2020 list of the principles named \u201cInnovation "
            "Development\u201d; the published guide's name for this principle is still to be "
            "checked."
        ),
        "sources": "https://horizonsnhs.com/programmes-of-work/spread-and-innovation/",
        "is_confirmed": False,
    },
    {
        "number": 7,
        "slug": "learning",
        "name": "Learning",
        "heading": (
            "Build a learning system and habit of learning, sharing with and seeking knowledge "
            "from others"
        ),
        "summary": (
            "Adoption means changing routines and mindsets, so learning has to be continuous: "
            "learn from your own adaptation and from others, and build learning into structures "
            "and culture."
        ),
        "sources": "\n".join(
            [
                "https://www.england.nhs.uk/spread-and-adoption/seven-interconnected-principles/"
                "learning/",
                "https://blog.horizonsnhs.com/post/102h9r1/build-a-learning-system-sharing-with-"
                "and-seeking-knowledge-from-others-one-of-t",
            ]
        ),
    },
]


def create_missing(principle_model) -> int:
    """Create the principles whose slug is missing; returns how many were created."""
    created = 0
    for fields in PRINCIPLES:
        values = dict(fields)
        slug = values.pop("slug")
        created += principle_model.objects.get_or_create(slug=slug, defaults=values)[1]
    return created
