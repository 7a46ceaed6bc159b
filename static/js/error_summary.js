// The error summary's links move the focus to their field. A link to "#id" only scrolls in some browsers and, after
// an htmx swap, may leave the focus where it was; a keyboard or screen reader user must land in the box to fix.
document.addEventListener("click", function (event) {
  var link = event.target.closest("[data-error-summary] a[href^='#']");
  if (!link) return;
  var field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (!field) return;
  event.preventDefault();
  var label = document.querySelector("label[for='" + field.id + "']");
  (label || field).scrollIntoView();
  field.focus({ preventScroll: true });
});

// A form swapped in by htmx with its mistakes: the focus goes to its summary once the swap has settled.
document.addEventListener("htmx:afterSettle", function () {
  var summary = document.querySelector("[data-error-summary][data-focus-when-settled]");
  if (!summary) return;
  summary.removeAttribute("data-focus-when-settled");
  summary.focus();
});
