// Loaded as a module on every page (no inline script: CSP forbids it).
// 1. Mark the page as JS-capable so NHS.UK components enhance themselves.
// 2. Start NHS.UK frontend's components.
// 3. Where the page shows times in another zone than the visitor's: on the
//    programme, offer a link that shows it in the visitor's zone (the server
//    renders it; works without JS too through the form); elsewhere, add the
//    visitor's time beside each time, on the 24-hour clock like every time
//    the server writes (NHS.UK content guidance).
// 4. In a time zone list, put the visitor's own zone first.
import { initAll } from "../nhsuk-frontend.min.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();

const visitorZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
const format = new Intl.DateTimeFormat("en-GB", {
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZoneName: "short",
});

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

// The list holds canonical names; a browser may report an alias (Asia/Calcutta),
// which the server accepts in ?tz= but the list does not show: then nothing moves.
for (const select of document.querySelectorAll("select[data-zone-list]")) {
  const own = [...select.options].find((option) => option.value === visitorZone);
  if (!own) continue;
  const group = document.createElement("optgroup");
  group.label = "Your time zone";
  const copy = own.cloneNode(true);
  copy.selected = own.selected;
  group.append(copy);
  own.remove();
  // After the list's own first choice ("the event's time zone"), before the regions.
  const first = select.querySelector(":scope > option");
  select.insertBefore(group, first ? first.nextElementSibling : select.firstElementChild);
}
