// The playground's chat page. Every message is built with DOM calls from the render tree the
// server derives from Telegram entities: nothing the bot or the user sent is parsed as HTML here.
"use strict";

const $ = (id) => document.getElementById(id);
const SAFE_LINK = /^(https?:|tg:|mailto:)/i;
const POLL_WAIT_S = 25;
let version = -1;
let commands = [];
let replyTo = null;  // the message the next one answers, as Telegram's "Reply"
let byId = new Map();

async function api(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({ ok: false, error: response.statusText }));
  if (!answer.ok) showError(answer.error || "The playground refused that.");
  else showError("");
  return answer;
}

function showError(text) {
  $("error").textContent = text;
  $("error").hidden = !text;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function render(nodes, parent) {
  for (const node of nodes) {
    if (typeof node === "string") {
      parent.append(document.createTextNode(node));
      continue;
    }
    let child;
    switch (node.tag) {
      case "b": case "i": case "u": case "s": case "code": case "pre": case "blockquote":
        child = el(node.tag);
        break;
      case "tg-spoiler":
        child = el("span", "spoiler");
        child.title = "Spoiler: click to show";
        child.addEventListener("click", () => child.classList.add("shown"));
        break;
      case "a":
        if (SAFE_LINK.test(node.href || "")) {
          child = el("a");
          child.href = node.href;
          child.target = "_blank";
          child.rel = "noopener noreferrer";
        } else {
          child = el("span");
        }
        break;
      case "command":
        child = el("span", "command");
        child.addEventListener("click", () => send(textOf(node)));
        break;
      default:
        child = el("span");
    }
    render(node.children || [], child);
    parent.append(child);
  }
}

function textOf(node) {
  return typeof node === "string" ? node : (node.children || []).map(textOf).join("");
}

function clock(seconds) {
  const date = new Date(seconds * 1000);
  return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

function messageView(message) {
  const box = el("div", "msg " + (message.from_bot ? "bot" : "user"));
  box.dataset.id = message.id;
  const bubble = el("div", "bubble");
  if (message.forwarded_from) bubble.append(el("div", "fwd", "Forwarded from " + message.forwarded_from));
  if (message.reply_to !== undefined) {
    const replied = byId.get(message.reply_to);
    bubble.append(el("div", "quote", replied ? preview(replied) : "a deleted message"));
  }
  if (message.photo) bubble.append(el("div", "photo", message.album ? "Photo (album)" : "Photo"));
  if (message.document) {
    const doc = el("div", "doc");
    doc.append(el("span", "", "📄"));
    const link = el("a", "", message.document.name);
    link.href = "/api/file/" + encodeURIComponent(message.document.file_id);
    link.download = message.document.name;
    doc.append(link, el("span", "meta", Math.ceil(message.document.size / 1024) + " KB"));
    bubble.append(doc);
  }
  const body = el("div", "text");
  render(message.tree, body);
  bubble.append(body);
  const meta = el("span", "meta", (message.edited ? "edited " : "") + clock(message.date) + (message.silent ? " 🔕" : ""));
  const reply = el("button", "reply", "↩");
  reply.type = "button";
  reply.title = "Reply to this message";
  reply.setAttribute("aria-label", "Reply to this message");
  reply.addEventListener("click", () => setReply(message));
  meta.prepend(reply);
  body.append(meta);
  box.append(bubble);
  if (message.buttons && message.buttons.length) box.append(keyboard(message));
  return box;
}

function keyboard(message) {
  const board = el("div", "keyboard");
  for (const row of message.buttons) {
    const line = el("div", "kb-row");
    for (const button of row) {
      let node;
      if (button.url && SAFE_LINK.test(button.url)) {
        node = el("a", "", button.text + " ↗");
        node.href = button.url;
        node.target = "_blank";
        node.rel = "noopener noreferrer";
      } else {
        node = el("button", "", button.text);
        node.type = "button";
        if (button.callback_data !== undefined) {
          node.addEventListener("click", () =>
            api("/api/press", { message_id: message.id, button: button.callback_data }));
        } else {
          node.disabled = true;
        }
      }
      line.append(node);
    }
    board.append(line);
  }
  return board;
}

function preview(message) {
  const text = message.tree.map(textOf).join("").trim();
  return text.length > 80 ? text.slice(0, 79) + "…" : text || "a message";
}

function setReply(message) {
  replyTo = message ? message.id : null;
  $("reply-bar").hidden = !message;
  $("reply-text").textContent = message ? preview(message) : "";
  if (message) $("input").focus();
}

function draw(state) {
  byId = new Map(state.messages.map((m) => [m.id, m]));
  const chat = $("chat");
  const atBottom = chat.scrollHeight - chat.scrollTop - chat.clientHeight < 80;
  chat.replaceChildren(...state.messages.map(messageView));
  if (!state.messages.length) chat.append(hintNode);
  if (atBottom || state.version !== version) chat.scrollTop = chat.scrollHeight;
  $("bot-name").textContent = state.bot.name;
  const status = $("status");
  status.textContent = state.typing ? "typing…" : state.bot_online ? "bot" : "starting the bot…";
  status.classList.toggle("typing", state.typing);
  commands = state.commands || [];
}

const hintNode = $("empty-hint");

async function poll() {
  for (;;) {
    try {
      const response = await fetch(`/api/state?version=${version}&wait=${POLL_WAIT_S}`);
      const state = await response.json();
      if (state.version !== version || state.typing) {
        draw(state);
        version = state.version;
      }
      // While "typing…" shows, look again soon so it disappears on time.
      if (state.typing) await new Promise((done) => setTimeout(done, 1000));
    } catch (error) {
      $("status").textContent = "playground stopped?";
      await new Promise((done) => setTimeout(done, 2000));
    }
  }
}

async function send(text) {
  text = text.trim();
  if (!text) return;
  const body = { text };
  if (replyTo !== null) body.reply_to = replyTo;
  const answer = await api("/api/send", body);
  if (answer.ok) {
    $("input").value = "";
    setReply(null);
    autosize();
  }
}

function autosize() {
  const input = $("input");
  input.style.height = "auto";
  input.style.height = Math.min(input.scrollHeight + 2, window.innerHeight * 0.4) + "px";
}

function showCommands(filter) {
  const box = $("commands");
  const shown = commands.filter((c) => ("/" + c.command).startsWith(filter));
  box.replaceChildren(...shown.map((c) => {
    const item = el("button");
    item.type = "button";
    item.append(el("span", "cmd", "/" + c.command), document.createTextNode(c.description));
    item.addEventListener("click", () => {
      $("input").value = "/" + c.command + " ";
      box.hidden = true;
      $("input").focus();
    });
    return item;
  }));
  box.hidden = shown.length === 0;
}

function setup() {
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    $("commands").hidden = true;
    send($("input").value);
  });
  $("input").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      $("composer").requestSubmit();
    }
  });
  $("input").addEventListener("input", () => {
    autosize();
    const value = $("input").value;
    if (value.startsWith("/") && !value.includes(" ")) showCommands(value);
    else $("commands").hidden = true;
  });
  $("menu").addEventListener("click", () => {
    if ($("commands").hidden) showCommands("/");
    else $("commands").hidden = true;
  });
  $("reply-cancel").addEventListener("click", () => setReply(null));
  $("digest-now").addEventListener("click", () => send("/digest now"));
  $("forward-toggle").addEventListener("click", () => {
    $("forward-form").hidden = !$("forward-form").hidden;
    if (!$("forward-form").hidden) $("fwd-text").focus();
  });
  $("forward-close").addEventListener("click", () => { $("forward-form").hidden = true; });
  $("fwd-kind").addEventListener("change", () => {
    const hidden = $("fwd-kind").value === "hidden";
    $("fwd-channel-row").hidden = hidden;
    $("fwd-hidden-row").hidden = !hidden;
  });
  $("forward-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { text: $("fwd-text").value };
    if ($("fwd-kind").value === "hidden") {
      body.hidden_user = $("fwd-hidden-name").value || "Anonymous reader";
    } else {
      body.channel = $("fwd-channel").value;
      body.username = $("fwd-username").value;
      body.photo = $("fwd-photo").checked;
      body.album = Number($("fwd-album").value);
      body.hidden_link = $("fwd-link").value;
    }
    const answer = await api("/api/forward", body);
    if (answer.ok) {
      $("fwd-text").value = "";
      $("forward-form").hidden = true;
    }
  });
  poll();
}

setup();
