/* After a failed submit, move the keyboard and screen-reader focus to the
   form's error summary (templates/includes/form_errors_summary.html), so the
   first thing announced is what went wrong and each link leads to its field.
   Without JavaScript the summary is still at the top of the form. */
(function () {
  "use strict";
  function focusSummary() {
    var summary = document.querySelector("[data-form-errors-summary]");
    if (!summary) {
      return;
    }
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) {
        return;
      }
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (target) {
        event.preventDefault();
        target.focus();
        target.scrollIntoView({ block: "center" });
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
})();
