// Insights dashboard: unanswered question groups with one-click follow-ups, volume by topic and day.
// Plain DOM, text only (textContent); bars are decoration next to the numbers in each table row.
"use strict";

const API = "/api/staff/insights";
const FAQ_API = "/api/staff/faq";
const state = { entries: [], topics: [], regions: null, draftGroup: null };
const $ = (id) => document.getElementById(id);

function announce(text) { $("announcer").textContent = text; $("status").textContent = text; }

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

const session = AccessLineSession.start({
  roles: ["staff", "admin"],
  workspace: "dashboard",
  hint: "工作人员和管理员账号可以使用。",
  refused: "这个账号不能看数据看板，请用工作人员账号登录。",
  async onLogin() {
    await Promise.all([loadEntries(), load(), StaffPending.refresh(session.api)]);
  },
});
const api = session.api;  // answers the data, throws an Error with the message and the list of errors

$("range-form").addEventListener("submit", (event) => { event.preventDefault(); load(); });

async function loadEntries() {
  try {
    const [entries, regions] = await Promise.all([api(`${FAQ_API}/entries`), api(`${FAQ_API}/regions`)]);
    state.entries = entries.items;
    state.topics = entries.topics;
    state.regions = regions;
    $("draft-topics").replaceChildren(...state.topics.map((t) => { const o = el("option"); o.value = t; return o; }));
    // One list of FAQs for every group (not one big drop-down per group): type to find, pick by title.
    $("faq-choices").replaceChildren(...state.entries.map((e) => { const o = el("option"); o.value = choiceText(e); return o; }));
  } catch (error) {
    announce(`读不到问答列表：${error.message}`);
  }
}

const UNANSWERED_TOPIC = "没能回答";
const UNANSWERED_LABEL = "没答上";

function choiceText(entry) { return `${entry.title}（${entry.name}）`; }

function percent(value) { return value === null || value === undefined ? "—" : `${(value * 100).toFixed(1)}%`; }

function renderTotals(data) {
  const cards = [
    ["对话轮数", String(data.turns)],
    ["对话数", String(data.conversations)],
    [`${UNANSWERED_LABEL}的轮数`, String(data.unanswered)],
    [`${UNANSWERED_LABEL}的比例`, percent(data.unanswered_rate)],
    ["转人工的对话比例", percent(data.handoff_rate)],
    ["居民平均评分", data.rating ? `${data.rating.average}（${data.rating.count} 次评分）` : "还没有收集评分"],
  ];
  $("totals").replaceChildren(...cards.map(([label, value]) => {
    const item = el("li");
    item.append(el("span", value, "value"), el("span", label));
    return item;
  }));
}

function barCell(value, max, extraClass) {
  const cell = el("td");
  const bar = el("span", undefined, `bar ${extraClass || ""}`);
  bar.setAttribute("aria-hidden", "true");
  // Proportional, but never thinner than 4 px for a non-zero value (the smallest bar must show).
  bar.style.width = value > 0 && max ? `max(4px, ${((value / max) * 10).toFixed(2)}rem)` : "0";
  cell.append(bar, document.createTextNode(String(value)));
  return cell;
}

function renderTables(data) {
  const topicMax = Math.max(0, ...data.by_topic.map((t) => t.turns));
  $("by-topic").replaceChildren(...data.by_topic.map((t) => {
    const row = el("tr");
    row.append(el("th", t.topic === UNANSWERED_TOPIC ? UNANSWERED_LABEL : t.topic), barCell(t.turns, topicMax));
    row.firstChild.scope = "row";
    return row;
  }));
  const dayMax = Math.max(0, ...data.by_day.map((d) => d.turns));
  $("by-day").replaceChildren(...data.by_day.map((d) => {
    const row = el("tr");
    row.append(el("th", d.day), barCell(d.turns, dayMax), barCell(d.unanswered, dayMax, "unanswered"));
    row.firstChild.scope = "row";
    return row;
  }));
  if (!data.by_topic.length) {
    const row = el("tr");
    const cell = el("td", "这段时间没有对话。");
    cell.colSpan = 2;
    row.append(cell);
    $("by-topic").append(row);
  }
}

function renderGroups(groups) {
  const list = $("groups");
  list.replaceChildren();
  if (!groups.length) { list.append(el("li", "这段时间没有没答上的问题。")); return; }
  groups.forEach((group, index) => {
    const item = el("li");
    item.dataset.key = group.key;
    const title = `${group.label}（${group.count} 次）`;
    const heading = el("h3", title);
    heading.id = `group-${index}`;
    item.setAttribute("aria-labelledby", heading.id);
    const examples = el("ul");
    for (const text of group.examples) examples.append(el("li", text));
    const note = group.out_of_scope ? `其中 ${group.out_of_scope} 次被认为不在服务范围。` : "";
    item.append(heading, examples, el("p", `最近一次：${new Date(group.last_seen).toLocaleString("zh-CN", { hour12: false })}。${note}`, "meta"));

    const selectId = `faq-${index}`;
    const label = el("label", "加为哪条问答的例句（输入标题里的字可以查找）");
    label.htmlFor = selectId;
    const select = el("input");
    select.id = selectId;
    select.setAttribute("list", "faq-choices");
    select.autocomplete = "off";
    const add = el("button", "加为例句");
    add.setAttribute("aria-label", `把“${title}”这组问题加为例句`);
    add.addEventListener("click", () => addExamples(group, select));
    const draft = el("button", "新建问答草稿", "secondary");
    draft.setAttribute("aria-label", `用“${title}”这组问题新建问答草稿`);
    draft.addEventListener("click", () => openDraft(group));
    const dismiss = el("button", "不用处理", "secondary");
    dismiss.setAttribute("aria-label", `“${title}”这组问题不用处理`);
    dismiss.addEventListener("click", () => resolve(group, "dismissed", "已从列表中去掉。"));
    item.append(label, select, add, draft, dismiss);
    list.append(item);
  });
}

async function load() {
  announce("正在读取……");
  try {
    const data = await api(`${API}/summary?days=${encodeURIComponent($("days").value)}`);
    renderTotals(data);
    renderGroups(data.groups);
    // The same count as the totals and the "没答上" row: some of those turns keep no text (they were inside an
    // application, were a bare answer, or named a person), so the groups add up to fewer.
    const withText = data.unanswered_with_text;
    const handled = withText - data.unanswered_open;
    $("groups-note").textContent = `共 ${data.unanswered} 轮没答上。其中 ${withText} 轮保存了问题文字：`
      + `${data.unanswered_open} 轮分在下面各组${handled ? `，${handled} 轮已经处理过` : ""}；`
      + `其余 ${data.unanswered - withText} 轮在申请表里、只是回答了问题，或者提到了人名，只计数，不保存文字。`;
    renderTables(data);
    announce(`已更新：最近 ${data.days} 天，${data.groups.length} 组没答上的问题。`);
  } catch (error) {
    announce(error.message);
  }
}

async function addExamples(group, select) {
  const typed = select.value.trim();
  const entry = state.entries.find((e) => choiceText(e) === typed || e.title === typed || e.name === typed);
  if (!entry) { announce(typed ? `没有找到“${typed}”这条问答，请从列表里选。` : "请先选择一条问答。"); select.focus(); return; }
  try {
    const result = await api(`${API}/groups/add-example`, { method: "POST", body: { outcome_ids: group.outcome_ids, faq: entry.name } });
    await load();
    await StaffPending.refresh(session.api);
    announce(`已把 ${result.added} 个例句加到“${entry.title}”。请到“训练模型”页面重新训练，新例句才会生效。`);
  } catch (error) {
    announce([error.message, ...error.errors].join(" "));
  }
}

async function resolve(group, reason, message) {
  try {
    await api(`${API}/groups/resolve`, { method: "POST", body: { outcome_ids: group.outcome_ids, reason } });
    await load();
    announce(message);
  } catch (error) {
    announce(error.message);
  }
}

async function openDraft(group) {
  try {
    const data = await api(`${API}/groups/questions`, { method: "POST", body: { outcome_ids: group.outcome_ids } });
    state.draftGroup = group;
    $("draft-examples").value = data.questions.join("\n");
    $("draft-title-input").value = data.questions[0] || "";
    $("draft-errors").hidden = true;
    $("draft-panel").hidden = false;
    $("draft-title").focus();
  } catch (error) {
    announce(error.message);
  }
}

$("draft-cancel").addEventListener("click", () => { $("draft-panel").hidden = true; state.draftGroup = null; announce("没有新建。"); });

$("draft-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const answerKey = state.regions ? state.regions.default : "default";
  const body = {
    name: $("draft-name").value.trim(),
    topic: $("draft-topic").value.trim(),
    title: $("draft-title-input").value.trim(),
    examples: $("draft-examples").value.split("\n").map((s) => s.trim()).filter(Boolean),
    answers: { [answerKey]: $("draft-answer").value },
  };
  try {
    await api(`${FAQ_API}/entries`, { method: "POST", body });
    $("draft-panel").hidden = true;
    const group = state.draftGroup;
    state.draftGroup = null;
    await loadEntries();
    await resolve(group, "new_faq", `已新建问答“${body.title}”。请到问答编辑页检查后，再去训练模型。`);
  } catch (error) {
    const list = $("draft-error-list");
    list.replaceChildren(...(error.errors.length ? error.errors : [error.message]).map((e) => el("li", e)));
    $("draft-errors").hidden = false;
    $("draft-errors").focus();
  }
});
