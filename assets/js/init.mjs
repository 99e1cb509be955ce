// Loaded as a module on every page (no inline script: CSP forbids it).
// 1. Mark the page as JS-capable so NHS.UK components enhance themselves.
// 2. Start NHS.UK frontend's components.
// 3. Where the page shows times in another zone than the visitor's: on the
//    programme, offer a link that shows it in the visitor's zone (the server
//    renders it; works without JS too through the form); elsewhere, add the
//    visitor's time beside each time.
import { initAll } from "../nhsuk-frontend.min.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();

const visitorZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
const format = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", timeZoneName: "short" });

const zoneSwitch = document.querySelector("[data-zone-switch]");
const shownZone = zoneSwitch?.closest("[data-event-zone]")?.dataset.eventZone;
if (zoneSwitch && shownZone && visitorZone && shownZone !== visitorZone) {
  const url = new URL(window.location.href);
  url.searchParams.set("tz", visitorZone);
  const link = document.createElement("a");
  link.href = url.toString();
  link.textContent = `Show times in your time zone (${visitorZone.replaceAll("_", " ")})`;
  zoneSwitch.append(link);
}

for (const el of zoneSwitch ? [] : document.querySelectorAll("time[data-local-time]")) {
  const eventZone = el.closest("[data-event-zone]")?.dataset.eventZone;
  if (!eventZone || eventZone === visitorZone) continue;
  const when = new Date(el.getAttribute("datetime"));
  if (Number.isNaN(when.getTime())) continue;
  const note = document.createElement("span");
  note.className = "nhsuk-u-secondary-text-colour nhsuk-u-font-size-16";
  note.textContent = ` (${format.format(when)} your time)`;
  el.after(note);
}
