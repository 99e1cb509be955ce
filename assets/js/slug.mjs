// Fills a web-address (slug) field from another field while the person has not
// edited it themselves: `<input data-slug-from="id_title">` (events/setup_forms.py).
// Progressive enhancement: without JavaScript the field stays as typed, and the
// server makes a slug from the title when it is left empty. Loaded as a module by
// the pages that have such a field (no inline script: CSP forbids it).
//
// The slug is made as Django's slugify makes it, so the page shows what the server
// would: accents dropped, lower case, anything but letters, digits, "_" and "-"
// removed, runs of spaces and hyphens turned into one hyphen, none at either end.
export function slugify(text, maxLength = 80) {
  return text
    .normalize("NFKD")
    .replace(/[^\x00-\x7F]/g, "")
    .toLowerCase()
    .replace(/[^\w\s-]/g, "")
    .trim()
    .replace(/[-\s]+/g, "-")
    .slice(0, maxLength)
    .replace(/^[-_]+|[-_]+$/g, "");
}

for (const slug of document.querySelectorAll("input[data-slug-from]")) {
  const source = document.getElementById(slug.dataset.slugFrom);
  if (!source) continue;
  const maxLength = Number(slug.getAttribute("maxlength")) || 80;
  // A slug the server sent back (after an error) that the title would not give was
  // typed by the person: leave it alone.
  let edited = slug.value !== "" && slug.value !== slugify(source.value, maxLength);
  slug.addEventListener("input", () => {
    edited = slug.value !== "";
  });
  source.addEventListener("input", () => {
    if (!edited) slug.value = slugify(source.value, maxLength);
  });
}
