/*
 * The community post composer (new thread, reply, edit): loaded only on those
 * pages, no inline script, so it runs under the site's CSP (script-src 'self').
 *
 * Enhances every [data-composer] (templates/community/_composer.html):
 * - Preview: the "Preview" submit button asks data-preview-url (POST, with the
 *   form's CSRF token) and shows the sanitised result in the polite live region
 *   [data-composer-preview]; without JavaScript the button submits the form and
 *   the page comes back with the preview.
 * - @mentions: typing "@" and a letter asks data-mention-url?q= for members of
 *   the group; the listbox [data-composer-mentions] is controlled from the text
 *   area (aria-autocomplete="list", aria-controls, aria-activedescendant): up
 *   and down arrows move, Enter inserts "@handle ", Escape closes. The number of
 *   suggestions is announced in [data-composer-status].
 * - Files: as soon as files are chosen, the input's data- attributes (the
 *   server's limits and messages in the page's language) are checked and any
 *   problem is written in [data-composer-file-status]; the server checks again.
 */
(function () {
  "use strict";

  var DELAY_MS = 150;
  // Same shape as community.services.MENTION, up to the caret.
  var TYPING_MENTION = /(^|[^\w@.])@([a-z0-9][a-z0-9_-]{0,39})$/i;

  function Composer(root) {
    this.root = root;
    this.form = root.closest("form");
    this.textarea = root.querySelector("textarea[name=body]");
    this.preview = root.querySelector("[data-composer-preview]");
    this.previewButton = root.querySelector("[data-composer-preview-button]");
    this.listbox = root.querySelector("[data-composer-mentions]");
    this.status = root.querySelector("[data-composer-status]");
    this.fileStatus = root.querySelector("[data-composer-file-status]");
    this.fileInput = root.querySelector("input[type=file][data-max-bytes]");
    this.items = [];
    this.active = -1;
    this.timer = null;
    this.request = null;
    this.token = null;

    if (this.previewButton && this.form) {
      this.previewButton.addEventListener("click", this.onPreview.bind(this));
    }
    if (this.textarea && this.listbox) {
      this.setUpMentions();
    }
    if (this.fileInput && this.fileStatus) {
      this.fileStatus.id = this.fileStatus.id || this.fileInput.id + "-check";
      this.fileInput.addEventListener("change", this.onFiles.bind(this));
    }
  }

  // --- Preview ---------------------------------------------------------------

  Composer.prototype.onPreview = function (event) {
    var self = this;
    var data = this.root.dataset;
    if (!this.textarea.value.trim()) {
      event.preventDefault();
      this.showPreviewMessage(data.msgPreviewEmpty);
      return;
    }
    event.preventDefault();
    var body = new FormData();
    body.append("body", this.textarea.value);
    var token = this.form.querySelector("input[name=csrfmiddlewaretoken]");
    var quote = this.form.querySelector("input[name=quote]");
    if (quote) {
      body.append("quote", quote.value);
    }
    window
      .fetch(data.previewUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: {
          Accept: "application/json",
          "X-CSRFToken": token ? token.value : "",
        },
      })
      .then(function (response) {
        return response.json().then(function (json) {
          return { ok: response.ok, json: json };
        });
      })
      .then(function (result) {
        if (result.ok && typeof result.json.html === "string") {
          self.showPreview(result.json.html);
        } else if (result.json && Array.isArray(result.json.errors)) {
          self.showPreviewMessage(result.json.errors.join(" "));
        } else {
          self.showPreviewMessage(data.msgPreviewError);
        }
      })
      .catch(function () {
        self.showPreviewMessage(data.msgPreviewError);
      });
  };

  Composer.prototype.previewLabel = function () {
    var label = document.createElement("p");
    label.className = "fw-bold mb-1";
    label.textContent =
      this.previewButton.dataset.label || this.previewButton.textContent.trim();
    return label;
  };

  Composer.prototype.showPreview = function (html) {
    var card = document.createElement("div");
    card.className = "card card-bg";
    var content = document.createElement("div");
    content.className = "card-body post-body";
    // The server's sanitised rendering (community/sanitize.py).
    content.innerHTML = html;
    card.appendChild(content);
    this.preview.replaceChildren(this.previewLabel(), card);
  };

  Composer.prototype.showPreviewMessage = function (message) {
    var text = document.createElement("p");
    text.className = "text-danger fw-semibold";
    text.textContent = message || "";
    this.preview.replaceChildren(text);
  };

  // --- Mentions --------------------------------------------------------------

  Composer.prototype.setUpMentions = function () {
    var textarea = this.textarea;
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", this.listbox.id);
    this.listbox.hidden = true;
    textarea.addEventListener("input", this.onInput.bind(this));
    textarea.addEventListener("keydown", this.onKeydown.bind(this));
    textarea.addEventListener("blur", this.close.bind(this));
    textarea.addEventListener("click", this.close.bind(this));
  };

  Composer.prototype.currentToken = function () {
    var textarea = this.textarea;
    if (textarea.selectionStart !== textarea.selectionEnd) {
      return null;
    }
    var before = textarea.value.slice(0, textarea.selectionStart);
    var match = TYPING_MENTION.exec(before);
    if (!match) {
      return null;
    }
    return { prefix: match[2], start: before.length - match[2].length - 1 };
  };

  Composer.prototype.onInput = function () {
    var self = this;
    window.clearTimeout(this.timer);
    this.cancel();
    var token = this.currentToken();
    this.token = token;
    if (!token) {
      this.close();
      return;
    }
    this.timer = window.setTimeout(function () {
      self.fetchMentions(token.prefix);
    }, DELAY_MS);
  };

  Composer.prototype.cancel = function () {
    if (this.request) {
      this.request.abort();
      this.request = null;
    }
  };

  Composer.prototype.fetchMentions = function (prefix) {
    var self = this;
    var url = new URL(this.root.dataset.mentionUrl, window.location.href);
    url.searchParams.set("q", prefix);
    var request = new AbortController();
    this.request = request;
    window
      .fetch(url.href, {
        signal: request.signal,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("mentions: HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (self.request !== request || !self.token) {
          return;
        }
        self.request = null;
        self.render(Array.isArray(data.results) ? data.results : []);
      })
      .catch(function () {
        if (self.request === request) {
          self.request = null;
          self.close();
        }
      });
  };

  Composer.prototype.render = function (items) {
    var self = this;
    this.items = items;
    this.active = -1;
    this.textarea.removeAttribute("aria-activedescendant");
    this.listbox.replaceChildren();
    items.forEach(function (item, index) {
      var option = document.createElement("li");
      option.id = self.listbox.id + "-" + index;
      option.className = "list-group-item list-group-item-action";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      var handle = document.createElement("span");
      handle.textContent = "@" + item.handle;
      option.appendChild(handle);
      if (item.name) {
        var name = document.createElement("span");
        name.className = "ms-2";
        name.textContent = item.name;
        option.appendChild(name);
      }
      option.addEventListener("mousedown", function (event) {
        event.preventDefault();
      });
      option.addEventListener("click", function () {
        self.choose(index);
      });
      self.listbox.appendChild(option);
    });
    this.listbox.hidden = items.length === 0;
    var data = this.root.dataset;
    this.status.textContent = items.length
      ? (data.msgMentionsMany || "").replace("{count}", String(items.length))
      : data.msgMentionsNone || "";
  };

  Composer.prototype.isOpen = function () {
    return !this.listbox.hidden && this.items.length > 0;
  };

  Composer.prototype.close = function () {
    window.clearTimeout(this.timer);
    this.cancel();
    this.listbox.hidden = true;
    this.items = [];
    this.active = -1;
    this.textarea.removeAttribute("aria-activedescendant");
  };

  Composer.prototype.setActive = function (index) {
    var options = this.listbox.querySelectorAll("[role=option]");
    if (this.active >= 0 && options[this.active]) {
      options[this.active].setAttribute("aria-selected", "false");
      options[this.active].classList.remove("active");
    }
    this.active = index;
    var option = options[index];
    option.setAttribute("aria-selected", "true");
    option.classList.add("active");
    option.scrollIntoView({ block: "nearest" });
    this.textarea.setAttribute("aria-activedescendant", option.id);
  };

  Composer.prototype.onKeydown = function (event) {
    if (!this.isOpen()) {
      return;
    }
    var count = this.items.length;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      this.setActive(this.active < 0 ? 0 : (this.active + 1) % count);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      this.setActive(this.active <= 0 ? count - 1 : this.active - 1);
    } else if (event.key === "Enter" && this.active >= 0) {
      event.preventDefault();
      this.choose(this.active);
    } else if (event.key === "Escape") {
      event.preventDefault();
      this.close();
    } else if (event.key === "Tab") {
      this.close();
    }
  };

  Composer.prototype.choose = function (index) {
    var item = this.items[index];
    var token = this.currentToken();
    if (!item || !token) {
      this.close();
      return;
    }
    var textarea = this.textarea;
    var value = textarea.value;
    var inserted = "@" + item.handle + " ";
    var end = textarea.selectionStart;
    textarea.value = value.slice(0, token.start) + inserted + value.slice(end);
    var caret = token.start + inserted.length;
    textarea.setSelectionRange(caret, caret);
    this.close();
    this.status.textContent = inserted.trim();
    textarea.focus();
  };

  // --- Files -----------------------------------------------------------------

  function fill(template, name) {
    return (template || "").split("{name}").join(name);
  }

  Composer.prototype.onFiles = function () {
    var input = this.fileInput;
    var data = input.dataset;
    var maxBytes = parseInt(data.maxBytes, 10);
    var maxFiles = parseInt(data.maxFiles, 10);
    var allowed = (data.allowed || "").toLowerCase().split(",");
    var problems = [];
    var files = Array.prototype.slice.call(input.files || []);
    if (maxFiles && files.length > maxFiles) {
      problems.push(data.msgCount || "");
    }
    files.forEach(function (file) {
      var dot = file.name.lastIndexOf(".");
      var extension = dot >= 0 ? file.name.slice(dot).toLowerCase() : "";
      if (allowed.indexOf(extension) < 0) {
        problems.push(fill(data.msgType, file.name));
      } else if (maxBytes && file.size > maxBytes) {
        problems.push(fill(data.msgTooBig, file.name));
      }
    });
    this.fileStatus.textContent = problems.join(" ");
    var described = (input.getAttribute("aria-describedby") || "")
      .split(" ")
      .filter(function (id) {
        return id && id !== this.fileStatus.id;
      }, this);
    if (problems.length) {
      input.setAttribute("aria-invalid", "true");
      described.push(this.fileStatus.id);
    } else {
      input.removeAttribute("aria-invalid");
    }
    if (described.length) {
      input.setAttribute("aria-describedby", described.join(" "));
    } else {
      input.removeAttribute("aria-describedby");
    }
  };

  function start() {
    Array.prototype.forEach.call(
      document.querySelectorAll("[data-composer]"),
      function (root) {
        root.composer = new Composer(root);
      }
    );
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
