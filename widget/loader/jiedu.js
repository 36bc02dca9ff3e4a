/*! Jiedu widget loader. Embedding guide: docs/embedding.md
 *
 *   <script src="/dist/jiedu.js" data-src="/documents/ID.json" async></script>
 *   <jiedu-widget data-src="/documents/ID.json"></jiedu-widget>
 *   Jiedu.mount(element, { src: "/documents/ID.json" }) -> { ready, update(options), unmount() }
 *
 * Small and hand-written on purpose: it is what every host page downloads first. It defines
 * <jiedu-widget>, turns a script tag into one where the tag stands, and loads the widget itself
 * (the glue and the wasm, next to this file) only when a widget comes near the viewport.
 * Including it twice does no harm: the second copy only handles its own script tag.
 *
 * There are two bundles of widget code (glue + wasm): the reading one, and the commenting one
 * (the reading one plus commenting on drafts). When a widget starts, the document and the reading
 * bundle are requested at once, not one after the other. The document is parsed here; when it
 * has a consultation, the commenting bundle is loaded instead (and the reading wasm's download
 * is stopped if no other widget wants it). The parsed document waits in `take` until the widget
 * asks for it. The build (`cargo xtask widget`) replaces the four file names below with
 * content-hashed ones, which the server lets browsers keep for a year; this file itself is
 * revalidated on every visit.
 */
(() => {
  "use strict";
  // Captured synchronously: document.currentScript is null once this script has finished.
  const me = document.currentScript;
  if (!window.Jiedu || !window.Jiedu.mount) window.Jiedu = setup(me && me.src ? me.src : location.href);
  if (me && !me.hasAttribute("data-jiedu-done") && (me.getAttribute("data-src") || me.getAttribute("data-document"))) {
    me.setAttribute("data-jiedu-done", "");
    const el = document.createElement("jiedu-widget");
    for (const a of Array.from(me.attributes)) {
      if (a.name.startsWith("data-") && a.name !== "data-jiedu-done") el.setAttribute(a.name, a.value);
    }
    me.after(el);
  }

  function setup(base) {
    const KEYS = ["src", "document", "api", "lang", "layout", "theme", "elder", "provision", "now"];
    const BUNDLES = {
      reading: ["jiedu_widget.js", "jiedu_widget_bg.wasm"],
      commenting: ["jiedu_widget_commenting.js", "jiedu_widget_commenting_bg.wasm"],
    };
    const handles = new WeakMap();
    const early = new Map();
    const live = new Set();
    const loaded = {};
    let readingWanted = false;
    let preload = null;

    // The URL of a bundle's glue (0) or wasm (1), beside this file.
    function fileOf(kind, i) {
      return new URL(BUNDLES[kind][i], base).href;
    }

    // One wasm instance per bundle for the page, loaded on first use; a failed load may be
    // retried. The wasm is fetched beside the glue (not after it) and compiled as it streams in.
    function load(kind) {
      let b = loaded[kind];
      if (!b) {
        const stop = new AbortController();
        const wasm = fetch(fileOf(kind, 1), { signal: stop.signal });
        wasm.catch(() => {});
        const glue = import(fileOf(kind, 0))
          .then((m) => m.default({ module_or_path: wasm }).then(() => m));
        b = loaded[kind] = { glue, stop };
        glue.catch(() => { if (loaded[kind] === b) delete loaded[kind]; });
      }
      return b.glue;
    }

    // The document is requested while the widget code loads and parsed here (once): the widget
    // takes { status, value } for its URL, or the error.
    function resolve(src) {
      try { return new URL(src, document.baseURI).href; } catch (e) { return null; }
    }
    function sourceOf(opts) {
      if (opts.src) return opts.src;
      if (opts.document) return (opts.api || "").replace(/\/+$/, "") + "/api/v1/documents/" + opts.document;
      return null;
    }
    function prefetch(src) {
      const url = src && resolve(src);
      if (url && !early.has(url)) {
        const doc = fetch(url).then((r) => r.ok || r.status === 410
          ? r.json().then((value) => ({ status: r.status, value }))
          : { status: r.status });
        doc.catch(() => {});
        early.set(url, doc);
      }
      return url && early.get(url);
    }
    function take(src) {
      const url = resolve(src);
      const doc = early.get(url);
      early.delete(url);
      return doc;
    }

    // Which bundle a widget needs: commenting for a document with a consultation (or when it is
    // on the page already: it reads as well), else reading. Until the document has arrived, the
    // bundle this document needed last time on this browser is started (remembered in
    // localStorage), else the reading one; a draft's first visit may so fetch part of the reading
    // wasm before it is stopped, but a repeat visit fetches nothing it does not need.
    function recall(url) {
      try { return localStorage.getItem("jiedu-bundle:" + url); } catch (e) { return null; }
    }
    function remember(url, kind) {
      try { localStorage.setItem("jiedu-bundle:" + url, kind); } catch (e) { /* storage off */ }
    }
    function choose(src, doc) {
      if (loaded.commenting) return Promise.resolve("commenting");
      if (!doc) { readingWanted = true; return Promise.resolve("reading"); }
      const url = resolve(src);
      const guess = recall(url) === "commenting" ? "commenting" : "reading";
      load(guess);
      if (guess === "commenting") return Promise.resolve(guess);
      return doc.then((d) => d.value && d.value.consultation ? "commenting" : "reading", () => "reading")
        .then((kind) => {
          remember(url, kind);
          if (kind === "reading") readingWanted = true;
          else if (!readingWanted && loaded.reading) { loaded.reading.stop.abort(); delete loaded.reading; }
          return kind;
        });
    }

    function optionsOf(el) {
      const o = {};
      for (const k of KEYS) {
        const v = el.hasAttribute("data-" + k) ? el.getAttribute("data-" + k) : el.getAttribute(k);
        if (v !== null) o[k] = v;
      }
      return o;
    }

    function english(opts) {
      const lang = (opts && opts.lang) || document.documentElement.lang || navigator.language || "";
      return /^en\b/i.test(lang);
    }

    function clear(root) {
      while (root.firstChild) root.removeChild(root.firstChild);
    }

    function sheet() {
      if (!preload) {
        preload = new CSSStyleSheet();
        preload.replaceSync(":host{display:block;min-height:var(--jiedu-reserve,24em)}p{margin:0;padding:2em 1em;text-align:center;color:#59636e;font:16px/1.6 system-ui,sans-serif}button{font:inherit;margin:0 .5em}");
      }
      return preload;
    }

    // The shadow root, with a placeholder of reserved height until the widget renders (no layout
    // shift). Constructable stylesheets only: nothing here needs 'unsafe-inline'.
    function prepare(el, opts) {
      const root = el.shadowRoot || el.attachShadow({ mode: "open" });
      if (!root.firstChild) {
        root.adoptedStyleSheets = [sheet()];
        const p = document.createElement("p");
        p.setAttribute("role", "status");
        p.textContent = english(opts) ? "Loading the document…" : "正在加载政策文件…";
        root.appendChild(p);
      }
      return root;
    }

    // What a widget says instead of the document when its code did not load (offline, or a CSP
    // without 'wasm-unsafe-eval'), or stopped (a panic): [zh, en] message and button.
    const FAILURES = {
      load: [["政策解读组件加载失败。", "重试"], ["The document viewer could not be loaded.", "Try again"]],
      crash: [["组件运行出错。", "重新加载页面"], ["The widget stopped working.", "Reload the page"]],
    };
    function failed(el, opts, code, err, retry) {
      console.error("jiedu widget: " + code, err);
      const root = el.shadowRoot;
      const [text, action] = FAILURES[code][english(opts) ? 1 : 0];
      clear(root);
      root.adoptedStyleSheets = [sheet()];
      const p = document.createElement("p");
      p.setAttribute("role", "alert");
      p.textContent = text;
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = action;
      b.addEventListener("click", () => { clear(root); prepare(el, opts); retry(); });
      p.appendChild(b);
      root.appendChild(p);
      el.dispatchEvent(new CustomEvent("jiedu:error", { bubbles: true, composed: true, detail: { code, message: String(err) } }));
    }

    // A panic in the widget code aborts its wasm instance at once with a trap (the release build
    // links no panic hook): the browser reports a WebAssembly.RuntimeError whose stack names the
    // wasm file. That instance is unusable, so every widget running on it says so and offers a reload.
    function trapped(err) {
      if (!(err instanceof WebAssembly.RuntimeError)) return;
      for (const kind in BUNDLES) {
        if (String(err.stack).includes(fileOf(kind, 1))) {
          for (const c of live) if (c.kind === kind) c.crash(err);
        }
      }
    }
    window.addEventListener("error", (e) => trapped(e.error));
    window.addEventListener("unhandledrejection", (e) => trapped(e.reason));

    function mount(el, opts) {
      const old = handles.get(el);
      if (old) old.unmount();
      opts = opts || {};
      prepare(el, opts);
      let doc = prefetch(sourceOf(opts));
      let handle = null;
      let gone = false;
      let round = 0;
      const drop = () => { if (handle) { const h = handle; handle = null; h.unmount(); } };
      const controller = {
        ready: null,
        kind: null,
        // Its wasm instance trapped: nothing may call into it again.
        crash(err) {
          handle = null;
          live.delete(controller);
          failed(el, opts, "crash", err, () => location.reload());
        },
        // Another document may need the other bundle: then start again, else update in place.
        update(o) {
          o = o || {};
          const moved = sourceOf(o) !== sourceOf(opts);
          opts = o;
          if (!moved) { if (handle) handle.update(opts); return; }
          drop();
          prepare(el, opts);
          doc = prefetch(sourceOf(opts));
          start();
        },
        unmount() {
          gone = true;
          live.delete(controller);
          if (handles.get(el) === controller) handles.delete(el);
          drop();
        },
      };
      const start = () => {
        const mine = ++round;
        controller.ready = choose(sourceOf(opts), doc).then((kind) => {
          controller.kind = kind;
          return load(kind);
        }).then((m) => {
          if (!gone && mine === round) { handle = m.mount(el, opts); live.add(controller); }
          return controller;
        }, (err) => {
          if (!gone && mine === round) failed(el, opts, "load", err, start);
          throw err;
        });
        controller.ready.catch(() => {});
      };
      start();
      handles.set(el, controller);
      return controller;
    }

    // A deep link (#jiedu-…) may point into a widget far below the fold: then load them all.
    const deepLink = () => /^#jiedu-/.test(location.hash);

    const io = "IntersectionObserver" in window ? new IntersectionObserver((entries) => {
      for (const e of entries) {
        if (e.isIntersecting) { io.unobserve(e.target); e.target.start(); }
      }
    }, { rootMargin: "600px 0px" }) : null;

    class JieduWidget extends HTMLElement {
      static get observedAttributes() { return KEYS.map((k) => "data-" + k).concat(KEYS); }
      connectedCallback() {
        prepare(this, optionsOf(this));
        if (this.jiedu) return;
        if (io && !this.hasAttribute("eager") && !deepLink()) io.observe(this); else this.start();
      }
      /** Loads and renders now (called when the element comes near the viewport). */
      start() {
        if (!this.jiedu && this.isConnected) this.jiedu = mount(this, optionsOf(this));
        return this.jiedu && this.jiedu.ready;
      }
      attributeChangedCallback(name, was, now) {
        if (this.jiedu && was !== now) this.jiedu.update(optionsOf(this));
      }
      disconnectedCallback() {
        if (io) io.unobserve(this);
        // Moving an element disconnects and reconnects it: only unmount if it stays out.
        queueMicrotask(() => {
          if (!this.isConnected && this.jiedu) { this.jiedu.unmount(); this.jiedu = null; }
        });
      }
    }

    window.addEventListener("hashchange", () => {
      if (deepLink()) document.querySelectorAll("jiedu-widget").forEach((w) => { if (w.start) w.start(); });
    });
    if (!customElements.get("jiedu-widget")) customElements.define("jiedu-widget", JieduWidget);

    return {
      version: "0.1.0",
      /** Mounts a widget into any element now (no lazy loading); returns { ready, update, unmount }. */
      mount(el, opts) {
        const o = {};
        for (const k of KEYS) {
          const v = opts && opts[k];
          if (v !== undefined && v !== null) o[k] = typeof v === "boolean" ? v : String(v);
        }
        return mount(el, o);
      },
      /** For the widget: the response to a document request started early, handed out once. */
      take,
    };
  }
})();
