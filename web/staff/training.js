// Training page: start a job, follow its progress, see kept models, roll back. Plain DOM, text only.
"use strict";

const API = "/api/staff/training";
const state = { timer: null, current: null, pending: null };
const $ = (id) => document.getElementById(id);
const STATUS = { active: "在线", retired: "以前用过", candidate: "备用", rejected: "没通过评估" };
const METRIC = { intent: "意图", response_selection: "问答匹配", conversation: "对话" };

function announce(text) { $("announcer").textContent = text; }

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString("zh-CN", { hour12: false }) : "—";
}

const session = AccessLineSession.start({
  roles: ["staff", "admin"],
  workspace: "training",
  hint: "工作人员和管理员账号可以使用。",
  refused: "这个账号不能训练模型，请用工作人员账号登录。",
  async onLogin() {
    await refresh();
    $("start-title").focus();  // the page's first task, read from its heading (not straight onto a button)
  },
  onLogout() { clearTimeout(state.timer); },
});
const api = session.api;  // answers the data, throws an Error with the message

function emptyRow(text, columns) {
  const row = el("tr");
  const cell = el("td", text);
  cell.colSpan = columns;
  row.append(cell);
  return row;
}

function scoresText(scores) {
  const parts = Object.keys(METRIC).filter((k) => scores && scores[k] !== undefined).map((k) => `${METRIC[k]} ${scores[k].toFixed(1)}`);
  return parts.length ? parts.join("，") : "还没评估";
}

function renderModels(data) {
  $("live").textContent = data.live ? `现在在线的模型：${data.live.name}` : "对话服务没有运行，看不到在线的模型。";
  const body = $("models");
  body.replaceChildren();
  for (const model of data.models) {
    const row = el("tr");
    row.append(el("td", model.name), el("td", STATUS[model.status] || model.status), el("td", scoresText(model.scores)),
      el("td", when(model.activated_at)));
    const cell = el("td");
    if (model.status !== "active" && model.status !== "rejected" && model.available) {
      const use = el("button", "上线这个模型", "secondary");
      use.setAttribute("aria-label", `上线模型 ${model.name}`);
      use.addEventListener("click", () => swap(`${API}/models/${model.id}/activate`, `确定让模型 ${model.name} 上线吗？`));
      cell.append(use);
    } else if (model.status === "rejected" && model.available && session.role() === "admin") {
      const force = el("button", "仍然上线（管理员）", "danger");
      force.setAttribute("aria-label", `模型 ${model.name} 没通过评估，仍然上线`);
      force.addEventListener("click", () => swap(`${API}/models/${model.id}/activate`,
        `模型 ${model.name} 没有通过评估（比在线模型差）。确定仍然让它上线吗？`));
      cell.append(force);
    }
    row.append(cell);
    body.append(row);
  }
  if (!data.models.length) body.append(emptyRow("还没有模型记录。", 5));
}

function renderJobs(jobs) {
  const body = $("jobs");
  body.replaceChildren();
  for (const job of jobs) {
    const row = el("tr");
    const position = job.queue_position ? `（排第 ${job.queue_position} 个）` : "";
    row.append(el("td", String(job.id)), el("td", job.status_text + position, `status-${job.status}`),
      el("td", job.requested_by), el("td", when(job.started_at || job.created_at)), el("td", job.message));
    body.append(row);
  }
  if (!jobs.length) body.append(emptyRow("还没有训练过。", 5));
}

async function renderCurrent(jobs) {
  const open = jobs.find((j) => j.status === "running") || jobs.find((j) => j.status === "queued");
  const previous = state.current;
  state.current = open || null;
  if (!open) {
    $("current").hidden = true;
    if (previous) {
      const done = await api(`${API}/jobs/${previous.id}`);
      $("start-status").textContent = `第 ${done.id} 次训练：${done.status_text}。${done.message}`;
      announce($("start-status").textContent);
    }
    return false;
  }
  const job = await api(`${API}/jobs/${open.id}`);
  $("current").hidden = false;
  $("progress").value = job.progress;
  $("progress-label").textContent = `第 ${job.id} 次训练进度：${job.progress}%`;
  $("current-message").textContent = job.status === "queued" ? `排队中，前面还有 ${job.queue_position - 1} 个。` : job.message;
  $("log").textContent = job.log || "";
  return true;
}

function estimateText(pending) {
  if (!pending || !pending.estimate) return "还没有训练记录，估计不出要多久（一般要几分钟到十几分钟）。";
  const e = pending.estimate;
  return `根据最近 ${e.runs} 次训练，一次大约要 ${StaffPending.minutes(e.seconds)}（最长一次 ${StaffPending.minutes(e.longest)}）。`;
}

async function refresh() {
  clearTimeout(state.timer);
  state.pending = await StaffPending.refresh(api);
  $("estimate").textContent = estimateText(state.pending);
  try {
    const [jobs, models] = await Promise.all([api(`${API}/jobs`), api(`${API}/models`)]);
    renderJobs(jobs);
    renderModels(models);
    const busy = await renderCurrent(jobs);
    state.timer = setTimeout(refresh, busy ? 2000 : 15000);
  } catch (error) {
    if (session.signedIn()) { announce(error.message); state.timer = setTimeout(refresh, 5000); }
  }
}

$("start").addEventListener("click", () => {
  const count = state.pending ? state.pending.pending_edits : 0;
  const edits = count ? `会包含 ${count} 条还没上线的修改。` : "现在没有还没上线的修改，训练出的模型和现在的一样。";
  $("start-question").textContent = `确定开始训练吗？${edits}${estimateText(state.pending)}训练时居民的对话不受影响。`;
  $("start-confirm").hidden = false;
  $("start-question").focus();
});

$("start-no").addEventListener("click", () => {
  $("start-confirm").hidden = true;
  $("start-status").textContent = "没有开始训练。";
  $("start").focus();
});

$("start-yes").addEventListener("click", async () => {
  $("start-confirm").hidden = true;
  $("start").focus();
  try {
    const job = await api(`${API}/jobs`, { method: "POST" });
    $("start-status").textContent = `已开始第 ${job.id} 次训练${job.queue_position > 1 ? `，排第 ${job.queue_position} 个` : ""}。`;
  } catch (error) {
    $("start-status").textContent = error.message;
  }
  await refresh();
});

$("cancel").addEventListener("click", async () => {
  if (!state.current || !window.confirm("确定停止这次训练吗？在线的模型不会变。")) return;
  try {
    await api(`${API}/jobs/${state.current.id}/cancel`, { method: "POST" });
    announce("已停止。");
  } catch (error) {
    announce(error.message);
  }
  await refresh();
});

async function swap(path, question) {
  if (!window.confirm(question)) return;
  announce("正在切换模型，请稍候……");
  try {
    const model = await api(path, { method: "POST" });
    $("start-status").textContent = `已切换到模型 ${model.name}。`;
  } catch (error) {
    $("start-status").textContent = error.message;
  }
  announce($("start-status").textContent);
  await refresh();
}

$("rollback").addEventListener("click", () => swap(`${API}/rollback`, "确定回到上一个模型吗？"));
