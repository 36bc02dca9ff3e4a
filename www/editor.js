// The editor preview page (/editor): write or import a document in the authoring format and see
// it rendered by the real widget while typing. The compiler, the import and the widget run in
// the browser (dist/editor/, the wasm of the jiedu-editor crate). Signed in with an editor token,
// the page also works with the documents on the server (editor-workflow.js): open, save draft
// revisions, submit, sign off, history with the 修改前/修改后 comparison, media upload.
//
// Security: every piece of text (the source, diagnostics, notes) goes into the page through
// textContent, form values or DOM APIs, never as HTML. The page loads external files only, so
// it works under a strict Content-Security-Policy (script-src 'self' 'wasm-unsafe-eval').

import { startWorkflow, storageGet, storageRemove, storageSet } from "./editor-workflow.js";

const BUNDLE = "/dist/editor/jiedu_editor.js";
const DRAFT_KEY = "jiedu-editor:draft";
const BACKUP_KEY = "jiedu-editor:backup";
const VIEW_KEY = "jiedu-editor:view";
const DEBOUNCE_MS = 300;

const $ = (id) => document.getElementById(id);
const source = $("source");

/** An element with a class and text or element children (text always as text nodes). */
function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

// ---------------------------------------------------------------------------------------------
// View options (layout, width, large text, UI language), remembered between visits.

const LAYOUTS = ["side-by-side", "inline", "key-points"];
const WIDTHS = ["phone", "desktop"];
const view = { layout: "side-by-side", width: "desktop", elder: false, lang: "zh-CN" };
try {
  const saved = JSON.parse(storageGet(VIEW_KEY) || "{}");
  if (LAYOUTS.includes(saved.layout)) view.layout = saved.layout;
  if (WIDTHS.includes(saved.width)) view.width = saved.width;
  if (typeof saved.elder === "boolean") view.elder = saved.elder;
  if (saved.lang === "en" || saved.lang === "zh-CN") view.lang = saved.lang;
} catch {
  // A damaged entry: keep the defaults.
}

// ---------------------------------------------------------------------------------------------
// The source editor: a textarea with a gutter of line numbers. Each gutter row holds an invisible
// copy of its line, as wide as the textarea's text, so wrapped lines keep their numbers aligned.

const gutter = $("gutter-rows");
const rows = [];

function renderGutter() {
  const lines = source.value.split("\n");
  while (rows.length < lines.length) {
    const text = el("span", "t");
    const row = el("div", "row", el("span", "n", String(rows.length + 1)), text);
    gutter.append(row);
    rows.push({ row, text, shown: null });
  }
  while (rows.length > lines.length) rows.pop().row.remove();
  lines.forEach((line, i) => {
    // An empty line still takes one line of height.
    const shown = line === "" ? " " : line;
    if (rows[i].shown !== shown) {
      rows[i].text.textContent = shown;
      rows[i].shown = shown;
    }
  });
  syncScroll();
}

function syncWidth() {
  const style = getComputedStyle(source);
  const width = source.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  gutter.style.setProperty("--text-width", `${Math.max(0, width)}px`);
}

function syncScroll() {
  gutter.style.transform = `translateY(${-source.scrollTop}px)`;
}

function markLines(diagnostics) {
  const marks = new Map();
  for (const d of diagnostics) {
    if (marks.get(d.line) !== "error") marks.set(d.line, d.severity);
  }
  rows.forEach((r, i) => {
    const mark = marks.get(i + 1);
    r.row.classList.toggle("error", mark === "error");
    r.row.classList.toggle("warning", mark === "warning");
  });
}

/** Selects what a diagnostic points at and scrolls its line into view. */
function goTo(d) {
  source.focus({ preventScroll: true });
  source.setSelectionRange(d.from, Math.max(d.from, d.to));
  const r = rows[d.line - 1];
  if (r) {
    source.scrollTop = Math.max(0, r.row.offsetTop - source.clientHeight / 3);
    syncScroll();
    r.row.classList.add("flash");
    setTimeout(() => r.row.classList.remove("flash"), 1200);
  }
  source.scrollIntoView({ block: "nearest" });
}

// ---------------------------------------------------------------------------------------------
// Drafts: the source is saved in this browser as it changes; a replaced draft can be restored.

let workflow = null;

function saveDraft() {
  const saved = $("saved");
  if (workflow) workflow.remember(source.value);
  if (storageGet(DRAFT_KEY) === source.value) return;
  if (storageSet(DRAFT_KEY, source.value)) {
    const time = new Date().toLocaleTimeString("zh-CN", { hour12: false });
    saved.textContent = `草稿已保存在本浏览器 Draft saved in this browser · ${time}`;
    saved.classList.remove("error");
  } else {
    saved.textContent =
      "草稿未能保存：浏览器存储不可用或已满，请下载 .md 保存 · Draft NOT saved (browser storage unavailable or full): download the .md";
    saved.classList.add("error");
  }
}

/** Puts `text` in the editor; the draft it replaces can be brought back with "Undo replace". */
function replaceSource(text) {
  const current = source.value;
  if (current.trim() !== "" && current !== text) {
    if (storageSet(BACKUP_KEY, current)) $("undo-replace").hidden = false;
  }
  source.value = text;
  source.scrollTop = 0;
  source.setSelectionRange(0, 0);
  renderGutter();
  compileNow();
}

function undoReplace() {
  const backup = storageGet(BACKUP_KEY);
  if (backup === null) return;
  source.value = backup;
  storageRemove(BACKUP_KEY);
  $("undo-replace").hidden = true;
  renderGutter();
  compileNow();
}

// ---------------------------------------------------------------------------------------------
// Compiling and previewing.

let bundle = null;
let preview = null;
let last = null;
let timer = 0;

function scheduleCompile() {
  clearTimeout(timer);
  timer = setTimeout(compileNow, DEBOUNCE_MS);
}

function compileNow() {
  clearTimeout(timer);
  saveDraft();
  if (!preview) return;
  let result;
  try {
    // Diagnostics in the page's language (the UI language chosen above the preview).
    result = preview.update(source.value, view.lang);
  } catch (error) {
    fatal(
      "预览引擎出错，请刷新页面；草稿已保存在本浏览器。 The preview engine stopped: reload the page (your draft is saved in this browser).",
      error,
    );
    return;
  }
  last = result;
  showDiagnostics(result);
  showPreviewState(result);
  $("download-json").disabled = !result.ok;
  $("download-json").title = result.ok ? "" : "修正错误后才能生成 JSON · Fix the errors first";
  document.title = `${result.title || "解读编辑预览"} · Jiedu editor preview`;
}

function showDiagnostics(result) {
  const list = $("diagnostics");
  list.replaceChildren();
  const parts = [];
  if (result.errors) parts.push(`${result.errors} 个错误 error${result.errors > 1 ? "s" : ""}`);
  if (result.warnings) parts.push(`${result.warnings} 个警告 warning${result.warnings > 1 ? "s" : ""}`);
  $("summary").textContent = parts.length ? parts.join(" · ") : "没有问题 No problems";
  if (!result.diagnostics.length) {
    list.append(el("li", "clean", "✓ 检查通过：没有错误和警告。 No errors or warnings."));
  }
  for (const d of result.diagnostics) list.append(diagnosticItem(d));
  markLines(result.diagnostics);
}

/** One finding of the list: a button that selects what it points at in the source. */
function diagnosticItem(d) {
  const button = el(
    "button",
    "",
    el("span", "sev", d.severity === "error" ? "错误 error" : "警告 warning"),
    el("span", "where", `${d.line}:${d.column} ${d.code}`),
    el("span", "message", d.message),
  );
  if (d.hint) button.append(el("span", "hint", `提示 hint: ${d.hint}`));
  button.type = "button";
  button.title = `转到第 ${d.line} 行 · Go to line ${d.line}`;
  button.addEventListener("click", () => goTo(d));
  return el("li", d.severity, button);
}

function showPreviewState(result) {
  const stale = $("stale");
  const frame = $("frame");
  const placeholder = $("placeholder");
  if (!result.stale) {
    stale.hidden = true;
    frame.classList.remove("stale-preview");
    placeholder.hidden = true;
  } else if (preview.hasDocument) {
    stale.textContent = `源文件有 ${result.errors} 个错误，预览显示的是上一次没有错误的版本（已过时）。 The source has ${result.errors} error(s): the preview shows the last version without errors and is out of date.`;
    stale.hidden = false;
    frame.classList.add("stale-preview");
    placeholder.hidden = true;
  } else {
    stale.hidden = true;
    placeholder.textContent = "修正左侧列出的错误后显示预览。 Fix the errors listed on the left to see the preview.";
    placeholder.hidden = false;
  }
}

function applyView() {
  for (const button of $("layouts").querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(button.dataset.layout === view.layout));
  }
  for (const button of $("widths").querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(button.dataset.width === view.width));
  }
  $("frame").classList.toggle("phone", view.width === "phone");
  $("frame").classList.toggle("desktop", view.width === "desktop");
  $("elder").checked = view.elder;
  $("lang").value = view.lang;
  storageSet(VIEW_KEY, JSON.stringify(view));
  if (preview) {
    try {
      preview.setOptions({ layout: view.layout, elder: view.elder, lang: view.lang });
    } catch (error) {
      fatal("预览引擎出错，请刷新页面。 The preview engine stopped: reload the page.", error);
    }
  }
}

function fatal(message, error) {
  if (error) console.error("jiedu editor:", error);
  const box = $("fatal");
  box.textContent = error && error.message ? `${message} (${error.message})` : message;
  box.hidden = false;
}

// ---------------------------------------------------------------------------------------------
// Downloads.

function documentId() {
  if (last && last.id) return last.id;
  const match = /^id\s*=\s*"([A-Za-z0-9-]+)"/m.exec(source.value);
  return match ? match[1] : "draft";
}

function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = el("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}

// ---------------------------------------------------------------------------------------------
// Import of plain text.

function openImport() {
  $("import-error").textContent = "";
  $("import-dialog").showModal();
  $("import-text").focus();
}

function runImport(event) {
  event.preventDefault();
  const text = $("import-text").value;
  if (!text.trim()) {
    $("import-error").textContent = "请先粘贴公文的全文。 Paste the text of the document first.";
    return;
  }
  let result;
  try {
    result = bundle.importText(text);
  } catch (error) {
    fatal("导入出错，请刷新页面。 The import stopped: reload the page.", error);
    return;
  }
  $("import-dialog").close();
  replaceSource(result.markdown);
  showNotes(result.notes, result.summary);
}

// The import's notes (in Chinese, each with the line of the pasted text it concerns) under its
// summary: provisions per level, metadata found and missing, attachments kept, as `jiedu import`
// prints them. Text only: nothing from the pasted document reaches the page as HTML.
function showNotes(notes, summary) {
  $("import-summary").textContent = summary.text;
  const list = $("import-notes");
  list.replaceChildren();
  if (!notes.length) {
    list.append(el("li", "", "没有需要注意的地方。 Nothing to check: every part was recognised."));
  }
  for (const note of notes) {
    list.append(el("li", "", el("span", "code-label", `第 ${note.line} 行 line ${note.line} · ${note.code}`), note.message));
  }
  $("import-notes-box").hidden = false;
}

// ---------------------------------------------------------------------------------------------
// Start: the draft first (so it is there even if the wasm cannot load), then the bundle.

const restored = storageGet(DRAFT_KEY);
source.value = restored ?? "";
if (restored !== null) $("saved").textContent = "草稿已从本浏览器恢复 Draft restored from this browser";
$("undo-replace").hidden = storageGet(BACKUP_KEY) === null;
renderGutter();
syncWidth();
new ResizeObserver(() => {
  syncWidth();
  syncScroll();
}).observe(source);
new ResizeObserver((entries) => {
  const width = Math.round(entries[0].contentRect.width);
  $("width-label").textContent = width ? `预览宽度 width ${width} px` : "";
}).observe($("preview"));

source.addEventListener("input", () => {
  renderGutter();
  scheduleCompile();
});
source.addEventListener("scroll", syncScroll);
window.addEventListener("pagehide", saveDraft);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden") saveDraft();
});

$("layouts").addEventListener("click", (event) => {
  const layout = event.target.closest("button")?.dataset.layout;
  if (layout && layout !== view.layout) {
    view.layout = layout;
    applyView();
  }
});
$("widths").addEventListener("click", (event) => {
  const width = event.target.closest("button")?.dataset.width;
  if (width && width !== view.width) {
    view.width = width;
    applyView();
  }
});
$("elder").addEventListener("change", () => {
  view.elder = $("elder").checked;
  applyView();
});
$("lang").addEventListener("change", () => {
  view.lang = $("lang").value;
  applyView();
  compileNow();
});
$("undo-replace").addEventListener("click", undoReplace);
$("download-md").addEventListener("click", () =>
  download(`${documentId()}.md`, source.value, "text/markdown;charset=utf-8"),
);
$("download-json").addEventListener("click", () => {
  compileNow();
  if (last && last.ok) download(`${last.id}.json`, last.json, "application/json");
});
$("open-import").addEventListener("click", openImport);
$("import-form").addEventListener("submit", runImport);
$("import-cancel").addEventListener("click", () => $("import-dialog").close());
$("dismiss-notes").addEventListener("click", () => {
  $("import-notes-box").hidden = true;
});
applyView();

// The server side starts before the wasm loads: signing in and saving need no compiler.
workflow = startWorkflow({
  source,
  replaceSource,
  diagnosticItem,
  documentId,
  bundle: () => bundle,
});

try {
  bundle = await import(BUNDLE);
  await bundle.default();
} catch (error) {
  bundle = null;
  $("placeholder").textContent = "";
  fatal(
    `无法加载编辑器组件 ${BUNDLE}（请先构建：cargo xtask）。 Cannot load the editor bundle ${BUNDLE} (build it first).`,
    error,
  );
}

if (bundle) {
  const samples = bundle.samples();
  const select = $("sample");
  samples.forEach((sample, i) => {
    const option = el("option", "", sample.label);
    option.value = String(i);
    select.append(option);
  });
  // The first real document (after the blank template) is what a first visit shows.
  select.value = samples.length > 1 ? "1" : "0";
  $("load-sample").addEventListener("click", () => replaceSource(samples[Number(select.value)].markdown));
  preview = new bundle.Preview($("preview"), { layout: view.layout, elder: view.elder, lang: view.lang });
  if (!source.value.trim() && samples.length) {
    source.value = samples[Number(select.value)].markdown;
    renderGutter();
  }
  compileNow();
}
