// Loaded as a module on every page (no inline script: CSP forbids it).
// 1. Mark the page as JS-capable so NHS.UK components enhance themselves.
// 2. Start NHS.UK frontend's components.
// 3. Add the visitor's own local time beside event times when it differs.
import { initAll } from "../nhsuk-frontend.min.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();

const visitorZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
const format = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", timeZoneName: "short" });

for (const el of document.querySelectorAll("time[data-local-time]")) {
  const eventZone = el.closest("[data-event-zone]")?.dataset.eventZone;
  if (!eventZone || eventZone === visitorZone) continue;
  const when = new Date(el.getAttribute("datetime"));
  if (Number.isNaN(when.getTime())) continue;
  const note = document.createElement("span");
  note.className = "nhsuk-u-secondary-text-colour nhsuk-u-font-size-16";
  note.textContent = ` (${format.format(when)} your time)`;
  el.after(note);
}
