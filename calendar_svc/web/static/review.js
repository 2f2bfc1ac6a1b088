// The review queue by keyboard: j/k move, c confirm, x hide, d/t/g/n/i/r jump into the date, title, tags, note,
// internal-deadline or recurrence field, o opens the original.
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll("#queue .item"));
  if (!items.length) { return; }
  var current = 0;
  function select(index) {
    items[current].classList.remove("selected");
    current = Math.max(0, Math.min(items.length - 1, index));
    items[current].classList.add("selected");
    items[current].focus({ preventScroll: true });
    items[current].scrollIntoView({ block: "nearest" });
  }
  function typing(target) {
    return target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable);
  }
  select(0);
  // A last day typed for a one-date deadline means it recurs: pick the monthly rule beside it.
  Array.prototype.forEach.call(document.querySelectorAll("#queue form.repeat"), function (form) {
    form.until.addEventListener("input", function () {
      if (form.until.value && form.repeat.value === "none") { form.repeat.value = "monthly"; }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (typing(event.target)) {
      if (event.key === "Escape") { event.target.blur(); }
      return;
    }
    var item = items[current];
    var control = item.querySelector('[data-key="' + event.key + '"]');
    if (event.key === "j") { select(current + 1); }
    else if (event.key === "k") { select(current - 1); }
    else if (control && (control.tagName === "BUTTON" || control.tagName === "A")) { control.click(); }
    else if (control) { control.focus(); if (control.select) { control.select(); } }
    else { return; }
    event.preventDefault();
  });
})();
