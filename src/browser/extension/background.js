// background.js: Haul's browser extension, the part that talks to Haul
//
// Copyright 2026 The Haul developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
// One source for Chromium (a service worker) and Firefox (an event page).
// It never touches the network itself: every link goes, with the page's
// address as referrer, the browser's user agent and the cookies the
// browser holds for that link, to the native host haul-browser-host, which
// hands it to Haul over D-Bus. Haul does the downloading.

"use strict";

// Chromium loads common.js here; Firefox lists it before this file.
if (typeof importScripts === "function") {
  importScripts("common.js");
}

const MENU_ID = "haul-download";
// A Shift+click is honoured for the download that follows within this time.
const KEEP_WINDOW_MS = 5000;
const SHIFT_SCRIPT_ID = "haul-shift";

let keepUntil = 0;
// Downloads the browser is to keep because Haul could not take them.
const letThrough = new Set();

// ---------------------------------------------------------------- telling

function notify(title, message) {
  api.notifications.create({
    type: "basic",
    iconUrl: api.runtime.getURL("icons/haul-128.png"),
    title: title,
    message: message,
  });
}

// ---------------------------------------------------------------- talking

// Sends one request; resolves to null when Haul took it, else to the reason.
async function send(request) {
  let answer;
  try {
    answer = await api.runtime.sendNativeMessage(HOST, request);
  } catch (error) {
    return hostProblem(error);
  }
  if (answer && answer.ok === true) {
    return null;
  }
  return (answer && typeof answer.error === "string") ? answer.error : t("hostFailed");
}

// The cookie store of @tab: private windows and Firefox containers keep their own.
async function cookieStoreOf(tab) {
  if (!tab) {
    return undefined;
  }
  if (tab.cookieStoreId) {
    return tab.cookieStoreId;
  }
  try {
    const stores = await api.cookies.getAllCookieStores();
    const store = stores.find((s) => s.tabIds.includes(tab.id));
    return store ? store.id : undefined;
  } catch (e) {
    return undefined;
  }
}

// The Cookie header the browser would send to @url, as it orders it:
// longer paths first, then older cookies first.
async function cookieHeader(url, storeId) {
  const query = { url: url };
  if (storeId !== undefined) {
    query.storeId = storeId;
  }
  let cookies;
  try {
    cookies = await api.cookies.getAll(query);
  } catch (e) {
    return "";
  }
  cookies.sort((a, b) => (b.path.length - a.path.length));
  return cookies.map((c) => (c.name === "" ? c.value : c.name + "=" + c.value)).join("; ");
}

// Sends @urls to Haul. Cookies differ from site to site (and path to path),
// so links are grouped by the Cookie header each would get; each group is
// one request, so cookies only ever go with links of the site they are for.
async function download(urls, referrer, tab, fileName) {
  const storeId = await cookieStoreOf(tab);
  const groups = new Map();
  for (const url of urls) {
    const origin = new URL(url).origin;
    const cookies = await cookieHeader(url, storeId);
    const key = origin + "\n" + cookies;
    if (!groups.has(key)) {
      groups.set(key, { cookies: cookies, urls: [] });
    }
    groups.get(key).urls.push(url);
  }

  const problems = [];
  for (const group of groups.values()) {
    const request = { userAgent: navigator.userAgent };
    if (group.urls.length === 1) {
      request.url = group.urls[0];
    } else {
      request.urls = group.urls;
    }
    if (referrer && isWebUrl(referrer)) {
      request.referrer = referrer;
    }
    if (group.cookies) {
      request.cookies = group.cookies;
    }
    if (fileName && urls.length === 1) {
      request.filename = fileName;
    }
    const problem = await send(request);
    if (problem !== null) {
      problems.push(problem);
    }
  }
  return problems.length > 0 ? problems[0] : null;
}

// ---------------------------------------------------------------- the menu

// Firefox reads "&" in a title as the entry's access key; Chromium shows it.
const IS_FIREFOX = typeof api.runtime.getBrowserInfo === "function";

// Both browsers answer removeAll() with a promise in Manifest V3.
async function createMenu() {
  await api.contextMenus.removeAll();
  api.contextMenus.create({
    id: MENU_ID,
    title: IS_FIREFOX ? t("menuDownloadFirefox") : t("menuDownload"),
    contexts: ["link", "selection", "image", "video", "audio"],
  });
}

// Runs in the page: every link in the selection, and every address typed in it.
function linksInSelection() {
  const found = [];
  const selection = getSelection();
  for (let i = 0; i < selection.rangeCount; i++) {
    const range = selection.getRangeAt(i);
    let node = range.commonAncestorContainer;
    if (node.nodeType !== Node.ELEMENT_NODE) {
      node = node.parentElement;
    }
    if (!node) {
      continue;
    }
    const around = node.closest("a[href], area[href]");
    if (around) {
      found.push(around.href);
    }
    for (const link of node.querySelectorAll("a[href], area[href]")) {
      if (range.intersectsNode(link)) {
        found.push(link.href);
      }
    }
  }
  for (const match of selection.toString().matchAll(/\bhttps?:\/\/[^\s<>"]+/gi)) {
    found.push(match[0].replace(/[.,;:!?'")\]]+$/, ""));
  }
  return found;
}

function linksInText(text) {
  const found = [];
  for (const match of (text || "").matchAll(/\bhttps?:\/\/[^\s<>"]+/gi)) {
    found.push(match[0].replace(/[.,;:!?'")\]]+$/, ""));
  }
  return found;
}

async function selectionLinks(info, tab) {
  try {
    const target = { tabId: tab.id };
    if (info.frameId !== undefined) {
      target.frameIds = [info.frameId];
    }
    const results = await api.scripting.executeScript({ target: target, func: linksInSelection });
    if (results && results[0] && Array.isArray(results[0].result)) {
      return results[0].result;
    }
  } catch (e) {
    // A page scripts may not run in (the web store, a PDF): the text is all there is.
  }
  return linksInText(info.selectionText);
}

async function menuClicked(info, tab) {
  let urls;
  const single = info.linkUrl || info.srcUrl;
  if (single && !isWebUrl(single)) {
    // A blob: video, a data: image, a javascript: link.
    notify(t("notifyNoLinksTitle"), t("notifyNotWeb", [single.slice(0, 100)]));
    return;
  } else if (single) {
    urls = [single];
  } else {
    urls = await selectionLinks(info, tab);
  }

  urls = [...new Set(urls.filter(isWebUrl))];
  if (urls.length === 0) {
    notify(t("notifyNoLinksTitle"), t("notifyNoLinks"));
    return;
  }

  const problem = await download(urls, info.frameUrl || info.pageUrl, tab, null);
  if (problem !== null) {
    notify(t("notifyFailedTitle"), problem);
  }
}

// ---------------------------------------------------------------- capture

function extensionOf(name) {
  const match = /\.([A-Za-z0-9]{1,10})$/.exec(name || "");
  return match ? match[1].toLowerCase() : "";
}

function baseName(path) {
  const parts = (path || "").split(/[\\/]/);
  return parts[parts.length - 1];
}

function typeList(text) {
  return (text || "").split(/[\s,;]+/).map((s) => s.replace(/^\*?\./, "").toLowerCase())
    .filter((s) => s !== "");
}

// Whether Haul should take this download instead of the browser.
function wanted(item, options) {
  const url = item.finalUrl || item.url;
  if (!isWebUrl(url) || letThrough.has(url)) {
    return false;
  }
  if (Date.now() < keepUntil) {
    return false;
  }
  const size = item.totalBytes > 0 ? item.totalBytes : (item.fileSize > 0 ? item.fileSize : -1);
  const minBytes = Number(options.minSizeMB) * 1000 * 1000;
  if (minBytes > 0 && size >= minBytes) {
    return true;
  }
  const types = typeList(options.types);
  if (types.length === 0) {
    return false;
  }
  const name = baseName(item.filename) || baseName(new URL(url).pathname);
  return types.includes(extensionOf(name));
}

async function downloadCreated(item) {
  const options = await settings();
  if (!options.capture || item.state !== "in_progress" || !wanted(item, options)) {
    return;
  }

  // Stop the browser's copy first, so it writes (almost) nothing.
  const url = item.finalUrl || item.url;
  try {
    await api.downloads.cancel(item.id);
    await api.downloads.erase({ id: item.id });
  } catch (e) {
    return;
  }

  const tab = item.tabId !== undefined && item.tabId >= 0
    ? await api.tabs.get(item.tabId).catch(() => undefined) : undefined;
  const problem = await download([url], item.referrer, tab, baseName(item.filename));
  if (problem !== null) {
    // Haul could not take it: give it back to the browser.
    notify(t("notifyFailedTitle"), t("notifyGivenBack", [problem]));
    letThrough.add(url);
    api.downloads.download({ url: url }).finally(() => {
      setTimeout(() => letThrough.delete(url), KEEP_WINDOW_MS);
    });
  }
}

// The Shift watcher only runs in pages while capture is on.
async function updateShiftWatcher() {
  const options = await settings();
  try {
    const registered = await api.scripting.getRegisteredContentScripts({ ids: [SHIFT_SCRIPT_ID] });
    if (options.capture && registered.length === 0) {
      await api.scripting.registerContentScripts([{
        id: SHIFT_SCRIPT_ID,
        js: ["shift.js"],
        matches: ["http://*/*", "https://*/*"],
        allFrames: true,
        runAt: "document_start",
      }]);
    } else if (!options.capture && registered.length > 0) {
      await api.scripting.unregisterContentScripts({ ids: [SHIFT_SCRIPT_ID] });
    }
  } catch (e) {
    console.warn("Haul: the Shift watcher could not be set up:", e);
  }
}

// ---------------------------------------------------------------- wiring

api.runtime.onInstalled.addListener(() => {
  createMenu();
  updateShiftWatcher();
});
api.runtime.onStartup.addListener(() => {
  createMenu();
  updateShiftWatcher();
});
api.contextMenus.onClicked.addListener((info, tab) => {
  if (info.menuItemId === MENU_ID) {
    menuClicked(info, tab);
  }
});
api.downloads.onCreated.addListener(downloadCreated);
api.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && "capture" in changes) {
    updateShiftWatcher();
  }
});
api.runtime.onMessage.addListener((message, sender) => {
  if (message && message.haulShift === true && sender.tab) {
    keepUntil = Date.now() + KEEP_WINDOW_MS;
  }
});
