// Operator console: plain DOM, text only (textContent everywhere: nothing a resident types is ever run as HTML).
"use strict";

const state = { current: null, socket: null, started: false };
const $ = (id) => document.getElementById(id);
const PRIORITY = { emergency: "紧急", high: "优先", normal: "普通" };
const REASON = { danger: "危险", complaint: "投诉", fallback: "没听懂", request: "主动要求" };
const AUTHOR = { resident: "居民", bot: "智能助手", operator: "客服" };
const CHANNEL = { web: "网页", wechat: "微信公众号", voice: "电话/语音", phone: "电话" };

function announce(text) { $("announcer").textContent = text; }

const session = AccessLineSession.start({
  roles: ["operator", "admin"],
  workspace: "console",
  refused: "这个账号不是客服账号。",
  async onLogin() {
    if (state.started) {
      await loadQueue();  // signed in again after the token expired: the socket, timer and replies are there
    } else {
      state.started = true;
      await Promise.all([loadQueue(), loadCanned()]);
      connect();
      setInterval(loadQueue, 30000);  // SLA countdowns
    }
    const first = document.querySelector("#queue button");
    (first || $("queue-title")).focus();
  },
});
const api = session.api;  // answers the data, throws an Error with the message

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function minutesLeft(iso) {
  return Math.round((new Date(iso) - Date.now()) / 60000);
}

async function loadQueue() {
  if (!session.token()) return;  // signed out (token expired): the login form is showing
  const tickets = await api("/api/operator/tickets");
  const list = $("queue");
  list.replaceChildren();
  if (!tickets.length) list.append(el("li", "目前没有排队的工单。"));
  for (const t of tickets) {
    const item = el("li", undefined, t.priority);
    const left = minutesLeft(t.sla_due_at);
    item.append(el("span", `【${PRIORITY[t.priority]}】`, "badge"));
    item.append(document.createTextNode(` ${t.queue} · ${REASON[t.reason] || t.reason} · ${CHANNEL[t.channel] || t.channel || ""} · ${t.region || "地区未知"} · `));
    item.append(el("span", left >= 0 ? `${left} 分钟内需回复` : `已超时 ${-left} 分钟`, left >= 0 ? "" : "overdue"));
    if (t.status === "waiting") {
      const claim = el("button", "认领");
      claim.setAttribute("aria-label", `认领工单 ${t.id}（${PRIORITY[t.priority]}）`);
      claim.addEventListener("click", () => claimTicket(t.id));
      item.append(document.createElement("br"), claim);
    } else if (t.operator === session.user()) {
      const open = el("button", "打开", "secondary");
      open.setAttribute("aria-label", `打开我的工单 ${t.id}`);
      open.addEventListener("click", () => openTicket(t.id));
      item.append(document.createElement("br"), open);
    } else {
      item.append(document.createTextNode(`（${t.operator || "回电"} 处理中）`));
    }
    list.append(item);
  }
}

async function claimTicket(id) {
  try {
    await api(`/api/operator/tickets/${encodeURIComponent(id)}/claim`, { method: "POST" });
    announce(`已认领工单 ${id}`);
    await openTicket(id);
  } catch (error) {
    announce(error.message);
  }
  await loadQueue();
}

async function openTicket(id) {
  const t = await api(`/api/operator/tickets/${encodeURIComponent(id)}`);
  state.current = t;
  $("ticket-empty").hidden = true;
  $("ticket").hidden = false;
  const summary = $("ticket-summary");
  summary.replaceChildren();
  const rows = [["工单", t.id], ["热线", t.queue], ["优先级", PRIORITY[t.priority]], ["原因", REASON[t.reason] || t.reason],
    ["来源", CHANNEL[t.channel] || t.channel || "未知"], ["地区", t.region || "未知"], ["话题", t.topic || "未知"], ["联系电话", t.contact_phone || "（未留）"]];
  if (t.application) rows.push(["关联申请", `${t.application.reference} ${t.application.status}`]);
  for (const [k, v] of rows) summary.append(el("dt", k), el("dd", String(v)));
  renderTranscript(t);
  $("reply-text").focus();
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
    const item = el("li");
    item.append(el("span", `${AUTHOR[line.author] || line.author}：`, "who"), document.createTextNode(line.text));
    list.append(item);
  }
  list.scrollTop = list.scrollHeight;
}

async function loadCanned() {
  const canned = await api("/api/operator/canned");
  const select = $("canned");
  for (const c of canned) {
    const option = el("option", c.title);
    option.value = c.text;
    select.append(option);
  }
  select.addEventListener("change", () => { if (select.value) $("reply-text").value = select.value; });
}

function connect() {
  if (!session.token()) { setTimeout(connect, 2000); return; }  // wait until signed in again
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/ws/operator`);
  socket.addEventListener("open", () => socket.send(JSON.stringify({ token: session.token() })));
  socket.addEventListener("message", async (event) => {
    const data = JSON.parse(event.data);
    if (data.type === "expired") {
      session.logout(data.detail);  // the socket closes too; it reconnects once signed in again
      return;
    }
    // Messages of tickets held by someone else come only as "activity" (no text): nothing to show here.
    if (data.type === "activity") return;
    if (data.type === "ticket.new") announce(`新工单：${PRIORITY[data.ticket.priority]}，${data.ticket.queue}`);
    if (data.type === "message" && state.current && data.ticket_id === state.current.id) {
      await openTicket(state.current.id);
      if (data.message.author === "resident") announce("居民发来新消息");
      return;
    }
    if (["ticket.new", "ticket.claimed", "ticket.closed"].includes(data.type)) await loadQueue();
  });
  socket.addEventListener("close", (event) => {
    if (event.code === 4401 && session.token()) session.logout("登录已过期，请重新登录。");
    setTimeout(connect, 2000);
  });
  state.socket = socket;
}

$("reply-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = $("reply-text").value.trim();
  if (!text || !state.current) return;
  try {
    await api(`/api/operator/tickets/${encodeURIComponent(state.current.id)}/messages`, { method: "POST", body: { text } });
    $("reply-text").value = "";
    announce("已发送");
    await openTicket(state.current.id);
  } catch (error) { announce(error.message); }
});

for (const queue of ["12385", "12345"]) {
  $(`transfer-${queue}`).addEventListener("click", async () => {
    if (!state.current) return;
    try {
      await api(`/api/operator/tickets/${encodeURIComponent(state.current.id)}/transfer`, { method: "POST", body: { queue } });
      announce(`已转给${queue}`);
      state.current = null;
      $("ticket").hidden = true;
      $("ticket-empty").hidden = false;
      await loadQueue();
    } catch (error) { announce(error.message); }
  });
}

$("resolve-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!state.current) return;
  try {
    await api(`/api/operator/tickets/${encodeURIComponent(state.current.id)}/resolve`, { method: "POST", body: { outcome: $("outcome").value } });
    announce("工单已结束，智能助手接回对话");
    state.current = null;
    $("ticket").hidden = true;
    $("ticket-empty").hidden = false;
    $("outcome").value = "";
    await loadQueue();
  } catch (error) { announce(error.message); }
});
