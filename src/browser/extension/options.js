// options.js: the options page — capture settings and whether Haul is reachable
//
// Copyright 2026 The Haul developers
// SPDX-License-Identifier: GPL-3.0-or-later

"use strict";

function translatePage() {
  for (const element of document.querySelectorAll("[data-i18n]")) {
    element.textContent = t(element.dataset.i18n);
  }
  for (const element of document.querySelectorAll("[data-i18n-placeholder]")) {
    element.placeholder = t(element.dataset.i18nPlaceholder);
  }
  document.documentElement.lang = api.i18n.getUILanguage();
}

// One line: Haul is ready, or how to install what is missing.
async function checkHost() {
  const status = document.getElementById("status");
  try {
    const answer = await api.runtime.sendNativeMessage(HOST, { ping: true });
    if (answer && answer.ok) {
      status.textContent = t("optionsReady", [String(answer.version || "")]);
      status.classList.remove("problem");
      return;
    }
    status.textContent = t("hostFailed");
  } catch (error) {
    status.textContent = hostProblem(error);
  }
  status.classList.add("problem");
}

function updateSensitivity(capture) {
  for (const id of ["minSizeMB", "types"]) {
    document.getElementById(id).disabled = !capture;
  }
}

async function load() {
  const options = await settings();
  const capture = document.getElementById("capture");
  const minSize = document.getElementById("minSizeMB");
  const types = document.getElementById("types");

  capture.checked = options.capture;
  minSize.value = options.minSizeMB;
  types.value = options.types;
  updateSensitivity(options.capture);

  capture.addEventListener("change", () => {
    updateSensitivity(capture.checked);
    api.storage.local.set({ capture: capture.checked });
  });
  minSize.addEventListener("change", () => {
    const value = Math.max(0, Math.floor(Number(minSize.value) || 0));
    minSize.value = value;
    api.storage.local.set({ minSizeMB: value });
  });
  types.addEventListener("change", () => {
    api.storage.local.set({ types: types.value.trim() });
  });
}

translatePage();
load();
checkHost();
