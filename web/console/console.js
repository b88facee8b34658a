// Operator console for a shift: emergencies pinned on top (sound, title, highlight; mutable), filters, a preview
// line per ticket, call-backs, transfer with confirmation. Plain DOM, text only (textContent everywhere: nothing a
// resident types is ever run as HTML). Labels come from the server in plain Chinese (ticket.labels).
"use strict";

const state = { current: null, socket: null, started: false, tickets: [], known: null, acknowledged: new Set() };
const $ = (id) => document.getElementById(id);
const FILTERS = ["queue", "status", "priority", "channel", "region"];
const FILTER_ALL = { queue: "全部热线", status: "全部状态", priority: "全部优先级", channel: "全部来源", region: "全部地区" };
const AUTHOR = { resident: "居民", bot: "智能助手", operator: "客服" };

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

// Visible AND announced: confirmations in a polite status line, errors in an alert line (both on screen).
function flash(text) {
  $("flash-error").textContent = "";
  $("flash").textContent = "";
  window.setTimeout(() => { $("flash").textContent = text; }, 30);
}
function flashError(text) {
  $("flash").textContent = "";
  $("flash-error").textContent = "";
  window.setTimeout(() => { $("flash-error").textContent = text; }, 30);
}
function announce(text) { $("announcer").textContent = text; }

const session = AccessLineSession.start({
  roles: ["operator", "admin"],
  workspace: "console",
  refused: "这个账号不是客服账号。",
  async onLogin() {
    $("mute").hidden = false;
    showMute();
    if (state.started) {
      await loadQueue();  // signed in again after the session expired: the socket, timer and replies are there
    } else {
      state.started = true;
      await Promise.all([loadQueue(), loadCanned()]);
      connect();
      setInterval(loadQueue, 30000);  // SLA clocks and call-back times
    }
    const first = document.querySelector("#emergencies button, #queue button");
    (first || $("queue-title")).focus();
  },
  onLogout() { $("mute").hidden = true; ConsoleAlerts.stopTitle(); },
});
const api = session.api;  // answers the data, throws an Error with the message

// --- mute ---

function showMute() {
  const muted = ConsoleAlerts.muted();
  $("mute").setAttribute("aria-pressed", String(muted));
  $("mute").textContent = muted ? "新紧急工单提示音：关" : "新紧急工单提示音：开";
}
$("mute").addEventListener("click", () => {
  ConsoleAlerts.setMuted(!ConsoleAlerts.muted());
  showMute();
  flash(ConsoleAlerts.muted() ? "提示音已关闭（标题和红框提醒照常）。" : "提示音已打开。");
});

// --- the queue ---

function when(iso) {
  return new Date(iso).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false, month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

function clockText(t) {
  if (t.callback) {
    if (t.callback.retry_at) return `约好 ${when(t.callback.retry_at)} 再打`;
    return t.callback.attempts.length ? `上次：${t.callback.attempts[t.callback.attempts.length - 1].label}` : "等待回电";
  }
  if (t.status !== "waiting") return `${t.operator || ""} 处理中`;
  const sla = t.sla;
  if (sla.overdue) return `已超时 ${-sla.minutes_left} 分钟（只算上班时间）`;
  if (!sla.open_now) return "下班时间，暂停计时";
  return `${sla.minutes_left} 分钟内需回复`;
}

function matches(t) {
  return FILTERS.every((f) => {
    const wanted = $(`f-${f}`).value;
    return !wanted || String(t[f] || "") === wanted;
  });
}

function fillFilters(tickets) {
  for (const f of FILTERS) {
    const select = $(`f-${f}`);
    const chosen = select.value;
    const options = new Map();
    for (const t of tickets) options.set(String(t[f] || ""), f === "region" ? t.labels.region : t.labels[f]);
    select.replaceChildren(Object.assign(el("option", FILTER_ALL[f]), { value: "" }));
    for (const [value, label] of [...options].sort((a, b) => a[1].localeCompare(b[1], "zh-CN"))) {
      const option = el("option", label);
      option.value = value;
      select.append(option);
    }
    select.value = options.has(chosen) ? chosen : "";
  }
}

function card(t) {
  const item = el("li", undefined, `card ${t.priority}`);
  item.dataset.id = t.id;
  if (t.priority === "emergency" && !state.acknowledged.has(t.id) && t.status === "waiting") item.classList.add("alerting");
  const head = el("p", undefined, "card-head");
  head.append(el("span", `【${t.labels.priority}】`, "badge"), el("span", `${t.labels.queue} · ${t.labels.status}`));
  const meta = el("p", `${t.labels.reason} · ${t.labels.topic} · ${t.labels.channel} · ${t.labels.region} · 工单 ${t.id}`, "meta");
  const clock = el("p", clockText(t), t.sla && t.sla.overdue && !t.callback ? "clock overdue" : "clock");
  item.append(head, meta, clock);
  if (t.preview) item.append(el("p", `居民最后说：${t.preview}`, "preview"));
  const actions = el("div", undefined, "card-actions");
  if (t.status === "waiting") {
    const claim = el("button", "认领");
    claim.setAttribute("aria-label", `认领工单 ${t.id}（${t.labels.priority}，${t.labels.queue}）`);
    claim.addEventListener("click", () => claimTicket(t.id));
    actions.append(claim);
  } else if (t.callback && t.callback.claimable) {
    const claim = el("button", "认领回电");
    claim.setAttribute("aria-label", `认领回电 工单 ${t.id}（${t.labels.queue}）`);
    claim.addEventListener("click", () => claimTicket(t.id));
    actions.append(claim);
  } else if (t.operator === session.user()) {
    const open = el("button", "打开", "secondary");
    open.setAttribute("aria-label", `打开我的工单 ${t.id}`);
    open.addEventListener("click", () => openTicket(t.id));
    actions.append(open);
  }
  if (actions.childNodes.length) item.append(actions);
  return item;
}

function alertEmergencies(tickets) {
  const waiting = tickets.filter((t) => t.priority === "emergency" && t.status === "waiting");
  const fresh = waiting.filter((t) => !state.known || !state.known.has(t.id));
  state.known = new Set(tickets.map((t) => t.id));
  if (fresh.length) {
    ConsoleAlerts.beep();
    ConsoleAlerts.titleAlert(`新紧急工单 ${waiting.length} 个`);
    announce(`新的紧急工单：${fresh.map((t) => `${t.labels.queue}，${t.labels.region}`).join("；")}。在页面最上方。`);
  }
  if (!waiting.some((t) => !state.acknowledged.has(t.id))) ConsoleAlerts.stopTitle();
}

function render() {
  const tickets = state.tickets;
  const emergencies = tickets.filter((t) => t.priority === "emergency" && t.status !== "callback_scheduled");
  const rest = tickets.filter((t) => !emergencies.includes(t));
  const box = $("emergencies");
  box.replaceChildren(...emergencies.map(card));
  $("emergency-box").hidden = !emergencies.length;
  fillFilters(rest);
  const shown = rest.filter(matches);
  const list = $("queue");
  list.replaceChildren(...shown.map(card));
  if (!shown.length) list.append(el("li", rest.length ? "没有符合筛选条件的工单。" : "目前没有排队的工单。", "empty"));
  $("queue-count").textContent = `显示 ${shown.length} 个，共 ${rest.length} 个（紧急工单 ${emergencies.length} 个在最上方）。`;
}

async function loadQueue() {
  if (!session.signedIn()) return;  // signed out: the login form is showing
  try {
    const tickets = await api("/api/operator/tickets");
    const hadFocus = document.activeElement && document.activeElement.closest && document.activeElement.closest("#queue, #emergencies");
    const focusedLabel = hadFocus ? document.activeElement.getAttribute("aria-label") : null;
    state.tickets = tickets;
    alertEmergencies(tickets);
    render();
    if (focusedLabel) {  // keep the keyboard user's place across refreshes
      const again = [...document.querySelectorAll("#queue button, #emergencies button")].find((b) => b.getAttribute("aria-label") === focusedLabel);
      (again || $("queue-title")).focus();
    }
  } catch (error) {
    flashError(error.message);
  }
}

for (const f of FILTERS) $(`f-${f}`).addEventListener("change", render);
$("f-clear").addEventListener("click", () => {
  for (const f of FILTERS) $(`f-${f}`).value = "";
  render();
  flash("已清除筛选。");
});

async function claimTicket(id) {
  try {
    const claimed = await api(`/api/operator/tickets/${encodeURIComponent(id)}/claim`, { method: "POST" });
    state.acknowledged.add(id);
    flash(claimed.kind === "callback" ? `已认领回电工单 ${id}，电话号码在右边。` : `已认领工单 ${id}。`);
    await openTicket(id);
  } catch (error) {
    flashError(`工单 ${id}：${error.message}`);
  }
  await loadQueue();
}

// --- one ticket ---

async function openTicket(id) {
  const t = await api(`/api/operator/tickets/${encodeURIComponent(id)}`);
  state.current = t;
  $("ticket-empty").hidden = true;
  $("ticket").hidden = false;
  $("transfer-confirm").hidden = true;
  const summary = $("ticket-summary");
  summary.replaceChildren();
  const rows = [["工单", t.id], ["热线", t.labels.queue], ["状态", t.labels.status], ["优先级", t.labels.priority],
    ["原因", t.labels.reason], ["来源", t.labels.channel], ["地区", t.labels.region], ["话题", t.labels.topic]];
  if (t.kind !== "callback") rows.push(["联系电话", t.contact_phone || "（未留）"]);
  if (t.application) rows.push(["关联申请", `${t.application.reference} ${t.application.status}`]);
  for (const [k, v] of rows) summary.append(el("dt", k), el("dd", String(v)));
  const callback = t.status === "callback_scheduled";
  $("callback-panel").hidden = !callback;
  $("chat-panel").hidden = callback;
  if (callback) renderCallback(t);
  else {
    renderTranscript(t);
    renderTransfer(t);
  }
  $("ticket-title").textContent = `当前工单 ${t.id}`;
  (callback ? $("callback-phone") : $("reply-text")).focus();
}

function renderCallback(t) {
  $("callback-phone").textContent = t.contact_phone ? `请拨打：${t.contact_phone}` : "居民没有留下电话号码。";
  $("callback-phone").tabIndex = -1;
  const list = $("callback-attempts");
  list.replaceChildren(...t.callback.attempts.map((a) => el("li", `${when(a.at)} ${a.operator}：${a.label}${a.retry_at ? `，约好 ${when(a.retry_at)}` : ""}`)));
  if (!t.callback.attempts.length) list.append(el("li", "还没有打过。"));
}

function renderTranscript(t) {
  const list = $("transcript");
  list.replaceChildren();
  if (t.withheld) {
    list.append(el("li", "认领这个工单后才能看到对话内容。"));
    return;
  }
  const lines = t.transcript.map((l) => ({ author: l.from, text: l.text }))
    .concat(t.messages.map((m) => ({ author: m.author, text: m.text })));
  for (const line of lines) {
    const item = el("li", undefined, line.author);
    item.append(el("span", `${AUTHOR[line.author] || "系统"}：`, "who"), document.createTextNode(line.text));
    list.append(item);
  }
  list.scrollTop = list.scrollHeight;
}

function renderTransfer(t) {
  const select = $("transfer-queue");
  select.replaceChildren();
  for (const option of t.transfer_options) {
    const node = el("option", option.open ? option.label : `${option.label}（下班了，不能转）`);
    node.value = option.queue;
    node.disabled = !option.open;
    select.append(node);
  }
  const usable = t.transfer_options.some((o) => o.open);
  $("transfer-form").hidden = !t.holder || !t.transfer_options.length;
  $("transfer-start").disabled = !usable;
  if (usable) select.value = t.transfer_options.find((o) => o.open).queue;
}

async function loadCanned() {
  const canned = await api("/api/operator/canned");
  const select = $("canned");
  for (const c of canned) {
    const option = el("option", c.title);
    option.value = c.text;
    select.append(option);
  }
  select.addEventListener("change", () => {
    if (!select.value) return;
    const box = $("reply-text");
    box.value = select.value;
    select.value = "";  // back to the prompt, so the same reply can be chosen again
    box.focus();
  });
}

let pendingReload = null;
function soon() {
  if (pendingReload) return;
  pendingReload = window.setTimeout(() => { pendingReload = null; loadQueue(); }, 1500);
}

function connect() {
  if (!session.signedIn()) { setTimeout(connect, 2000); return; }  // wait until signed in again
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/ws/operator`);
  socket.addEventListener("open", () => socket.send(JSON.stringify({})));  // the session cookie signs the socket in
  socket.addEventListener("message", async (event) => {
    const data = JSON.parse(event.data);
    if (data.type === "expired") {
      session.logout(data.detail);  // the socket closes too; it reconnects once signed in again
      return;
    }
    // Messages of tickets held by someone else come only as "activity" (no text): refresh the preview line.
    if (data.type === "message" && state.current && data.ticket_id === state.current.id) {
      await openTicket(state.current.id);
      if (data.message.author === "resident") announce("居民发来新消息");
      return;
    }
    if (data.type === "activity") { soon(); return; }  // previews change often on a busy shift: batch them
    if (data.type === "ticket.moved" && data.ticket) {  // the resident named their region: it is that line's now
      announce(`工单已按居民所在地（${data.ticket.region}）转到${data.ticket.queue}`);
    }
    if (["ticket.new", "ticket.claimed", "ticket.closed", "ticket.moved"].includes(data.type)) await loadQueue();
  });
  socket.addEventListener("close", (event) => {
    if (event.code === 4401 && session.signedIn()) session.logout("登录已过期，请重新登录。");
    setTimeout(connect, 2000);
  });
  state.socket = socket;
}

function closeTicket() {
  state.current = null;
  $("ticket").hidden = true;
  $("ticket-empty").hidden = false;
  $("ticket-title").textContent = "当前工单";
  $("ticket-title").focus();
}

$("reply-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = $("reply-text").value.trim();
  if (!text || !state.current) return;
  try {
    await api(`/api/operator/tickets/${encodeURIComponent(state.current.id)}/messages`, { method: "POST", body: { text } });
    $("reply-text").value = "";
    $("canned").value = "";
    flash("已发送给居民。");
    await openTicket(state.current.id);
  } catch (error) { flashError(error.message); }
});

$("transfer-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const select = $("transfer-queue");
  if (!state.current || !select.value) return;
  const label = select.options[select.selectedIndex].textContent;
  $("transfer-question").textContent = `确定把工单 ${state.current.id} 转给${label}吗？转过去以后要由那边的客服重新认领。`;
  $("transfer-confirm").hidden = false;
  $("transfer-question").focus();
});

$("transfer-no").addEventListener("click", () => {
  $("transfer-confirm").hidden = true;
  flash("没有转接。");
  $("transfer-start").focus();
});

$("transfer-yes").addEventListener("click", async () => {
  const queue = $("transfer-queue").value;
  const label = $("transfer-queue").options[$("transfer-queue").selectedIndex].textContent;
  try {
    await api(`/api/operator/tickets/${encodeURIComponent(state.current.id)}/transfer`, { method: "POST", body: { queue } });
    flash(`已转给${label}。`);
    closeTicket();
    await loadQueue();
  } catch (error) {
    $("transfer-confirm").hidden = true;
    flashError(error.message);
    $("transfer-start").focus();
  }
});

$("resolve-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!state.current) return;
  try {
    await api(`/api/operator/tickets/${encodeURIComponent(state.current.id)}/resolve`, { method: "POST", body: { outcome: $("outcome").value } });
    flash("工单已结束，智能助手接回对话。");
    $("outcome").value = "";
    closeTicket();
    await loadQueue();
  } catch (error) { flashError(error.message); }
});

$("callback-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!state.current) return;
  const result = document.querySelector("input[name=cb-result]:checked").value;
  const body = { result, note: $("cb-note").value };
  if (result === "retry") {
    if (!$("cb-retry").value) { flashError("请填写再打的时间。"); $("cb-retry").focus(); return; }
    body.retry_at = `${$("cb-retry").value}:00+08:00`;
  }
  try {
    const done = await api(`/api/operator/tickets/${encodeURIComponent(state.current.id)}/callback`, { method: "POST", body });
    flash(`已记录：${done.label}${done.retry_at ? `，${when(done.retry_at)} 再打` : ""}。`);
    $("cb-note").value = "";
    $("cb-retry").value = "";
    closeTicket();
    await loadQueue();
  } catch (error) { flashError(error.message); }
});
