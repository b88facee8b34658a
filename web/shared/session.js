// Sign-in shared by the staff pages and the operator console. The server keeps the session in an HttpOnly,
// SameSite=Strict cookie: one sign-in serves every staff page (it survives navigation and reloads), and no script
// can read the token (never in URLs, localStorage or sessionStorage; this file never sees it). Writes carry the
// X-AccessLine-Page header the server asks for with the cookie. Renders the login form, goes back to it when the
// session expires, and offers "退出登录" (which revokes the session on the server too). Plain DOM, text only.
"use strict";

window.AccessLineSession = (() => {
  const OFFLINE = "连不上服务器，请检查网络后再试。";
  const EXPIRED = "登录已过期，请重新登录。";
  const PAGE = { "X-AccessLine-Page": "1" };
  const $ = (id) => document.getElementById(id);

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function field(id, label, attributes) {
    const caption = el("label", label);
    caption.htmlFor = id;
    const input = el("input");
    Object.assign(input, { id, name: id, required: true }, attributes);
    return [caption, input];
  }

  // The form goes into <section id="login-panel">; its ids (username, password, login-error) are the pages' API.
  function renderForm(panel, hint) {
    const title = el("h2", "登录");
    title.id = "login-title";
    panel.setAttribute("aria-labelledby", title.id);
    panel.replaceChildren(title);
    if (hint) panel.append(el("p", hint, "hint"));
    const form = el("form");
    form.id = "login-form";
    const error = el("p", "", "error");
    error.id = "login-error";
    error.setAttribute("role", "alert");
    form.append(
      ...field("username", "用户名", { autocomplete: "username" }),
      ...field("password", "密码", { type: "password", autocomplete: "current-password" }),
      Object.assign(el("button", "登录"), { type: "submit" }),
      error,
    );
    panel.append(form);
    return form;
  }

  function detail(data, fallback) {
    return typeof data.detail === "string" && data.detail ? data.detail : fallback;
  }

  /**
   * Set up sign-in for a page and return its session.
   * options: roles (allowed roles), workspace (id of the part shown once signed in), refused (message for other
   * roles), hint (optional line under the title), onLogin (async, after the workspace is shown), onLogout (optional).
   */
  function start(options) {
    const panel = $("login-panel");
    const workspace = $(options.workspace);
    const form = renderForm(panel, options.hint);
    let signedIn = false;
    let user = null;
    let role = null;

    function logout(message) {
      const signOut = $("sign-out");
      const hadFocus = workspace.contains(document.activeElement) || document.activeElement === signOut;
      if (signOut) signOut.hidden = true;
      signedIn = false;
      user = null;
      role = null;
      if (options.onLogout) options.onLogout();
      workspace.hidden = true;
      panel.hidden = false;
      $("who").textContent = "";
      $("login-error").textContent = message || "";
      if (hadFocus) $("username").focus();  // focus was in the part just hidden: bring it to the form
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = new URLSearchParams({ username: $("username").value, password: $("password").value });
      const response = await fetch("/api/auth/token", { method: "POST", body }).catch(() => null);
      const data = response ? await response.json().catch(() => ({})) : {};
      if (!response || !response.ok) {
        $("login-error").textContent = response ? detail(data, "登录失败，请稍后再试。") : OFFLINE;
        return;
      }
      if (!options.roles.includes(data.role)) {
        $("login-error").textContent = options.refused;
        return;
      }
      $("password").value = "";
      await enter($("username").value, data.role);
    });

    async function enter(name, userRole) {
      signedIn = true;
      user = name;
      role = userRole;
      $("login-error").textContent = "";
      panel.hidden = true;
      workspace.hidden = false;
      $("who").textContent = `已登录：${user}`;
      signOutButton().hidden = false;
      await options.onLogin();
    }

    // Already signed in on another staff page (the session cookie): go straight to the work.
    (async () => {
      const response = await fetch("/api/auth/me").catch(() => null);
      if (!response || !response.ok) return;
      const me = await response.json().catch(() => ({}));
      if (options.roles.includes(me.role)) await enter(me.username, me.role);
      else $("login-error").textContent = options.refused;
    })();

    function signOutButton() {
      let button = $("sign-out");
      if (!button) {
        button = el("button", "退出登录", "secondary");
        button.id = "sign-out";
        button.type = "button";
        $("who").after(button);
        button.addEventListener("click", async () => {
          await request("/api/auth/logout", { method: "POST" });
          logout("您已退出登录。");
        });
      }
      return button;
    }

    /** Fetch with the session cookie; JSON-encodes an object body. Never throws: answers { ok, status, data }. */
    async function request(path, init = {}) {
      const headers = Object.assign({}, PAGE, init.headers || {});
      let body = init.body;
      if (body !== undefined && body !== null && typeof body !== "string") {
        headers["Content-Type"] = "application/json";
        body = JSON.stringify(body);
      }
      const response = await fetch(path, Object.assign({}, init, { headers, body })).catch(() => null);
      if (!response) return { ok: false, status: 0, data: { detail: OFFLINE } };
      const data = await response.json().catch(() => ({}));
      if (response.status === 401) logout(EXPIRED);
      return { ok: response.ok, status: response.status, data };
    }

    /** Like request, but answers the data and throws an Error (with .status and .errors) when it failed. */
    async function api(path, init = {}) {
      const result = await request(path, init);
      if (result.ok) return result.data;
      const message = detail(result.data, `出错了（${result.status}）`);
      throw Object.assign(new Error(message), { status: result.status, errors: result.data.errors || [] });
    }

    return {
      api,
      request,
      logout,
      signedIn: () => signedIn,
      user: () => user,
      role: () => role,
    };
  }

  return { start };
})();
