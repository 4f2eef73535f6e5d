/* Wagtail's page and snippet editors after a refused save (WCAG 3.3.1, 2.4.2).
 * Wagtail shows an error banner and marks each invalid field, but lists none
 * of them and leaves the focus at the top of the page. This turns its banner
 * into an error summary like the public forms' (static/js/form-errors.js):
 * - one link per invalid field, "Label: message", that opens the tab and any
 *   collapsed panel around the field, then focuses it;
 * - the summary is a labelled group and takes the focus on load;
 * - the document title starts with the translated "Error: ".
 * Loaded on every editor form by portal/wagtail_hooks.py (insert_editor_js),
 * which writes the translated strings on this <script> element. Does nothing
 * on a form without errors. */
(function () {
  "use strict";

  var script = document.currentScript;
  var SUMMARY_ID = "admin-form-errors";
  var CONTROLS =
    "input:not([type=hidden]), select, textarea, [contenteditable='true']";

  function text(element) {
    return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
  }

  // The innermost invalid fields, in the order of the form.
  function invalidFields() {
    var fields = document.querySelectorAll(".w-field--error");
    return Array.prototype.filter.call(fields, function (field) {
      return (
        field.querySelector(".error-message") &&
        !field.querySelector(".w-field--error")
      );
    });
  }

  // Where a link leads: the invalid control, else Wagtail's wrapper of the
  // field (a rich text editor has no id of its own).
  function targetOf(field) {
    var control =
      field.querySelector("[aria-invalid='true']") ||
      field.querySelector("[data-field-input] :is(" + CONTROLS + ")");
    return control && control.id ? control : field.closest("[id]");
  }

  // The field's label, without Wagtail's required-field mark.
  function labelOf(field, target) {
    var label = document.querySelector(
      "label[for='" + CSS.escape(target.id) + "']"
    );
    var wrapper = field.closest(".w-field__wrapper");
    var panel = field.closest("[data-panel]");
    label =
      label ||
      (wrapper && wrapper.querySelector(".w-field__label")) ||
      (panel && panel.querySelector("[data-panel-heading-text]"));
    if (!label) {
      return "";
    }
    var copy = label.cloneNode(true);
    copy.querySelectorAll(".w-required-mark").forEach(function (mark) {
      mark.remove();
    });
    return text(copy);
  }

  // Open the tab and the collapsed panels that hide ``element``.
  function reveal(element) {
    var tabPanel = element.closest("[role='tabpanel']");
    if (tabPanel && tabPanel.hidden) {
      var tab = document.querySelector(
        "[role='tab'][aria-controls='" + CSS.escape(tabPanel.id) + "']"
      );
      if (tab) {
        tab.click();
      }
    }
    var toggles = document.querySelectorAll(
      "[data-panel-toggle][aria-expanded='false']"
    );
    toggles.forEach(function (toggle) {
      var id = toggle.getAttribute("aria-controls");
      var content = id && document.getElementById(id);
      if (content && content.contains(element)) {
        toggle.click();
      }
    });
  }

  // Focus ``element`` once it is shown (Wagtail shows a tab after a
  // transition); a wrapper passes the focus to its first control.
  function focusWhenShown(element, frames) {
    if (!element.getClientRects().length && frames > 0) {
      window.requestAnimationFrame(function () {
        focusWhenShown(element, frames - 1);
      });
      return;
    }
    if (!element.matches(CONTROLS)) {
      var control = element.querySelector(CONTROLS);
      if (control) {
        element = control;
      } else if (!element.hasAttribute("tabindex")) {
        element.setAttribute("tabindex", "-1");
      }
    }
    element.focus();
    element.scrollIntoView({ block: "center" });
  }

  function linkTo(target, label, message) {
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = "#" + target.id;
    // Wagtail's own utility classes: readable on the red banner.
    link.className = "w-text-current w-underline";
    link.textContent = label ? label + ": " + message : message;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      reveal(target);
      focusWhenShown(target, 60);
    });
    item.appendChild(link);
    return item;
  }

  // The summary: inside Wagtail's error banner, around its message (and its
  // list of the form's own errors, when there is one); without a banner, at
  // the top of the form with the public forms' heading.
  function buildSummary(form, banner, count) {
    var summary = document.createElement("div");
    var title = document.createElement("p");
    summary.id = SUMMARY_ID;
    summary.setAttribute("role", "group");
    summary.setAttribute("tabindex", "-1");
    summary.setAttribute("aria-labelledby", SUMMARY_ID + "-title");
    summary.setAttribute("data-admin-form-errors", "");
    title.id = SUMMARY_ID + "-title";
    title.className = "w-m-0";
    summary.appendChild(title);
    if (banner) {
      var message = Array.prototype.filter.call(banner.childNodes, function (node) {
        return node.nodeType === Node.TEXT_NODE && node.textContent.trim();
      });
      banner.insertBefore(summary, message[0] || banner.firstChild);
      message.forEach(function (node) {
        title.appendChild(node);
      });
      var formErrors = banner.querySelector(".errorlist");
      if (formErrors) {
        summary.appendChild(formErrors);
      }
    } else {
      var heading = script.dataset[count === 1 ? "headingOne" : "headingOther"];
      title.textContent = heading.replace("%(counter)s", count);
      summary.className = "help-block help-critical";
      form.insertBefore(summary, form.firstChild);
    }
    return summary;
  }

  // "Error: " before the title while the summary is shown, also after
  // Wagtail's autosave writes the title again (it saves a draft after a
  // refused publish, and the errors stay on screen).
  function prefixTitle(summary) {
    var prefix = script.dataset.errorPrefix;
    var title = document.querySelector("head title");
    function apply() {
      if (summary.isConnected && document.title.indexOf(prefix) !== 0) {
        document.title = prefix + document.title;
      }
    }
    if (!prefix) {
      return;
    }
    apply();
    if (title) {
      new MutationObserver(apply).observe(title, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    }
  }

  function run() {
    var form = document.querySelector("form[data-edit-form]");
    // The portal's own admin forms have their summary already.
    var done = "[data-form-errors-summary], [data-admin-form-errors]";
    if (!form || document.querySelector(done)) {
      return;
    }
    var banner = document.querySelector(".messages li.error");
    var fields = invalidFields();
    if (!fields.length && !(banner && banner.querySelector(".errorlist"))) {
      return;
    }
    var summary = buildSummary(form, banner, fields.length);
    if (fields.length) {
      var list = document.createElement("ul");
      fields.forEach(function (field) {
        var target = targetOf(field);
        var message = text(field.querySelector(".error-message"));
        if (target) {
          list.appendChild(linkTo(target, labelOf(field, target), message));
        }
      });
      summary.appendChild(list);
    }
    prefixTitle(summary);
    summary.focus();
  }

  // After Wagtail's own scripts have built the editor (tabs, panels, blocks).
  if (document.readyState === "complete") {
    run();
  } else {
    window.addEventListener("load", run);
  }
})();
