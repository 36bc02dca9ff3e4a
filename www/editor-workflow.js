// The editor page's server side (/editor, once signed in with an editor token): documents and
// their revisions live in the server (docs/server.md, "The sign-off workflow"). From here an
// editor opens a document, saves draft revisions with If-Match, submits them (待审签), reads the
// revision history with a 修改前/修改后 comparison and uploads images; an approver also approves
// (= publishes), sends back with a reason, withdraws (撤回) and marks a document repealed or
// expired.
//
// Nothing typed is ever lost to the network or to a colleague:
// - the text of an open document is also kept in this browser (localStorage, one entry per
//   document id, with the revision it is based on), and reopening the document offers it back
//   when it is newer than the server's newest revision;
// - a save over a newer revision than the one the text is based on is refused by the server
//   (412) and never retried silently: the page says who saved what and when, and offers to
//   compare, to load theirs (the text is kept locally) or, deliberately, to save after theirs.
//
// Security: text from the server (titles, names, reasons, sources, error messages) goes into the
// page through text nodes and form values only (`el` below), never as HTML.

const API = "/api/v1";
// The same key as /review, so one sign-in serves both pages of this tab (sessionStorage: the
// token is forgotten with the tab).
const TOKEN_KEY = "jiedu.review.token";
const OPEN_KEY = "jiedu-editor:open";
const docKey = (id) => `jiedu-editor:doc:${id}`;
const keptKey = (id) => `jiedu-editor:kept:${id}`;

const STATES = { draft: "草稿", submitted: "待审签", published: "已发布", returned: "已退回" };
const ROLES = { editor: "编辑", approver: "审签人", admin: "管理员" };
const LAPSES = { repealed: "已废止", expired: "已失效" };
const FIELDS = { reason: "理由", on: "日期", kind: "类型", source: "源文件" };

const $ = (id) => document.getElementById(id);

/** An element with attributes and children; strings become text nodes, never HTML. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

export function storageGet(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function storageSet(key, value) {
  try {
    localStorage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

export function storageRemove(key) {
  try {
    localStorage.removeItem(key);
  } catch {
    // Without storage there is nothing to remove.
  }
}

/** A message in a live region next to the control that caused it. */
function note(where, text, isError) {
  where.textContent = text;
  where.classList.toggle("error", Boolean(isError));
  where.classList.toggle("ok", !isError && Boolean(text));
}

const TIME_FORMAT = new Intl.DateTimeFormat("zh-CN", {
  year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false,
});

function timeText(iso) {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso || "" : TIME_FORMAT.format(at);
}

function localTime(iso) {
  return el("time", { datetime: iso, title: iso }, timeText(iso));
}

const enc = encodeURIComponent;

export function startWorkflow(hooks) {
  const source = hooks.source;
  const state = {
    token: sessionStorage.getItem(TOKEN_KEY) || "",
    me: null,
    skew: 0,
    // The server document in the editor: { id, base (revision the text is based on), saved
    // (the source of that revision), latest (its info) }.
    doc: null,
    // A local draft offered back on opening, until the editor decides.
    pendingRestore: null,
    conflict: null,
    revisions: new Map(),
    rowMessages: new Map(),
    historyId: null,
  };
  const status = $("server-status");
  const say = (text, isError) => note(status, text, isError);
  const canApprove = () => state.me && (state.me.role === "approver" || state.me.role === "admin");

  async function api(path, options = {}) {
    const headers = Object.assign(
      { Authorization: `Bearer ${state.token}`, "Accept-Language": document.documentElement.lang || "zh-CN" },
      options.headers || {},
    );
    let res;
    try {
      res = await fetch(API + path, Object.assign({}, options, { headers }));
    } catch {
      const err = new Error("无法连接服务器，请检查网络后重试（您的文本已保存在本浏览器）。");
      err.status = 0;
      throw err;
    }
    if (res.ok) return res;
    const err = new Error(`${res.status} ${res.statusText}`);
    err.status = res.status;
    // The token was revoked while the page was open: back to the sign-in form, text kept.
    if (res.status === 401 && state.me) {
      signOut();
      note($("sign-in-status"), "登录已失效（令牌可能已被吊销），请重新登录。编辑器中的文本仍保存在本浏览器。", true);
    }
    try {
      const body = await res.json();
      if (body && body.error) {
        err.code = body.error.code;
        err.message = body.error.message || err.message;
        err.currentRevision = body.error.currentRevision;
        err.diagnostics = body.error.diagnostics || [];
        const fields = body.error.fields || [];
        if (fields.length) {
          err.message = fields.map((f) => `${FIELDS[f.field] || f.field}：${f.message}`).join("；");
        }
      }
    } catch {
      // Not JSON: the status line says enough.
    }
    throw err;
  }

  const json = (body) => ({ headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

  async function revision(id) {
    if (!state.revisions.has(id)) state.revisions.set(id, await (await api(`/revisions/${id}`)).json());
    return state.revisions.get(id);
  }

  // Sign-in ---------------------------------------------------------------------------------
  async function signIn(token) {
    state.token = token;
    const where = $("sign-in-status");
    note(where, "正在登录…");
    try {
      const me = await (await api("/me")).json();
      sessionStorage.setItem(TOKEN_KEY, token);
      state.me = me;
      if (me.now) state.skew = Date.parse(me.now) - Date.now();
      $("who").textContent = `${me.name}（${ROLES[me.role] || me.role}）`;
      $("sign-in-form").hidden = true;
      $("signed-in").hidden = false;
      note(where, "");
      showOpenDoc();
      const open = storageGet(OPEN_KEY);
      if (open) await openDocument(open);
      else say("已登录。请从“服务器上的文件”打开一个文件。");
    } catch (e) {
      sessionStorage.removeItem(TOKEN_KEY);
      state.me = null;
      $("sign-in-form").hidden = false;
      $("signed-in").hidden = true;
      note(where, e.status === 401 ? "令牌无效或已被吊销，请核对后重试。" : `无法登录：${e.message}`, true);
    }
  }

  function signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
    state.me = null;
    state.token = "";
    $("signed-in").hidden = true;
    $("conflict").hidden = true;
    $("restore").hidden = true;
    $("sign-in-form").hidden = false;
    $("token").value = "";
    note($("sign-in-status"), "已退出。编辑器中的文本仍保存在本浏览器。");
    $("token").focus();
  }

  // The open document ------------------------------------------------------------------------
  function showOpenDoc() {
    const doc = state.doc;
    $("open-doc").textContent = doc
      ? `正在编辑《${doc.latest.title}》（${doc.id}），基于修订 #${doc.base}` +
        (doc.latest.id === doc.base ? `（${STATES[doc.latest.state] || doc.latest.state}）` : "")
      : "未打开服务器上的文件：保存时按源文件的 id 新建。";
    $("submit-revision").disabled = !doc;
    $("show-history").disabled = !doc;
  }

  function readLocal(id) {
    try {
      const local = JSON.parse(storageGet(docKey(id)) || "null");
      return local && typeof local.source === "string" ? local : null;
    } catch {
      return null;
    }
  }

  /** Keeps the editor's text of the open document in this browser (called on every change). */
  function remember(text) {
    const doc = state.doc;
    if (!doc) return;
    if (text === doc.saved) {
      // Nothing unsaved; an offered local draft stays until the editor decides.
      if (!state.pendingRestore) storageRemove(docKey(doc.id));
      return;
    }
    storageSet(docKey(doc.id), JSON.stringify({ source: text, base: doc.base, at: new Date().toISOString() }));
  }

  /** A local draft is newer than the server's newest revision when it was based on that
   * revision (or a later one) or written after it was saved (by the server's clock). */
  function isNewer(local, latest) {
    if (typeof local.base === "number" && local.base >= latest.id) return true;
    return Date.parse(local.at) + state.skew > Date.parse(latest.createdAt);
  }

  async function openDocument(id) {
    say("正在打开…");
    try {
      const list = await (await api(`/documents/${enc(id)}/revisions`)).json();
      const latest = list[0];
      const rev = await revision(latest.id);
      // Read before the editor's text changes: every change is remembered.
      const local = readLocal(id);
      state.doc = { id, base: latest.id, saved: rev.source, latest };
      state.pendingRestore = local && local.source !== rev.source && isNewer(local, latest) ? local : null;
      storageSet(OPEN_KEY, id);
      hideConflict();
      clearServerDiagnostics();
      hooks.replaceSource(rev.source);
      showOpenDoc();
      offerRestore(latest);
      say(`已打开《${latest.title}》：修订 #${latest.id}（${STATES[latest.state] || latest.state}，${latest.author}，${timeText(latest.createdAt)}）。`);
      return true;
    } catch (e) {
      if (e.status === 404) storageRemove(OPEN_KEY);
      say(`无法打开“${id}”：${e.message}`, true);
      return false;
    }
  }

  function offerRestore(latest) {
    const local = state.pendingRestore;
    $("restore").hidden = !local;
    if (!local) return;
    const older = typeof local.base === "number" && local.base < latest.id;
    $("restore-text").textContent =
      `本浏览器中有此文件未保存到服务器的本地草稿（${timeText(local.at)}，基于修订 #${local.base ?? "—"}），` +
      `比服务器上最新的修订 #${latest.id}（${latest.author}，${timeText(latest.createdAt)}）新。` +
      (older ? `注意：服务器上在它之后又有了修订 #${latest.id}；恢复后保存时会提示冲突，可先对照再决定。` : "") +
      "编辑器中现在是服务器上的版本。";
  }

  function restoreLocal() {
    const local = state.pendingRestore;
    if (!local || !state.doc) return;
    state.pendingRestore = null;
    if (typeof local.base === "number") state.doc.base = local.base;
    $("restore").hidden = true;
    hooks.replaceSource(local.source);
    showOpenDoc();
    say(`已恢复本地草稿（基于修订 #${state.doc.base}）。保存后成为服务器上的新修订。`);
    source.focus();
  }

  function discardLocal() {
    if (state.doc) storageRemove(docKey(state.doc.id));
    state.pendingRestore = null;
    $("restore").hidden = true;
    say("已丢弃本地草稿，编辑器中是服务器上的版本。");
  }

  // Saving ------------------------------------------------------------------------------------
  function clearServerDiagnostics() {
    $("server-diagnostics").replaceChildren();
    $("server-diagnostics-box").hidden = true;
  }

  /** The diagnostics of a refused save, in the local check's list format (UTF-16 offsets). */
  function showServerDiagnostics(diagnostics, text) {
    const bytes = new TextEncoder().encode(text);
    const utf16 = (byte) => new TextDecoder().decode(bytes.slice(0, Math.max(0, byte))).length;
    const list = $("server-diagnostics");
    list.replaceChildren(
      ...diagnostics.map((d) => {
        const from = utf16(d.span ? d.span.start : 0);
        const to = utf16(d.span ? Math.max(d.span.start, d.span.end) : 0);
        return hooks.diagnosticItem({
          code: d.code, severity: d.severity, line: d.line, column: d.column, from, to,
          message: d.message, hint: d.hint,
        });
      }),
    );
    $("server-diagnostics-box").hidden = false;
  }

  async function save() {
    const text = source.value;
    const id = state.doc ? state.doc.id : hooks.documentId();
    if (!id) {
      say("源文件没有 id，无法保存到服务器。", true);
      return;
    }
    const options = json({ source: text });
    if (state.doc) options.headers["If-Match"] = `"${state.doc.base}"`;
    options.method = "PUT";
    say("正在保存…");
    clearServerDiagnostics();
    try {
      const info = await (await api(`/documents/${enc(id)}/source`, options)).json();
      state.revisions.delete(info.id);
      state.doc = { id, base: info.id, saved: text, latest: info };
      state.pendingRestore = null;
      storageSet(OPEN_KEY, id);
      storageRemove(keptKey(id));
      $("restore").hidden = true;
      hideConflict();
      remember(source.value);
      showOpenDoc();
      say(`已保存为修订 #${info.id}（草稿，${timeText(info.createdAt)}）` +
        (info.warnings ? `，有 ${info.warnings} 个警告。` : "。") + "提交审签后由审签人发布。");
    } catch (e) {
      if (e.status === 412 || e.status === 428) {
        await conflict(e, id, text);
      } else if (e.status === 422 && e.diagnostics && e.diagnostics.length) {
        showServerDiagnostics(e.diagnostics, text);
        say(`未保存：${e.message}（${e.diagnostics.length} 条，见左侧“服务器拒绝保存的原因”）`, true);
      } else if (e.status === 422 && e.code === "validation-failed" && state.doc) {
        say(`未保存：源文件的 id 必须是“${state.doc.id}”（打开的文件）。要另存为新文件，请先退出再登录。`, true);
      } else {
        say(`未保存：${e.message}`, true);
      }
    }
  }

  // A save refused because the text is not based on the newest revision (412), or because the
  // document already exists on the server (428). The text stays in the editor and is kept in
  // this browser; nothing is retried without the editor deciding.
  async function conflict(e, id, text) {
    const current = e.currentRevision;
    storageSet(keptKey(id), JSON.stringify({ source: text, at: new Date().toISOString(), current }));
    let theirs = null;
    try {
      theirs = await revision(current);
    } catch {
      // The message below says what is known without it.
    }
    state.conflict = { id, current, theirs };
    const who = theirs ? `${theirs.author} 于 ${timeText(theirs.createdAt)} ` : "有人";
    const what = e.status === 412
      ? `未保存：${who}保存了更新的修订 #${current}，而您的文本基于修订 #${state.doc ? state.doc.base : "—"}。` +
        "为免覆盖对方的修改，本次没有保存。"
      : `未保存：服务器上已有文件“${id}”（最新修订 #${current}，${who}保存）。请先查看，再决定。`;
    $("conflict-text").textContent = `${what}您的文本仍在编辑器中，并已保存在本浏览器。`;
    $("conflict").hidden = false;
    say(what, true);
    $("conflict-view").focus();
  }

  function hideConflict() {
    state.conflict = null;
    $("conflict").hidden = true;
  }

  async function loadTheirs() {
    const c = state.conflict;
    if (!c || !c.theirs) return;
    hooks.replaceSource(c.theirs.source);
    state.doc = { id: c.id, base: c.current, saved: c.theirs.source, latest: c.theirs };
    hideConflict();
    showOpenDoc();
    say(`已载入修订 #${c.current}。您的文本保存在本浏览器：点“撤销替换”可找回。`);
  }

  async function saveAfterTheirs() {
    const c = state.conflict;
    if (!c) return;
    if (!state.doc) state.doc = { id: c.id, base: c.current, saved: null, latest: c.theirs || { id: c.current } };
    else state.doc.base = c.current;
    hideConflict();
    await save();
  }

  async function submit() {
    const doc = state.doc;
    if (!doc) return say("请先保存草稿或打开服务器上的文件。", true);
    if (source.value !== doc.saved) return say("有未保存的修改：请先保存草稿，再提交审签。", true);
    say("正在提交审签…");
    try {
      const info = await (await api(`/revisions/${doc.base}/submit`, { method: "POST" })).json();
      doc.latest = info;
      state.revisions.delete(info.id);
      showOpenDoc();
      say(`已提交审签：修订 #${info.id} 待审签，审签人批准后发布。`);
    } catch (e) {
      say(`未能提交：${e.message}`, true);
    }
  }

  // Documents and sign-off -------------------------------------------------------------------
  async function showDocuments() {
    state.rowMessages.clear();
    $("documents-dialog").showModal();
    await loadDocuments();
  }

  async function loadDocuments() {
    const where = $("documents-status");
    note(where, "加载中…");
    try {
      const list = await (await api("/workflow/documents")).json();
      const waiting = list.filter((d) => d.latest.state === "submitted");
      list.sort((a, b) => (b.latest.state === "submitted") - (a.latest.state === "submitted") || a.id.localeCompare(b.id));
      $("documents-rows").replaceChildren(...list.map(documentRow));
      $("documents-summary").textContent = `共 ${list.length} 件文件，待审签 ${waiting.length} 件。` +
        (canApprove() ? "您是审签人：可批准发布或退回，撤回文件，标记废止或失效。" : "");
      note(where, "");
    } catch (e) {
      note(where, `无法加载文件列表：${e.message}`, true);
    }
  }

  function documentRow(d) {
    const latest = d.latest;
    const msg = el("p", { class: "msg", role: "status", "aria-live": "polite" });
    const kept = state.rowMessages.get(d.id);
    if (kept) note(msg, kept.text, kept.error);
    const title = latest.title;
    const served = d.withdrawnAt
      ? ["已撤回 ", localTime(d.withdrawnAt)]
      : d.published ? [`已发布 #${d.published.id}`] : ["未发布"];
    if (d.lapsed) served.push(`；${LAPSES[d.lapsed.kind] || d.lapsed.kind}（${d.lapsed.on}）`);
    const latestCell = [`#${latest.id} `, el("span", { class: `state ${latest.state}` }, STATES[latest.state] || latest.state)];
    if (latest.state === "returned" && latest.reason) latestCell.push(el("div", { class: "reason" }, `退回理由：${latest.reason}`));
    if (latest.state === "submitted" && latest.submittedBy) latestCell.push(el("div", { class: "muted" }, `提交人：${latest.submittedBy}`));
    const forms = el("div", { class: "row-forms" });
    const button = (cls, text, label, onclick) =>
      el("button", { type: "button", class: cls, "aria-label": `${label}《${title}》`, onclick }, text);
    const actions = [
      button("open", "打开 Open", "打开", async () => {
        $("documents-dialog").close();
        await openDocument(d.id);
      }),
      button("history", "历史 History", "修订历史", async () => {
        $("documents-dialog").close();
        await openHistory(d.id);
      }),
    ];
    const act = (what, request, done) => async () => {
      note(msg, `正在${what}…`);
      try {
        const res = await request();
        state.rowMessages.set(d.id, { text: await done(res), error: false });
      } catch (e) {
        state.rowMessages.set(d.id, { text: `未能${what}：${e.message}`, error: true });
      }
      await loadDocuments();
      // The row was drawn again: the focus goes back to it, where its message is.
      document.querySelector(`#documents-rows tr[data-id="${CSS.escape(d.id)}"] button`)?.focus();
    };
    if (canApprove() && latest.state === "submitted") {
      actions.push(
        button("approve", `批准发布 #${latest.id}`, `批准发布修订 #${latest.id}`, act("批准",
          () => api(`/revisions/${latest.id}/approve`, { method: "POST" }),
          () => `已批准：修订 #${latest.id} 已发布，公众现在看到的就是这一版。`)),
        button("send-back", "退回… Send back", "退回修订", () => {
          const reason = el("textarea", { "aria-label": `退回理由《${title}》`, rows: "2", placeholder: "退回理由（必填）" });
          forms.replaceChildren(reason,
            el("button", { type: "button", class: "confirm-send-back", onclick: act("退回",
              () => api(`/revisions/${latest.id}/send-back`, Object.assign({ method: "POST" }, json({ reason: reason.value }))),
              () => `已退回修订 #${latest.id}，作者会看到退回理由。`) }, "确认退回 Send back"),
            el("button", { type: "button", onclick: () => forms.replaceChildren() }, "取消 Cancel"));
          reason.focus();
        }),
        button("compare", "对照 Compare", "对照待审签修订", async () => {
          $("documents-dialog").close();
          await openHistory(d.id, { old: d.published ? d.published.id : undefined, new: latest.id });
        }),
      );
    }
    if (canApprove() && d.published && !d.withdrawnAt) {
      actions.push(
        button("withdraw", "撤回… Withdraw", "撤回", () => {
          forms.replaceChildren(
            el("span", {}, "撤回后公众将无法再查看此文件（接口答复 410），直到再次批准发布。"),
            el("button", { type: "button", class: "confirm-withdraw", onclick: act("撤回",
              () => api(`/documents/${enc(d.id)}/withdraw`, { method: "POST" }),
              () => "已撤回：公众不再能查看此文件。") }, "确认撤回 Withdraw"),
            el("button", { type: "button", onclick: () => forms.replaceChildren() }, "取消 Cancel"));
          forms.querySelector(".confirm-withdraw").focus();
        }),
        button("lapse", "废止/失效… Repeal/expire", "标记废止或失效", () => {
          const kind = el("select", { "aria-label": `类型《${title}》` },
            el("option", { value: "repealed" }, "已废止 Repealed"),
            el("option", { value: "expired" }, "已失效 Expired"),
            el("option", { value: "" }, "清除标记 Clear"));
          const on = el("input", { type: "date", "aria-label": `日期《${title}》` });
          if (d.lapsed) {
            kind.value = d.lapsed.kind;
            on.value = d.lapsed.on;
          }
          forms.replaceChildren(kind, on,
            el("button", { type: "button", class: "confirm-lapse", onclick: act("标记",
              () => api(`/documents/${enc(d.id)}/lapse`, Object.assign({ method: "PUT" },
                json(kind.value ? { kind: kind.value, on: on.value || undefined } : { kind: null }))),
              async (res) => {
                const lapse = await res.json();
                return lapse ? `已标记为${LAPSES[lapse.kind]}（${lapse.on}），公众页面会显示。` : "已清除废止/失效标记。";
              }) }, "确认 Confirm"),
            el("button", { type: "button", onclick: () => forms.replaceChildren() }, "取消 Cancel"));
          kind.focus();
        }),
      );
    }
    return el("tr", { "data-id": d.id, "data-state": latest.state },
      el("th", { scope: "row" }, el("span", { class: "doc-title" }, title), el("div", { class: "muted" }, d.id)),
      el("td", {}, served),
      el("td", {}, latestCell),
      el("td", {}, latest.author),
      el("td", {}, localTime(latest.createdAt)),
      el("td", { class: "row-actions" }, el("div", { class: "buttons" }, actions), forms, msg));
  }

  // History and comparison ---------------------------------------------------------------------
  const EDITOR_TEXT = "editor";

  async function openHistory(id, pick = {}) {
    state.historyId = id;
    const where = $("history-status");
    $("history-title").textContent = `修订历史 Revision history：${id}`;
    $("compare").replaceChildren();
    $("history-rows").replaceChildren();
    if (!$("history-dialog").open) $("history-dialog").showModal();
    note(where, "加载中…");
    let list;
    try {
      list = await (await api(`/documents/${enc(id)}/revisions`)).json();
    } catch (e) {
      note(where, `无法加载修订历史：${e.message}`, true);
      return;
    }
    $("history-rows").replaceChildren(...list.map((r) => {
      const signOff = [];
      if (r.submittedBy) signOff.push(el("div", {}, `提交：${r.submittedBy} `, localTime(r.submittedAt)));
      if (r.decidedBy) signOff.push(el("div", {}, `${r.state === "returned" ? "退回" : "审签"}：${r.decidedBy} `, localTime(r.decidedAt)));
      if (r.reason) signOff.push(el("div", { class: "reason" }, `理由：${r.reason}`));
      return el("tr", { "data-revision": String(r.id) },
        el("th", { scope: "row" }, `#${r.id}`),
        el("td", {}, el("span", { class: `state ${r.state}` }, STATES[r.state] || r.state)),
        el("td", {}, r.author),
        el("td", {}, localTime(r.createdAt)),
        el("td", {}, signOff.length ? signOff : "—"));
    }));
    const options = list.map((r) => el("option", { value: String(r.id) },
      `#${r.id} ${STATES[r.state] || r.state} · ${r.author} · ${timeText(r.createdAt)}`));
    const editing = state.doc && state.doc.id === id;
    const fill = (select) => {
      select.replaceChildren(...options.map((o) => o.cloneNode(true)));
      if (editing) select.append(el("option", { value: EDITOR_TEXT }, "编辑器中的文本 Text in the editor"));
    };
    fill($("compare-old"));
    fill($("compare-new"));
    const published = list.find((r) => r.state === "published");
    const newest = pick.new !== undefined ? pick.new : list[0].id;
    let oldest = pick.old;
    if (oldest === undefined) oldest = published && published.id !== newest ? published.id : (list[1] || list[0]).id;
    $("compare-new").value = String(newest);
    $("compare-old").value = String(oldest);
    note(where, `共 ${list.length} 个修订。`);
    if (String(oldest) !== String(newest)) await runCompare();
  }

  async function sourceOf(value) {
    return value === EDITOR_TEXT ? source.value : (await revision(Number(value))).source;
  }

  async function runCompare() {
    const where = $("history-status");
    const bundle = hooks.bundle();
    if (!bundle) {
      note(where, "编辑器组件未加载，无法对照。", true);
      return;
    }
    const [oldSel, newSel] = [$("compare-old"), $("compare-new")];
    note(where, "正在对照…");
    try {
      const [a, b] = await Promise.all([sourceOf(oldSel.value), sourceOf(newSel.value)]);
      const result = bundle.compare(a, b);
      if (!result.ok) {
        note(where, `${result.failed === "old" ? "修改前" : "修改后"}的文本有错误，无法对照；请先修正。`, true);
        $("compare").replaceChildren();
        return;
      }
      const label = (select) => select.options[select.selectedIndex].textContent.split(" · ")[0];
      renderCompare(result, label(oldSel), label(newSel));
      const c = result.diff.counts;
      note(where, `已对照${label(oldSel)}与${label(newSel)}：条款修改 ${c.changed} 条，新增 ${c.added} 条，删除 ${c.removed} 条。`);
    } catch (e) {
      note(where, `无法对照：${e.message}`, true);
    }
  }

  function countsText(rows) {
    const n = (change) => rows.filter((r) => r.change === change).length;
    return `新增 ${n("added")} 条，删除 ${n("removed")} 条，修改 ${n("changed")} 条，未修改 ${n("unchanged")} 条`;
  }

  function renderCompare(result, oldLabel, newLabel) {
    const provisions = result.diff.provisions;
    $("compare").replaceChildren(
      el("p", {}, `条款：${countsText(provisions)}。解读与问答：${countsText(result.notes)}。`),
      el("p", { class: "muted" }, "删除的文字加删除线，新增的文字加下划线；未修改的条目已折叠，点击可展开。"),
      compareTable("条款 Provisions", provisions, oldLabel, newLabel),
      compareTable("解读与问答 Interpretations and FAQs", result.notes, oldLabel, newLabel),
    );
  }

  function compareTable(caption, rows, oldLabel, newLabel) {
    return el("table", { class: "compare" },
      el("caption", {}, caption),
      el("thead", {}, el("tr", {},
        el("th", { scope: "col" }, `修改前 Before（${oldLabel}）`),
        el("th", { scope: "col" }, `修改后 After（${newLabel}）`))),
      el("tbody", {}, rows.length ? rows.map(compareRow) : el("tr", {}, el("td", { colspan: "2" }, "（无）"))));
  }

  const heading = (side) => `${side.label || ""}${side.title}`;

  function compareRow(row) {
    const depth = `d${Math.min(row.depth || 0, 5)}`;
    if (row.change === "unchanged") {
      const side = row.new;
      return el("tr", { class: "unchanged", "data-id": row.id },
        el("td", { colspan: "2", class: depth },
          el("details", {},
            el("summary", {}, `${heading(side)}（未修改${row.moved ? "，位置调整" : ""}）`),
            el("p", { class: "text" }, side.text))));
    }
    return el("tr", { class: row.change, "data-id": row.id },
      sideCell(row, row.old, "delete", depth), sideCell(row, row.new, "insert", depth));
  }

  // One column: the old side keeps equal and deleted text, the new side equal and added text.
  function sideCell(row, side, keep, depth) {
    if (!side) return el("td", { class: "none" }, "（无）");
    const whole = (text) => [{ op: row.change === "changed" ? "equal" : keep, text }];
    const title = row.titleDiff && row.titleDiff.length ? row.titleDiff : whole(side.title);
    const text = row.textDiff && row.textDiff.length ? row.textDiff : whole(side.text);
    return el("td", { class: depth },
      el("p", {}, el("strong", {}, side.label || "", marked(title, keep)), row.moved ? "（位置调整）" : ""),
      el("p", { class: "text" }, marked(text, keep)));
  }

  // Changes are marked by element (<del>, <ins>: struck through, underlined) and by a visually
  // hidden word for screen readers, not by colour alone.
  function marked(pieces, keep) {
    return pieces.map((piece) => {
      if (piece.op === "equal") return piece.text;
      if (piece.op !== keep) return null;
      return piece.op === "delete"
        ? el("del", {}, el("span", { class: "vh" }, "删除："), piece.text)
        : el("ins", {}, el("span", { class: "vh" }, "新增："), piece.text);
    });
  }

  // Media ---------------------------------------------------------------------------------------
  const PLACEHOLDER = "描述";

  async function upload(files) {
    if (!state.me) {
      say("请先登录，才能上传图片或视频。", true);
      return;
    }
    for (const file of files) {
      say(`正在上传“${file.name}”…`);
      try {
        const res = await api("/media", {
          method: "POST",
          headers: { "Content-Type": file.type || "application/octet-stream" },
          body: file,
        });
        const media = await res.json();
        if (String(media.contentType).startsWith("text/vtt")) {
          insertText(`"captions: ${media.url}"`);
          say(`已上传字幕“${file.name}”并插入。请把它写在视频的标题位置：![说明](视频地址 "captions: ${media.url}")。`);
          continue;
        }
        insertMedia(media.url);
        say(`已上传“${file.name}”（${Math.ceil((media.bytes || file.size) / 1024)} KB）并插入。` +
          `请把选中的“${PLACEHOLDER}”改为${file.type.startsWith("video/") ? "视频" : "图片"}内容的文字说明（必填）。`);
      } catch (e) {
        const why = e.status === 413 ? `文件太大。${e.message}` : e.status === 415 ? `不支持这种文件。${e.message}` : e.message;
        say(`未能上传“${file.name}”：${why}`, true);
      }
    }
  }

  /**
   * `![描述](url)` at the cursor, as a paragraph of its own (blank lines around it when the cursor
   * is inside a line, so a heading after it stays a heading), with the placeholder selected so
   * that typing replaces it.
   */
  function insertMedia(url) {
    const start = source.selectionStart;
    const end = source.selectionEnd;
    const before = source.value.slice(0, start);
    const after = source.value.slice(end);
    const lead = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
    const trail = after.startsWith("\n\n") ? "" : after.startsWith("\n") ? "\n" : "\n\n";
    source.setRangeText(`${lead}![${PLACEHOLDER}](${url})${trail}`, start, end, "end");
    source.focus();
    const at = start + lead.length + 2;
    source.setSelectionRange(at, at + PLACEHOLDER.length);
    source.dispatchEvent(new Event("input"));
  }

  /** Plain text at the cursor, selected, for the editor to move where it belongs. */
  function insertText(text) {
    const start = source.selectionStart;
    source.setRangeText(text, start, source.selectionEnd, "select");
    source.focus();
    source.dispatchEvent(new Event("input"));
  }

  const hasFiles = (event) => event.dataTransfer && [...event.dataTransfer.types].includes("Files");

  // Wiring --------------------------------------------------------------------------------------
  $("sign-in-form").addEventListener("submit", (e) => {
    e.preventDefault();
    signIn($("token").value.trim());
  });
  $("sign-out").addEventListener("click", signOut);
  $("show-documents").addEventListener("click", showDocuments);
  $("documents-close").addEventListener("click", () => $("documents-dialog").close());
  $("save-server").addEventListener("click", save);
  $("submit-revision").addEventListener("click", submit);
  $("show-history").addEventListener("click", () => state.doc && openHistory(state.doc.id));
  $("history-close").addEventListener("click", () => $("history-dialog").close());
  $("compare-form").addEventListener("submit", (e) => {
    e.preventDefault();
    runCompare();
  });
  $("conflict-view").addEventListener("click", () => {
    const c = state.conflict;
    if (c) openHistory(c.id, { old: c.current, new: state.doc && state.doc.id === c.id ? EDITOR_TEXT : c.current });
  });
  $("conflict-load").addEventListener("click", loadTheirs);
  $("conflict-keep").addEventListener("click", () => {
    hideConflict();
    say("您的文本保留在编辑器中，也保存在本浏览器。再次保存时仍会提示冲突，可在那里对照、改用对方的修订或在其后保存。");
  });
  $("conflict-save-anyway").addEventListener("click", saveAfterTheirs);
  $("restore-local").addEventListener("click", restoreLocal);
  $("restore-discard").addEventListener("click", discardLocal);
  $("insert-media").addEventListener("click", () => $("media-file").click());
  $("media-file").addEventListener("change", () => {
    const files = [...$("media-file").files];
    $("media-file").value = "";
    upload(files);
  });
  source.addEventListener("dragover", (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
    source.classList.add("drop-target");
  });
  source.addEventListener("dragleave", () => source.classList.remove("drop-target"));
  source.addEventListener("drop", (e) => {
    source.classList.remove("drop-target");
    if (!hasFiles(e)) return;
    e.preventDefault();
    upload([...e.dataTransfer.files]);
  });
  source.addEventListener("paste", (e) => {
    const files = [...(e.clipboardData ? e.clipboardData.files : [])].filter((f) => /^(image|video)\//.test(f.type));
    if (!files.length) return;
    e.preventDefault();
    upload(files);
  });

  showOpenDoc();
  if (state.token) signIn(state.token);
  return { remember };
}
