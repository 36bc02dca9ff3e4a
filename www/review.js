// The editors' review console (/review): sign in with a token, answer comments clause by clause,
// publish the feedback report, export. Plain DOM code: every piece of text from the server goes in
// through textContent or a form value, never as HTML.
"use strict";

(() => {
  const API = "/api/v1";
  // The names of the codes the API sends come from jiedu-core, through labels.js (generated).
  const LABELS = window.JIEDU_LABELS;
  const zhNames = (table) => Object.fromEntries(table.map(([code, zh]) => [code, zh]));
  const DECISIONS = LABELS.decision.map(([code, zh, en]) => [code, `${zh} ${en}`]);
  const DECISION_LABELS = zhNames(LABELS.decision);
  const STANCES = zhNames(LABELS.stance);
  const SUBMITTERS = zhNames(LABELS.submitterType);
  // The review states of a comment as editors read them here (longer than core's short names).
  const STATUSES = {
    received: "待处理",
    decided: "已处理，未公布",
    published: "已公布",
    duplicate: "重复意见",
    spam: "垃圾信息",
    hidden: "已隐藏",
  };
  // The API's field names as the labels beside the controls.
  const FIELDS = { reason: "理由", decision: "决定", duplicateOf: "重复于", mark: "标记", finalProvision: "定稿条款" };
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

  // Messages are shown next to the control that caused them, in a live region that is always
  // in the page (so screen readers announce each change): `where` is that region's element.
  function note(where, text, isError) {
    where.textContent = text;
    where.classList.toggle("error", Boolean(isError));
    where.classList.toggle("ok", !isError && Boolean(text));
  }
  const say = (text, isError) => note($("status"), text, isError);

  // A time from the API (RFC 3339) as a person reads it, in this browser's time zone.
  const TIME_FORMAT = new Intl.DateTimeFormat("zh-CN", {
    year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false,
  });
  function localTime(iso) {
    const at = new Date(iso);
    if (Number.isNaN(at.getTime())) return el("span", {}, iso || "");
    return el("time", { datetime: iso, title: iso }, TIME_FORMAT.format(at));
  }

  async function api(path, options = {}) {
    const headers = Object.assign(
      { Authorization: `Bearer ${state.token}`, "Accept-Language": document.documentElement.lang || "zh-CN" },
      options.headers || {},
    );
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    const res = await fetch(API + path, Object.assign({}, options, { headers }));
    if (!res.ok) {
      const err = new Error();
      let message = `${res.status} ${res.statusText}`;
      try {
        const body = await res.json();
        if (body.error) {
          message = body.error.message;
          if (body.error.fields && body.error.fields.length) {
            message = body.error.fields.map((f) => `${FIELDS[f.field] || f.field}：${f.message}`).join("；");
          }
          err.fields = body.error.fields || [];
        }
      } catch (_) { /* not JSON */ }
      err.message = message;
      err.status = res.status;
      throw err;
    }
    return res;
  }

  // Sign-in -------------------------------------------------------------------------------
  async function signIn(token) {
    state.token = token;
    try {
      note($("sign-in-status"), "正在登录…");
      const me = await (await api("/me")).json();
      sessionStorage.setItem("jiedu.review.token", token);
      if (me.now) state.clockSkew = Date.parse(me.now) - Date.now();
      $("who").textContent = me.name ? `编辑：${me.name}` : "";
      $("sign-in").hidden = true;
      $("console").hidden = false;
      $("sign-out").hidden = false;
      note($("sign-in-status"), "");
      await loadDocuments();
    } catch (e) {
      sessionStorage.removeItem("jiedu.review.token");
      $("sign-in").hidden = false;
      $("console").hidden = true;
      note($("sign-in-status"), e.status === 401 ? "令牌无效或已被吊销，请核对后重试。" : `无法登录：${e.message}`, true);
      $("token").focus();
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
    const period = $("consultation");
    if (c) period.replaceChildren("征求意见期 ", localTime(c.opens), " 至 ", localTime(c.closes));
    else period.replaceChildren("本文件无征求意见期");
    const target = $("filters").elements.target;
    target.replaceChildren(
      el("option", { value: "" }, "全部 all"),
      el("option", { value: "document" }, "整体意见 Whole document"),
      ...flatten(state.doc.provisions).map((p) => el("option", { value: p.id }, `${p.label || ""}${p.title}`.slice(0, 40))),
    );
    $("feedback-link").href = `${API}/documents/${encodeURIComponent(id)}/feedback`;
    await loadComments();
  }

  // The plain text of a rich-text body (the compiled JSON), paragraphs on their own lines.
  function plainText(node) {
    if (Array.isArray(node)) return node.map(plainText).join("");
    if (!node || typeof node !== "object") return "";
    let out = typeof node.s === "string" ? node.s : typeof node.text === "string" ? node.text : "";
    for (const [k, v] of Object.entries(node)) if (k !== "href" && k !== "src" && typeof v === "object") out += plainText(v);
    return ["p", "list", "quote", "code", "table", "footnote"].includes(node.t) ? out.trim() + "\n" : out;
  }

  // The clause a group of comments is about, quoted beside them.
  function clauseText(target) {
    const p = flatten(state.doc.provisions).find((x) => x.id === target);
    const text = p ? plainText(p.body || []).trim() : "";
    if (!text) return [];
    return [el("details", { class: "clause", open: true },
      el("summary", {}, "条款原文"),
      el("blockquote", {}, text))];
  }

  // The clause as the commenter saw it (the revision the comment was made on), fetched when
  // opened: a later revision may have changed or renumbered it.
  function seenClause(c) {
    const body = el("blockquote", {}, "加载中…");
    const box = el("details", { class: "clause seen" },
      el("summary", {}, `提交时看到的条文（修订 #${c.revision}）`), body);
    box.addEventListener("toggle", async () => {
      if (!box.open || box.dataset.loaded) return;
      try {
        const full = await (await api(`/documents/${encodeURIComponent(state.doc.id)}/comments/${c.number}`)).json();
        const seen = full.seen;
        body.textContent = seen ? `${seen.heading}\n${seen.text}` : "该修订中没有这一条。";
        box.dataset.loaded = "1";
      } catch (e) {
        body.textContent = `未能加载：${e.message}`;
      }
    });
    return box;
  }

  function provisionHeading(target) {
    if (target === "document") return "整体意见 Whole document";
    const p = flatten(state.doc.provisions).find((x) => x.id === target);
    return p ? `${p.label || ""}${p.title}` : target;
  }

  // Comments ------------------------------------------------------------------------------
  // Reloads the list and says how many comments match.
  async function loadComments() {
    const params = new URLSearchParams();
    for (const [k, v] of new FormData($("filters"))) if (v) params.set(k, v);
    params.set("page", state.page);
    params.set("per_page", 50);
    say("加载中… Loading…");
    const page = await (await api(`/documents/${encodeURIComponent(state.doc.id)}/comments?${params}`)).json();
    render(page);
    say(`共 ${page.total} 条意见`);
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
          el("h2", {}, `${provisionHeading(k)}（${groups.get(k).length} 条）`),
          ...clauseText(k),
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

  function cardHead(c) {
    const head = el("div", { class: "head" },
      el("strong", {}, `#${c.number}`),
      el("span", { class: `badge ${c.status}` }, STATUSES[c.status] || c.status),
      el("span", {}, STANCES[c.stance] || c.stance),
      el("span", {}, c.name || "匿名"),
      el("span", {}, SUBMITTERS[c.submitterType] || c.submitterType),
      el("span", {}, "收到于 ", localTime(c.receivedAt)),
      el("span", { class: "muted" }, `回执 ${c.receipt}`),
    );
    if (c.duplicateOf) {
      head.append(el("span", {}, "重复于 ", el("a", { href: `#comment-${c.duplicateOf}` }, `#${c.duplicateOf}`)));
    }
    if (c.disposition && c.status !== "published") {
      head.append(el("span", {}, `拟：${DECISION_LABELS[c.disposition.decision] || c.disposition.decision}`));
    }
    if (c.published) {
      head.append(el("span", { class: "badge published" }, `已公布：${DECISION_LABELS[c.published.decision] || c.published.decision}`));
    }
    return head;
  }

  // Marks the controls an API error names as invalid and moves the focus to the first.
  function flagFields(err, controls) {
    for (const control of Object.values(controls)) control.removeAttribute("aria-invalid");
    const first = (err.fields || []).map((f) => controls[f.field]).find(Boolean);
    for (const f of err.fields || []) if (controls[f.field]) controls[f.field].setAttribute("aria-invalid", "true");
    if (first) first.focus();
  }

  function commentCard(c) {
    const id = `comment-${c.number}`;
    const box = el("input", { type: "checkbox", "aria-label": `选择 #${c.number}`, checked: state.selected.has(c.number) });
    box.addEventListener("change", () => { box.checked ? state.selected.add(c.number) : state.selected.delete(c.number); updateSelected(); });
    const msg = el("p", { class: "msg", id: `${id}-msg`, role: "status", "aria-live": "polite" });
    const decision = decisionSelect(c.disposition && c.disposition.decision);
    const reason = el("textarea", { "aria-label": "理由 Reason", placeholder: "理由（不予采纳等须填写）Reason", "aria-describedby": msg.id });
    reason.value = (c.disposition && c.disposition.reason) || "";
    const dupOf = el("input", { type: "number", min: "1", class: "dup", id: `${id}-dup`, "aria-describedby": msg.id });
    if (c.duplicateOf) dupOf.value = c.duplicateOf;
    // The clause of the final version that carries the decision (已采纳，见第五条): its id.
    const finalProvision = el("input", { type: "text", class: "final", id: `${id}-final`, size: "8",
      placeholder: "如 a5", "aria-describedby": msg.id });
    finalProvision.value = (c.disposition && c.disposition.finalProvision) || "";
    const controls = { decision, reason, duplicateOf: dupOf, finalProvision };
    let card;
    // Runs an editor action; on success the card's header shows the new state and the message
    // says what was done; on failure the message says why, next to the buttons.
    const act = (path, body, done) => async () => {
      note(msg, "正在保存…");
      try {
        const res = await api(`/documents/${encodeURIComponent(state.doc.id)}/comments/${c.number}/${path}`, {
          method: "PUT", body: JSON.stringify(body()),
        });
        const updated = await res.json();
        card.querySelector(".head").replaceWith(cardHead(updated));
        flagFields({}, controls);
        note(msg, done(updated));
      } catch (e) {
        flagFields(e, controls);
        note(msg, `未保存：${e.message}`, true);
      }
    };
    const save = el("button", { type: "button", onclick: act("disposition",
      () => ({ decision: decision.value || undefined, reason: reason.value.trim() || undefined,
               finalProvision: finalProvision.value.trim() || undefined }),
      (u) => `#${c.number} 已保存：${DECISION_LABELS[u.disposition.decision]}（公布后公开）`) }, "保存 Save");
    const mark = (kind, label) => act("mark",
      () => (kind === "duplicate" ? { mark: kind, duplicateOf: dupOf.value ? Number(dupOf.value) : undefined } : { mark: kind }),
      () => `#${c.number} ${label}`);
    card = el("article", { class: "comment", id, "aria-label": `意见 #${c.number}` }, box, cardHead(c), el("div", { class: "text" }, c.text));
    if (c.proposedWording) card.append(el("div", { class: "wording" }, `建议修改为：${c.proposedWording}`));
    if (c.revision && typeof c.target === "string" && c.target !== "document") card.append(seenClause(c));
    card.append(
      el("div", { class: "actions" }, decision, templatePicker(reason), reason,
        el("label", { for: finalProvision.id }, "见定稿条款（id，可选）"), finalProvision, save),
      el("div", { class: "actions marks" },
        el("label", { for: dupOf.id }, "重复于第"), dupOf, el("span", {}, "号意见"),
        el("button", { type: "button", onclick: mark("duplicate", "已标为重复意见") }, "标为重复 Duplicate"),
        el("button", { type: "button", onclick: mark("spam", "已标为垃圾信息，不会公布") }, "垃圾 Spam"),
        el("button", { type: "button", onclick: mark("hidden", "已隐藏，不会公布") }, "隐藏 Hide"),
        el("button", { type: "button", onclick: mark("none", "已取消标记") }, "取消标记 Unmark")),
      msg,
    );
    return card;
  }

  function updateSelected() {
    $("selected-count").textContent = `已选 ${state.selected.size} selected`;
  }

  async function bulk(action) {
    const numbers = [...state.selected];
    const where = $("bulk-status");
    if (!numbers.length) return note(where, "请先勾选要处理的意见。", true);
    const failures = [];
    for (const n of numbers) {
      try { await action(n); } catch (e) { failures.push(`#${n}：${e.message}`); }
    }
    state.selected.clear();
    await loadComments();
    if (failures.length) note(where, `${numbers.length - failures.length} 条已更新，${failures.length} 条失败：${failures.join("；")}`, true);
    else note(where, `${numbers.length} 条已更新。`);
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
    const where = $("publish-status");
    try {
      const params = new URLSearchParams();
      if ($("with-contact").checked) params.set("include_contact", "true");
      if ($("with-codes").checked) params.set("codes", "true");
      const query = params.size ? `?${params}` : "";
      const res = await api(`/documents/${encodeURIComponent(state.doc.id)}/export.${ext}${query}`);
      const url = URL.createObjectURL(await res.blob());
      const a = el("a", { href: url, download: `${state.doc.id}-comments.${ext}` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      note(where, `已导出 ${ext === "xlsx" ? "Excel" : "CSV"} 文件。`);
    } catch (e) { note(where, `导出失败：${e.message}`, true); }
  }

  // Publishing: first a confirmation that says what will become public, with a warning while
  // the consultation is still open (by the server's clock, as `/me` tells it).
  function askToPublish() {
    const c = state.doc.consultation;
    const now = Date.now() + (state.clockSkew || 0);
    const open = c && Date.parse(c.opens) <= now && now <= Date.parse(c.closes);
    const warning = $("publish-warning");
    warning.replaceChildren(...(open
      ? ["征求意见期尚未结束（至 ", localTime(c.closes), "）：现在公布，之后收到的意见不在本次公布之列，需要再次公布。"]
      : []));
    warning.hidden = !open;
    note($("publish-status"), "");
    $("publish-confirm").hidden = false;
    $("publish-yes").focus();
  }

  function publishedMessage(report) {
    const received = report.received || report.total;
    const n = report.notListed || {};
    const reasons = [
      [n.duplicates, "条重复意见随原意见答复"],
      [n.spam, "条垃圾信息"],
      [n.hidden, "条已隐藏"],
      [n.undecided, "条尚未处理"],
    ].filter(([count]) => count > 0).map(([count, what]) => `${count} ${what}`);
    const rows = report.rows ? report.rows.length : 0;
    return `已公布：共收到意见 ${received} 条，公开答复 ${rows} 条` +
      (reasons.length ? `；未单独列出 ${received - rows} 条（${reasons.join("，")}）。` : "。");
  }

  async function publish() {
    $("publish-confirm").hidden = true;
    const where = $("publish-status");
    note(where, "正在公布…");
    try {
      const report = await (await api(`/documents/${encodeURIComponent(state.doc.id)}/feedback`, { method: "POST", body: "{}" })).json();
      await loadComments();
      note(where, publishedMessage(report));
    } catch (e) { note(where, `未能公布：${e.message}`, true); }
    $("publish").focus();
  }

  function wire() {
    $("sign-in-form").addEventListener("submit", (e) => { e.preventDefault(); signIn($("token").value.trim()); });
    $("sign-out").addEventListener("click", () => { sessionStorage.removeItem("jiedu.review.token"); location.reload(); });
    $("doc").addEventListener("change", (e) => selectDocument(e.target.value).catch((err) => say(err.message, true)));
    $("filters").addEventListener("submit", (e) => { e.preventDefault(); state.page = 1; loadComments().catch((err) => say(err.message, true)); });
    for (const [name, names] of [["status", STATUSES], ["stance", STANCES]]) {
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
    $("publish").addEventListener("click", askToPublish);
    $("publish-yes").addEventListener("click", publish);
    $("publish-no").addEventListener("click", () => { $("publish-confirm").hidden = true; $("publish").focus(); });
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
