// Test instrumentation loaded first by every host page (an external file, so that it runs under
// the strict Content-Security-Policy too): records what the widget tells the host page, every
// CSP violation and every uncaught script error, for the tests to read as `window.__e2e`.
"use strict";
(function () {
  var record = (window.__e2e = { events: [], violations: [], errors: [] });
  ["jiedu:ready", "jiedu:navigate", "jiedu:error", "jiedu:comment-submitted"].forEach(function (name) {
    document.addEventListener(name, function (e) {
      record.events.push({ type: e.type, detail: e.detail ? JSON.parse(JSON.stringify(e.detail)) : null });
    });
  });
  document.addEventListener("securitypolicyviolation", function (e) {
    record.violations.push({
      directive: e.effectiveDirective || e.violatedDirective,
      blocked: e.blockedURI,
      sample: e.sample,
      source: e.sourceFile + ":" + e.lineNumber,
    });
  });
  window.addEventListener("error", function (e) {
    record.errors.push(String(e.message || (e.target && e.target.src) || e));
  }, true);
  window.addEventListener("unhandledrejection", function (e) {
    record.errors.push("unhandled rejection: " + String(e.reason && e.reason.stack || e.reason));
  });
})();
