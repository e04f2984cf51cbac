// common.js: what the background script and the options page share
//
// Copyright 2026 The Haul developers
// SPDX-License-Identifier: GPL-3.0-or-later

"use strict";

// Firefox's promise-based namespace, or Chromium's (promises in MV3 too).
const api = globalThis.browser ?? globalThis.chrome;

// The native messaging host's name, as in its manifests.
const HOST = "io.github.haul.haul";
const DEFAULTS = { capture: false, minSizeMB: 10, types: "" };

function t(name, substitutions) {
  return api.i18n.getMessage(name, substitutions) || name;
}

function isWebUrl(text) {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch (e) {
    return false;
  }
}

async function settings() {
  return Object.assign({}, DEFAULTS, await api.storage.local.get(DEFAULTS));
}

// What a failed sendNativeMessage means, in one line. Chromium says
// "Specified native messaging host not found.", Firefox "No such native
// application io.github.haul.haul".
function hostProblem(error) {
  const text = String((error && error.message) || error);
  if (/not found|no such native application|forbidden/i.test(text)) {
    return t("hostMissing");
  }
  return t("hostFailed");
}
