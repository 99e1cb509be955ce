// The chat room (live/room.html). Protocol: docs/live-protocol.md.
//
// Transport: a WebSocket to the same origin; when none is open within
// data-fallback-seconds (blocked by a proxy, or no WebSocket at all), Server-Sent
// Events to receive and POST to send, with the same frames and numbers.
// Every numbered frame must be the next number; anything else means we missed
// something, so we reconnect asking for everything after the last number seen.
//
// Accessibility: the message list is a log region (read out politely, or not,
// as the person chooses); nothing here moves the focus, except when the message
// holding it is removed (then the list itself gets it), and "Answer this
// prompt" (then the message box gets it, as the link's target would).
//
// Without this module the page is a snapshot and says so ([data-snapshot]);
// starting, it removes those parts and shows the live-only ones.

const root = document.getElementById("live-room");
if (root) start(root);

function start(root) {
  const $ = (selector) => root.querySelector(selector);
  const data = root.dataset;
  const log = $("[data-log]");
  const list = $("[data-messages]");
  const empty = $("[data-empty]");
  const jump = $("[data-jump]");
  const template = document.getElementById("live-message-template");
  const connection = $("[data-connection]");
  const presence = $("[data-presence]");
  const announcer = $("[data-announcer]");
  const form = $("[data-send-form]");
  const textarea = form?.querySelector("textarea");
  const sendError = $("[data-send-error]");
  const sendStatus = $("[data-send-status]");
  const sendButton = $("[data-send-button]");
  const replyOption = $("[data-reply-option]");
  const replyToggle = $("[data-reply-toggle]");
  const answerPrompt = $("[data-answer-prompt]");
  const announceToggle = $("[data-announce-toggle]");
  const clock = new Intl.DateTimeFormat("en-GB", {
    hour: "2-digit",
    minute: "2-digit",
    timeZone: data.eventZone || undefined,
  });

  const state = {
    last: Number(data.after) || 0,
    canPost: data.canPost === "true",
    canModerate: data.canModerate === "true",
    muted: data.muted === "true",
    open: data.open === "true",
    slowMode: Number(data.slowMode) || 0,
    promptId: data.promptId ? Number(data.promptId) : null,
    maxLength: Number(data.maxLength) || 1000,
    pending: new Map(), // client_id -> command, until acknowledged
    transport: null, // "websocket" | "sse"
    unseen: 0,
  };

  // --- Announcements ----------------------------------------------------------------

  const ANNOUNCE_KEY = "convene.live.announce";
  if (localStorage.getItem(ANNOUNCE_KEY) === "off") announceToggle.checked = false;
  const applyAnnounce = () => log.setAttribute("aria-live", announceToggle.checked ? "polite" : "off");
  applyAnnounce();
  announceToggle.addEventListener("change", () => {
    localStorage.setItem(ANNOUNCE_KEY, announceToggle.checked ? "on" : "off");
    applyAnnounce();
  });

  function announce(text) {
    announcer.textContent = "";
    // A fresh node so screen readers notice the same words twice.
    window.setTimeout(() => (announcer.textContent = text), 50);
  }

  function setConnection(text) {
    if (connection.textContent !== text) connection.textContent = text;
  }

  // Live from here on: the snapshot notices go, the live status takes their place.
  for (const element of root.querySelectorAll("[data-snapshot]")) element.remove();
  root.classList.add("live-room--live");
  presence.textContent = "People here: counting…";
  setConnection(data.websocketPath ? "Connecting…" : "Connecting (this server uses the slower connection)…");

  // --- Rendering ----------------------------------------------------------------------

  const URL_PATTERN = /https?:\/\/[^\s<>"']+/gi;
  const TRAILING = /[.,;:!?)\]}'"]+$/;

  function fillText(element, text) {
    // Text nodes and <a> elements only: nothing from a message is parsed as HTML.
    element.replaceChildren();
    let position = 0;
    for (const match of text.matchAll(URL_PATTERN)) {
      const url = match[0].replace(TRAILING, "");
      element.append(text.slice(position, match.index));
      const link = document.createElement("a");
      link.href = url;
      link.rel = "noopener noreferrer nofollow ugc";
      link.textContent = url;
      element.append(link);
      position = match.index + url.length;
    }
    element.append(text.slice(position));
  }

  const BADGE_COLOURS = {
    host: "blue",
    moderator: "purple",
    organiser: "grey",
    speaker: "aqua-green",
    lived_experience_partner: "orange",
  };

  function render(message) {
    const item = template.content.firstElementChild.cloneNode(true);
    item.id = `message-${message.id}`;
    item.dataset.id = message.id;
    item.dataset.seq = message.seq;
    for (const author of item.querySelectorAll("[data-author]")) author.textContent = message.author;
    const badge = item.querySelector("[data-badge]");
    badge.hidden = !message.badge;
    badge.textContent = message.badge_label || "";
    badge.className = `nhsuk-tag nhsuk-tag--${BADGE_COLOURS[message.badge] || "white"} live-message__badge`;
    item.querySelector("[data-prompt-tag]").hidden = message.kind !== "prompt";
    item.classList.toggle("live-message--prompt", message.kind === "prompt");
    const time = item.querySelector("[data-time]");
    time.dateTime = message.at;
    time.textContent = clock.format(new Date(message.at));
    item.querySelector("[data-reply]").hidden = !message.reply_to;
    fillText(item.querySelector("[data-text]"), message.text);
    applyChanges(item, message);
    return item;
  }

  function applyChanges(item, message) {
    item.classList.toggle("live-message--question", Boolean(message.question));
    item.querySelector("[data-question]").hidden = !message.question;
    const questionButton = item.querySelector('[data-command="question"]');
    if (questionButton) {
      questionButton.textContent = message.question
        ? "Remove the question tag"
        : "Tag as a question to answer later in this chat";
    }
    setPlusOnes(item, message.plus_ones);
  }

  function setPlusOnes(item, count) {
    if (count === undefined) return;
    for (const counter of item.querySelectorAll("[data-plus-count]")) counter.textContent = count;
    const summary = item.querySelector("[data-plus-summary]");
    if (summary) summary.hidden = !count;
  }

  function nearBottom() {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 48;
  }

  function showLatest() {
    log.scrollTop = log.scrollHeight;
    state.unseen = 0;
    jump.hidden = true;
  }

  function removeItem(item) {
    const hadFocus = item.contains(document.activeElement);
    item.remove();
    if (hadFocus) log.focus(); // the only time we move focus: its element is gone
    empty.hidden = list.children.length > 0;
  }

  function upsert(message, { live }) {
    const existing = document.getElementById(`message-${message.id}`);
    if (message.hidden) {
      if (existing) removeItem(existing);
      if (message.id === state.promptId) setPrompt(null);
      return;
    }
    if (existing) {
      applyChanges(existing, message);
      return;
    }
    const stick = nearBottom();
    const item = render(message);
    // Numbers only grow, so new messages go last; a batch arrives in order too.
    list.append(item);
    empty.hidden = true;
    if (message.kind === "prompt" && live) {
      setPrompt(message);
      announce(`New prompt from ${message.author}: ${message.text}`);
    }
    if (stick) {
      showLatest();
    } else {
      state.unseen += 1;
      jump.hidden = false;
      jump.textContent = `${state.unseen} new message${state.unseen === 1 ? "" : "s"} below: show them`;
    }
  }

  jump.addEventListener("click", showLatest);

  // --- Earlier messages: the link opens the history page; here it fills the list ---------

  const earlier = $("[data-earlier]");
  earlier?.addEventListener("click", async (event) => {
    event.preventDefault();
    if (earlier.getAttribute("aria-disabled") === "true") return;
    earlier.setAttribute("aria-disabled", "true");
    try {
      const response = await fetch(earlier.href, {
        headers: { "HX-Request": "true" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(String(response.status));
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = [...page.querySelectorAll("[data-history] > li")].filter(
        (item) => !document.getElementById(item.id),
      );
      // Old messages are not news: keep the log quiet and the view where it was.
      const fromBottom = log.scrollHeight - log.scrollTop;
      log.setAttribute("aria-live", "off");
      list.prepend(...fresh.map((item) => document.adoptNode(item)));
      log.scrollTop = log.scrollHeight - fromBottom;
      window.setTimeout(applyAnnounce, 0);
      empty.hidden = list.children.length > 0;
      const more = page.querySelector("[data-history]")?.dataset.earlierThan;
      const count = `${fresh.length} earlier message${fresh.length === 1 ? "" : "s"}`;
      if (more) {
        const next = new URL(earlier.href);
        next.searchParams.set("before", more);
        earlier.href = next.href;
        $("[data-earlier-note]").textContent = `Showing the latest ${list.children.length} messages.`;
        announce(`Added ${count} above.`);
      } else {
        const wrap = $("[data-earlier-wrap]");
        const hadFocus = document.activeElement === earlier;
        wrap.textContent = `${fresh.length ? `Added ${count} above. ` : ""}This is the start of the chat.`;
        if (hadFocus) wrap.focus(); // the link had the focus and is gone
        else announce(wrap.textContent);
      }
    } catch {
      announce("Earlier messages could not be loaded. Try again.");
    } finally {
      earlier.removeAttribute("aria-disabled");
    }
  });
  log.addEventListener("scroll", () => {
    if (nearBottom()) {
      state.unseen = 0;
      jump.hidden = true;
    }
  });

  function setPrompt(prompt) {
    const section = $("[data-prompt]");
    const id = prompt ? prompt.id : null;
    if (replyToggle && id !== state.promptId) {
      // Another prompt: a tick meant for the last one does not carry over.
      replyToggle.checked = false;
      replyToggle.value = id === null ? "" : String(id);
    }
    state.promptId = id;
    section.hidden = !prompt;
    if (replyOption) replyOption.hidden = !prompt;
    const body = $("[data-prompt-body]");
    body.replaceChildren();
    if (!prompt) return;
    const text = document.createElement("p");
    text.className = "live-prompt__text";
    fillText(text, prompt.text);
    const by = document.createElement("p");
    by.className = "nhsuk-body-s live-prompt__by";
    by.textContent = `Asked by ${prompt.author}`;
    body.append(text, by);
  }

  function applyRoom(room) {
    if (!room || room.open === undefined) return;
    state.open = room.open;
    state.slowMode = room.slow_mode;
    if (room.prompt !== undefined) setPrompt(room.prompt);
    const parts = [];
    if (!room.open) parts.push("The chat is closed. You can still read it.");
    if (room.slow_mode) parts.push(`Slow mode is on: one message every ${room.slow_mode} seconds each.`);
    $("[data-room-state]").textContent = parts.join(" ");
    const toggle = $("[data-chat-toggle]");
    if (toggle) toggle.textContent = room.open ? "Close the chat" : "Reopen the chat";
    const select = $("[data-slow-mode-select]");
    if (select) select.value = String(room.slow_mode);
    updateForm();
  }

  function updateForm() {
    if (!form) return;
    let reason = "";
    if (state.muted) reason = "A moderator has paused your messages in this session. You can still read the chat.";
    else if (!state.open && !state.canModerate) reason = "The chat is closed at the moment.";
    textarea.disabled = Boolean(reason);
    sendButton.disabled = Boolean(reason);
    if (reason) showError(reason);
    else if (sendError.dataset.kind === "state") hideError();
    if (reason) sendError.dataset.kind = "state";
  }

  function showError(text) {
    sendError.hidden = false;
    sendError.dataset.kind = "";
    sendError.textContent = "";
    const label = document.createElement("span");
    label.className = "nhsuk-u-visually-hidden";
    label.textContent = "Error: ";
    sendError.append(label, text);
    form.querySelector(".nhsuk-form-group").classList.add("nhsuk-form-group--error");
  }

  function hideError() {
    sendError.hidden = true;
    sendError.textContent = "";
    form.querySelector(".nhsuk-form-group").classList.remove("nhsuk-form-group--error");
  }

  // --- Frames -------------------------------------------------------------------------

  function handle(frame) {
    switch (frame.type) {
      case "hello":
        state.canPost = frame.you.can_post;
        state.canModerate = frame.you.can_moderate;
        state.muted = frame.you.muted;
        setPresence(frame.presence, frame.readers);
        updateForm();
        for (const command of state.pending.values()) send(command); // same ids: stored once
        return;
      case "batch":
        if (frame.reset) {
          list.replaceChildren();
        } else if (frame.from > state.last + 1) {
          return resync();
        }
        for (const message of frame.messages) upsert(message, { live: false });
        applyRoom(frame.room);
        state.last = Math.max(state.last, frame.to);
        if (frame.reset) state.last = frame.to;
        empty.hidden = list.children.length > 0;
        return;
      case "message":
      case "update":
      case "room":
        if (frame.seq <= state.last) return; // seen already
        if (frame.seq !== state.last + 1) return resync();
        state.last = frame.seq;
        if (frame.type === "room") applyRoom(frame.room);
        else upsert(frame.message, { live: true });
        return;
      case "presence":
        return setPresence(frame.count, frame.readers);
      case "reactions":
        for (const [id, count] of Object.entries(frame.counts)) {
          const item = document.getElementById(`message-${id}`);
          if (item) setPlusOnes(item, count);
        }
        return;
      case "ack":
        state.pending.delete(frame.client_id);
        if (sendStatus && state.pending.size === 0) sendStatus.textContent = "";
        return;
      case "reacted": {
        const item = document.getElementById(`message-${frame.message}`);
        if (item) {
          item.querySelector('[data-command="react"]')?.setAttribute("aria-pressed", String(frame.on));
          setPlusOnes(item, frame.count);
        }
        return;
      }
      case "done":
        return announce(frame.announce);
      case "you":
        state.muted = frame.muted;
        updateForm();
        if (frame.message) announce(frame.message);
        return;
      case "reported":
        return announce("A message was reported to the moderators.");
      case "error":
        return handleError(frame);
      default:
        return; // pong, or something newer than this page
    }
  }

  function handleError(frame) {
    const command = frame.client_id ? state.pending.get(frame.client_id) : null;
    if (frame.client_id) state.pending.delete(frame.client_id);
    if (command && form && command.type === "send") {
      if (!textarea.value) {
        textarea.value = command.text; // give the words back
        if (replyToggle) replyToggle.checked = command.reply_to === state.promptId;
      }
      textarea.dispatchEvent(new Event("input"));
      sendStatus.textContent = "";
      showError(frame.message);
    } else {
      announce(frame.message);
    }
  }

  function setPresence(count, readers) {
    // Signed-in people, and (counted apart) people reading without signing in.
    if (typeof count !== "number") return;
    let text = `${count.toLocaleString("en-GB")} ${count === 1 ? "person" : "people"} here`;
    if (readers) text += `, ${readers.toLocaleString("en-GB")} reading`;
    presence.textContent = text;
  }

  // --- Transport ----------------------------------------------------------------------

  let socket = null;
  let events = null;
  let firstTry = 0; // when the current run of failed attempts started
  let retry = 0;
  const fallbackAfter = (Number(data.fallbackSeconds) || 5) * 1000;

  function connect() {
    if (state.transport !== "sse" && data.websocketPath && "WebSocket" in window) connectSocket();
    else connectEvents();
  }

  function connectSocket() {
    if (!firstTry) firstTry = Date.now();
    const url = new URL(data.websocketPath, window.location.href);
    url.protocol = window.location.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("after", String(state.last));
    let opened = false;
    let ws;
    try {
      ws = new WebSocket(url);
    } catch {
      return connectEvents();
    }
    socket = ws;
    const giveUp = window.setTimeout(() => {
      if (opened) return;
      ws.onclose = null;
      ws.close();
      connectEvents();
    }, Math.max(0, fallbackAfter - (Date.now() - firstTry)));
    ws.onopen = () => {
      opened = true;
      firstTry = 0;
      retry = 0;
      window.clearTimeout(giveUp);
      state.transport = "websocket";
      setConnection("Connected");
    };
    ws.onmessage = (event) => handle(JSON.parse(event.data));
    ws.onclose = (event) => {
      window.clearTimeout(giveUp);
      if (socket !== ws) return;
      socket = null;
      if (event.code === 4403) {
        setConnection("You cannot read this chat any more. Reload the page.");
        return;
      }
      if (!opened && Date.now() - firstTry >= fallbackAfter) return connectEvents();
      setConnection("Connection lost. Reconnecting…");
      if (!firstTry) firstTry = Date.now();
      retry = Math.min(retry + 1, 5);
      window.setTimeout(connect, opened ? 250 * retry : 1000);
    };
  }

  function connectEvents() {
    state.transport = "sse";
    if (socket) {
      const old = socket;
      socket = null;
      old.onclose = null;
      old.close();
    }
    if (events) events.close();
    const url = new URL(data.eventsUrl, window.location.href);
    url.searchParams.set("after", String(state.last));
    const source = new EventSource(url);
    events = source;
    source.onopen = () => setConnection("Connected (your network blocks live connections, so updates may be a little slower)");
    source.onmessage = (event) => handle(JSON.parse(event.data));
    source.onerror = () => {
      if (events !== source) return;
      if (source.readyState === EventSource.CLOSED) {
        setConnection("Connection lost. Reconnecting…");
        window.setTimeout(connectEvents, 3000);
      }
    };
  }

  function resync() {
    // A number is missing: ask again for everything after the last one we have.
    if (state.transport === "websocket" && socket) {
      const old = socket;
      socket = null;
      old.onclose = null;
      old.close(4000, "resync");
      connectSocket();
    } else {
      connectEvents();
    }
  }

  async function post(command) {
    try {
      const response = await fetch(data.commandUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": data.csrf },
        body: JSON.stringify(command),
        credentials: "same-origin",
      });
      handle(await response.json());
    } catch {
      if (command.client_id && state.pending.has(command.client_id)) {
        window.setTimeout(() => send(command), 2000); // same id: stored once
      }
    }
  }

  function send(command) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(command));
    else if (state.transport === "sse") post(command);
    // Otherwise it waits in `pending` (sends) until the next hello.
  }

  // --- Sending ------------------------------------------------------------------------

  function newClientId() {
    return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  }

  function submit() {
    const text = textarea.value.trim();
    if (!text) return showError("Write something before sending.");
    if (text.length > state.maxLength) {
      return showError(`Messages can be up to ${state.maxLength.toLocaleString("en-GB")} characters. Please shorten it.`);
    }
    hideError();
    const command = { type: "send", client_id: newClientId(), text };
    if (state.promptId && replyToggle?.checked) command.reply_to = state.promptId;
    state.pending.set(command.client_id, command);
    sendStatus.textContent = "Sending…";
    send(command);
    textarea.value = "";
    if (replyToggle) replyToggle.checked = false; // the next message answers only if ticked again
    textarea.dispatchEvent(new Event("input")); // the character count updates
  }

  // "Answer this prompt": the link reloads the page with the box ticked; here
  // the box is ticked and the focus goes to the message box at once.
  answerPrompt?.addEventListener("click", (event) => {
    if (!form) return;
    event.preventDefault();
    if (textarea.disabled) return; // muted or closed: the form says why
    replyToggle.checked = true;
    textarea.focus();
  });

  if (form) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit();
    });
    textarea.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submit();
      }
    });
  }

  // Buttons of each message (event delegation: messages come and go).
  list.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-command]");
    if (!button) return;
    const item = button.closest("[data-id]");
    const id = Number(item.dataset.id);
    const kind = button.dataset.command;
    const author = item.querySelector("[data-author]")?.textContent || "this person";
    if (kind === "hide" && !window.confirm("Hide this message for everyone?")) return;
    if (kind === "mute" && !window.confirm(`Mute ${author} for this session?`)) return;
    const command = { type: kind, message: id };
    if (kind === "question") command.on = !item.classList.contains("live-message--question");
    if (kind === "mute") command.on = true;
    if (kind === "action") command.name = button.dataset.action;
    send(command);
    button.closest("details")?.removeAttribute("open");
  });

  // Host tools.
  const promptForm = $("[data-prompt-form]");
  promptForm?.addEventListener("submit", (event) => {
    event.preventDefault();
    const field = promptForm.querySelector("textarea");
    const text = field.value.trim();
    if (!text) return announce("Write the prompt first.");
    const command = { type: "prompt", client_id: newClientId(), text };
    state.pending.set(command.client_id, command);
    send(command);
    field.value = "";
  });
  root.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-host-command]");
    if (!button) return;
    const kind = button.dataset.hostCommand;
    if (kind === "unpin") send({ type: "unpin" });
    if (kind === "chat") send({ type: "chat", on: !state.open });
    if (kind === "slow_mode") send({ type: "slow_mode", seconds: Number($("[data-slow-mode-select]").value) });
  });

  // Times of server-rendered messages in the event's zone, like the live ones.
  for (const time of list.querySelectorAll("time[data-time]")) {
    time.textContent = clock.format(new Date(time.dateTime));
  }
  showLatest();
  updateForm();
  connect();
}
