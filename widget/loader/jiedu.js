/*! Jiedu widget loader. Embedding guide: docs/embedding.md
 *
 *   <script src="/jiedu/jiedu.js" data-src="/documents/ID.json" async></script>
 *   <jiedu-widget data-src="/documents/ID.json"></jiedu-widget>
 *   Jiedu.mount(element, { src: "/documents/ID.json" }) -> { ready, update(options), unmount() }
 *
 * This file is small and hand-written on purpose: it is what every host page downloads first. It
 * defines <jiedu-widget>, turns a script tag into one, and loads the wasm (jiedu_widget.js +
 * jiedu_widget_bg.wasm, next to this file) only when a widget comes near the viewport.
 * Including it twice does no harm: the second copy only handles its own script tag.
 */
(function () {
  "use strict";
  var me = document.currentScript;
  var api = window.Jiedu;
  if (!api || !api.mount) api = window.Jiedu = setup(me && me.src ? me.src : location.href);
  if (me && !me.hasAttribute("data-jiedu-done") && (me.getAttribute("data-src") || me.getAttribute("data-document"))) {
    me.setAttribute("data-jiedu-done", "");
    var el = document.createElement("jiedu-widget");
    for (var i = 0; i < me.attributes.length; i++) {
      var a = me.attributes[i];
      if (a.name.indexOf("data-") === 0 && a.name !== "data-jiedu-done") el.setAttribute(a.name, a.value);
    }
    me.parentNode.insertBefore(el, me.nextSibling);
  }

  function setup(base) {
    var KEYS = ["src", "document", "api", "lang", "layout", "theme", "elder", "provision"];
    var glue = null;
    var handles = new WeakMap();
    var preload = null;

    // One wasm instance for the page, loaded on first use.
    function load() {
      if (!glue) {
        glue = import(new URL("jiedu_widget.js", base).href).then(function (m) {
          return m.default().then(function () { return m; });
        });
        glue.catch(function () { glue = null; });
      }
      return glue;
    }

    function optionsOf(el) {
      var o = {};
      KEYS.forEach(function (k) {
        var v = el.getAttribute("data-" + k);
        if (v === null) v = el.getAttribute(k);
        if (v !== null) o[k] = v;
      });
      return o;
    }

    function english(el, opts) {
      var l = (opts && opts.lang) || document.documentElement.lang || navigator.language || "";
      return /^en\b/i.test(l);
    }

    // The shadow root with a placeholder of reserved height until the wasm renders (no layout
    // shift). Constructable stylesheets only: nothing here needs 'unsafe-inline'.
    function prepare(el, opts) {
      var root = el.shadowRoot || el.attachShadow({ mode: "open" });
      if (!root.firstChild) {
        if (!preload) {
          preload = new CSSStyleSheet();
          preload.replaceSync(":host{display:block;min-height:var(--jiedu-reserve,24em)}p{margin:0;padding:2em 1em;text-align:center;color:#59636e;font:16px/1.6 system-ui,sans-serif}button{font:inherit;margin:0 .5em}");
        }
        root.adoptedStyleSheets = [preload];
        var p = document.createElement("p");
        p.setAttribute("role", "status");
        p.textContent = english(el, opts) ? "Loading the document…" : "正在加载政策文件…";
        root.appendChild(p);
      }
      return root;
    }

    // The wasm itself failed to load (offline, CSP without 'wasm-unsafe-eval'): say so, offer a retry.
    function failed(el, opts, err, retry) {
      console.error("jiedu widget: could not load the widget code", err);
      var root = el.shadowRoot;
      var en = english(el, opts);
      while (root.firstChild) root.removeChild(root.firstChild);
      var p = document.createElement("p");
      p.setAttribute("role", "alert");
      p.textContent = en ? "The widget could not be loaded." : "政策解读组件加载失败。";
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = en ? "Try again" : "重试";
      b.addEventListener("click", function () { while (root.firstChild) root.removeChild(root.firstChild); prepare(el, opts); retry(); });
      p.appendChild(b);
      root.appendChild(p);
      el.dispatchEvent(new CustomEvent("jiedu:error", { bubbles: true, composed: true, detail: { code: "load", message: String(err) } }));
    }

    function mount(el, opts) {
      var old = handles.get(el);
      if (old) old.unmount();
      opts = opts || {};
      prepare(el, opts);
      var handle = null, gone = false;
      var controller = {
        ready: null,
        update: function (o) { opts = o || {}; if (handle) handle.update(opts); },
        unmount: function () {
          gone = true;
          if (handles.get(el) === controller) handles.delete(el);
          if (handle) { var h = handle; handle = null; h.unmount(); }
        }
      };
      function start() {
        controller.ready = load().then(function (m) {
          if (!gone) handle = m.mount(el, opts);
          return controller;
        }, function (err) { if (!gone) failed(el, opts, err, start); throw err; });
        controller.ready.catch(function () {});
      }
      start();
      handles.set(el, controller);
      return controller;
    }

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
        if (io && !this.hasAttribute("eager")) io.observe(this); else this.start();
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
    if (!customElements.get("jiedu-widget")) customElements.define("jiedu-widget", JieduWidget);

    return {
      version: "0.1.0",
      /** Mounts a widget into any element now (no lazy loading); returns { ready, update, unmount }. */
      mount: function (el, opts) {
        var o = {};
        for (var k in opts || {}) if (KEYS.indexOf(k) >= 0 && opts[k] !== undefined && opts[k] !== null) o[k] = typeof opts[k] === "boolean" ? opts[k] : String(opts[k]);
        return mount(el, o);
      }
    };
  }
})();
