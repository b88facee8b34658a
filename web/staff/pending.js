// "N 条修改还没上线" on every staff page: saved edits residents will see only after retraining, with a link to the
// training page. Reads /api/staff/training/pending (session cookie). Plain DOM, text only.
"use strict";

window.StaffPending = (() => {
  const $ = (id) => document.getElementById(id);

  function minutes(seconds) {
    return seconds < 90 ? "1 分钟左右" : `${Math.round(seconds / 60)} 分钟左右`;
  }

  /** Refresh the banner (<p id="pending-edits">); answers the data, or null when it could not be read. */
  async function refresh(api) {
    const box = $("pending-edits");
    try {
      const data = await api("/api/staff/training/pending");
      box.replaceChildren();
      if (!data.pending_edits) {
        box.textContent = "所有保存的修改都已经上线。";
        box.className = "pending done";
      } else {
        box.className = "pending";
        box.append(`有 ${data.pending_edits} 条修改还没上线：居民要等重新训练后才能看到。`);
        if (!location.pathname.endsWith("training.html")) {
          const link = document.createElement("a");
          link.href = "/staff/training.html";
          link.textContent = "去训练模型";
          box.append(" ", link);
        }
      }
      box.hidden = false;
      return data;
    } catch (_error) {
      box.hidden = true;
      return null;
    }
  }

  return { refresh, minutes };
})();
