// The review queue by keyboard: j/k move, c confirm, x hide, d/t/g/n jump into the date, title, tags, note field.
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
    else if (control && control.tagName === "BUTTON") { control.click(); }
    else if (control) { control.focus(); if (control.select) { control.select(); } }
    else { return; }
    event.preventDefault();
  });
})();
