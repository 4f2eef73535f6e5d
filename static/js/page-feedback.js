/*
 * "Was this page useful?" without reloads (see portal/feedback/__init__.py).
 *
 * The widget works as plain HTML forms. When this script runs, each step is
 * sent with fetch() and the server's answer (the next step, an error or the
 * thank-you, rendered from the same templates) replaces the form in place;
 * focus moves to it so keyboard and screen-reader users follow along. If the
 * request fails, the form is sent the ordinary way.
 */
(function () {
  "use strict";

  function show(body, html) {
    body.innerHTML = html;
    var step = body.querySelector("[data-page-feedback-step]");
    if (step) {
      step.focus();
    }
  }

  function send(body, form) {
    var button = form.querySelector("button[type=submit]");
    if (button) {
      button.disabled = true;
    }
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Page-Feedback": "fragment" },
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("text/html") !== 0 || response.status >= 500) {
          throw new Error("unexpected response");
        }
        return response.text();
      })
      .then(function (html) {
        show(body, html);
      })
      .catch(function () {
        form.dataset.pageFeedbackPlain = "1";
        form.submit();
      });
  }

  function init(widget) {
    var body = widget.querySelector("[data-page-feedback-body]");
    if (!body || !window.fetch || !window.FormData) {
      return;
    }
    widget.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.matches("form[data-step]") || form.dataset.pageFeedbackPlain) {
        return;
      }
      event.preventDefault();
      send(body, form);
    });
  }

  document.querySelectorAll("[data-page-feedback]").forEach(init);
})();
