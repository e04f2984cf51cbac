/* haul-address-prompt.h: a message dialog that asks for an address and
 * has a server checked before it closes
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HAUL_TYPE_ADDRESS_PROMPT (haul_address_prompt_get_type ())
G_DECLARE_DERIVABLE_TYPE (HaulAddressPrompt, haul_address_prompt, HAUL, ADDRESS_PROMPT,
                          AdwMessageDialog)

/* Change Address and Continue (a browser's partial) are subclasses: each
 * says what asking means and what its responses do. */
struct _HaulAddressPromptClass
{
  AdwMessageDialogClass parent_class;

  /* Ask the server about @uri, the address in the field (never empty):
   * Enter in the field while nothing is asked, or
   * haul_address_prompt_ask(). */
  void     (*ask)     (HaulAddressPrompt *self,
                       const char        *uri);
  /* A response (AdwMessageDialog::response): TRUE when the dialog goes,
   * FALSE to keep it open (the close that came with it is refused). */
  gboolean (*respond) (HaulAddressPrompt *self,
                       const char        *response);
};

/* Once, from the subclass's init: the responses Cancel (also Escape and
 * the window manager's close) and @ask_id, labelled @ask_label, the
 * suggested and default one; @field_label names the address field for
 * assistive technologies, @empty_message is said when it is empty. */
void         haul_address_prompt_setup            (HaulAddressPrompt *self,
                                                   const char        *ask_id,
                                                   const char        *ask_label,
                                                   const char        *field_label,
                                                   const char        *empty_message);
/* Where what was done is told: a widget of a HaulWindow (its toasts), or
 * an AdwToastOverlay elsewhere; held weakly. */
void         haul_address_prompt_set_toast_widget (HaulAddressPrompt *self,
                                                   GtkWidget         *widget);
void         haul_address_prompt_toast            (HaulAddressPrompt *self,
                                                   const char        *title);

/* Shows the dialog, the field focused, unless it shows already. */
void         haul_address_prompt_present          (HaulAddressPrompt *self);
/* The field's address, stripped (may be empty). (transfer full) */
char        *haul_address_prompt_dup_address      (HaulAddressPrompt *self);
/* Says @message under the field, and to assistive technologies on it;
 * NULL: nothing went wrong. */
void         haul_address_prompt_show_error       (HaulAddressPrompt *self,
                                                   const char        *message);
/* Empty field: says so; otherwise ->ask(). */
void         haul_address_prompt_ask              (HaulAddressPrompt *self);
/* While the server is asked, the field and the ask response wait. */
void         haul_address_prompt_set_busy         (HaulAddressPrompt *self,
                                                   gboolean           busy);
gboolean     haul_address_prompt_get_busy         (HaulAddressPrompt *self);
/* Another file, or no way to tell: says @message and adds the responses
 * "both" (Keep Both) and "restart" (Start Again), once. */
void         haul_address_prompt_offer_choices    (HaulAddressPrompt *self,
                                                   const char        *message);
/* Cancelled when the dialog goes. (transfer none) */
GCancellable *haul_address_prompt_get_cancellable (HaulAddressPrompt *self);

/* The field, and what the dialog says went wrong (NULL: nothing). */
GtkEditable *haul_address_prompt_get_entry        (HaulAddressPrompt *self);
const char  *haul_address_prompt_get_error        (HaulAddressPrompt *self);

G_END_DECLS
