// Resident web chat: plain DOM, text only (textContent everywhere: nothing said in the chat is ever run as HTML).
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const SENDER_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
  const WHO = {
    bot: { label: "小助手说：", avatar: "助", name: "" },
    resident: { label: "您说：", avatar: "我", name: "" },
    operator: { label: "人工客服说：", avatar: "客", name: "人工客服" },
    notice: { label: "提示：", avatar: "!", name: "提示" },
  };
  const QUEUE_NAMES = { 12385: "12385", 12345: "12345", emergency: "紧急求助" };
  const WELCOME = {
    text: "您好，我是助残服务小助手。您可以打字或说话，问我残疾人补贴、辅助器具、康复和办事的问题。想找人工客服，请说“转人工”。",
    buttons: [
      { title: "护理补贴怎么申请", payload: "护理补贴怎么申请" },
      { title: "生活补贴谁能领", payload: "困难残疾人生活补贴谁能领" },
      { title: "转人工客服", payload: "转人工" },
    ],
  };

  const state = { busy: false, handoff: null, polling: false };

  // -- storage (only settings, a random id and its key: never personal data) -----------------------------------
  function stored(key, fallback) {
    try {
      const value = localStorage.getItem(key);
      return value === null ? fallback : value;
    } catch (_error) {
      return fallback;
    }
  }

  function store(key, value) {
    try {
      localStorage.setItem(key, value);
    } catch (_error) {
      /* private mode: settings last for this page only */
    }
  }

  function randomHex(length) {
    const bytes = crypto.getRandomValues(new Uint8Array(length));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function newSenderId() {
    const id = "web-" + randomHex(12);
    store("accessline.sender", id);
    // The page proposes its conversation key with the first turn, so a first reply lost on the way (a server
    // restarting) does not lock the conversation: the retry carries the same key.
    store("accessline.conversation-key", randomHex(24));
    return id;
  }

  function senderId() {
    const id = stored("accessline.sender", "");
    return SENDER_PATTERN.test(id) ? id : newSenderId();
  }

  let sender = senderId();

  // Every turn and the long poll send the conversation key (X-Conversation-Key): proposed by the page for a new
  // conversation (or given by the server with the first reply), so knowing the conversation id alone reads nothing.
  const KEY_HEADER = "X-Conversation-Key";

  function conversationHeaders(headers = {}) {
    const key = stored("accessline.conversation-key", "");
    return key ? Object.assign({ [KEY_HEADER]: key }, headers) : headers;
  }

  function keepKey(response, data) {
    const key = (data && data.conversation_key) || response.headers.get(KEY_HEADER);
    if (key) store("accessline.conversation-key", key);
  }

  /** The conversation belongs to another window (or its key was lost): start a new one. */
  function refusedConversation(response, data) {
    if (response.status !== 403 || !data || data.code !== "conversation_key") return false;
    sender = newSenderId();
    state.handoff = null;
    return true;
  }

  // -- the transcript (role=log; one roving tab stop) --------------------------------------------------------
  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function messages() {
    return Array.from($("log").querySelectorAll(".msg"));
  }

  function setRoving(target) {
    for (const message of messages()) message.tabIndex = message === target ? 0 : -1;
  }

  /** Add one message to the log; bot and operator messages are read aloud when that is on. */
  function addMessage(kind, text, buttons, speak = true) {
    const who = WHO[kind];
    const item = el("article", undefined, `msg ${kind}`);
    const avatar = el("span", who.avatar, "avatar");
    avatar.setAttribute("aria-hidden", "true");
    const body = el("div", undefined, "body");
    if (who.name) {
      const name = el("span", who.name, "name");
      name.setAttribute("aria-hidden", "true"); // the hidden "人工客服说：" already says it
      body.append(name);
    }
    const bubble = el("p", undefined, "bubble");
    bubble.append(el("span", who.label, "visually-hidden"), document.createTextNode(text));
    body.append(bubble);
    if (buttons && buttons.length) body.append(quickReplies(buttons));
    item.append(avatar, body);
    item.dataset.text = text;
    const log = $("log");
    const focusInLog = log.contains(document.activeElement);
    log.append(item);
    if (!focusInLog) setRoving(item);
    else item.tabIndex = -1;
    item.scrollIntoView({ block: "nearest" });
    if (speak && (kind === "bot" || kind === "operator")) window.AccessLineVoice.speak(text);
    return item;
  }

  function quickReplies(buttons) {
    const group = el("div", undefined, "quick");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "可以直接点的回答");
    for (const b of buttons) {
      const button = el("button", b.title);
      button.type = "button";
      button.addEventListener("click", () => send(b.payload, b.title));
      group.append(button);
    }
    return group;
  }

  function retireQuickReplies() {
    // Old choices would fill the Tab order; only the newest bot message keeps its buttons.
    const hadFocus = Array.from($("log").querySelectorAll(".quick")).some((g) => g.contains(document.activeElement));
    for (const group of $("log").querySelectorAll(".quick")) group.remove();
    if (hadFocus) $("text").focus();
  }

  function notice(text) {
    addMessage("notice", text);
  }

  function status(text) {
    $("status").textContent = text;
  }

  /** Show a reply; answers what the banner newly says ("" when it did not change). */
  function showReply(data) {
    for (const m of data.messages || []) {
      const kind = m.from_person || m.author === "operator" ? "operator" : "bot";
      addMessage(kind, m.text, m.buttons);
    }
    return setHandoff(data.handoff || null);
  }

  // -- sending -------------------------------------------------------------------------------------------------
  // The hotlines come from the gateway's routing table (/api/hotlines): this page does not know the region.
  let HOTLINE = "当地的残疾人服务热线或政务服务便民热线";
  const ERRORS = {
    get network() { return `网络连接不上，消息没有发出去。请检查网络后再按发送。着急的话请拨打${HOTLINE}。`; },
    invalid: "消息没有发出去，请换个说法再试。",
    get generic() { return `对不起，服务暂时出了问题，消息没有发出去。请稍后再试，或拨打${HOTLINE}。`; },
  };

  async function loadHotlines() {
    try {
      const response = await fetch("/api/hotlines");
      if (!response.ok) return;
      const data = await response.json();
      if (typeof data.text !== "string" || !data.text) return;
      HOTLINE = data.text;
      $("hotline").textContent = `着急请打${HOTLINE}；有危险请打 110、120、119。`;
    } catch (_error) {
      /* offline: the header keeps its general wording */
    }
  }

  async function postChat(text, retried = false) {
    let response;
    try {
      response = await fetch("/api/chat", {
        method: "POST",
        headers: conversationHeaders({ "Content-Type": "application/json" }),
        body: JSON.stringify({ sender_id: sender, text }),
      });
    } catch (_error) {
      throw new Error(ERRORS.network);
    }
    const data = await response.json().catch(() => ({}));
    keepKey(response, data);
    if (!retried && refusedConversation(response, data)) return postChat(text, true);
    if (response.ok) return data;
    if (response.status === 413 || response.status === 503) throw new Error(data.detail || ERRORS.generic);
    if (response.status === 422) throw new Error(ERRORS.invalid);
    throw new Error(ERRORS.generic);
  }

  /** Send a text (typed, or a quick reply's payload shown as its title). The text box is cleared only on success. */
  async function send(text, shown, fromBox = false) {
    if (state.busy) return;
    if (!text.trim()) {
      status("请先输入您的问题。");
      $("text").focus();
      return;
    }
    state.busy = true;
    retireQuickReplies();
    addMessage("resident", shown || text);
    $("log").setAttribute("aria-busy", "true"); // the replies are announced together when they have all arrived
    status("小助手正在回复，请稍等。");
    try {
      const data = await postChat(text);
      if (fromBox) $("text").value = "";
      status("");
      const news = showReply(data);
      const relayed = !(data.messages || []).length || (data.handoff && data.handoff.state === "closed");
      if (relayed && data.handoff) status((data.handoff.ack || "已经发给人工客服。") + news);
      keepNewestVisible();
    } catch (error) {
      status("");
      notice(error.message + (fromBox ? "您输入的内容还在输入框里。" : ""));
    } finally {
      $("log").setAttribute("aria-busy", "false");
      state.busy = false;
      autoSize();
    }
  }

  // -- hand-over to a person: banner and long poll -----------------------------------------------------------
  // The gateway says what will really happen (bot/escalation/promises.py): a short `headline` on one line and the
  // whole `banner` text under it on demand, so that the banner never eats the messages on a small screen.
  function handoffParts(h) {
    const queue = QUEUE_NAMES[h.queue] || h.queue;
    return [h.headline || `正在转接${queue}人工客服`, h.banner || ""];
  }

  function setHandoff(handoff) {
    const before = state.handoff;
    state.handoff = handoff;
    const banner = $("handoff");
    if (!handoff) {
      const wasShown = !banner.hidden;
      banner.hidden = true;
      if (before) status("人工客服对话已结束，小助手继续为您服务。");
      if (wasShown) keepNewestVisible();
      return "";
    }
    const [headline, rest] = handoffParts(handoff);
    const changed = $("handoff-text").textContent !== headline || $("handoff-rest").textContent !== rest;
    $("handoff-text").textContent = headline;
    $("handoff-rest").textContent = rest;
    $("cancel-handoff").textContent = handoff.state === "joined" ? "结束人工对话" : "不等了，取消转人工";
    const appeared = banner.hidden;
    banner.hidden = false;
    const roomy = window.matchMedia("(min-width: 40rem) and (min-height: 40rem)").matches;
    if (appeared && roomy !== ($("handoff-more").getAttribute("aria-expanded") === "true")) toggleHandoffDetail();
    if (changed) status(rest || headline); // spoken once per change (the status line is a polite live region)
    if (appeared || changed) keepNewestVisible();
    if (!state.polling) poll();
    return changed ? rest || headline : "";
  }

  function toggleHandoffDetail() {
    const open = $("handoff-more").getAttribute("aria-expanded") !== "true";
    $("handoff-more").setAttribute("aria-expanded", String(open));
    $("handoff-more").textContent = open ? "收起" : "详情";
    $("handoff-detail").hidden = !open;
    if (!open) keepNewestVisible();
  }

  /** The newest message stays in view above the input bar (and below the banner) whatever the banner does. */
  function keepNewestVisible() {
    const last = $("log").lastElementChild;
    if (!last) return;
    requestAnimationFrame(() => {
      const bar = $("composer").getBoundingClientRect();
      const rect = last.getBoundingClientRect();
      if (rect.bottom > bar.top) window.scrollBy({ top: rect.bottom - bar.top + 8, behavior: "instant" });
    });
  }

  async function poll() {
    state.polling = true;
    while (state.handoff) {
      try {
        const response = await fetch(`/api/chat/${encodeURIComponent(sender)}/updates?wait=25`, {
          headers: conversationHeaders(),
        });
        if (response.status === 403) {
          setHandoff(null); // this window no longer holds the conversation
          break;
        }
        if (!response.ok) throw new Error(String(response.status));
        showReply(await response.json());
      } catch (_error) {
        await new Promise((resolve) => setTimeout(resolve, 5000));
      }
    }
    state.polling = false;
  }

  async function restoreHandoff() {
    // After a reload: an open hand-over (and operator messages not yet seen) continues.
    if (!stored("accessline.conversation-key", "")) return; // nothing said yet in this conversation
    try {
      const response = await fetch(`/api/chat/${encodeURIComponent(sender)}/updates?wait=0`, {
        headers: conversationHeaders(),
      });
      if (response.ok) showReply(await response.json());
    } catch (_error) {
      /* offline: the first message will say so */
    }
  }

  // -- settings: large text, high contrast, read-aloud, speed ------------------------------------------------
  const TOGGLES = {
    "large-text": { className: "large-text", on: "大字模式已打开", off: "大字模式已关闭" },
    "high-contrast": { className: "high-contrast", on: "高对比度已打开", off: "高对比度已关闭" },
    "read-aloud": { className: null, on: "朗读已打开", off: "朗读已关闭" },
  };

  function applyToggle(id, on) {
    const button = $(id);
    button.setAttribute("aria-pressed", String(on));
    const cls = TOGGLES[id].className;
    if (cls) document.documentElement.classList.toggle(cls, on);
    if (id === "read-aloud") window.AccessLineVoice.setEnabled(on);
  }

  function setupToggles() {
    for (const id of Object.keys(TOGGLES)) {
      applyToggle(id, stored(`accessline.${id}`, "off") === "on");
      $(id).addEventListener("click", () => {
        const on = $(id).getAttribute("aria-pressed") !== "true";
        applyToggle(id, on);
        store(`accessline.${id}`, on ? "on" : "off");
        status(on ? TOGGLES[id].on : TOGGLES[id].off);
        if (id === "read-aloud" && on) window.AccessLineVoice.speak(TOGGLES[id].on);
      });
    }
    const rate = $("rate");
    rate.value = stored("accessline.rate", "175");
    if (!rate.value) rate.value = "175";
    window.AccessLineVoice.setRate(Number(rate.value));
    rate.addEventListener("change", () => {
      store("accessline.rate", rate.value);
      window.AccessLineVoice.setRate(Number(rate.value));
    });
  }

  // -- keyboard ------------------------------------------------------------------------------------------------
  function onLogKey(event) {
    const item = event.target.closest(".msg");
    if (!item || event.target !== item) return;
    const all = messages();
    const index = all.indexOf(item);
    const moves = { ArrowUp: index - 1, ArrowDown: index + 1, Home: 0, End: all.length - 1, PageUp: index - 5, PageDown: index + 5 };
    if (event.key in moves) {
      event.preventDefault();
      const next = all[Math.max(0, Math.min(all.length - 1, moves[event.key]))];
      setRoving(next);
      next.focus();
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      window.AccessLineVoice.speakNow(item.dataset.text);
    }
  }

  function autoSize() {
    const box = $("text");
    box.style.height = "auto";
    box.style.height = `${Math.min(box.scrollHeight + 4, 200)}px`;
    box.style.overflowY = box.scrollHeight + 4 > 200 ? "auto" : "hidden";
  }

  function setupKeyboard() {
    $("log").addEventListener("keydown", onLogKey);
    $("log").addEventListener("focusin", (event) => {
      if (event.target.classList.contains("msg")) setRoving(event.target);
    });
    document.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") return;
      window.AccessLineVoice.cancelRecording();
      $("text").focus();
    });
    const box = $("text");
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        $("composer").requestSubmit();
      }
    });
    box.addEventListener("input", autoSize);
  }

  // -- start ---------------------------------------------------------------------------------------------------
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    send($("text").value, undefined, true);
  });
  $("cancel-handoff").addEventListener("click", () => send("取消"));
  $("handoff-more").addEventListener("click", toggleHandoffDetail);

  window.AccessLineChat = {
    get sender() {
      return sender;
    },
    conversationHeaders,
    keepKey,
    addMessage,
    notice,
    showReply,
    status,
    retireQuickReplies,
  };
  setupToggles();
  setupKeyboard();
  autoSize();
  addMessage("bot", WELCOME.text, WELCOME.buttons, false);
  loadHotlines();
  restoreHandoff();
})();
