// shift.js: runs in web pages while "capture downloads" is on, and only
// then. It tells the background script that a link was clicked with Shift
// held, so the download that follows stays with the browser. It reads
// nothing from the page.
//
// Copyright 2026 The Haul developers
// SPDX-License-Identifier: GPL-3.0-or-later

"use strict";

(() => {
  const runtime = (globalThis.browser ?? globalThis.chrome).runtime;
  const watch = (event) => {
    if (event.shiftKey) {
      runtime.sendMessage({ haulShift: true }).catch(() => {});
    }
  };
  addEventListener("click", watch, true);
  addEventListener("auxclick", watch, true);
})();
