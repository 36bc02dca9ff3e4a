// The editors' review console (/review): sign in with a token, answer comments clause by clause,
// publish the feedback report, export. Plain DOM code: every piece of text from the server goes in
// through textContent or a form value, never as HTML.
"use strict";

(() => {
  const API = "/api/v1";
  // The names of the codes the API sends come from jiedu-core, through labels.js (generated).
  const LABELS = window.JIEDU_LABELS;
  const both = ([code, zh, en]) => [code, `${zh} ${en}`];
  const DECISIONS = LABELS.decision.map(both);
  const named = (table) => Object.fromEntries(table.map(both));
  const STATUS = named(LABELS.commentStatus);
  const STANCE = named(LABELS.stance);
  const SUBMITTER = named(LABELS.submitterType);
  const DECISION = named(LABELS.decision);
  const label = (names, code) => names[code] || code;
  const TEMPLATE_KEY = "jiedu.review.templates";
  const state = { token: sessionStorage.getItem("jiedu.review.token") || "", doc: null, page: 1, selected: new Set() };
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }

  function say(text, isError) {
    const s = $("status");
    s.textContent = text;
    s.className = isError ? "error" : "";
  }

  async function api(path, options = {}) {
    const headers = Object.assign({ Authorization: `Bearer ${state.token}` }, options.headers || {});
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    const res = await fetch(API + path, Object.assign({}, options, { headers }));
    if (!res.ok) {
      let message = `${res.status} ${res.statusText}`;
      try {
        const body = await res.json();
        if (body.error) {
          message = body.error.message;
          if (body.error.fields) message += " " + body.error.fields.map((f) => `${f.field}: ${f.message}`).join("; ");
        }
      } catch (_) { /* not JSON */ }
      const err = new Error(message);
      err.status = res.status;
      throw err;
    }
    return res;
  }

  // Sign-in -------------------------------------------------------------------------------
  async function signIn(token) {
    state.token = token;
    try {
      const me = await (await api("/me")).json();
      sessionStorage.setItem("jiedu.review.token", token);
      $("who").textContent = me.name || me.editor || "";
      $("sign-in").hidden = true;
      $("console").hidden = false;
      $("sign-out").hidden = false;
      await loadDocuments();
    } catch (e) {
      sessionStorage.removeItem("jiedu.review.token");
      $("sign-in").hidden = false;
      $("console").hidden = true;
      say(e.status === 401 ? "令牌无效或已吊销 Invalid or revoked token" : e.message, true);
      $("sign-in").append($("status"));
    }
  }

  // Documents -----------------------------------------------------------------------------
  async function loadDocuments() {
    const body = await (await fetch(`${API}/documents`)).json();
    const docs = Array.isArray(body) ? body : body.documents;
    const select = $("doc");
    select.replaceChildren(...docs.map((d) => el("option", { value: d.id }, d.title)));
    const withConsultation = docs.find((d) => d.consultation);
    if (withConsultation) select.value = withConsultation.id;
    await selectDocument(select.value);
  }

  function flatten(provisions, out = []) {
    for (const p of provisions) {
      out.push(p);
      flatten(p.children || [], out);
    }
    return out;
  }

  async function selectDocument(id) {
    state.doc = await (await fetch(`${API}/documents/${encodeURIComponent(id)}`)).json();
    state.page = 1;
    state.selected.clear();
    const c = state.doc.consultation;
    $("consultation").textContent = c ? `征求意见 ${c.opens} — ${c.closes}` : "无征求意见期 No consultation";
    const target = $("filters").elements.target;
    target.replaceChildren(
      el("option", { value: "" }, "全部 all"),
      el("option", { value: "document" }, "整体意见 Whole document"),
      ...flatten(state.doc.provisions).map((p) => el("option", { value: p.id }, `${p.label || ""}${p.title}`.slice(0, 40))),
    );
    $("feedback-link").href = `${API}/documents/${encodeURIComponent(id)}/feedback`;
    await loadComments();
  }

  function provisionHeading(target) {
    if (target === "document") return "整体意见 Whole document";
    const p = flatten(state.doc.provisions).find((x) => x.id === target);
    return p ? `${p.label || ""}${p.title}` : target;
  }

  // Comments ------------------------------------------------------------------------------
  // Reloads the list; `message` (if any) is shown afterwards instead of the count.
  async function loadComments(message) {
    const params = new URLSearchParams();
    for (const [k, v] of new FormData($("filters"))) if (v) params.set(k, v);
    params.set("page", state.page);
    params.set("per_page", 50);
    say("加载中… Loading…");
    const page = await (await api(`/documents/${encodeURIComponent(state.doc.id)}/comments?${params}`)).json();
    render(page);
    say(message || `共 ${page.total} 条 ${page.total} comment(s)`);
  }

  function render(page) {
    const groups = new Map();
    for (const c of page.comments) {
      const key = typeof c.target === "string" ? c.target : "document";
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(c);
    }
    const order = ["document", ...flatten(state.doc.provisions).map((p) => p.id)];
    const keys = [...groups.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    $("groups").replaceChildren(
      ...keys.map((k) =>
        el("section", { class: "group", "aria-label": provisionHeading(k) },
          el("h2", {}, `${provisionHeading(k)}（${groups.get(k).length}）`),
          ...groups.get(k).map(commentCard)),
      ),
    );
    const pages = Math.max(1, Math.ceil(page.total / page.perPage));
    const pager = $("pager");
    pager.replaceChildren();
    if (pages > 1) {
      for (let i = 1; i <= pages; i++) {
        pager.append(el("button", { type: "button", "aria-current": i === page.page ? "page" : false, onclick: () => { state.page = i; loadComments(); } }, i));
      }
    }
    updateSelected();
  }

  function decisionSelect(current) {
    const s = el("select", { "aria-label": "决定 Decision" }, el("option", { value: "" }, "— 决定 decision —"));
    for (const [v, label] of DECISIONS) s.append(el("option", { value: v, selected: v === current }, label));
    return s;
  }

  function templatePicker(textarea) {
    const s = el("select", { "aria-label": "理由模板 Reason template" }, el("option", { value: "" }, "模板 Template…"));
    for (const t of templates()) s.append(el("option", { value: t }, t.length > 30 ? t.slice(0, 30) + "…" : t));
    s.addEventListener("change", () => { if (s.value) textarea.value = s.value; s.value = ""; });
    return s;
  }

  function commentCard(c) {
    const box = el("input", { type: "checkbox", "aria-label": `选择 #${c.number}`, checked: state.selected.has(c.number) });
    box.addEventListener("change", () => { box.checked ? state.selected.add(c.number) : state.selected.delete(c.number); updateSelected(); });
    const decision = decisionSelect(c.disposition && c.disposition.decision);
    const reason = el("textarea", { "aria-label": "理由 Reason", placeholder: "理由（不予采纳等须填写）Reason" });
    reason.value = (c.disposition && c.disposition.reason) || "";
    const save = el("button", { type: "button" }, "保存 Save");
    save.addEventListener("click", async () => {
      try {
        await api(`/documents/${encodeURIComponent(state.doc.id)}/comments/${c.number}/disposition`, {
          method: "PUT",
          body: JSON.stringify({ decision: decision.value, reason: reason.value.trim() || undefined }),
        });
        await loadComments(`#${c.number} 已保存 saved`);
      } catch (e) { say(`#${c.number}: ${e.message}`, true); }
    });
    const dupOf = el("input", { type: "number", min: "1", size: "5", "aria-label": "重复于 Duplicate of #", placeholder: "#" });
    const mark = (kind) => async () => {
      try {
        const body = { mark: kind };
        if (kind === "duplicate") body.duplicateOf = Number(dupOf.value);
        await api(`/documents/${encodeURIComponent(state.doc.id)}/comments/${c.number}/mark`, { method: "PUT", body: JSON.stringify(body) });
        await loadComments(`#${c.number}: ${kind}`);
      } catch (e) { say(`#${c.number}: ${e.message}`, true); }
    };
    const head = el("div", { class: "head" },
      el("strong", {}, `#${c.number}`),
      el("span", { class: `badge ${c.status}` }, label(STATUS, c.status)),
      el("span", {}, label(STANCE, c.stance)),
      el("span", {}, c.name || "匿名 anonymous"),
      el("span", {}, label(SUBMITTER, c.submitterType)),
      el("span", {}, c.receivedAt),
      el("span", { class: "muted" }, c.receipt),
    );
    if (c.duplicateOf) head.append(el("span", {}, `重复于 duplicate of #${c.duplicateOf}`));
    if (c.published) head.append(el("span", { class: "badge published" }, `已公布 ${label(DECISION, c.published.decision)}`));
    const card = el("article", { class: "comment", "aria-label": `意见 #${c.number}` }, box, head, el("div", { class: "text" }, c.text));
    if (c.proposedWording) card.append(el("div", { class: "wording" }, `建议修改为：${c.proposedWording}`));
    card.append(el("div", { class: "actions" }, decision, templatePicker(reason), reason, save,
      dupOf, el("button", { type: "button", onclick: mark("duplicate") }, "标为重复 Duplicate"),
      el("button", { type: "button", onclick: mark("spam") }, "垃圾 Spam"),
      el("button", { type: "button", onclick: mark("hidden") }, "隐藏 Hide"),
      el("button", { type: "button", onclick: mark("none") }, "取消标记 Unmark")));
    return card;
  }

  function updateSelected() {
    $("selected-count").textContent = `已选 ${state.selected.size} selected`;
  }

  async function bulk(action) {
    const numbers = [...state.selected];
    if (!numbers.length) return say("未选择意见 Nothing selected", true);
    let failed = 0;
    for (const n of numbers) {
      try { await action(n); } catch (e) { failed++; say(`#${n}: ${e.message}`, true); }
    }
    state.selected.clear();
    await loadComments(failed ? undefined : `${numbers.length} 条已更新 updated`);
    if (failed) say(`${numbers.length - failed} 成功 done, ${failed} 失败 failed`, true);
  }

  // Reason templates (kept in this browser) --------------------------------------------------
  function templates() {
    try { return JSON.parse(localStorage.getItem(TEMPLATE_KEY)) || defaultTemplates(); } catch (_) { return defaultTemplates(); }
  }
  function defaultTemplates() {
    return [
      "该意见与上位法规定不一致，不予采纳。",
      "该意见内容已在相关条款中体现。",
      "该意见不属于本次征求意见的范围，已转交相关部门研究。",
    ];
  }
  function saveTemplates(list) {
    localStorage.setItem(TEMPLATE_KEY, JSON.stringify(list));
    renderTemplates();
  }
  function renderTemplates() {
    $("template-list").replaceChildren(...templates().map((t, i) =>
      el("li", {}, t, " ", el("button", { type: "button", onclick: () => saveTemplates(templates().filter((_, j) => j !== i)) }, "删除 Delete"))));
  }

  // Publishing and exports -----------------------------------------------------------------
  async function download(ext) {
    try {
      const contact = $("with-contact").checked ? "?include_contact=true" : "";
      const res = await api(`/documents/${encodeURIComponent(state.doc.id)}/export.${ext}${contact}`);
      const url = URL.createObjectURL(await res.blob());
      const a = el("a", { href: url, download: `${state.doc.id}-comments.${ext}` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (e) { say(e.message, true); }
  }

  function wire() {
    $("sign-in-form").addEventListener("submit", (e) => { e.preventDefault(); signIn($("token").value.trim()); });
    $("sign-out").addEventListener("click", () => { sessionStorage.removeItem("jiedu.review.token"); location.reload(); });
    $("doc").addEventListener("change", (e) => selectDocument(e.target.value).catch((err) => say(err.message, true)));
    $("filters").addEventListener("submit", (e) => { e.preventDefault(); state.page = 1; loadComments().catch((err) => say(err.message, true)); });
    for (const [name, names] of [["status", STATUS], ["stance", STANCE]]) {
      $("filters").elements[name].append(...Object.entries(names).map(([v, l]) => el("option", { value: v }, l)));
    }
    const bulkDecision = $("bulk-decision");
    bulkDecision.replaceChildren(...DECISIONS.map(([v, l]) => el("option", { value: v }, l)));
    $("bulk-apply").addEventListener("click", () => bulk((n) => api(`/documents/${encodeURIComponent(state.doc.id)}/comments/${n}/disposition`, {
      method: "PUT", body: JSON.stringify({ decision: bulkDecision.value, reason: $("bulk-reason").value.trim() || undefined }),
    })));
    $("bulk-spam").addEventListener("click", () => bulk((n) => api(`/documents/${encodeURIComponent(state.doc.id)}/comments/${n}/mark`, {
      method: "PUT", body: JSON.stringify({ mark: "spam" }),
    })));
    $("publish").addEventListener("click", async () => {
      try {
        const report = await (await api(`/documents/${encodeURIComponent(state.doc.id)}/feedback`, { method: "POST", body: "{}" })).json();
        await loadComments(`已公布 Published: ${report.rows ? report.rows.length : 0} 条答复 ${report.publishedAt || ""}`);
      } catch (e) { say(e.message, true); }
    });
    $("export-csv").addEventListener("click", () => download("csv"));
    $("export-xlsx").addEventListener("click", () => download("xlsx"));
    $("template-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const t = $("template-text").value.trim();
      if (t) saveTemplates([...templates(), t]);
      $("template-text").value = "";
    });
    renderTemplates();
    if (state.token) signIn(state.token);
  }

  wire();
})();
