/* The main menu on small screens, without Bootstrap Italia's 1 MB bundle.
 *
 * The header's toggler (data-bs-toggle="navbarcollapsible", data-bs-target="#id")
 * opens the menu as a modal panel styled by Bootstrap Italia's CSS (.expanded):
 * aria-expanded on the toggler, focus moves to the close button and stays inside
 * the panel (Tab wraps, the rest of the page is inert), Escape, the close button
 * and a click on the backdrop close it, and focus returns to the toggler. On wide
 * screens the CSS shows the menu inline and none of this applies.
 */
(function () {
  "use strict";

  var WIDE = window.matchMedia("(min-width: 992px)");
  var FOCUSABLE =
    'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

  function setup(toggler) {
    var panel = document.querySelector(toggler.getAttribute("data-bs-target"));
    if (!panel) return;
    var nav = toggler.closest("nav") || panel.parentNode;
    var closeButton = panel.querySelector(".close-div button");
    var wrapper = panel.querySelector(".menu-wrapper");
    var backdrop = document.createElement("div");
    backdrop.className = "navbar-backdrop fade";
    backdrop.hidden = true;
    nav.appendChild(backdrop);
    var open = false;
    var hideTimer = null;
    var outside = [];

    function setOutsideInert(inert) {
      if (inert) {
        // Everything but the header's navigation: main, footer, skip links and the
        // header rows above the menu.
        outside = Array.prototype.filter.call(
          document.querySelectorAll("body > *, .it-header-wrapper > *, .it-nav-wrapper > *"),
          function (element) {
            return !element.contains(panel) && element.tagName !== "SCRIPT" && !element.inert;
          }
        );
        outside.forEach(function (element) { element.inert = true; });
      } else {
        outside.forEach(function (element) { element.inert = false; });
        outside = [];
      }
    }

    function focusables() {
      return Array.prototype.filter.call(panel.querySelectorAll(FOCUSABLE), function (element) {
        return element.offsetParent !== null || element === document.activeElement;
      });
    }

    function show() {
      if (open || WIDE.matches) return;
      open = true;
      window.clearTimeout(hideTimer);
      panel.style.display = "block";
      panel.setAttribute("role", "dialog");
      panel.setAttribute("aria-modal", "true");
      if (!panel.hasAttribute("aria-label") && nav.getAttribute("aria-label")) {
        panel.setAttribute("aria-label", nav.getAttribute("aria-label"));
      }
      toggler.setAttribute("aria-expanded", "true");
      backdrop.hidden = false;
      document.body.classList.add("navbar-open");
      document.body.style.overflow = "hidden";
      setOutsideInert(true);
      // Next frame: the panel is displayed, so the slide-in transition runs.
      window.requestAnimationFrame(function () {
        panel.classList.add("expanded");
        backdrop.classList.add("show");
      });
      (closeButton || focusables()[0] || panel).focus();
    }

    function hide(returnFocus) {
      if (!open) return;
      open = false;
      panel.classList.remove("expanded");
      backdrop.classList.remove("show");
      toggler.setAttribute("aria-expanded", "false");
      setOutsideInert(false);
      document.body.classList.remove("navbar-open");
      document.body.style.overflow = "";
      panel.removeAttribute("role");
      panel.removeAttribute("aria-modal");
      // Let the slide-out transition of the menu finish before hiding it.
      hideTimer = window.setTimeout(function () {
        panel.style.display = "";
        backdrop.hidden = true;
      }, 250);
      if (returnFocus !== false) toggler.focus();
    }

    toggler.addEventListener("click", function (event) {
      event.preventDefault();
      if (open) hide(); else show();
    });
    if (closeButton) {
      closeButton.addEventListener("click", function (event) {
        event.preventDefault();
        hide();
      });
    }
    backdrop.addEventListener("click", function () { hide(); });
    // A click in the panel but outside the menu (the strip beside it) closes too.
    panel.addEventListener("click", function (event) {
      if (open && wrapper && !wrapper.contains(event.target) && !event.target.closest(".close-div")) {
        hide();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (!open) return;
      if (event.key === "Escape" || event.key === "Esc") {
        event.preventDefault();
        hide();
        return;
      }
      if (event.key !== "Tab") return;
      var items = focusables();
      if (!items.length) return;
      var first = items[0];
      var last = items[items.length - 1];
      var active = document.activeElement;
      if (event.shiftKey && (active === first || !panel.contains(active))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (active === last || !panel.contains(active))) {
        event.preventDefault();
        first.focus();
      }
    });
    // Growing to a wide screen shows the menu inline: leave the modal state.
    var onWide = function () { if (WIDE.matches) hide(false); };
    if (WIDE.addEventListener) WIDE.addEventListener("change", onWide);
    else if (WIDE.addListener) WIDE.addListener(onWide);
  }

  function init() {
    document.querySelectorAll('[data-bs-toggle="navbarcollapsible"]').forEach(setup);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
