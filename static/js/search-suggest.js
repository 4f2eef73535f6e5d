/*
 * Suggestions under the search boxes: an ARIA 1.2 combobox with a listbox popup
 * and list autocompletion (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/).
 *
 * Enhances every input[data-suggest-url]. Its data- attributes name the listbox
 * (data-suggest-listbox) and the polite live region (data-suggest-status), and
 * carry the translated announcements (data-suggest-none, data-suggest-one,
 * data-suggest-many with "{count}"). Without JavaScript the box is a plain
 * search field. The endpoint answers {"query": ..., "suggestions": [{"title",
 * "url", "type"}]}: choosing a suggestion opens its page; Enter with no
 * suggestion chosen submits the search as usual.
 */
(function () {
  "use strict";

  var DELAY_MS = 200;
  var MIN_CHARS = 2;

  function sameOriginUrl(raw) {
    try {
      var url = new URL(raw, window.location.href);
      return url.origin === window.location.origin ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function Combobox(input, listbox, status) {
    this.input = input;
    this.listbox = listbox;
    this.status = status;
    this.items = [];
    this.active = -1;
    this.timer = null;
    this.request = null;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("autocomplete", "off");
    listbox.hidden = true;
    // Above the header's navigation bar and the page below it.
    listbox.style.zIndex = "1000";

    input.addEventListener("input", this.onInput.bind(this));
    input.addEventListener("keydown", this.onKeydown.bind(this));
    input.addEventListener("blur", this.close.bind(this));
    window.addEventListener("pageshow", this.close.bind(this));
  }

  Combobox.prototype.onInput = function () {
    var self = this;
    window.clearTimeout(this.timer);
    this.cancel();
    this.setActive(-1);
    if (this.input.value.trim().length < MIN_CHARS) {
      this.close();
      this.items = [];
      this.listbox.replaceChildren();
      return;
    }
    this.timer = window.setTimeout(function () {
      self.fetch(self.input.value.trim());
    }, DELAY_MS);
  };

  Combobox.prototype.cancel = function () {
    if (this.request) {
      this.request.abort();
      this.request = null;
    }
  };

  Combobox.prototype.fetch = function (text) {
    var self = this;
    var url = new URL(this.input.dataset.suggestUrl, window.location.href);
    url.searchParams.set("q", text);
    this.cancel();
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
          throw new Error("suggestions: HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        // A newer keystroke has already asked again, or the box has changed.
        if (self.request !== request || self.input.value.trim() !== text) {
          return;
        }
        self.request = null;
        self.render(Array.isArray(data.suggestions) ? data.suggestions : []);
      })
      .catch(function () {
        // Aborted or failed: the box still works as a plain search field.
        if (self.request === request) {
          self.request = null;
          self.close();
        }
      });
  };

  Combobox.prototype.render = function (items) {
    var self = this;
    this.items = items;
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.listbox.replaceChildren();
    items.forEach(function (item, index) {
      var option = document.createElement("li");
      option.id = self.listbox.id + "-" + index;
      option.className = "list-group-item list-group-item-action";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      var title = document.createElement("span");
      title.textContent = item.title;
      option.appendChild(title);
      if (item.type) {
        var kind = document.createElement("small");
        kind.className = "d-block text-secondary";
        kind.textContent = item.type;
        option.appendChild(kind);
      }
      // Keep the focus in the box, so that the click is not lost to blur.
      option.addEventListener("mousedown", function (event) {
        event.preventDefault();
      });
      option.addEventListener("click", function () {
        self.choose(index);
      });
      self.listbox.appendChild(option);
    });
    if (items.length) {
      this.listbox.hidden = false;
      this.input.setAttribute("aria-expanded", "true");
    } else {
      this.close();
    }
    this.announce(items.length);
  };

  Combobox.prototype.announce = function (count) {
    var data = this.input.dataset;
    var message;
    if (count === 0) {
      message = data.suggestNone || "";
    } else if (count === 1) {
      message = data.suggestOne || "";
    } else {
      message = (data.suggestMany || "").replace("{count}", String(count));
    }
    if (this.status) {
      this.status.textContent = message;
    }
  };

  Combobox.prototype.isOpen = function () {
    return !this.listbox.hidden;
  };

  Combobox.prototype.open = function () {
    if (this.items.length) {
      this.listbox.hidden = false;
      this.input.setAttribute("aria-expanded", "true");
    }
  };

  Combobox.prototype.close = function () {
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.setActive(-1);
  };

  function mark(option, selected) {
    option.setAttribute("aria-selected", selected ? "true" : "false");
    option.classList.toggle("active", selected);
    // The muted type label would lack contrast on the active background.
    var kind = option.querySelector("small");
    if (kind) {
      kind.classList.toggle("text-secondary", !selected);
    }
  }

  Combobox.prototype.setActive = function (index) {
    var options = this.listbox.querySelectorAll("[role=option]");
    if (this.active >= 0 && options[this.active]) {
      mark(options[this.active], false);
    }
    this.active = index;
    if (index < 0 || !options[index]) {
      this.active = -1;
      this.input.removeAttribute("aria-activedescendant");
      return;
    }
    var option = options[index];
    mark(option, true);
    this.input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  };

  Combobox.prototype.move = function (step) {
    var count = this.items.length;
    if (!count) {
      return;
    }
    if (!this.isOpen()) {
      this.open();
      this.setActive(step > 0 ? 0 : count - 1);
      return;
    }
    var next = this.active < 0 ? (step > 0 ? 0 : count - 1) : this.active + step;
    this.setActive((next + count) % count);
  };

  Combobox.prototype.choose = function (index) {
    var item = this.items[index];
    if (!item) {
      return;
    }
    var target = sameOriginUrl(item.url);
    this.close();
    if (target) {
      window.location.assign(target);
      return;
    }
    // No page to open: search for the suggested title instead.
    this.input.value = item.title;
    var form = this.input.form;
    if (form && form.requestSubmit) {
      form.requestSubmit();
    } else if (form) {
      form.submit();
    }
  };

  Combobox.prototype.onKeydown = function (event) {
    if (event.isComposing) {
      return;
    }
    switch (event.key) {
      case "ArrowDown":
        if (this.items.length) {
          event.preventDefault();
          this.move(1);
        }
        break;
      case "ArrowUp":
        if (this.items.length) {
          event.preventDefault();
          this.move(-1);
        }
        break;
      case "Enter":
        if (this.isOpen() && this.active >= 0) {
          event.preventDefault();
          this.choose(this.active);
        } else {
          this.close();
        }
        break;
      case "Escape":
        if (this.isOpen()) {
          // Close the list but keep what was typed (a search box would clear).
          event.preventDefault();
          this.close();
        }
        break;
      case "Tab":
        this.close();
        break;
      default:
        break;
    }
  };

  function enhance() {
    document.querySelectorAll("input[data-suggest-url]").forEach(function (input) {
      var listbox = document.getElementById(input.dataset.suggestListbox || "");
      if (!listbox || input.dataset.suggestReady) {
        return;
      }
      input.dataset.suggestReady = "true";
      var status = document.getElementById(input.dataset.suggestStatus || "");
      new Combobox(input, listbox, status);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
