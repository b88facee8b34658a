// FAQ editor for staff: plain DOM, text only (textContent everywhere: nothing typed is ever run as HTML).
"use strict";

const API = "/api/staff/faq";
const state = { regions: null, plans: null, current: null, intents: [], intent: null };
const $ = (id) => document.getElementById(id);

function announce(text) {
  $("announcer").textContent = "";
  window.setTimeout(() => { $("announcer").textContent = text; }, 50);
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function problems(result) {
  const data = result.data || {};
  if (Array.isArray(data.errors) && data.errors.length) return data.errors;
  return [typeof data.detail === "string" ? data.detail : `出错了（${result.status}），请稍后再试。`];
}

function showErrors(boxId, listId, messages) {
  const box = $(boxId);
  const list = $(listId);
  list.replaceChildren(...messages.map((m) => el("li", m)));
  box.hidden = false;
  box.focus();
}

function hideErrors(boxId) { $(boxId).hidden = true; }

// --- login (web/shared/session.js) ---

const session = AccessLineSession.start({
  roles: ["staff", "admin"],
  workspace: "editor",
  hint: "工作人员和管理员账号可以使用。",
  refused: "这个账号不能编辑问答，请用工作人员账号登录。",
  async onLogin() {
    await start();
    await StaffPending.refresh(session.api);
    $("search").focus();
  },
});
const api = session.request;  // answers { ok, status, data }; see problems() for the messages

async function start() {
  const regions = await api(`${API}/regions`);
  if (!regions.ok) return announce(problems(regions)[0]);
  state.regions = regions.data;
  const plans = await api(`${API}/plans`);
  if (!plans.ok) return announce(problems(plans)[0]);
  state.plans = plans.data;
  buildAnswerFields();
  await Promise.all([loadEntries(), loadIntents()]);
}

// --- list and search ---

async function loadEntries() {
  const q = $("search").value.trim();
  const result = await api(`${API}/entries?q=${encodeURIComponent(q)}`);
  if (!result.ok) {
    $("list-status").textContent = problems(result)[0];
    return;
  }
  const list = $("entries");
  list.replaceChildren();
  $("topics").replaceChildren(...result.data.topics.map((t) => { const o = el("option"); o.value = t; return o; }));
  for (const entry of result.data.items) {
    const item = el("li");
    item.dataset.name = entry.name;
    if (state.current && state.current.name === entry.name) item.className = "current";
    const open = el("button", entry.title, "secondary");
    open.setAttribute("aria-label", `编辑：${entry.title}`);
    open.addEventListener("click", () => openEntry(entry.name));
    const answered = Object.keys(entry.answers).map((k) => state.regions.labels[k] || k).join("、");
    item.append(open, el("p", `${entry.topic} · ${entry.name} · ${entry.examples.length}个例句 · ${answered}`, "meta"));
    list.append(item);
  }
  const total = result.data.total;
  $("list-status").textContent = q ? `找到 ${total} 条和“${q}”有关的问答。` : `共 ${total} 条问答。`;
}

$("search-form").addEventListener("submit", (event) => { event.preventDefault(); loadEntries(); });

// --- the entry form ---

function answerKeys() { return [...state.regions.regions, state.regions.default]; }

function buildAnswerFields() {
  const box = $("answers");
  box.replaceChildren();
  answerKeys().forEach((key, index) => {
    const id = `answer-${index}`;
    const label = el("label", state.regions.labels[key]);
    label.htmlFor = id;
    const area = el("textarea");
    area.id = id;
    area.rows = 6;
    area.dataset.key = key;
    area.setAttribute("aria-describedby", "answers-hint");
    const sourcesLabel = el("label", `${state.regions.labels[key]}的依据`, "sources-label");
    sourcesLabel.htmlFor = `sources-${index}`;
    const sources = el("textarea");
    sources.id = `sources-${index}`;
    sources.rows = 3;
    sources.dataset.sourcesKey = key;
    sources.setAttribute("aria-describedby", "sources-hint");
    const shown = el("ul", undefined, "sources");
    shown.id = `sources-shown-${index}`;
    shown.setAttribute("aria-label", `${state.regions.labels[key]}现在的依据`);
    box.append(label, area, sourcesLabel, sources, shown);
    if (key === state.regions.default) {
      const ask = el("label", undefined, "inline");
      const check = el("input");
      check.type = "checkbox";
      check.id = "ask-region";
      ask.append(check, " 这条只是两地相同的部分：说完再问居民在哪个地区");
      box.append(ask);
    }
  });
  const select = $("preview-region");
  select.replaceChildren();
  for (const region of state.regions.regions) {
    const option = el("option", region);
    option.value = region;
    select.append(option);
  }
  const unknown = el("option", "还不知道地区");
  unknown.value = "";
  select.append(unknown);
}

function fillForm(entry) {
  $("form-empty").hidden = true;
  $("conflict").hidden = true;
  $("entry-form").hidden = false;
  hideErrors("form-errors");
  $("preview").replaceChildren();
  $("title").value = entry ? entry.title : "";
  $("name").value = entry ? entry.name : "";
  $("name").readOnly = Boolean(entry);
  $("topic").value = entry ? entry.topic : "";
  $("examples").value = entry ? entry.examples.join("\n") : "";
  for (const area of $("answers").querySelectorAll("textarea[data-key]")) {
    area.value = entry ? entry.answers[area.dataset.key] || "" : "";
  }
  for (const area of $("answers").querySelectorAll("textarea[data-sources-key]")) {
    const sources = entry && entry.sources ? entry.sources[area.dataset.sourcesKey] : null;
    area.value = sourcesText(sources);
    showSources(area.id.replace("sources-", "sources-shown-"), sources);
  }
  const defaultSources = entry && entry.sources ? entry.sources[state.regions.default] : null;
  $("ask-region").checked = Boolean(defaultSources && defaultSources.ask_region);
  $("delete").hidden = !entry;
  $("form-title").textContent = entry ? `编辑问答：${entry.title}` : "新建问答";
}

async function openEntry(name) {
  const result = await api(`${API}/entries/${encodeURIComponent(name)}`);
  if (!result.ok) return announce(problems(result)[0]);
  state.current = result.data;
  fillForm(state.current);
  $("save-status").replaceChildren();
  await loadHistory();
  $("form-title").focus();
  for (const item of $("entries").children) item.classList.toggle("current", item.dataset.name === name);
}

$("new-entry").addEventListener("click", () => {
  state.current = null;
  fillForm(null);
  $("history-panel").hidden = true;
  $("title").focus();
});

$("cancel").addEventListener("click", () => {
  if (state.current) return openEntry(state.current.name);
  $("entry-form").hidden = true;
  $("form-empty").hidden = false;
  $("new-entry").focus();
});

function formAnswers() {
  const answers = {};
  for (const area of $("answers").querySelectorAll("textarea[data-key]")) {
    if (area.value.trim()) answers[area.dataset.key] = area.value;
  }
  return answers;
}

// Sources, one per line: "绥芬河：<verbatim text of the plan>", "潞城：…", "国家：国发〔2015〕52号".
function planLabel(plan) { return plan.region.replace(/[市区]$/, ""); }

function sourcesText(sources) {
  if (!sources) return "";
  const lines = (sources.sources || []).map((s) => {
    const plan = state.plans.plans.find((p) => p.file === s.file);
    return `${plan ? planLabel(plan) : s.file}：${s.quote}`;
  });
  return lines.concat((sources.national || []).map((n) => `国家：${n}`)).join("\n");
}

function parseSources(text, askRegion) {
  const result = { sources: [], national: [], ask_region: askRegion };
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    const cut = line.search(/[：:]/);
    const head = cut > 0 ? line.slice(0, cut).trim() : "";
    const body = cut > 0 ? line.slice(cut + 1).trim() : line;
    if (head === "国家") { result.national.push(body); continue; }
    const plan = state.plans.plans.find((p) => head && (p.region.startsWith(head) || planLabel(p) === head || p.file === head));
    result.sources.push({ file: plan ? plan.file : head, quote: body });
  }
  return result;
}

function formSources() {
  const sources = {};
  for (const area of $("answers").querySelectorAll("textarea[data-sources-key]")) {
    const key = area.dataset.sourcesKey;
    const ask = key === state.regions.default && $("ask-region").checked;
    sources[key] = parseSources(area.value, ask);
  }
  return sources;
}

function showSources(listId, sources) {
  const list = $(listId);
  list.replaceChildren();
  for (const s of (sources && sources.sources) || []) {
    const plan = state.plans.plans.find((p) => p.file === s.file);
    list.append(el("li", `${plan ? plan.title : s.file}${s.section ? " " + s.section : ""}：“${s.quote}”`));
  }
  for (const key of (sources && sources.national) || []) {
    const doc = state.plans.national.find((d) => d.key === key);
    list.append(el("li", `国家：${doc ? doc.title : key}`));
  }
}

function formBody() {
  return {
    name: $("name").value.trim(),
    topic: $("topic").value.trim(),
    title: $("title").value.trim(),
    examples: $("examples").value.split("\n").map((line) => line.trim()).filter(Boolean),
    answers: formAnswers(),
    sources: formSources(),
    version: state.current ? state.current.version : "",
  };
}

// Saving takes a few seconds (the whole training data is checked): progress and result are shown next to the
// button as well as announced.
function saveStatus(parts, isError) {
  const box = $("save-status");
  box.className = isError ? "save-status error" : "save-status";
  box.replaceChildren(...parts);
}

function savingParts() {
  const bar = el("progress");
  bar.setAttribute("aria-label", "保存进度");
  return [el("span", "正在检查和保存，请稍等（要几秒钟）……"), bar];
}

async function save(body) {
  const editing = Boolean(state.current);
  const path = editing ? `${API}/entries/${encodeURIComponent(state.current.name)}` : `${API}/entries`;
  $("save").disabled = true;
  saveStatus(savingParts(), false);
  announce("正在检查和保存，请稍等……");
  const result = await api(path, { method: editing ? "PUT" : "POST", body });
  $("save").disabled = false;
  if (result.status === 409 && editing) {
    saveStatus([el("span", "没有保存：别人刚改过这条问答。请看下面两个版本的对比。")], true);
    announce("没有保存：别人刚改过这条问答。您的修改还在。");
    await showConflict(body);
    return;
  }
  if (!result.ok) {
    saveStatus([el("span", "没有保存，请看上面列出的问题。")], true);
    showErrors("form-errors", "form-error-list", problems(result));
    announce("没有保存。");
    return;
  }
  $("conflict").hidden = true;
  state.current = result.data.entry;
  fillForm(state.current);
  await Promise.all([loadEntries(), loadHistory()]);
  const pending = await StaffPending.refresh(session.api);
  const link = el("a", "去训练模型");
  link.href = "/staff/training.html";
  const waiting = pending && pending.pending_edits ? `现在共有 ${pending.pending_edits} 条修改还没上线。` : "";
  saveStatus([el("span", `已保存：${state.current.title}。居民要等重新训练上线后才能看到这次修改。${waiting}`), " ", link], false);
  announce(`已保存：${state.current.title}。${result.data.revision.summary}。重新训练后居民才能看到。`);
}

$("entry-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  await save(formBody());
});

// --- an edit conflict: keep the user's edit, show the other version side by side ---

function versionView(entry, other) {
  const box = el("div");
  const rows = [["标题", entry.title, other.title], ["例句", entry.examples.join("\n"), other.examples.join("\n")]];
  for (const key of answerKeys()) {
    rows.push([`回答：${state.regions.labels[key] || key}`, (entry.answers || {})[key] || "（空）", (other.answers || {})[key] || "（空）"]);
  }
  const list = el("dl");
  for (const [label, mine, theirs] of rows) {
    const value = el("dd");
    value.append(el("pre", mine, mine === theirs ? "" : "changed"));
    list.append(el("dt", label + (mine === theirs ? "" : "（不同）")), value);
  }
  box.append(list);
  return box;
}

async function showConflict(body) {
  const result = await api(`${API}/entries/${encodeURIComponent(state.current.name)}`);
  if (!result.ok) {
    showErrors("form-errors", "form-error-list", problems(result));
    return;
  }
  state.theirs = result.data;
  const mine = { title: body.title, examples: body.examples, answers: body.answers };
  $("conflict-mine").replaceChildren(versionView(mine, state.theirs));
  $("conflict-theirs").replaceChildren(versionView(state.theirs, mine));
  $("conflict").hidden = false;
  $("conflict-title").focus();
}

$("conflict-keep").addEventListener("click", async () => {
  if (!state.theirs) return;
  const body = formBody();
  body.version = state.theirs.version;  // the user saw the other version and chose to replace it
  state.current = Object.assign({}, state.current, { version: state.theirs.version });
  await save(body);
});

$("conflict-take").addEventListener("click", () => {
  if (!state.theirs) return;
  state.current = state.theirs;
  fillForm(state.current);
  $("conflict").hidden = true;
  saveStatus([el("span", "已换成别人保存的版本，您的修改没有保存。")], false);
  announce("已换成别人保存的版本。");
  $("form-title").focus();
});

$("delete").addEventListener("click", async () => {
  if (!state.current || !window.confirm(`确定删除“${state.current.title}”吗？删除后可以在修改记录里撤销。`)) return;
  const { name, version, title } = state.current;
  const result = await api(`${API}/entries/${encodeURIComponent(name)}?version=${encodeURIComponent(version)}`, { method: "DELETE" });
  if (!result.ok) return showErrors("form-errors", "form-error-list", problems(result));
  state.current = null;
  $("entry-form").hidden = true;
  $("form-empty").hidden = false;
  await loadEntries();
  await loadHistory(`faq/${name}`);
  announce(`已删除：${title}。要恢复，请在修改记录里点“撤销”。`);
});

// --- preview ---

$("preview-button").addEventListener("click", async () => {
  const region = $("preview-region").value || null;
  const body = { name: $("name").value.trim(), answers: formAnswers(), region, ask_region: $("ask-region").checked };
  const result = await api(`${API}/preview`, { method: "POST", body });
  const box = $("preview");
  box.replaceChildren();
  if (!result.ok) {
    box.append(el("p", problems(result).join(" "), "error"));
    return;
  }
  const heading = region ? `${region}的居民会收到：` : "不知道地区时，居民会收到：";
  box.append(el("p", heading));
  const list = el("ol");
  for (const message of result.data.messages) {
    const bubble = el("li", message.text, "bubble");
    for (const button of message.buttons || []) {
      bubble.append(document.createElement("br"), el("span", `按钮：${button.title}`, "chip"));
    }
    list.append(bubble);
  }
  box.append(list);
});

// --- history and rollback ---

async function loadHistory(target) {
  const which = target || (state.current ? `faq/${state.current.name}` : null);
  if (!which) return;
  const result = await api(`${API}/revisions?target=${encodeURIComponent(which)}`);
  const list = $("history");
  list.replaceChildren();
  $("history-panel").hidden = false;
  if (!result.ok) return list.append(el("li", problems(result)[0], "error"));
  if (!result.data.items.length) list.append(el("li", "还没有通过编辑器的修改。"));
  for (const revision of result.data.items) {
    const item = el("li");
    item.append(el("span", `第${revision.id}号 · ${revision.time} · ${revision.actor} · ${revision.action_text}：${revision.summary}`));
    const undo = el("button", `撤销第${revision.id}号修改`, "secondary");
    undo.addEventListener("click", () => rollback(revision.id, which));
    item.append(document.createElement("br"), undo);
    list.append(item);
  }
}

async function rollback(id, target) {
  const includeLater = $("include-later").checked;
  announce("正在撤销，请稍等……");
  const result = await api(`${API}/revisions/${id}/rollback`, { method: "POST", body: { include_later: includeLater } });
  if (!result.ok) return announce(problems(result).join(" "));
  announce(`已撤销第${id}号修改。`);
  const name = target.startsWith("faq/") ? target.slice(4) : null;
  await loadEntries();
  const reopened = name ? await api(`${API}/entries/${encodeURIComponent(name)}`) : { ok: false };
  if (reopened.ok) {
    state.current = reopened.data;
    fillForm(state.current);
  } else {
    state.current = null;
    $("entry-form").hidden = true;
    $("form-empty").hidden = false;
  }
  await loadHistory(target);
}

// --- examples of other intents ---

async function loadIntents() {
  const result = await api(`${API}/intents`);
  if (!result.ok) return;
  state.intents = result.data.items;
  const select = $("intent-select");
  select.replaceChildren(...state.intents.map((intent) => {
    const option = el("option", `${intent.name}（${intent.file}）`);
    option.value = intent.name;
    return option;
  }));
  if (state.intents.length) showIntent(state.intent || state.intents[0].name);
}

function showIntent(name) {
  const intent = state.intents.find((i) => i.name === name);
  if (!intent) return;
  state.intent = name;
  $("intent-select").value = name;
  $("intent-examples").value = intent.examples.join("\n");
  hideErrors("intent-errors");
}

$("intent-select").addEventListener("change", () => showIntent($("intent-select").value));

$("intent-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const intent = state.intents.find((i) => i.name === state.intent);
  if (!intent) return;
  const examples = $("intent-examples").value.split("\n").map((line) => line.trim()).filter(Boolean);
  const status = $("intent-status");
  status.className = "save-status";
  status.replaceChildren(...savingParts());
  $("intent-save").disabled = true;
  const result = await api(`${API}/intents/${encodeURIComponent(intent.name)}`, { method: "PUT", body: { examples, version: intent.version } });
  $("intent-save").disabled = false;
  if (!result.ok) {
    status.className = "save-status error";
    status.replaceChildren(el("span", "没有保存，请看上面列出的问题。"));
    return showErrors("intent-errors", "intent-error-list", problems(result));
  }
  await loadIntents();
  await StaffPending.refresh(session.api);
  status.replaceChildren(el("span", `已保存 ${intent.name} 的例句。居民要等重新训练上线后才能用上。`));
  announce(`已保存 ${intent.name} 的例句。${result.data.revision.summary}`);
});
