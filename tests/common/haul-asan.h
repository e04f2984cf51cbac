/* haul-asan.h: AddressSanitizer defaults for a test that meets GLib's own leaks
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Debian's GLib and GTK have no frame pointers: LeakSanitizer's fast
 * unwinder stops at g_malloc(), and a leak of GLib's own (the old user
 * folders of g_set_user_dirs() under G_TEST_OPTION_ISOLATE_DIRS, the quark
 * table's old block, allocated from a library constructor) cannot be
 * matched to its suppression in tests/lsan.supp. A test that meets them
 * includes this once: it unwinds fully (slower, so not every test does).
 * ASAN_OPTIONS from the environment still apply on top. Without
 * AddressSanitizer the function is never called.
 */

#pragma once

const char *__asan_default_options (void);

const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0:malloc_context_size=20";
}
